# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of the S3 area that calls boto3: one small wrapper per S3 call.

Every wrapper is retried by aws_retry. A missing configuration ("no policy",
"no lifecycle", ...) comes back as None; a missing bucket raises BucketNotFound,
so the caller can tell "no setting" from "no bucket". When an expected owner is
given it is sent as ExpectedBucketOwner on every call that accepts it.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator

from .._common.retry import aws_retry

try:
    from botocore.exceptions import ClientError
except ImportError:  # handled by AnsibleAWSModule
    ClientError = Exception  # type: ignore[misc,assignment]

NOT_FOUND_CODES = frozenset(
    (
        "NoSuchBucketPolicy",
        "NoSuchPublicAccessBlockConfiguration",
        "OwnershipControlsNotFoundError",
        "ServerSideEncryptionConfigurationNotFoundError",
        "NoSuchLifecycleConfiguration",
        "NoSuchTagSet",
        "ObjectLockConfigurationNotFoundError",
    )
)
DELETE_BATCH = 1000


class BucketNotFound(Exception):
    """The bucket does not exist (NoSuchBucket)."""


class NotExpectedOwner(Exception):
    """Access denied to a call that carried ExpectedBucketOwner: another account owns the bucket (or access is denied)."""


class BucketNameTaken(Exception):
    """CreateBucket: the name belongs to a bucket of another account (BucketAlreadyExists)."""


def _error_code(error: Exception) -> str:
    return getattr(error, "response", {}).get("Error", {}).get("Code", "")


def _call(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """fn(**kwargs); NoSuchBucket -> BucketNotFound, a missing configuration -> None."""
    try:
        return fn(**kwargs)
    except ClientError as e:
        code = _error_code(e)
        if code == "NoSuchBucket":
            raise BucketNotFound(kwargs.get("Bucket")) from e
        if code in NOT_FOUND_CODES:
            return None
        if code == "AccessDenied" and kwargs.get("ExpectedBucketOwner"):
            raise NotExpectedOwner(kwargs.get("Bucket")) from e
        raise


class S3Bucket:
    """The calls on one bucket, with ExpectedBucketOwner on each when an owner is expected."""

    def __init__(self, client: Any, name: str, expected_owner: str | None = None) -> None:
        self.client = client
        self.name = name
        self.expected_owner = expected_owner

    def _args(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["Bucket"] = self.name
        if self.expected_owner:
            kwargs["ExpectedBucketOwner"] = self.expected_owner
        return kwargs

    # Reads -----------------------------------------------------------------
    @aws_retry
    def get_policy(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_bucket_policy, **self._args())
        return json.loads(answer["Policy"]) if answer and answer.get("Policy") else None

    @aws_retry
    def get_public_access_block(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_public_access_block, **self._args())
        return answer.get("PublicAccessBlockConfiguration") if answer else None

    @aws_retry
    def get_ownership_controls(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_bucket_ownership_controls, **self._args())
        return answer.get("OwnershipControls") if answer else None

    @aws_retry
    def get_versioning(self) -> dict[str, Any]:
        answer = _call(self.client.get_bucket_versioning, **self._args())
        answer.pop("ResponseMetadata", None)
        return answer

    @aws_retry
    def get_encryption(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_bucket_encryption, **self._args())
        return answer.get("ServerSideEncryptionConfiguration") if answer else None

    @aws_retry
    def get_logging(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_bucket_logging, **self._args())
        return answer.get("LoggingEnabled")

    @aws_retry
    def get_lifecycle(self) -> list[dict[str, Any]]:
        answer = _call(self.client.get_bucket_lifecycle_configuration, **self._args())
        return answer.get("Rules", []) if answer else []

    @aws_retry
    def get_tags(self) -> dict[str, str]:
        answer = _call(self.client.get_bucket_tagging, **self._args())
        return {t["Key"]: t["Value"] for t in (answer or {}).get("TagSet", [])}

    @aws_retry
    def get_object_lock(self) -> dict[str, Any] | None:
        answer = _call(self.client.get_object_lock_configuration, **self._args())
        return answer.get("ObjectLockConfiguration") if answer else None

    @aws_retry
    def get_request_payment(self) -> str:
        answer = _call(self.client.get_bucket_request_payment, **self._args())
        return answer.get("Payer") or "BucketOwner"

    @aws_retry
    def get_location(self) -> str:
        answer = _call(self.client.get_bucket_location, **self._args())
        return answer.get("LocationConstraint") or "us-east-1"

    def object_versions(self) -> Iterator[dict[str, str]]:
        """Every object version and delete marker, as {'Key', 'VersionId'} (paginated)."""
        paginator = self.client.get_paginator("list_object_versions")
        try:
            for page in _paginate(paginator, **self._args()):
                for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                    yield {"Key": entry["Key"], "VersionId": entry["VersionId"]}
        except ClientError as e:
            if _error_code(e) == "NoSuchBucket":
                raise BucketNotFound(self.name) from e
            raise

    # Writes ----------------------------------------------------------------
    @aws_retry
    def create(self, region: str, object_lock: bool) -> None:
        kwargs: dict[str, Any] = {"Bucket": self.name}
        if region and region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        if object_lock:
            kwargs["ObjectLockEnabledForBucket"] = True
        try:
            self.client.create_bucket(**kwargs)
        except ClientError as e:
            if _error_code(e) == "BucketAlreadyExists":
                raise BucketNameTaken(self.name) from e
            raise

    @aws_retry
    def delete(self) -> None:
        self.client.delete_bucket(**self._args())

    @aws_retry
    def delete_objects(self, objects: list[dict[str, str]]) -> list[dict[str, Any]]:
        answer = self.client.delete_objects(**self._args(Delete={"Objects": objects, "Quiet": True}))
        return answer.get("Errors", [])

    @aws_retry
    def put_policy(self, policy: dict[str, Any]) -> None:
        self.client.put_bucket_policy(**self._args(Policy=json.dumps(policy)))

    @aws_retry
    def delete_policy(self) -> None:
        self.client.delete_bucket_policy(**self._args())

    @aws_retry
    def put_public_access_block(self, config: dict[str, bool]) -> None:
        self.client.put_public_access_block(**self._args(PublicAccessBlockConfiguration=config))

    @aws_retry
    def put_ownership_controls(self, ownership: str) -> None:
        self.client.put_bucket_ownership_controls(**self._args(OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]}))

    @aws_retry
    def put_versioning(self, status: str) -> None:
        self.client.put_bucket_versioning(**self._args(VersioningConfiguration={"Status": status}))

    @aws_retry
    def put_encryption(self, config: dict[str, Any]) -> None:
        self.client.put_bucket_encryption(**self._args(ServerSideEncryptionConfiguration=config))

    @aws_retry
    def put_logging(self, logging_enabled: dict[str, Any] | None) -> None:
        status = {"LoggingEnabled": logging_enabled} if logging_enabled else {}
        self.client.put_bucket_logging(**self._args(BucketLoggingStatus=status))

    @aws_retry
    def put_lifecycle(self, rules: list[dict[str, Any]]) -> None:
        self.client.put_bucket_lifecycle_configuration(**self._args(LifecycleConfiguration={"Rules": rules}))

    @aws_retry
    def delete_lifecycle(self) -> None:
        self.client.delete_bucket_lifecycle(**self._args())

    @aws_retry
    def put_tags(self, tags: dict[str, str]) -> None:
        tag_set = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        self.client.put_bucket_tagging(**self._args(Tagging={"TagSet": tag_set}))

    @aws_retry
    def delete_tags(self) -> None:
        self.client.delete_bucket_tagging(**self._args())

    @aws_retry
    def put_object_lock(self, config: dict[str, Any]) -> None:
        self.client.put_object_lock_configuration(**self._args(ObjectLockConfiguration=config))


@aws_retry
def _paginate(paginator: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return list(paginator.paginate(**kwargs))


@aws_retry
def list_bucket_names(client: Any, prefix: str | None = None) -> list[str]:
    """Names of the caller's buckets, optionally only those starting with prefix (paginated)."""
    kwargs: dict[str, Any] = {"Prefix": prefix} if prefix else {}
    names: list[str] = []
    for page in client.get_paginator("list_buckets").paginate(**kwargs):
        names.extend(b["Name"] for b in page.get("Buckets", []))
    return [n for n in names if not prefix or n.startswith(prefix)]
