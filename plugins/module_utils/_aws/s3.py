# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon S3 (bucket settings): one wrapper per call, shared by every area.

Every wrapper is retried by aws_retry and takes the client, the bucket and the
expected owner (sent as ExpectedBucketOwner when given; CreateBucket takes none).
A missing configuration ("no policy", "no lifecycle", ...) comes back as None;
a missing bucket raises BucketNotFound, so the caller can tell "no setting"
from "no bucket". The wrappers decide nothing.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from .notfound import none_when
from .retry import aws_retry

# The S3 operations whose IAM action is not s3:<Operation> (AWS Service Authorization Reference for Amazon S3,
# and each operation's "Permissions" section): what a denied call names as the missing permission (_aws/retry.py).
IAM_ACTIONS = {
    "HeadBucket": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "ListObjects": "s3:ListBucket",
    "ListObjectVersions": "s3:ListBucketVersions",
    "ListBuckets": "s3:ListAllMyBuckets",
    "DeleteObjects": "s3:DeleteObject",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    "DeleteBucketTagging": "s3:PutBucketTagging",
    "DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "GetBucketRequestPayment": "s3:GetBucketRequestPayment",
}

NOT_FOUND_CODES = (
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
    "NoSuchTagSet",
    "ObjectLockConfigurationNotFoundError",
)
DELETE_BATCH = 1000


class BucketNotFound(Exception):
    """The bucket does not exist (NoSuchBucket)."""


class NotExpectedOwner(Exception):
    """Access denied to a call that carried ExpectedBucketOwner: another account owns the bucket (or access is denied)."""


class BucketNameTaken(Exception):
    """CreateBucket: the name belongs to a bucket of another account (BucketAlreadyExists)."""


def _bucket_errors(owner_denied: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator of the bucket calls: NoSuchBucket -> BucketNotFound; with owner_denied,
    AccessDenied to a call that carried ExpectedBucketOwner -> NotExpectedOwner."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(client: Any, bucket: str, *args: Any) -> Any:
            expected_owner = args[0] if args else None
            try:
                return fn(client, bucket, *args)
            except is_boto3_error_code("NoSuchBucket") as e:
                raise BucketNotFound(bucket) from e
            except is_boto3_error_code("AccessDenied") as e:  # pylint: disable=duplicate-except
                if owner_denied and expected_owner:
                    raise NotExpectedOwner(bucket) from e
                raise

        return wrapper

    return decorator


def _read(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A bucket read: retried, bucket errors mapped, a missing configuration -> None."""
    return aws_retry(_bucket_errors()(none_when(*NOT_FOUND_CODES)(fn)))


def _args(bucket: str, expected_owner: str | None, **kwargs: Any) -> dict[str, Any]:
    kwargs["Bucket"] = bucket
    if expected_owner:
        kwargs["ExpectedBucketOwner"] = expected_owner
    return kwargs


# ---------------------------------------------------------------- reads
@_read
def get_bucket_policy(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    answer = client.get_bucket_policy(**_args(bucket, expected_owner))
    return json.loads(answer["Policy"]) if answer.get("Policy") else None


@_read
def get_public_access_block(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    return client.get_public_access_block(**_args(bucket, expected_owner)).get("PublicAccessBlockConfiguration")


@_read
def get_bucket_ownership_controls(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    return client.get_bucket_ownership_controls(**_args(bucket, expected_owner)).get("OwnershipControls")


@_read
def get_bucket_versioning(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any]:
    return _strip(client.get_bucket_versioning(**_args(bucket, expected_owner)))


@_read
def get_bucket_encryption(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    return client.get_bucket_encryption(**_args(bucket, expected_owner)).get("ServerSideEncryptionConfiguration")


@_read
def get_bucket_logging(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    return client.get_bucket_logging(**_args(bucket, expected_owner)).get("LoggingEnabled")


@_read
def get_bucket_lifecycle_configuration(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    """{'Rules': [...], 'TransitionDefaultMinimumObjectSize': ...}; None when the bucket has no lifecycle configuration."""
    answer = client.get_bucket_lifecycle_configuration(**_args(bucket, expected_owner))
    return {"Rules": answer.get("Rules", []), "TransitionDefaultMinimumObjectSize": answer.get("TransitionDefaultMinimumObjectSize")}


@_read
def get_bucket_tagging(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, str] | None:
    """The tags as a dict; None when the bucket has no tag set."""
    return {t["Key"]: t["Value"] for t in client.get_bucket_tagging(**_args(bucket, expected_owner)).get("TagSet", [])}


@_read
def get_object_lock_configuration(client: Any, bucket: str, expected_owner: str | None = None) -> dict[str, Any] | None:
    return client.get_object_lock_configuration(**_args(bucket, expected_owner)).get("ObjectLockConfiguration")


@_read
def get_bucket_request_payment(client: Any, bucket: str, expected_owner: str | None = None) -> str:
    return client.get_bucket_request_payment(**_args(bucket, expected_owner)).get("Payer") or "BucketOwner"


@_read
def get_bucket_location(client: Any, bucket: str, expected_owner: str | None = None) -> str:
    return client.get_bucket_location(**_args(bucket, expected_owner)).get("LocationConstraint") or "us-east-1"


@aws_retry
def bucket_exists(client: Any, bucket: str) -> bool | None:
    """HeadBucket: True, False when there is no such bucket, None when the caller may not see it (another account's)."""
    try:
        client.head_bucket(Bucket=bucket)
    except is_boto3_error_code(("404", "NoSuchBucket", "NotFound")):
        return False
    except is_boto3_error_code(("403", "AccessDenied")):  # pylint: disable=duplicate-except
        return None
    return True


@aws_retry
@_bucket_errors(owner_denied=False)
def list_object_versions(client: Any, bucket: str, expected_owner: str | None = None) -> list[dict[str, str]]:
    """Every object version and delete marker, as {'Key', 'VersionId'} (paginated)."""
    pages = client.get_paginator("list_object_versions").paginate(**_args(bucket, expected_owner))
    return [{"Key": e["Key"], "VersionId": e["VersionId"]} for page in pages for e in page.get("Versions", []) + page.get("DeleteMarkers", [])]


@aws_retry
@_bucket_errors(owner_denied=False)
def list_objects(
    client: Any, bucket: str, expected_owner: str | None = None, prefix: str = "", delimiter: str = "", max_keys: int = 100
) -> dict[str, list[str]]:
    """One ListObjectsV2 page (a sample, never the whole bucket): {'keys': [...], 'prefixes': [...]} (prefixes: CommonPrefixes, with a delimiter)."""
    extra: dict[str, Any] = {"Delimiter": delimiter} if delimiter else {}
    answer = client.list_objects_v2(**_args(bucket, expected_owner, Prefix=prefix, MaxKeys=max_keys, **extra))
    return {"keys": [o["Key"] for o in answer.get("Contents", [])], "prefixes": [p["Prefix"] for p in answer.get("CommonPrefixes", [])]}


@aws_retry
@_bucket_errors(owner_denied=False)
def list_object_keys(client: Any, bucket: str, prefix: str, start_after: str | None = None) -> list[str]:
    """The keys under prefix, in S3's (lexical) order, after start_after when given (paginated)."""
    kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    if start_after:
        kwargs["StartAfter"] = start_after
    pages = client.get_paginator("list_objects_v2").paginate(**kwargs)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


@aws_retry
@_bucket_errors(owner_denied=False)
@none_when("NoSuchKey", "404")
def get_object(client: Any, bucket: str, key: str) -> dict[str, Any] | None:
    """{'Body': bytes, 'Metadata': user metadata} of an object; None when there is no such key."""
    answer = client.get_object(Bucket=bucket, Key=key)
    return {"Body": answer["Body"].read(), "Metadata": answer.get("Metadata") or {}}


@aws_retry
def list_buckets(client: Any, prefix: str | None = None) -> list[str]:
    """Names of the caller's buckets (paginated), with Prefix sent when given."""
    kwargs: dict[str, Any] = {"Prefix": prefix} if prefix else {}
    return [b["Name"] for page in client.get_paginator("list_buckets").paginate(**kwargs) for b in page.get("Buckets", [])]


# ---------------------------------------------------------------- writes
@aws_retry
def create_bucket(client: Any, bucket: str, region: str, object_lock: bool) -> None:
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if region and region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_lock:
        kwargs["ObjectLockEnabledForBucket"] = True
    try:
        client.create_bucket(**kwargs)
    except is_boto3_error_code("BucketAlreadyExists") as e:
        raise BucketNameTaken(bucket) from e


@aws_retry
def delete_bucket(client: Any, bucket: str, expected_owner: str | None = None) -> None:
    client.delete_bucket(**_args(bucket, expected_owner))


@aws_retry
def delete_objects(client: Any, bucket: str, expected_owner: str | None, objects: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Delete up to DELETE_BATCH object versions; the per-object errors AWS answers."""
    answer = client.delete_objects(**_args(bucket, expected_owner, Delete={"Objects": objects, "Quiet": True}))
    return answer.get("Errors", [])


@aws_retry
def put_bucket_policy(client: Any, bucket: str, expected_owner: str | None, policy: dict[str, Any]) -> None:
    client.put_bucket_policy(**_args(bucket, expected_owner, Policy=json.dumps(policy)))


@aws_retry
def delete_bucket_policy(client: Any, bucket: str, expected_owner: str | None = None) -> None:
    client.delete_bucket_policy(**_args(bucket, expected_owner))


@aws_retry
def put_public_access_block(client: Any, bucket: str, expected_owner: str | None, config: dict[str, bool]) -> None:
    client.put_public_access_block(**_args(bucket, expected_owner, PublicAccessBlockConfiguration=config))


@aws_retry
def put_bucket_ownership_controls(client: Any, bucket: str, expected_owner: str | None, ownership: str) -> None:
    client.put_bucket_ownership_controls(**_args(bucket, expected_owner, OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]}))


@aws_retry
def put_bucket_versioning(client: Any, bucket: str, expected_owner: str | None, status: str) -> None:
    client.put_bucket_versioning(**_args(bucket, expected_owner, VersioningConfiguration={"Status": status}))


@aws_retry
def put_bucket_encryption(client: Any, bucket: str, expected_owner: str | None, config: dict[str, Any]) -> None:
    client.put_bucket_encryption(**_args(bucket, expected_owner, ServerSideEncryptionConfiguration=config))


@aws_retry
def put_bucket_logging(client: Any, bucket: str, expected_owner: str | None, logging_enabled: dict[str, Any] | None) -> None:
    status = {"LoggingEnabled": logging_enabled} if logging_enabled else {}
    client.put_bucket_logging(**_args(bucket, expected_owner, BucketLoggingStatus=status))


@aws_retry
def put_bucket_lifecycle_configuration(
    client: Any, bucket: str, expected_owner: str | None, rules: list[dict[str, Any]], minimum_size: str | None = None
) -> None:
    """The whole configuration; minimum_size: TransitionDefaultMinimumObjectSize (AWS resets it to its default when omitted)."""
    extra = {"TransitionDefaultMinimumObjectSize": minimum_size} if minimum_size else {}
    client.put_bucket_lifecycle_configuration(**_args(bucket, expected_owner, LifecycleConfiguration={"Rules": rules}, **extra))


@aws_retry
def delete_bucket_lifecycle(client: Any, bucket: str, expected_owner: str | None = None) -> None:
    client.delete_bucket_lifecycle(**_args(bucket, expected_owner))


@aws_retry
def put_bucket_tagging(client: Any, bucket: str, expected_owner: str | None, tags: dict[str, str]) -> None:
    tag_set = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    client.put_bucket_tagging(**_args(bucket, expected_owner, Tagging={"TagSet": tag_set}))


@aws_retry
def delete_bucket_tagging(client: Any, bucket: str, expected_owner: str | None = None) -> None:
    client.delete_bucket_tagging(**_args(bucket, expected_owner))


@aws_retry
def put_object_lock_configuration(client: Any, bucket: str, expected_owner: str | None, config: dict[str, Any]) -> None:
    client.put_object_lock_configuration(**_args(bucket, expected_owner, ObjectLockConfiguration=config))


def _strip(answer: dict[str, Any]) -> dict[str, Any]:
    answer.pop("ResponseMetadata", None)
    return answer
