# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure model of cloudtrail_log_group: validation, desired and current state, compare, guards.

No boto3 here. A desired state holds only the settings the user manages (a key
absent from it means "leave as it is"); retention None means "never expire".
Guards are data: a change that destroys log events without its option carries a Guard.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Guard
from .._common.policy import load_policy, policies_equal
from .._common.tags import tag_change
from .._common.validate import check_arn, check_arn_location, check_choice, check_org_id
from . import policy as logs_policy

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
NEVER_EXPIRE = 0
LOG_GROUP_CLASSES = ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY")
DEFAULT_LOG_GROUP_CLASS = "STANDARD"
LOG_GROUP_NAME_RE = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$")


# --- validation (before any AWS call) ---------------------------------------


def validate(params: Mapping[str, Any], region: str | None = None) -> None:
    """Fail, naming the option, on any value AWS would refuse or that makes no sense."""
    if not LOG_GROUP_NAME_RE.fullmatch(params.get("name") or ""):
        raise CloudAuditError(f"'{params.get('name')}' is not a log group name (1-512 of A-Z a-z 0-9 . - _ / #)", "name")
    check_choice(params.get("retention_days"), "retention_days", (NEVER_EXPIRE,) + RETENTION_DAYS)
    check_choice(params.get("log_group_class"), "log_group_class", LOG_GROUP_CLASSES)
    if params.get("kms_key_id"):
        check_arn(params["kms_key_id"], "kms_key_id", service="kms", resource_prefix="key/")
        # CloudWatch Logs encrypts with a key of its own region only.
        check_arn_location(params["kms_key_id"], "kms_key_id", region, same_region=True, what="KMS key")
    role = params.get("delivery_role_name")
    if role is not None and not ROLE_NAME_RE.fullmatch(role):
        raise CloudAuditError(f"'{role}' is not an IAM role name (1-64 of A-Z a-z 0-9 + = , . @ _ -)", "delivery_role_name")
    for arn in params.get("trail_arns") or []:
        check_arn(arn, "trail_arns", service="cloudtrail", resource_prefix="trail/")
        check_arn_location(arn, "trail_arns", region, what="trail")
    check_org_id(params.get("organization_id"), "organization_id")
    if role is None:
        for option in ("trail_arns", "organization_id"):
            if params.get(option):
                raise CloudAuditError("only applies to the delivery role: set delivery_role_name too", option)


# --- desired state -----------------------------------------------------------


def desired_group(params: Mapping[str, Any]) -> dict[str, Any]:
    """The managed settings of the group (unset options are left out)."""
    desired: dict[str, Any] = {"name": params["name"]}
    if params.get("retention_days") is not None:
        desired["retention_days"] = params["retention_days"] or None
    if params.get("kms_key_id") is not None:
        desired["kms_key_id"] = params["kms_key_id"] or None
    if params.get("log_group_class") is not None:
        desired["log_group_class"] = params["log_group_class"]
    if params.get("tags") is not None:
        desired["tags"] = dict(params["tags"])
        desired["purge_tags"] = params.get("purge_tags", True)
    return desired


def desired_role(params: Mapping[str, Any], partition: str, region: str, account_id: str) -> dict[str, Any] | None:
    """The delivery role (trust + inline policy), or None when no delivery_role_name."""
    name = params.get("delivery_role_name")
    if not name:
        return None
    resources = logs_policy.stream_resources(partition, region, account_id, params["name"], params.get("organization_id"))
    return {
        "name": name,
        "arn": logs_policy.role_arn(partition, account_id, name),
        "trust_policy": logs_policy.trust_policy(params.get("trail_arns")),
        "policy": logs_policy.delivery_policy(resources),
    }


# --- current state -----------------------------------------------------------


def parse_arn(arn: str) -> dict[str, str]:
    """partition, region and account of an ARN."""
    parts = arn.split(":")
    return {"partition": parts[1], "region": parts[3], "account_id": parts[4]}


def current_group(aws: Mapping[str, Any] | None, tags: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """A DescribeLogGroups entry, normalised (AWS omits retention when it never expires)."""
    if not aws:
        return None
    return {
        "name": aws["logGroupName"],
        "arn": aws.get("arn") or f"{aws['logGroupArn']}:*",
        "retention_days": aws.get("retentionInDays"),
        "kms_key_id": aws.get("kmsKeyId"),
        "log_group_class": aws.get("logGroupClass") or DEFAULT_LOG_GROUP_CLASS,
        "stored_bytes": aws.get("storedBytes") or 0,
        "tags": dict(tags) if tags is not None else None,
    }


def current_role(role: Mapping[str, Any] | None, role_policy: Any) -> dict[str, Any] | None:
    if not role:
        return None
    return {
        "name": role["RoleName"],
        "arn": role["Arn"],
        "trust_policy": load_policy(role.get("AssumeRolePolicyDocument")),
        "policy": load_policy(role_policy),
    }


# --- compare -----------------------------------------------------------------


def is_retention_decrease(current: int | None, desired: int | None) -> bool:
    """True when desired keeps events for less time than current (None = never expire)."""
    if desired is None:
        return False
    return current is None or desired < current


def lowers_retention(desired: Mapping[str, Any], current: Mapping[str, Any] | None) -> bool:
    """True when the task would lower the retention of an existing group."""
    return current is not None and "retention_days" in desired and is_retention_decrease(current["retention_days"], desired["retention_days"])


def needs_stream_check(desired: Mapping[str, Any], current: Mapping[str, Any] | None, allow_retention_decrease: bool) -> bool:
    """True when only the group's log streams decide whether lowering its retention is guarded.

    A group that holds no log stream holds no event to lose: a converge stopped right after
    CreateLogGroup leaves a group that never expires, and later runs must be able to set its
    retention without allow_retention_decrease. The one extra read is made only then.
    """
    return not allow_retention_decrease and lowers_retention(desired, current)


def _days(value: int | None) -> str:
    return "never expire" if value is None else f"{value} days"


def _retention_guard(current: Mapping[str, Any], after: int | None, allow_retention_decrease: bool) -> Guard | None:
    """The guard of a retention change: lowering it deletes old events, unless allowed or the group holds no stream."""
    before = current["retention_days"]
    if allow_retention_decrease or not is_retention_decrease(before, after):
        return None
    if "newest_stream" in current and current["newest_stream"] is None:
        return None
    return Guard(
        "retention_days",
        f"lowering the retention of {current['name']} from {_days(before)} to {_days(after)} deletes the log events "
        "older than that; set allow_retention_decrease=true to do it",
        {"retention_before": before, "retention_after": after},
    )


def compare_group(desired: Mapping[str, Any], current: Mapping[str, Any] | None, allow_retention_decrease: bool) -> list[Change]:
    """Changes to the group itself; a guarded change carries its Guard, an impossible one raises.

    current["newest_stream"], when present, is the group's newest log stream (None: it holds none).
    """
    if current is None:
        after = predicted_group(desired, None, [])
        changes = [Change("log_group", None, after, "create", {"log_group_class": desired.get("log_group_class")})]
        if desired.get("retention_days") is not None:
            changes.append(Change("retention_days", None, desired["retention_days"], "create"))
        return changes
    changes: list[Change] = []
    wanted_class = desired.get("log_group_class")
    if wanted_class and wanted_class != current["log_group_class"]:
        raise CloudAuditError(
            f"the group {current['name']} is {current['log_group_class']}; a log group class is set at creation only "
            f"and cannot become {wanted_class} (delete and recreate the group to change it)",
            "log_group_class",
        )
    if "retention_days" in desired and desired["retention_days"] != current["retention_days"]:
        before, after = current["retention_days"], desired["retention_days"]
        guard = _retention_guard(current, after, allow_retention_decrease)
        changes.append(Change("retention_days", before, after, "delete" if after is None else "update", {"guard": guard} if guard else {}))
    if "kms_key_id" in desired and desired["kms_key_id"] != current["kms_key_id"]:
        action = "delete" if desired["kms_key_id"] is None else "update"
        changes.append(Change("kms_key_id", current["kms_key_id"], desired["kms_key_id"], action))
    tags = tag_change(current.get("tags"), desired.get("tags"), desired.get("purge_tags", True))
    if tags:
        changes.append(tags)
    return changes


def compare_role(desired: Mapping[str, Any] | None, current: Mapping[str, Any] | None) -> list[Change]:
    """Changes to the delivery role: create it, or correct its trust and inline policy (as documents)."""
    if desired is None:
        return []
    if current is None:
        return [
            Change("role", None, {"name": desired["name"], "trust_policy": desired["trust_policy"]}, "create"),
            Change("role_policy", None, desired["policy"], "create"),
        ]
    changes = []
    if not policies_equal(current["trust_policy"], desired["trust_policy"]):
        changes.append(Change("role_trust_policy", current["trust_policy"], desired["trust_policy"]))
    if not policies_equal(current["policy"], desired["policy"]):
        changes.append(Change("role_policy", current["policy"], desired["policy"], "update" if current["policy"] else "create"))
    return changes


def compare_absent(group: Mapping[str, Any] | None, role: Mapping[str, Any] | None, delete_role: bool, force_delete_logs: bool) -> list[Change]:
    """Delete the group (guarded when it holds events) and, when named, the delivery role.

    group["newest_stream"] is the group's newest log stream (None: it holds none).
    """
    changes = []
    if group is not None:
        guard = delete_guard(group, group.get("newest_stream"), force_delete_logs)
        changes.append(Change("log_group", public_group(group), None, "delete", {"guard": guard} if guard else {}))
    if delete_role and role is not None:
        if role.get("policy"):
            changes.append(Change("role_policy", role["policy"], None, "delete"))
        changes.append(Change("role", {"name": role["name"], "trust_policy": role["trust_policy"]}, None, "delete"))
    return changes


def delete_guard(group: Mapping[str, Any], newest_stream: Mapping[str, Any] | None, force: bool) -> Guard | None:
    """Deleting a group that holds log events needs force_delete_logs=true."""
    if force:
        return None
    holds = group.get("stored_bytes", 0) > 0 or newest_stream is not None
    if not holds:
        return None
    detail = f"{group.get('stored_bytes', 0)} stored bytes"
    if newest_stream is not None:
        detail += f", log streams such as {newest_stream.get('logStreamName')}"
        if newest_stream.get("lastEventTimestamp"):
            detail += f" (last event at {newest_stream['lastEventTimestamp']} ms since epoch)"
    return Guard(
        "force_delete_logs",
        f"log group {group['name']} holds log events ({detail}); deleting it destroys them: set force_delete_logs=true to do it",
    )


# --- predicted state ---------------------------------------------------------


def predicted_group(desired: Mapping[str, Any], current: Mapping[str, Any] | None, changes: list[Change], arn: str | None = None) -> dict[str, Any]:
    """The group after the changes: current, overlaid with every managed setting."""
    base = dict(current or {"name": desired["name"], "retention_days": None, "kms_key_id": None, "log_group_class": DEFAULT_LOG_GROUP_CLASS, "tags": {}})
    if arn:
        base["arn"] = arn
    for key in ("retention_days", "kms_key_id", "log_group_class"):
        if key in desired:
            base[key] = desired[key]
    for change in changes:
        if change.setting == "tags":
            base["tags"] = dict(change.after)
    if current is None and "tags" in desired:
        base["tags"] = dict(desired["tags"])
    return public_group(base)


def public_group(group: Mapping[str, Any]) -> dict[str, Any]:
    """The returned form of a group (no internal fields)."""
    return {k: group.get(k) for k in ("name", "arn", "retention_days", "kms_key_id", "log_group_class", "tags") if k in group}


def predicted_role(desired: Mapping[str, Any] | None, current: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if desired is None:
        return current
    return {"name": desired["name"], "arn": (current or desired)["arn"], "trust_policy": desired["trust_policy"], "policy": desired["policy"]}


def diff_view(group: Mapping[str, Any] | None, role: Mapping[str, Any] | None, desired: Mapping[str, Any], manage_role: bool) -> dict[str, Any]:
    """The managed settings only, for diff before/after."""
    view: dict[str, Any] = {}
    if group is not None:
        view["log_group"] = {k: group.get(k) for k in ["name"] + [k for k in ("retention_days", "kms_key_id", "log_group_class", "tags") if k in desired]}
    if manage_role and role is not None:
        view["role"] = {k: role.get(k) for k in ("name", "trust_policy", "policy")}
    return view
