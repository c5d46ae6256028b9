# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The audit bucket as plain data (no boto3).

validate(params) fails naming the option before any AWS call; desired(params)
is what the task manages; normalise(raw) turns S3 answers into the same
snake_case shape; compare(desired, current) lists the changes, and after()
predicts the state once they are applied. Settings a task does not manage are
absent from desired, so they are neither read nor compared.
"""

from __future__ import annotations

import copy
from typing import Any

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.partition import partition_of
from .._common.pipeline import Guard
from .._common.policy import policies_equal
from .._common.tags import tag_change
from .._common.validate import check_account_ids, check_arn, check_arn_location, check_bucket_name, check_org_id, check_range
from . import lifecycle
from . import policy as bucket_policy

# The order in which changes are applied (bucket first, then what protects it, then the rest).
SETTINGS = (
    "bucket",
    "object_ownership",
    "public_access_block",
    "versioning",
    "object_lock",
    "encryption",
    "policy",
    "access_logging",
    "lifecycle_rules",
    "transition_default_minimum_object_size",
    "tags",
)
SIZE = "transition_default_minimum_object_size"
SIZE_DEFAULT = "all_storage_classes_128K"  # what S3 applies when a configuration does not say
PAB_FLAGS = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")
PAB_AWS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}
OWNERSHIP_CHOICES = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")
LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")


# Validation ---------------------------------------------------------------


def validate(params: dict[str, Any], region: str | None = None) -> None:
    """Every check that needs no AWS call; raises CloudAuditError naming the option (region: of the connection)."""
    check_bucket_name(params["name"])
    if params.get("expected_owner"):
        check_account_ids([params["expected_owner"]], "expected_owner")
    if params.get("state", "present") == "absent":
        return
    _validate_cloudtrail_access(params.get("cloudtrail_access"), region)
    bucket_policy.validate_statements(
        params.get("policy_statements") or [],
        bucket=params["name"],
        partition=partition_of(region),
        public_access_block=bool(params.get("public_access_block")),
    )
    _validate_encryption(params, region)
    _validate_logging(params.get("access_logging"), params["name"])
    _validate_object_lock(params)
    rules = desired_rules(params)
    if rules is not None:
        lifecycle.validate_rules([r for r in rules if r["id"] != lifecycle.RETENTION_RULE_ID])
        retention = [r for r in rules if r["id"] == lifecycle.RETENTION_RULE_ID]
        if retention:
            lifecycle.validate_rules(retention, "retention")
        if len(rules) > lifecycle.MAX_RULES:
            raise CloudAuditError(f"{len(rules)} rules given; a lifecycle configuration holds at most {lifecycle.MAX_RULES}", "lifecycle_rules")


def _validate_cloudtrail_access(access: dict[str, Any] | None, region: str | None) -> None:
    if access is None or access.get("state") == "absent":
        return
    option = "cloudtrail_access"
    check_account_ids(access.get("account_ids") or [], f"{option}.account_ids")
    check_org_id(access.get("organization_id"), f"{option}.organization_id")
    for arn in access.get("trail_arns") or []:
        check_arn(arn, f"{option}.trail_arns", service="cloudtrail", resource_prefix="trail/")
        check_arn_location(arn, f"{option}.trail_arns", region, what="trail")
    prefix = access.get("key_prefix") or ""
    if len(prefix) > 200:
        raise CloudAuditError("must be at most 200 characters", f"{option}.key_prefix")
    if prefix.startswith("/") or prefix.endswith("/") or "//" in prefix:
        raise CloudAuditError(f"'{prefix}' must not start or end with '/' (CloudTrail adds /AWSLogs/)", f"{option}.key_prefix")


def _validate_encryption(params: dict[str, Any], region: str | None) -> None:
    key = params.get("kms_key_id")
    if key and params.get("encryption") == "AES256":
        raise CloudAuditError("kms_key_id needs encryption aws:kms (or leave encryption unset)", "kms_key_id")
    if key and key.startswith("arn:"):
        check_arn(key, "kms_key_id", service="kms")
        # S3 encrypts with a key of the bucket's region only.
        check_arn_location(key, "kms_key_id", region, same_region=True, what="KMS key")


def _validate_logging(logging: dict[str, Any] | None, bucket: str) -> None:
    if not logging or not logging.get("target_bucket"):
        if logging and any(logging.get(k) for k in ("target_prefix", "key_format", "partition_date_source")):
            raise CloudAuditError("target_bucket is required to enable access logging (omit every key to disable it)", "access_logging")
        return
    check_bucket_name(logging["target_bucket"], "access_logging.target_bucket")
    if logging["target_bucket"] == bucket:
        raise CloudAuditError("must be another bucket (a bucket logging to itself logs its own log deliveries)", "access_logging.target_bucket")
    if logging.get("partition_date_source") and logging.get("key_format") != "partitioned":
        raise CloudAuditError("partition_date_source needs key_format partitioned", "access_logging")


def _validate_object_lock(params: dict[str, Any]) -> None:
    lock = params.get("object_lock")
    if lock is None:
        return
    option = "object_lock"
    if lock.get("days") is not None and lock.get("years") is not None:
        raise CloudAuditError("days and years are mutually exclusive", option)
    has_period = lock.get("days") is not None or lock.get("years") is not None
    if bool(lock.get("mode")) != has_period:
        raise CloudAuditError("a default retention needs mode together with days or years", option)
    check_range(lock.get("days"), f"{option}.days", 1, 36500)
    check_range(lock.get("years"), f"{option}.years", 1, 100)
    if lock.get("enabled") is False and has_period:
        raise CloudAuditError("a default retention needs enabled true", option)
    if lock.get("enabled", True) and params.get("versioning") is False:
        raise CloudAuditError("object lock needs versioning enabled", "versioning")


# Desired ------------------------------------------------------------------


def desired_rules(params: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The lifecycle rules the task names (with the retention preset), or None when unmanaged."""
    rules = params.get("lifecycle_rules")
    retention = params.get("retention")
    if rules is None and retention is None:
        return None
    out = [lifecycle.normalise_rule(r) for r in rules or []]
    if retention is not None:
        if any(r["id"] == lifecycle.RETENTION_RULE_ID for r in out):
            raise CloudAuditError(f"rule id {lifecycle.RETENTION_RULE_ID} is reserved for the retention option", "lifecycle_rules")
        out.append(lifecycle.retention_rule(retention))
    return out


def encryption_desired(params: dict[str, Any]) -> dict[str, Any]:
    algorithm = params.get("encryption") or ("aws:kms" if params.get("kms_key_id") else "AES256")
    if algorithm == "AES256":
        return {"sse_algorithm": "AES256", "kms_key_id": None, "bucket_key_enabled": None}
    return {"sse_algorithm": "aws:kms", "kms_key_id": params.get("kms_key_id"), "bucket_key_enabled": params.get("bucket_key_enabled", True) is not False}


def logging_desired(logging: dict[str, Any]) -> dict[str, Any] | None:
    if not logging.get("target_bucket"):
        return None
    key_format = logging.get("key_format") or "simple"
    return {
        "target_bucket": logging["target_bucket"],
        "target_prefix": logging.get("target_prefix") or "",
        "key_format": key_format,
        "partition_date_source": (logging.get("partition_date_source") or "EventTime") if key_format == "partitioned" else None,
    }


def object_lock_desired(lock: dict[str, Any]) -> dict[str, Any]:
    enabled = lock.get("enabled", True) is not False
    return {"enabled": enabled, "mode": lock.get("mode") if enabled else None, "days": lock.get("days"), "years": lock.get("years")}


def desired(params: dict[str, Any], region: str, account_ids: list[str] | None = None) -> dict[str, Any]:
    """The managed settings of the task. account_ids: the default CloudTrail writers (caller's account)."""
    name = params["name"]
    partition = partition_of(region)
    out: dict[str, Any] = {"name": name, "region": region, "partition": partition}
    access = copy.deepcopy(params.get("cloudtrail_access"))
    cloudtrail = cloudtrail_access_mode(params)
    if cloudtrail != "manage":
        access = None
    elif not access.get("account_ids") and not access.get("organization_id"):
        access["account_ids"] = list(account_ids or [])
    deny_insecure = params.get("deny_insecure_transport", True) is not False
    out["policy"] = {
        "generated": bucket_policy.generated_statements(name, access, deny_insecure, partition),
        "statements": params.get("policy_statements"),
        "purge": bool(params.get("purge_policy_statements")),
        "cloudtrail": cloudtrail,
        # The accounts already granted stay unless purge_account_ids: a run that sees only some accounts
        # (--limit, an AWX job slice) must never take the others' delivery away.
        "access": access,
        "deny_insecure": deny_insecure,
        "purge_account_ids": bool((access or {}).get("purge_account_ids")),
    }
    if params.get("public_access_block", True) is not False:
        out["public_access_block"] = {flag: True for flag in PAB_FLAGS}
    if params.get("object_ownership"):
        out["object_ownership"] = params["object_ownership"]
    if params.get("versioning") is not None:
        out["versioning"] = "Enabled" if params["versioning"] else "Suspended"
    out["encryption"] = encryption_desired(params)
    if params.get("access_logging") is not None:
        out["access_logging"] = logging_desired(params["access_logging"])
    rules = desired_rules(params)
    if rules is not None:
        out["lifecycle_rules"] = {"rules": rules, "purge": bool(params.get("purge_lifecycle_rules"))}
    if params.get("object_lock") is not None:
        out["object_lock"] = object_lock_desired(params["object_lock"])
    if params.get(SIZE):
        out[SIZE] = params[SIZE]
    if params.get("tags") is not None:
        out["tags"] = {"tags": params["tags"], "purge": params.get("purge_tags", True) is not False}
    return out


def cloudtrail_access_mode(params: dict[str, Any]) -> str:
    """keep (cloudtrail_access unset: CloudTrail's statements stay as they are), manage, or remove (state absent)."""
    access = params.get("cloudtrail_access")
    if access is None:
        return "keep"
    return "remove" if access.get("state") == "absent" else "manage"


def needs_account_id(params: dict[str, Any]) -> bool:
    access = params.get("cloudtrail_access")
    return cloudtrail_access_mode(params) == "manage" and not access.get("account_ids") and not access.get("organization_id")


# Normalise ----------------------------------------------------------------


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """S3 answers (only those read) -> the snake_case state."""
    out: dict[str, Any] = {}
    converters = {
        "policy": lambda v: v,
        "public_access_block": _pab_from_aws,
        "object_ownership": _ownership_from_aws,
        "versioning": lambda v: (v or {}).get("Status") or "Disabled",
        "mfa_delete": lambda v: (v or {}).get("MFADelete") == "Enabled",
        "encryption": _encryption_from_aws,
        "access_logging": _logging_from_aws,
        "lifecycle_rules": lambda v: [lifecycle.from_aws(r) for r in (v or {}).get("Rules") or []],
        "object_lock": _lock_from_aws,
        "tags": lambda v: dict(v or {}),
        "requester_pays": lambda v: v == "Requester",
        "region": lambda v: v,
    }
    for key, value in raw.items():
        if key in converters:
            out[key] = converters[key](value)
    if "versioning" in raw:
        out["mfa_delete"] = converters["mfa_delete"](raw["versioning"])
    if "lifecycle_rules" in raw:
        out[SIZE] = (raw["lifecycle_rules"] or {}).get("TransitionDefaultMinimumObjectSize") or (SIZE_DEFAULT if raw["lifecycle_rules"] else None)
    return out


def _pab_from_aws(value: dict[str, Any] | None) -> dict[str, bool]:
    return {flag: bool((value or {}).get(PAB_AWS[flag])) for flag in PAB_FLAGS}


def _ownership_from_aws(value: dict[str, Any] | None) -> str | None:
    rules = (value or {}).get("Rules") or []
    return rules[0].get("ObjectOwnership") if rules else None


def _encryption_from_aws(value: dict[str, Any] | None) -> dict[str, Any] | None:
    rules = (value or {}).get("Rules") or []
    if not rules:
        return None
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    algorithm = default.get("SSEAlgorithm")
    return {
        "sse_algorithm": algorithm,
        "kms_key_id": default.get("KMSMasterKeyID"),
        "bucket_key_enabled": bool(rules[0].get("BucketKeyEnabled")),
    }


def _logging_from_aws(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if not value or not value.get("TargetBucket"):
        return None
    partitioned = (value.get("TargetObjectKeyFormat") or {}).get("PartitionedPrefix")
    return {
        "target_bucket": value["TargetBucket"],
        "target_prefix": value.get("TargetPrefix") or "",
        "key_format": "partitioned" if partitioned is not None else "simple",
        "partition_date_source": (partitioned or {}).get("PartitionDateSource") or "EventTime" if partitioned is not None else None,
    }


def _lock_from_aws(value: dict[str, Any] | None) -> dict[str, Any]:
    value = value or {}
    retention = (value.get("Rule") or {}).get("DefaultRetention") or {}
    return {
        "enabled": value.get("ObjectLockEnabled") == "Enabled",
        "mode": retention.get("Mode"),
        "days": retention.get("Days") or None,
        "years": retention.get("Years") or None,
    }


# To AWS -------------------------------------------------------------------


def pab_to_aws(pab: dict[str, bool]) -> dict[str, bool]:
    return {PAB_AWS[flag]: bool(pab[flag]) for flag in PAB_FLAGS}


def encryption_to_aws(encryption: dict[str, Any]) -> dict[str, Any]:
    default: dict[str, Any] = {"SSEAlgorithm": encryption["sse_algorithm"]}
    rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": default}
    if encryption["sse_algorithm"] == "aws:kms":
        if encryption.get("kms_key_id"):
            default["KMSMasterKeyID"] = encryption["kms_key_id"]
        rule["BucketKeyEnabled"] = bool(encryption.get("bucket_key_enabled"))
    return {"Rules": [rule]}


def logging_to_aws(logging: dict[str, Any] | None) -> dict[str, Any] | None:
    if not logging:
        return None
    out: dict[str, Any] = {"TargetBucket": logging["target_bucket"], "TargetPrefix": logging["target_prefix"]}
    if logging["key_format"] == "partitioned":
        out["TargetObjectKeyFormat"] = {"PartitionedPrefix": {"PartitionDateSource": logging["partition_date_source"]}}
    else:
        out["TargetObjectKeyFormat"] = {"SimplePrefix": {}}
    return out


def object_lock_to_aws(lock: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ObjectLockEnabled": "Enabled"}
    if lock.get("mode"):
        retention: dict[str, Any] = {"Mode": lock["mode"]}
        if lock.get("days"):
            retention["Days"] = lock["days"]
        else:
            retention["Years"] = lock["years"]
        out["Rule"] = {"DefaultRetention": retention}
    return out


# Compare ------------------------------------------------------------------


def new_bucket_state(desired_state: dict[str, Any]) -> dict[str, Any]:
    """What a bucket that does not exist yet is compared against: nothing set."""
    state: dict[str, Any] = {"policy": None, "encryption": None, "versioning": "Disabled", "public_access_block": None, "object_ownership": None}
    state.update({"access_logging": None, "lifecycle_rules": [], "object_lock": {"enabled": False, "mode": None, "days": None, "years": None}, "tags": {}})
    state[SIZE] = None
    return {k: v for k, v in state.items() if k in desired_state}


def lock_retention_days(lock: dict[str, Any] | None) -> int | None:
    if not lock or not lock.get("enabled") or not lock.get("mode"):
        return None
    return lock.get("days") or (lock.get("years") or 0) * 365 or None


def compare(desired_state: dict[str, Any], current: dict[str, Any] | None, params: dict[str, Any]) -> list[Change]:
    """The changes that make current (None: no bucket) match desired, in apply order.

    A change that destroys audit data without its option carries details["guard"]; a change
    that no option makes possible raises CloudAuditError.
    """
    exists = current is not None
    current = current if exists else new_bucket_state(desired_state)
    changes: list[Change] = []
    if not exists:
        lock = desired_state.get("object_lock") or {}
        changes.append(
            Change(
                "bucket",
                before=None,
                after=desired_state["name"],
                action="create",
                details={"object_lock": bool(lock.get("enabled")), "region": desired_state["region"]},
            )
        )
    for setting, compare_one in _COMPARERS:
        if setting in desired_state:
            change = compare_one(desired_state, current, exists, params)
            if change is not None:
                changes.append(change)
    _check_lock_vs_expiration(desired_state, current, changes)
    _one_lifecycle_write(current, changes)
    return changes


def _one_lifecycle_write(current: dict[str, Any], changes: list[Change]) -> None:
    """The rules and the minimum object size go to S3 in one configuration: the lifecycle write carries the size
    (the new one, else the current one, which a put without it would reset), a size change alone the current rules."""
    by_setting = {c.setting: c for c in changes}
    rules, size = by_setting.get("lifecycle_rules"), by_setting.get(SIZE)
    if rules is not None:
        rules.details["minimum_size"] = size.after if size is not None else current.get(SIZE)
    if size is not None:
        size.details["rules"] = None if rules is not None else current.get("lifecycle_rules")


def _simple(setting: str) -> Any:
    def compare_one(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
        want, have = desired_state[setting], current.get(setting)
        if want == have:
            return None
        return Change(setting, before=have, after=want, action="update" if have is not None else "create")

    return compare_one


def _versioning(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    want, have = desired_state["versioning"], current.get("versioning")
    if want == have or (want == "Suspended" and have == "Disabled"):
        return None
    return Change("versioning", before=have, after=want)


def _encryption(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    want, have = desired_state["encryption"], current.get("encryption")
    if have and want["sse_algorithm"] == have["sse_algorithm"]:
        if want["sse_algorithm"] == "AES256":
            return None
        if want["kms_key_id"] == have["kms_key_id"] and want["bucket_key_enabled"] == have["bucket_key_enabled"]:
            return None
    after = dict(want)
    if after["sse_algorithm"] == "AES256":
        after["bucket_key_enabled"] = False
    return Change("encryption", before=have, after=after, action="update" if have else "create")


def _policy(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    spec, have = desired_state["policy"], current.get("policy")
    generated, dropped = _cloudtrail_generated(desired_state, spec, have)
    want = bucket_policy.merge_policy(have, generated, spec["statements"], spec["purge"], keep_cloudtrail=spec["cloudtrail"] == "keep")
    if policies_equal(have, want):
        return None
    details: dict[str, Any] = {}
    removed = bucket_policy.removed_cloudtrail_statements(have, want)
    if spec["cloudtrail"] == "remove" and removed and not params.get("force_stop_delivery"):
        details["guard"] = Guard(
            "cloudtrail_access.state",
            f"removing the {len(removed)} statement(s) that let CloudTrail write into {desired_state['name']} stops the delivery of every trail "
            "logging to it; set force_stop_delivery=true to do it",
            {"removed_statements": [s.get("Sid") for s in removed]},
        )
    elif dropped and not params.get("force_stop_delivery"):
        details["guard"] = Guard(
            "cloudtrail_access.purge_account_ids",
            f"removing the account(s) or trail(s) {', '.join(dropped)} from the CloudTrail statements of {desired_state['name']} stops the delivery of "
            "their trails into it; set force_stop_delivery=true to do it",
            {"removed_account_ids": dropped},
        )
    action = "delete" if want is None else ("update" if have else "create")
    return Change("policy", before=have, after=want, action=action, details=details)


def _cloudtrail_generated(desired_state: dict[str, Any], spec: dict[str, Any], have: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[str]]:
    """The generated statements, widened by the accounts (and, with trail_arns, the trail ARNs of aws:SourceArn) the current
    policy grants (unless purge_account_ids), and the accounts and trail ARNs a purge takes away."""
    access = spec["access"]
    if spec["cloudtrail"] != "manage":
        return spec["generated"], []
    granted = set(bucket_policy.granted_account_ids(have))
    listed = set(access.get("account_ids") or [])
    # The aws:SourceArn condition is kept the same way: a run naming only some trails must not stop the others.
    granted_trails = set(bucket_policy.granted_trail_arns(have)) if access.get("trail_arns") else set()
    listed_trails = set(access.get("trail_arns") or [])
    if spec["purge_account_ids"]:
        return spec["generated"], sorted(granted - listed) + sorted(granted_trails - listed_trails)
    if granted <= listed and granted_trails <= listed_trails:
        return spec["generated"], []
    widened = {**access, "account_ids": sorted(listed | granted)}
    if listed_trails:
        widened["trail_arns"] = sorted(listed_trails | granted_trails)
    return bucket_policy.generated_statements(desired_state["name"], widened, spec["deny_insecure"], desired_state["partition"]), []


def _object_lock(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    want, have = desired_state["object_lock"], current.get("object_lock") or {"enabled": False}
    if not want["enabled"]:
        if have.get("enabled"):
            raise CloudAuditError("object lock cannot be disabled once enabled on a bucket", "object_lock.enabled")
        return None
    if want == have:
        return None
    if exists and not have.get("enabled") and current.get("versioning", "Enabled") != "Enabled" and desired_state.get("versioning") != "Enabled":
        raise CloudAuditError("enabling object lock on an existing bucket needs versioning enabled (set versioning: true)", "object_lock")
    return Change("object_lock", before=have, after=want, action="update" if have.get("enabled") else "create")


def _lifecycle(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    spec, have = desired_state["lifecycle_rules"], current.get("lifecycle_rules") or []
    merged = lifecycle.merge_rules(have, spec["rules"], spec["purge"])
    if len(merged) > lifecycle.MAX_RULES:
        raise CloudAuditError(
            f"the merged configuration would hold {len(merged)} rules (at most {lifecycle.MAX_RULES}); use purge_lifecycle_rules", "lifecycle_rules"
        )
    if merged == have:
        return None
    details: dict[str, Any] = {}
    decreases = lifecycle.retention_decreases(have, merged)
    if decreases and not params.get("allow_retention_decrease"):
        details["guard"] = Guard(
            "lifecycle_rules",
            "would shorten the retention of existing logs (" + "; ".join(decreases) + "); set allow_retention_decrease: true to accept",
            {"retention_decreases": decreases},
        )
    action = "delete" if not merged else ("update" if have else "create")
    return Change("lifecycle_rules", before=have, after=merged, action=action, details=details)


def _tags(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    spec = desired_state["tags"]
    return tag_change(current.get("tags") or {}, spec["tags"], spec["purge"])


def _minimum_size(desired_state: dict[str, Any], current: dict[str, Any], exists: bool, params: dict[str, Any]) -> Change | None:
    """TransitionDefaultMinimumObjectSize belongs to the lifecycle configuration: written with its rules."""
    want, have = desired_state[SIZE], current.get(SIZE)
    if want == have:
        return None
    rules = desired_state["lifecycle_rules"]["rules"] if "lifecycle_rules" in desired_state else current.get("lifecycle_rules")
    if not rules:
        raise CloudAuditError("is part of the lifecycle configuration, which needs at least one rule (retention or lifecycle_rules)", SIZE)
    return Change(SIZE, before=have, after=want, action="update" if have else "create")


_COMPARERS = (
    ("object_ownership", _simple("object_ownership")),
    ("public_access_block", _simple("public_access_block")),
    ("versioning", _versioning),
    ("object_lock", _object_lock),
    ("encryption", _encryption),
    ("policy", _policy),
    ("access_logging", _simple("access_logging")),
    ("lifecycle_rules", _lifecycle),
    (SIZE, _minimum_size),
    ("tags", _tags),
)


def _check_lock_vs_expiration(desired_state: dict[str, Any], current: dict[str, Any], changes: list[Change]) -> None:
    by_setting = {c.setting: c for c in changes}
    lock = by_setting["object_lock"].after if "object_lock" in by_setting else current.get("object_lock")
    if "lifecycle_rules" not in desired_state:
        return
    rules = by_setting["lifecycle_rules"].after if "lifecycle_rules" in by_setting else current.get("lifecycle_rules") or []
    named = {r["id"] for r in desired_state["lifecycle_rules"]["rules"]}
    conflicts = lifecycle.shorter_than_lock([r for r in rules if r["id"] in named], lock_retention_days(lock))
    if conflicts:
        raise CloudAuditError(
            "expiration shorter than the object lock default retention (" + "; ".join(conflicts) + ")", "lifecycle_rules", conflicts=conflicts
        )


def compare_absent(desired_state: dict[str, Any], current: dict[str, Any] | None, params: dict[str, Any]) -> list[Change]:
    """Deleting the bucket (current None: there is none); one holding object versions is guarded by force_delete_logs."""
    if current is None:
        return []
    versions = current["object_versions"]
    details: dict[str, Any] = {"object_versions": versions}
    if versions and not params.get("force_delete_logs"):
        details["guard"] = Guard(
            "force_delete_logs",
            f"bucket '{desired_state['name']}' holds {versions} object versions (audit logs); set force_delete_logs: true to delete them with the bucket",
            {"object_versions": versions},
        )
    return [Change("bucket", before=desired_state["name"], after=None, action="delete", details=details)]


# Predicted state ------------------------------------------------------------


def after(current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
    """current with every change applied: the state a run leaves (predicted in check mode)."""
    state = copy.deepcopy(current or {})
    for change in changes:
        if change.setting != "bucket":
            state[change.setting] = copy.deepcopy(change.after)
    if any(c.setting == "bucket" for c in changes) and "object_lock" in state and state["object_lock"].get("enabled"):
        state["versioning"] = "Enabled" if state.get("versioning") in (None, "Disabled") else state["versioning"]
    return state


def managed_view(state: dict[str, Any], desired_state: dict[str, Any]) -> dict[str, Any]:
    """Only the managed settings of state (for diff before/after)."""
    return {k: state.get(k) for k in SETTINGS if k in desired_state and k != "bucket"}
