# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_audit_bucket through the one pipeline: a Resource for state present, one for state absent."""

from __future__ import annotations

import functools
from typing import Any, Callable

from .._aws import s3
from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, run_state
from . import model
from . import policy as bucket_policy
from .bucket import Bucket, read_state


def bucket_handle(ctx: Context) -> Bucket:
    return Bucket(ctx.client("s3"), ctx.params["name"], ctx.params.get("expected_owner"))


class _AuditBucket(Resource):
    """What both states share: the input checks and the bucket handle (made on first use)."""

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    @functools.cached_property
    def bucket(self) -> Bucket:
        return bucket_handle(self.ctx)


class PresentBucket(_AuditBucket):
    """The bucket with the managed settings: created when missing, each drifted setting written once."""

    def desired(self) -> dict[str, Any]:
        params = self.ctx.params
        account_ids = [self.ctx.identity()["account_id"]] if model.needs_account_id(params) else None
        return model.desired(params, self.ctx.region or "us-east-1", account_ids)

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        # The minimum object size comes with the lifecycle configuration (one read).
        wanted = {s for s in model.SETTINGS if s in desired} | ({"lifecycle_rules"} if model.SIZE in desired else set())
        return read_state(self.bucket, [s for s in model.SETTINGS if s in wanted])

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        return model.compare(desired, current, self.ctx.params)

    def confirm(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> None:
        """Refuse before changing anything: a Requester Pays bucket (it cannot receive CloudTrail logs), and
        access logging into a bucket that does not exist (one read, only when logging changes)."""
        if changes and current is not None and self.bucket.call(s3.get_bucket_request_payment) == "Requester":
            raise CloudAuditError(
                f"bucket '{self.bucket.name}' is a Requester Pays bucket, which cannot receive CloudTrail logs; turn Requester Pays off first", "name"
            )
        target = (desired.get("access_logging") or {}).get("target_bucket")
        if target and any(change.setting == "access_logging" for change in changes):
            if s3.bucket_exists(self.bucket.client, target) is False:
                message = (
                    f"bucket '{target}' does not exist; create the access-log bucket first (the audit_bucket role does, with audit_bucket_access_log_bucket)"
                )
                if self.ctx.check_mode:
                    # In a drift check an earlier task of the same run (the audit_bucket role's) would have created it.
                    self.ctx.warn(f"check mode: access_logging.target_bucket: {message}; a real run fails unless it exists by then")
                else:
                    raise CloudAuditError(message, "access_logging.target_bucket")

    def write(self, change: Change) -> None:
        WRITERS[change.setting](self.bucket, change)

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        return model.after(current, changes)

    def view(self, state: dict[str, Any] | None, desired: dict[str, Any]) -> dict[str, Any]:
        return model.managed_view(state, desired) if state is not None else {}

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        arn = bucket_policy.bucket_arn(desired["name"], desired["partition"])
        return {"bucket": {"name": desired["name"], "arn": arn, "region": desired["region"], **self.view(after, desired)}}


class AbsentBucket(_AuditBucket):
    """No bucket: its object versions deleted first (guarded by force_delete_logs), then the bucket."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.versions: list[dict[str, str]] = []

    def desired(self) -> dict[str, Any]:
        return {"name": self.ctx.params["name"]}

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        try:
            self.versions = self.bucket.call(s3.list_object_versions)
        except s3.BucketNotFound:
            return None
        return {"name": desired["name"], "exists": True, "object_versions": len(self.versions)}

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        return model.compare_absent(desired, current, self.ctx.params)

    def write(self, change: Change) -> None:
        _empty(self.bucket, self.versions)
        self.bucket.call(s3.delete_bucket)

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any] | None:
        return None if current is None else {"name": desired["name"], "exists": False}

    def result(self, desired: dict[str, Any], after: dict[str, Any] | None) -> dict[str, Any]:
        return {"bucket": {"name": desired["name"], "exists": False}, "deleted_objects": len(self.versions)}


def ensure(module: Any) -> dict[str, Any]:
    """The one entry of s3_audit_bucket (module shell and action plugin)."""
    return run_state(Context(module), {"present": PresentBucket, "absent": AbsentBucket})


# Writers: the S3 arguments of each setting, built here only -----------------------------------


def _create(bucket: Bucket, change: Change) -> None:
    try:
        bucket.create(change.details["region"], change.details.get("object_lock", False))
    except s3.BucketNameTaken as e:
        raise CloudAuditError(f"bucket name '{bucket.name}' is taken by another account", "name") from e


def _policy(bucket: Bucket, change: Change) -> None:
    bucket.call(s3.put_bucket_policy, change.after) if change.after else bucket.call(s3.delete_bucket_policy)


def _lifecycle_rules(bucket: Bucket, change: Change) -> None:
    if change.after:
        bucket.call(s3.put_bucket_lifecycle_configuration, [model.lifecycle.to_aws(r) for r in change.after], change.details.get("minimum_size"))
    else:
        bucket.call(s3.delete_bucket_lifecycle)


def _minimum_size(bucket: Bucket, change: Change) -> None:
    """Written with the rules by the lifecycle change when there is one; alone, with the current rules."""
    if change.details.get("rules"):
        bucket.call(s3.put_bucket_lifecycle_configuration, [model.lifecycle.to_aws(r) for r in change.details["rules"]], change.after)


def _tags(bucket: Bucket, change: Change) -> None:
    # PutBucketTagging replaces the whole set and refuses keys in the reserved aws: namespace.
    user_tags = {k: v for k, v in change.after.items() if not k.startswith("aws:")}
    bucket.call(s3.put_bucket_tagging, user_tags) if user_tags else bucket.call(s3.delete_bucket_tagging)


WRITERS: dict[str, Callable[[Bucket, Change], None]] = {
    "bucket": _create,
    "object_ownership": lambda b, c: b.call(s3.put_bucket_ownership_controls, c.after),
    "public_access_block": lambda b, c: b.call(s3.put_public_access_block, model.pab_to_aws(c.after)),
    "versioning": lambda b, c: b.call(s3.put_bucket_versioning, c.after),
    "object_lock": lambda b, c: b.call(s3.put_object_lock_configuration, model.object_lock_to_aws(c.after)),
    "encryption": lambda b, c: b.call(s3.put_bucket_encryption, model.encryption_to_aws(c.after)),
    "policy": _policy,
    "access_logging": lambda b, c: b.call(s3.put_bucket_logging, model.logging_to_aws(c.after)),
    "lifecycle_rules": _lifecycle_rules,
    model.SIZE: _minimum_size,
    "tags": _tags,
}


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
