# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_audit_bucket: validate -> read (managed settings only, concurrently) -> compare -> apply -> result."""

from __future__ import annotations

import functools
from typing import Any, Callable

from .._aws import s3
from .._common.account import caller_identity
from .._common.changes import Change, apply_changes, build_result
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from . import model
from . import policy as bucket_policy

# Which read serves which managed setting (a setting the task does not manage is not read).
READERS: dict[str, Callable[..., Any]] = {
    "policy": s3.get_bucket_policy,
    "public_access_block": s3.get_public_access_block,
    "object_ownership": s3.get_bucket_ownership_controls,
    "versioning": s3.get_bucket_versioning,
    "encryption": s3.get_bucket_encryption,
    "access_logging": s3.get_bucket_logging,
    "lifecycle_rules": s3.get_bucket_lifecycle_configuration,
    "object_lock": s3.get_object_lock_configuration,
    "tags": s3.get_bucket_tagging,
}


class Bucket:
    """The bucket a task works on: what every _aws.s3 wrapper takes (client, name, expected owner)."""

    def __init__(self, client: Any, name: str, expected_owner: str | None = None) -> None:
        self.client = client
        self.name = name
        self.expected_owner = expected_owner

    def call(self, wrapper: Callable[..., Any], *args: Any) -> Any:
        """wrapper(client, name, expected_owner, *args): one S3 call on this bucket."""
        return wrapper(self.client, self.name, self.expected_owner, *args)

    def create(self, region: str, object_lock: bool) -> None:
        """CreateBucket (which takes no expected owner)."""
        s3.create_bucket(self.client, self.name, region, object_lock)


def bucket_handle(module: Any) -> Bucket:
    return Bucket(module.client("s3"), module.params["name"], module.params.get("expected_owner"))


def read_state(bucket: Bucket, settings: list[str]) -> dict[str, Any] | None:
    """The normalised settings (None when the bucket does not exist), read concurrently."""
    reads = {s: functools.partial(bucket.call, READERS[s]) for s in settings if s in READERS}
    try:
        raw = read_concurrently(reads)
    except s3.BucketNotFound:
        return None
    except s3.NotExpectedOwner as e:
        raise CloudAuditError(f"bucket '{bucket.name}' is not owned by account {bucket.expected_owner} (or access is denied)", "expected_owner") from e
    return model.normalise(raw)


def ensure_present(module: Any) -> dict[str, Any]:
    params = module.params
    model.validate(params)
    region = module.region or "us-east-1"
    account_ids = [caller_identity(module)["account_id"]] if model.needs_account_id(params) else None
    desired = model.desired(params, region, account_ids)
    bucket = bucket_handle(module)
    current = read_state(bucket, [s for s in model.SETTINGS if s in desired])
    changes = model.compare(desired, current, params)
    if changes and current is not None:
        _refuse_requester_pays(bucket)
    apply_changes(changes, appliers(bucket, region), module.check_mode)
    state = model.after(current, changes)
    before = model.managed_view(current, desired) if current is not None else {}
    after = model.managed_view(state, desired)
    arn = bucket_policy.bucket_arn(params["name"], desired["partition"])
    returned = {"name": params["name"], "arn": arn, "region": region, **after}
    return build_result(changes, before, after, module._diff, bucket=returned)


def _refuse_requester_pays(bucket: Bucket) -> None:
    """Requester Pays buckets cannot receive CloudTrail logs: refuse before changing anything."""
    if bucket.call(s3.get_bucket_request_payment) == "Requester":
        raise CloudAuditError(f"bucket '{bucket.name}' is a Requester Pays bucket, which cannot receive CloudTrail logs; turn Requester Pays off first", "name")


def appliers(bucket: Bucket, region: str) -> dict[str, Callable[[Change], Any]]:
    def create(change: Change) -> None:
        try:
            bucket.create(region, change.details.get("object_lock", False))
        except s3.BucketNameTaken as e:
            raise CloudAuditError(f"bucket name '{bucket.name}' is taken by another account", "name") from e

    def policy(change: Change) -> None:
        bucket.call(s3.put_bucket_policy, change.after) if change.after else bucket.call(s3.delete_bucket_policy)

    def lifecycle_rules(change: Change) -> None:
        if change.after:
            bucket.call(s3.put_bucket_lifecycle_configuration, [model.lifecycle.to_aws(r) for r in change.after])
        else:
            bucket.call(s3.delete_bucket_lifecycle)

    def tags(change: Change) -> None:
        # PutBucketTagging replaces the whole set and refuses keys in the reserved aws: namespace.
        user_tags = {k: v for k, v in change.after.items() if not k.startswith("aws:")}
        bucket.call(s3.put_bucket_tagging, user_tags) if user_tags else bucket.call(s3.delete_bucket_tagging)

    return {
        "bucket": create,
        "object_ownership": lambda c: bucket.call(s3.put_bucket_ownership_controls, c.after),
        "public_access_block": lambda c: bucket.call(s3.put_public_access_block, model.pab_to_aws(c.after)),
        "versioning": lambda c: bucket.call(s3.put_bucket_versioning, c.after),
        "object_lock": lambda c: bucket.call(s3.put_object_lock_configuration, model.object_lock_to_aws(c.after)),
        "encryption": lambda c: bucket.call(s3.put_bucket_encryption, model.encryption_to_aws(c.after)),
        "policy": policy,
        "access_logging": lambda c: bucket.call(s3.put_bucket_logging, model.logging_to_aws(c.after)),
        "lifecycle_rules": lifecycle_rules,
        "tags": tags,
    }


def ensure_absent(module: Any) -> dict[str, Any]:
    """Delete the bucket; one holding any object version is refused unless force_delete_logs."""
    params = module.params
    model.validate(params)
    bucket = bucket_handle(module)
    try:
        versions = bucket.call(s3.list_object_versions)
    except s3.BucketNotFound:
        return build_result([], {}, {}, module._diff, bucket={"name": params["name"], "exists": False}, deleted_objects=0)
    if versions and not params.get("force_delete_logs"):
        raise CloudAuditError(
            f"bucket '{bucket.name}' holds {len(versions)} object versions (audit logs); set force_delete_logs: true to delete them with the bucket",
            "force_delete_logs",
            object_versions=len(versions),
        )
    change = Change("bucket", before=params["name"], after=None, action="delete", details={"object_versions": len(versions)})
    if not module.check_mode:
        _empty(bucket, versions)
        bucket.call(s3.delete_bucket)
    before = {"name": params["name"], "exists": True, "object_versions": len(versions)}
    return build_result(
        [change],
        before,
        {"name": params["name"], "exists": False},
        module._diff,
        bucket={"name": params["name"], "exists": False},
        deleted_objects=len(versions),
    )


def _empty(bucket: Bucket, versions: list[dict[str, str]]) -> None:
    for start in range(0, len(versions), s3.DELETE_BATCH):
        errors = bucket.call(s3.delete_objects, versions[start : start + s3.DELETE_BATCH])
        if errors:
            first = errors[0]
            raise CloudAuditError(
                f"{len(errors)} object versions could not be deleted"
                f" (first: {first.get('Key')}: {first.get('Code')} {first.get('Message')}); the bucket was kept",
                "force_delete_logs",
                errors=errors[:20],
            )
