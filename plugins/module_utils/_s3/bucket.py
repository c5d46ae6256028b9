# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The readers of an audit bucket, shared by s3_audit_bucket and s3_audit_bucket_info."""

from __future__ import annotations

import functools
from typing import Any, Callable

from .._aws import s3
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from . import model

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
