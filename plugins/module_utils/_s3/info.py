# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_audit_bucket_info: read buckets (every setting, concurrently) and list findings. Read-only."""

from __future__ import annotations

from typing import Any

from .._aws import s3
from .._common.errors import CloudAuditError
from .._common.partition import partition_of
from .._common.validate import check_account_ids
from . import model
from . import policy as bucket_policy
from .bucket import READERS, Bucket, read_state

ALL_SETTINGS = list(READERS)


def findings(state: dict[str, Any], name: str, account_ids: list[str], key_prefix: str | None, partition: str = "aws") -> list[dict[str, str]]:
    """Pure: what an auditor would flag on this bucket, as [{'id', 'message'}]."""
    out: list[dict[str, str]] = []

    def add(finding_id: str, message: str) -> None:
        out.append({"id": finding_id, "message": message})

    pab = state.get("public_access_block") or {}
    if not all(pab.get(flag) for flag in model.PAB_FLAGS):
        off = [flag for flag in model.PAB_FLAGS if not pab.get(flag)]
        add("public_access_not_blocked", "public access is not fully blocked (" + ", ".join(off) + " off)")
    if not state.get("encryption"):
        add("no_encryption", "no default encryption")
    if state.get("versioning") != "Enabled":
        add("versioning_off", f"versioning is {state.get('versioning', 'Disabled')}")
    if not state.get("lifecycle_rules"):
        add("no_lifecycle", "no lifecycle rules (logs are never archived or expired)")
    if not state.get("access_logging"):
        add("no_access_logging", "server access logging is off (CIS 3.4)")
    if state.get("object_ownership") != "BucketOwnerEnforced":
        add("acls_enabled", f"object ownership is {state.get('object_ownership')} (ACLs enabled)")
    if state.get("requester_pays"):
        add("requester_pays", "Requester Pays is on: CloudTrail cannot deliver logs")
    for account_id in account_ids:
        if not bucket_policy.allows_cloudtrail(state.get("policy"), name, account_id, key_prefix, partition):
            add("cloudtrail_not_allowed", f"the bucket policy does not let CloudTrail deliver logs of account {account_id}")
    return out


def describe(client: Any, name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    bucket = Bucket(client, name, params.get("expected_owner"))
    state = read_state(bucket, ALL_SETTINGS)
    if state is None:
        return None
    extra = _extra(bucket)
    state.update(model.normalise(extra))
    partition = partition_of(state.get("region"))
    state.update(name=name, arn=bucket_policy.bucket_arn(name, partition))
    state["findings"] = findings(state, name, params.get("cloudtrail_account_ids") or [], params.get("cloudtrail_key_prefix"), partition)
    return state


def _extra(bucket: Bucket) -> dict[str, Any]:
    try:
        return {"requester_pays": bucket.call(s3.get_bucket_request_payment), "region": bucket.call(s3.get_bucket_location)}
    except s3.BucketNotFound:
        return {}


def list_info(module: Any) -> dict[str, Any]:
    params = module.params
    if params.get("name"):
        model.check_bucket_name(params["name"])
    if params.get("expected_owner"):
        check_account_ids([params["expected_owner"]], "expected_owner")
    check_account_ids(params.get("cloudtrail_account_ids") or [], "cloudtrail_account_ids")
    if not params.get("name") and params.get("name_prefix") is None:
        raise CloudAuditError("one of name and name_prefix is required", "name")
    client = module.client("s3")
    prefix = params.get("name_prefix")
    names = [params["name"]] if params.get("name") else [n for n in s3.list_buckets(client, prefix) if not prefix or n.startswith(prefix)]
    buckets = [b for b in (describe(client, n, params) for n in names) if b is not None]
    return {"changed": False, "buckets": buckets}
