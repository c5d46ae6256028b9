# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure model of cloudtrail_kms_key: validation, desired and current state, compare.

No boto3 here. A desired state holds only the settings the user manages
(description, tags and the rotation period are left out when unset); the key
policy and whether rotation is enabled are always managed.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Guard
from .._common.policy import policies_equal
from .._common.tags import tag_change
from .._common.validate import MAX_TAGS, check_account_ids, check_arn, check_arn_location, check_org_id, check_range
from . import policy as kms_policy

ALIAS_NAME_RE = re.compile(r"^[a-zA-Z0-9/_-]{1,250}$")
ROTATION_PERIOD_RANGE = (90, 2560)
PENDING_WINDOW_RANGE = (7, 30)
DEFAULT_ROTATION_PERIOD = 365
PENDING_DELETION = "PendingDeletion"
PRINCIPAL_SERVICES = ("iam", "sts")
MAX_DESCRIPTION = 8192


# --- validation (before any AWS call) ---------------------------------------


def alias_name(alias: str) -> str:
    """'alias/<name>' from '<name>' or 'alias/<name>'."""
    return alias if alias.startswith("alias/") else f"alias/{alias}"


def validate(params: Mapping[str, Any], region: str | None = None) -> None:
    """Fail, naming the option, on any value AWS would refuse or that makes no sense."""
    alias = alias_name(params.get("alias") or "")
    name = alias[len("alias/") :]
    if not ALIAS_NAME_RE.fullmatch(name):
        raise CloudAuditError(f"'{params.get('alias')}' is not a KMS alias name (1-250 of A-Z a-z 0-9 / _ -)", "alias")
    if name.startswith("aws/"):
        raise CloudAuditError(f"'{alias}' is reserved for AWS managed keys", "alias")
    if ALIAS_TAG in (params.get("tags") or {}):
        raise CloudAuditError(f"the tag key {ALIAS_TAG} is set by the module (it finds a key whose alias was never created)", "tags")
    if isinstance(params.get("tags"), dict) and len(params["tags"]) > MAX_USER_TAGS:
        raise CloudAuditError(
            f"{len(params['tags'])} tags given; AWS allows at most {MAX_TAGS} per key and the module adds its own {ALIAS_TAG} tag, so at most {MAX_USER_TAGS}",
            "tags",
        )
    check_range(params.get("rotation_period_days"), "rotation_period_days", *ROTATION_PERIOD_RANGE)
    if params.get("rotation_period_days") is not None and params.get("enable_rotation") is False:
        raise CloudAuditError("needs enable_rotation=true", "rotation_period_days")
    check_range(params.get("pending_window_days"), "pending_window_days", *PENDING_WINDOW_RANGE)
    if params.get("description") and len(params["description"]) > MAX_DESCRIPTION:
        raise CloudAuditError(f"is longer than {MAX_DESCRIPTION} characters", "description")
    for option in ("admin_principals", "reader_principals"):
        for arn in params.get(option) or []:
            match = check_arn(arn, option)
            if match.group(2) not in PRINCIPAL_SERVICES:
                raise CloudAuditError(f"'{arn}' is not an IAM principal ARN (arn:<partition>:iam::<account>:...)", option)
            check_arn_location(arn, option, region, what="principal")
    if params.get("admin_principals") == []:
        raise CloudAuditError("cannot be empty: nobody could administer the key (leave it unset for the account root)", "admin_principals")
    check_account_ids(params.get("account_ids"), "account_ids")
    check_org_id(params.get("organization_id"), "organization_id")
    for arn in params.get("trail_arns") or []:
        check_arn(arn, "trail_arns", service="cloudtrail", resource_prefix="trail/")
        check_arn_location(arn, "trail_arns", region, what="trail")
    _check_statements(params.get("policy_statements"))


def _check_statements(statements: Any) -> None:
    for index, statement in enumerate(statements or []):
        where = f"statement {index + 1}"
        if not isinstance(statement, Mapping):
            raise CloudAuditError(f"{where} is not a dict", "policy_statements")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise CloudAuditError(f"{where}: Effect must be Allow or Deny", "policy_statements")
        if not ("Action" in statement or "NotAction" in statement):
            raise CloudAuditError(f"{where}: needs Action or NotAction", "policy_statements")
        if not ("Principal" in statement or "NotPrincipal" in statement):
            raise CloudAuditError(f"{where}: a key policy statement needs Principal or NotPrincipal", "policy_statements")
        if statement.get("Sid") in kms_policy.RESERVED_SIDS:
            raise CloudAuditError(f"{where}: Sid {statement['Sid']} is used by the generated policy", "policy_statements")


# --- desired state -----------------------------------------------------------


def desired_key(params: Mapping[str, Any], partition: str, region: str, account_id: str, granted: list[str] | None = None) -> dict[str, Any]:
    """granted: the accounts the key's current policy lets encrypt. They stay unless purge_account_ids, so that a
    run seeing only some accounts (--limit, an AWX job slice) never stops the others' trails."""
    account_ids = params.get("account_ids")
    if granted and not params.get("purge_account_ids"):
        account_ids = sorted(set(account_ids or []) | set(granted))
    desired: dict[str, Any] = {
        "alias": alias_name(params["alias"]),
        "enable_rotation": params.get("enable_rotation", True),
        "policy": kms_policy.key_policy(
            partition,
            region,
            account_id,
            admin_principals=params.get("admin_principals"),
            account_ids=account_ids,
            organization_id=params.get("organization_id"),
            trail_arns=params.get("trail_arns"),
            reader_principals=params.get("reader_principals"),
            allow_cloudwatch_logs=params.get("allow_cloudwatch_logs", False),
            allow_alert_services=params.get("allow_alert_services", False),
            policy_statements=params.get("policy_statements"),
        ),
    }
    if params.get("rotation_period_days") is not None:
        desired["rotation_period_days"] = params["rotation_period_days"]
    if params.get("description") is not None:
        desired["description"] = params["description"]
    if params.get("tags") is not None:
        desired["tags"] = dict(params["tags"])
        desired["purge_tags"] = params.get("purge_tags", True)
    return desired


# --- current state -----------------------------------------------------------


def parse_arn(arn: str) -> dict[str, str]:
    parts = arn.split(":")
    return {"partition": parts[1], "region": parts[3], "account_id": parts[4]}


def check_usable(metadata: Mapping[str, Any], alias: str) -> None:
    """The alias must name a customer managed symmetric encryption key."""
    if metadata.get("KeyManager") == "AWS":
        raise CloudAuditError(f"{alias} names an AWS managed key, which cannot be managed", "alias")
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
    if (spec and spec != "SYMMETRIC_DEFAULT") or metadata.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        raise CloudAuditError(f"{alias} names a {spec} {metadata.get('KeyUsage')} key; CloudTrail needs a symmetric encryption key", "alias")


# Set on every key this module creates, in the CreateKey call itself: a run killed between CreateKey and
# CreateAlias leaves a key without its alias, which the next run finds by this tag and adopts instead of
# creating a second key (that would cost money every month, unseen). Not shown, compared or purged.
ALIAS_TAG = "cloudaudit:alias"
MAX_USER_TAGS = MAX_TAGS - 1  # the key carries ALIAS_TAG besides the user's tags


def user_tags(tags: Mapping[str, str] | None) -> dict[str, str] | None:
    return None if tags is None else {k: v for k, v in tags.items() if k != ALIAS_TAG}


def current_key(metadata: Mapping[str, Any] | None, policy: Any, rotation: Mapping[str, Any] | None, tags: Mapping[str, str] | None) -> dict[str, Any] | None:
    if not metadata:
        return None
    tags = user_tags(tags)
    rotation = rotation or {}
    return {
        "key_id": metadata["KeyId"],
        "key_arn": metadata["Arn"],
        "key_state": metadata.get("KeyState"),
        "deletion_date": str(metadata["DeletionDate"]) if metadata.get("DeletionDate") else None,
        "description": metadata.get("Description", ""),
        "enable_rotation": rotation.get("enabled"),
        "rotation_period_days": rotation.get("period_days"),
        "policy": policy,
        "tags": dict(tags) if tags is not None else None,
    }


# --- compare -----------------------------------------------------------------


def _rotation_after(desired: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
    if not desired["enable_rotation"]:
        return {"enabled": False, "period_days": None}
    period = desired.get("rotation_period_days")
    if period is None and current and current.get("enable_rotation"):
        period = current.get("rotation_period_days")
    return {"enabled": True, "period_days": period or DEFAULT_ROTATION_PERIOD}


def compare_present(desired: Mapping[str, Any], current: Mapping[str, Any] | None, force_stop_delivery: bool = False) -> list[Change]:
    if current is None:
        changes = [
            Change("key", None, {"description": desired.get("description", ""), "policy": desired["policy"], "tags": desired.get("tags", {})}, "create"),
            Change("alias", None, desired["alias"], "create"),
        ]
        if desired["enable_rotation"]:
            changes.append(_rotation_change(desired, {"enabled": False, "period_days": None}, None))
        return changes
    changes = []
    if current["key_state"] == PENDING_DELETION:
        changes.append(Change("key_state", PENDING_DELETION, "Enabled", details={"deletion_date": current.get("deletion_date")}))
    if "description" in desired and desired["description"] != current["description"]:
        changes.append(Change("description", current["description"], desired["description"]))
    if not policies_equal(current["policy"], desired["policy"]):
        changes.append(Change("key_policy", current["policy"], desired["policy"], details=_dropped_accounts_guard(desired, current, force_stop_delivery)))
    rotation = _rotation_compare(desired, current)
    if rotation:
        changes.append(rotation)
    tags = tag_change(current.get("tags"), desired.get("tags"), desired.get("purge_tags", True))
    if tags:
        changes.append(tags)
    return changes


def _dropped_accounts_guard(desired: Mapping[str, Any], current: Mapping[str, Any], force_stop_delivery: bool) -> dict[str, Any]:
    """A policy that no longer lets some accounts' trails encrypt stops their delivery: only with force_stop_delivery."""
    dropped = sorted(set(kms_policy.granted_account_ids(current["policy"])) - set(kms_policy.granted_account_ids(desired["policy"])))
    if not dropped or force_stop_delivery:
        return {}
    message = (
        f"removing the account(s) {', '.join(dropped)} from the key policy stops the delivery of their trails encrypted with "
        f"{desired['alias']}; set force_stop_delivery=true to do it"
    )
    return {"guard": Guard("purge_account_ids", message, {"removed_account_ids": dropped})}


def _rotation_compare(desired: Mapping[str, Any], current: Mapping[str, Any]) -> Change | None:
    before = {"enabled": bool(current["enable_rotation"]), "period_days": current["rotation_period_days"]}
    wanted_period = desired.get("rotation_period_days")
    if desired["enable_rotation"]:
        if before["enabled"] and (wanted_period is None or wanted_period == before["period_days"]):
            return None
    elif not before["enabled"]:
        return None
    return _rotation_change(desired, before, current)


def _rotation_change(desired: Mapping[str, Any], before: Mapping[str, Any], current: Mapping[str, Any] | None) -> Change:
    """details: the period the task asks for (None: AWS keeps its own), what EnableKeyRotation is given."""
    return Change("rotation", before, _rotation_after(desired, current), details={"rotation_period_days": desired.get("rotation_period_days")})


def compare_absent(current: Mapping[str, Any] | None, alias: str, pending_window_days: int) -> list[Change]:
    """Schedule deletion (never immediate) and remove the alias; a key already pending deletion is left alone."""
    if current is None or current["key_state"] == PENDING_DELETION:
        return []
    return [
        Change("deletion", {"key_state": current["key_state"]}, {"key_state": PENDING_DELETION, "pending_window_days": pending_window_days}, "delete"),
        Change("alias", alias, None, "delete"),
    ]


# --- predicted state ---------------------------------------------------------


def predicted_key(desired: Mapping[str, Any], current: Mapping[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
    after = dict(current or {"key_id": None, "key_arn": None, "key_state": "Enabled", "description": "", "tags": {}})
    after.pop("deletion_date", None)
    after["key_state"] = "Enabled" if current is None or current["key_state"] == PENDING_DELETION else current["key_state"]
    if "description" in desired:
        after["description"] = desired["description"]
    after["policy"] = desired["policy"]
    rotation = _rotation_after(desired, current) if any(c.setting == "rotation" for c in changes) else None
    if rotation:
        after["enable_rotation"], after["rotation_period_days"] = rotation["enabled"], rotation["period_days"]
    for change in changes:
        if change.setting == "tags":
            after["tags"] = dict(change.after)
    if current is None:
        after["tags"] = dict(desired.get("tags") or {})
        if not desired["enable_rotation"]:
            after["enable_rotation"], after["rotation_period_days"] = False, None
    after["alias"] = desired["alias"]
    return after


def diff_view(key: Mapping[str, Any] | None, desired: Mapping[str, Any]) -> dict[str, Any]:
    """The managed settings only, for diff before/after."""
    if key is None:
        return {}
    keys = ["alias", "key_state", "enable_rotation", "rotation_period_days", "policy"]
    keys += [k for k in ("description", "tags") if k in desired]
    return {"key": {k: key.get(k) for k in keys}}
