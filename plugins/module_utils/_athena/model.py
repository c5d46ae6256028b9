# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure model of cloudtrail_athena: validation, the desired state, AWS answers normalised, compare.

No boto3 here. A state is flat, one key per managed setting (the setting names of the changes), so the
predicted state after a run is the current one with each change's after put in:

    database, table, workgroup, workgroup_tags,
    results_bucket, results_bucket_ownership, results_bucket_public_access_block, results_bucket_encryption,
    results_bucket_tls_only, results_bucket_expiry, results_bucket_tags

A setting the task does not manage (the results bucket with manage_results_bucket=false, tags unset) is
absent from the desired state, so it is neither read nor compared.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Mapping

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.tags import tag_change
from .._common.validate import check_account_ids, check_arn, check_arn_location, check_bucket_name, check_org_id, check_regions

GIB = 1024**3
MIN_CUTOFF = 10_000_000  # Athena's minimum BytesScannedCutoffPerQuery (10 MB)
MAX_PREFIX = 200
_NAME = re.compile(r"^[a-z0-9_]{1,255}$")
_WORK_GROUP = re.compile(r"^[a-zA-Z0-9._-]{1,128}$")
_KEY_ID = re.compile(r"^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
_DAY = re.compile(r"^\d{4}/\d{2}/\d{2}$")
EXPIRY_RULE_ID = "cloudaudit-athena-results-expiry"
TLS_SID = "DenyInsecureTransport"
PRIMARY_WORK_GROUP = "primary"
BUCKET_SETTINGS = (
    "results_bucket",
    "results_bucket_ownership",
    "results_bucket_public_access_block",
    "results_bucket_encryption",
    "results_bucket_tls_only",
    "results_bucket_expiry",
    "results_bucket_tags",
)
# The order changes are applied in: the results bucket (and what protects it) before the workgroup that writes to it.
ORDER = BUCKET_SETTINGS + ("database", "table", "workgroup", "workgroup_tags")
PAB_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


# Validation ---------------------------------------------------------------


def validate(params: Mapping[str, Any], region: str | None) -> None:
    """The whole input, before any AWS call; each failure names its option."""
    _check_name(params.get("database"), "database")
    _check_name(params.get("table"), "table")
    work_group = params.get("workgroup") or {}
    if not _WORK_GROUP.fullmatch(str(work_group.get("name") or "")):
        raise CloudAuditError(f"'{work_group.get('name')}' is not a workgroup name (1-128 of letters, digits, '.', '_', '-')", "workgroup.name")
    if work_group.get("results_bucket") is not None:
        check_bucket_name(work_group["results_bucket"], "workgroup.results_bucket")
    if params.get("state") == "absent":
        if work_group.get("name") == PRIMARY_WORK_GROUP:
            raise CloudAuditError("Athena's primary workgroup cannot be deleted; name the workgroup the module created", "workgroup.name")
        return
    if not params.get("bucket"):
        raise CloudAuditError("is required with state=present (the audit bucket the table reads)", "bucket")
    check_bucket_name(params["bucket"], "bucket")
    _check_key_prefix(params.get("s3_key_prefix"), "s3_key_prefix")
    check_org_id(params.get("organization_id"), "organization_id")
    if params.get("accounts") is not None:
        if not params["accounts"]:
            raise CloudAuditError("must list at least one account id (or be left unset)", "accounts")
        check_account_ids(params["accounts"], "accounts")
    if params.get("accounts") is not None and params.get("accounts_from_organization"):
        raise CloudAuditError("cannot be used together with accounts_from_organization=true", "accounts")
    if params.get("regions") is not None:
        if not params["regions"]:
            raise CloudAuditError("must list at least one region (or be left unset)", "regions")
        check_regions(params["regions"], "regions")
    check_projection_start(params.get("projection_start"), "projection_start")
    _validate_work_group(work_group, region)


def _check_name(value: Any, option: str) -> None:
    if not _NAME.fullmatch(str(value or "")):
        raise CloudAuditError(f"'{value}' is not a name Athena can query (1-255 of lowercase letters, digits and '_')", option)


def _check_key_prefix(value: str | None, option: str) -> None:
    if value is None:
        return
    if not value or value.startswith("/") or value.endswith("/") or "//" in value:
        raise CloudAuditError(f"'{value}' is not a key prefix (no leading, trailing or double '/'; leave it unset for none)", option)
    if len(value) > MAX_PREFIX:
        raise CloudAuditError(f"has {len(value)} characters; CloudTrail allows at most {MAX_PREFIX}", option)


def check_projection_start(value: str | None, option: str, today: date | None = None) -> None:
    """A yyyy/MM/dd date that exists and is not in the future."""
    if value is None:
        return
    try:
        day = datetime.strptime(str(value), "%Y/%m/%d").date() if _DAY.fullmatch(str(value)) else None
    except ValueError:
        day = None
    if day is None:
        raise CloudAuditError(f"'{value}' is not a date in the format yyyy/MM/dd (e.g. 2024/01/31)", option)
    if day > (today or datetime.now(timezone.utc).date()):
        raise CloudAuditError(f"'{value}' is in the future; the table's days run from it to today", option)


def _validate_work_group(work_group: Mapping[str, Any], region: str | None) -> None:
    cutoff = work_group.get("bytes_scanned_cutoff")
    if cutoff is not None and cutoff < MIN_CUTOFF:
        raise CloudAuditError(f"{cutoff} bytes is below Athena's minimum of {MIN_CUTOFF} (10 MB)", "workgroup.bytes_scanned_cutoff")
    if work_group.get("results_prefix"):
        _check_key_prefix(work_group["results_prefix"], "workgroup.results_prefix")
    days = work_group.get("results_expire_days")
    if days is not None and days < 1:
        raise CloudAuditError(f"{days} is not a number of days (at least 1)", "workgroup.results_expire_days")
    key = work_group.get("results_kms_key_id")
    if key is not None:
        option = "workgroup.results_kms_key_id"
        if key.startswith("arn:"):
            check_arn(key, option, service="kms", resource_prefix="key/")
            check_arn_location(key, option, region, same_region=True, what="KMS key")
        elif not _KEY_ID.fullmatch(key):
            raise CloudAuditError(f"'{key}' is not a KMS key ARN or key id (Athena takes no alias)", option)


# Desired ------------------------------------------------------------------


def default_projection_start(today: date | None = None) -> str:
    """January 1st of last year: at least a year of logs, and a fixed value (a moving one would change the table every day)."""
    today = today or datetime.now(timezone.utc).date()
    return f"{today.year - 1}/01/01"


def default_results_bucket(account_id: str, region: str) -> str:
    return f"cloudaudit-athena-results-{account_id}-{region}"


def output_location(results_bucket: str, results_prefix: str | None) -> str:
    return f"s3://{results_bucket}/{results_prefix}/" if results_prefix else f"s3://{results_bucket}/"


def encryption_configuration(kms_key: str | None) -> dict[str, str]:
    return {"EncryptionOption": "SSE_KMS", "KmsKey": kms_key} if kms_key else {"EncryptionOption": "SSE_S3"}


def work_group_desired(work_group: Mapping[str, Any], results_bucket: str) -> dict[str, Any]:
    """The managed workgroup settings, in the shape normalise_work_group() gives."""
    return {
        "Name": work_group["name"],
        "State": "ENABLED",
        "OutputLocation": output_location(results_bucket, work_group.get("results_prefix")),
        "EncryptionConfiguration": encryption_configuration(work_group.get("results_kms_key_id")),
        "EnforceWorkGroupConfiguration": bool(work_group.get("enforce")),
        "BytesScannedCutoffPerQuery": int(work_group["bytes_scanned_cutoff"]),
        "PublishCloudWatchMetricsEnabled": bool(work_group.get("publish_cloudwatch_metrics")),
    }


def results_bucket_desired(work_group: Mapping[str, Any]) -> dict[str, Any]:
    kms_key = work_group.get("results_kms_key_id")
    prefix = work_group.get("results_prefix")
    return {
        "results_bucket_ownership": "BucketOwnerEnforced",
        "results_bucket_public_access_block": dict(PAB_ON),
        "results_bucket_encryption": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key} if kms_key else {"SSEAlgorithm": "AES256"},
        "results_bucket_tls_only": True,
        "results_bucket_expiry": {"days": int(work_group["results_expire_days"]), "prefix": f"{prefix}/" if prefix else ""},
    }


# AWS answers -> state -------------------------------------------------------


def normalise_work_group(aws: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if aws is None:
        return None
    config = aws.get("Configuration") or {}
    result = config.get("ResultConfiguration") or {}
    encryption = result.get("EncryptionConfiguration")
    return {
        "Name": aws.get("Name"),
        "State": aws.get("State"),
        "OutputLocation": result.get("OutputLocation"),
        "EncryptionConfiguration": {k: v for k, v in encryption.items() if k in ("EncryptionOption", "KmsKey")} if encryption else None,
        "EnforceWorkGroupConfiguration": config.get("EnforceWorkGroupConfiguration"),
        "BytesScannedCutoffPerQuery": config.get("BytesScannedCutoffPerQuery"),
        "PublishCloudWatchMetricsEnabled": config.get("PublishCloudWatchMetricsEnabled"),
    }


def normalise_encryption(aws: Mapping[str, Any] | None) -> dict[str, Any] | None:
    rules = (aws or {}).get("Rules") or []
    default = (rules[0].get("ApplyServerSideEncryptionByDefault") or {}) if rules else {}
    if not default:
        return None
    return {k: v for k, v in default.items() if k in ("SSEAlgorithm", "KMSMasterKeyID") and v}


def tls_statement(bucket: str, partition: str) -> dict[str, Any]:
    from .._common.policy import deny_insecure_transport  # as below: the policy helpers load amazon.aws's comparer

    return deny_insecure_transport(bucket, partition, TLS_SID)


def has_tls_statement(policy: Mapping[str, Any] | None, bucket: str, partition: str) -> bool:
    from .._common.policy import policies_equal, statements_by_sid

    found = statements_by_sid(policy).get(TLS_SID)
    return found is not None and policies_equal({"Statement": [found]}, {"Statement": [tls_statement(bucket, partition)]})


def policy_with_tls(policy: Mapping[str, Any] | None, bucket: str, partition: str) -> dict[str, Any]:
    """The bucket policy with our TLS-only statement put in (other statements kept)."""
    document = dict(policy or {"Version": "2012-10-17"})
    statements = document.get("Statement") or []
    statements = [statements] if isinstance(statements, dict) else list(statements)
    document["Statement"] = [s for s in statements if s.get("Sid") != TLS_SID] + [tls_statement(bucket, partition)]
    document.setdefault("Version", "2012-10-17")
    return document


def expiry_of(lifecycle: Mapping[str, Any] | None) -> dict[str, Any] | None:
    for rule in (lifecycle or {}).get("Rules") or []:
        if rule.get("ID") == EXPIRY_RULE_ID and rule.get("Status") == "Enabled":
            prefix = (rule.get("Filter") or {}).get("Prefix", rule.get("Prefix", ""))
            return {"days": (rule.get("Expiration") or {}).get("Days"), "prefix": prefix or ""}
    return None


def lifecycle_rules_with_expiry(lifecycle: Mapping[str, Any] | None, expiry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The bucket's lifecycle rules with our expiry rule put in (a configuration is written whole)."""
    rules = [r for r in (lifecycle or {}).get("Rules") or [] if r.get("ID") != EXPIRY_RULE_ID]
    return rules + [
        {
            "ID": EXPIRY_RULE_ID,
            "Status": "Enabled",
            "Filter": {"Prefix": expiry["prefix"]},
            "Expiration": {"Days": expiry["days"]},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        }
    ]


# Compare ------------------------------------------------------------------


def _simple(setting: str, desired: Mapping[str, Any], current: Mapping[str, Any], exists: bool) -> Change | None:
    if setting not in desired or (exists and current.get(setting) == desired[setting]):
        return None
    before = current.get(setting) if exists else None
    return Change(setting, before, desired[setting], "create" if before is None else "update")


def compare_present(desired: Mapping[str, Any], current: Mapping[str, Any], purge_tags: bool) -> list[Change]:
    """The ordered changes from current to desired (both flat states; a missing resource is None)."""
    changes: list[Change] = []
    bucket_exists = "results_bucket" in desired and current.get("results_bucket") is not None
    if "results_bucket" in desired and not bucket_exists:
        changes.append(Change("results_bucket", None, desired["results_bucket"], "create"))
    for setting in BUCKET_SETTINGS[1:-1]:
        change = _simple(setting, desired, current, bucket_exists)
        if change:
            changes.append(change)
    if "results_bucket_tags" in desired:
        change = tag_change(current.get("results_bucket_tags") if bucket_exists else {}, desired["results_bucket_tags"], purge_tags)
        if change:
            changes.append(Change("results_bucket_tags", change.before, change.after, "update", change.details))
    if current.get("database") is None:
        changes.append(Change("database", None, desired["database"], "create"))
    if current.get("table") != desired["table"]:
        changes.append(Change("table", current.get("table"), desired["table"], "create" if current.get("table") is None else "update"))
    work_group = current.get("workgroup")
    if work_group != desired["workgroup"]:
        changes.append(Change("workgroup", work_group, desired["workgroup"], "create" if work_group is None else "update"))
    if "workgroup_tags" in desired:
        change = tag_change(current.get("workgroup_tags") if work_group is not None else {}, desired["workgroup_tags"], purge_tags)
        if change:
            changes.append(Change("workgroup_tags", change.before, change.after, "update", change.details))
    return sorted(changes, key=lambda c: ORDER.index(c.setting))


def compare_absent(current: Mapping[str, Any], delete_results_bucket: bool) -> list[Change]:
    changes = []
    if current.get("workgroup") is not None:
        changes.append(Change("workgroup", current["workgroup"], None, "delete"))
    if current.get("table") is not None:
        changes.append(Change("table", current["table"], None, "delete"))
    if delete_results_bucket and current.get("results_bucket") is not None:
        changes.append(Change("results_bucket", current["results_bucket"], None, "delete"))
    return changes


def configuration_updates(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """UpdateWorkGroup's ConfigurationUpdates for the members that differ (State goes apart)."""
    updates: dict[str, Any] = {}
    for member in ("EnforceWorkGroupConfiguration", "BytesScannedCutoffPerQuery", "PublishCloudWatchMetricsEnabled"):
        if before.get(member) != after[member]:
            updates[member] = after[member]
    result: dict[str, Any] = {}
    if before.get("OutputLocation") != after["OutputLocation"]:
        result["OutputLocation"] = after["OutputLocation"]
    if before.get("EncryptionConfiguration") != after["EncryptionConfiguration"]:
        result["EncryptionConfiguration"] = dict(after["EncryptionConfiguration"])
    if result:
        updates["ResultConfigurationUpdates"] = result
    return updates


def work_group_configuration(desired: Mapping[str, Any]) -> dict[str, Any]:
    """CreateWorkGroup's Configuration."""
    return {
        "ResultConfiguration": {"OutputLocation": desired["OutputLocation"], "EncryptionConfiguration": dict(desired["EncryptionConfiguration"])},
        "EnforceWorkGroupConfiguration": desired["EnforceWorkGroupConfiguration"],
        "BytesScannedCutoffPerQuery": desired["BytesScannedCutoffPerQuery"],
        "PublishCloudWatchMetricsEnabled": desired["PublishCloudWatchMetricsEnabled"],
    }


def after(current: Mapping[str, Any], changes: list[Change]) -> dict[str, Any]:
    state = dict(current)
    for change in changes:
        state[change.setting] = change.after
        if change.setting == "results_bucket" and change.after is None:
            for setting in BUCKET_SETTINGS:
                state.pop(setting, None)
    return state
