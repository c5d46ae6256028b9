"""Identify the AWS operation of a raw HTTP request, and whether it mutates state.

JSON services name the operation in X-Amz-Target, query services (IAM, STS, SNS)
in the Action parameter, and S3 in its method, path and sub-resource.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")

READ_PREFIXES = ("Get", "List", "Describe", "Lookup", "Head", "Search", "Query", "Select", "Check", "Batch Get")
# Calls that neither create nor change anything although their names do not say so.
NON_MUTATING = frozenset(
    (
        "AssumeRole",
        "AssumeRoleWithSAML",
        "AssumeRoleWithWebIdentity",
        "GetSessionToken",
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "FilterLogEvents",
        "ValidateTemplate",
        "TestEventPattern",
        "TestMetricFilter",
    )
)

# S3 bucket sub-resources -> the noun of the CloudTrail event name (GetBucket<noun>, PutBucket<noun>,
# DeleteBucket<noun>): CloudTrail records PutBucketLifecycle where boto3 says put_bucket_lifecycle_configuration.
_S3_SUBRESOURCES = {
    "policy": "Policy",
    "lifecycle": "Lifecycle",
    "versioning": "Versioning",
    "encryption": "Encryption",
    "publicAccessBlock": "PublicAccessBlock",
    "ownershipControls": "OwnershipControls",
    "logging": "Logging",
    "tagging": "Tagging",
    "object-lock": "ObjectLockConfiguration",
    "acl": "Acl",
    "requestPayment": "RequestPayment",
    "notification": "NotificationConfiguration",
    "location": "Location",
    "cors": "Cors",
    "website": "Website",
    "replication": "Replication",
    "accelerate": "AccelerateConfiguration",
    "policyStatus": "PolicyStatus",
}
_S3_SPECIAL = {
    ("GET", "versions"): "ListObjectVersions",
    ("GET", "uploads"): "ListMultipartUploads",
    ("POST", "delete"): "DeleteObjects",
    ("GET", "object-lock"): "GetObjectLockConfiguration",
    ("PUT", "object-lock"): "PutObjectLockConfiguration",
    ("GET", "location"): "GetBucketLocation",
}


@dataclass
class Operation:
    service: str
    name: str
    region: str
    access_key: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def mutating(self) -> bool:
        return is_mutating(self.name)


def is_mutating(name: str) -> bool:
    if name in NON_MUTATING:
        return False
    return not name.startswith(READ_PREFIXES)


def credential_scope(headers: Any) -> tuple[str, str, str]:
    """(access key, region, service) from a SigV4 Authorization header."""
    match = _CREDENTIAL_RE.search(headers.get("Authorization", "") or "")
    if not match:
        return "", "us-east-1", ""
    return match.group(1), match.group(2), match.group(3)


def identify(method: str, path: str, query: str, headers: Any, body: bytes) -> Operation | None:
    """The operation a request calls, or None when it is not an AWS API request."""
    access_key, region, service = credential_scope(headers)
    if not service:
        return None
    target = headers.get("X-Amz-Target")
    if target:
        name = target.rsplit(".", 1)[-1]
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = {}
        return Operation(service, name, region, access_key, params if isinstance(params, dict) else {})
    if service == "s3" and path.startswith(S3CONTROL_PATH):
        name, params = _s3control_operation(method, path, headers)
        return Operation("s3control", name, region, access_key, params)
    if service == "s3":
        name, params = _s3_operation(method, path, query, headers)
        return Operation(service, name, region, access_key, params)
    form = parse_qs(query)
    content_type = headers.get("Content-Type", "") or ""
    if body and "x-www-form-urlencoded" in content_type:
        form.update(parse_qs(body.decode("utf-8", "replace")))
    params = {k: v[0] for k, v in form.items()}
    name = params.pop("Action", None) or f"{method} {path}"
    params.pop("Version", None)
    return Operation(service, name, region, access_key, params)


# S3 Control signs as "s3"; its REST paths start with the API version, the account is in x-amz-account-id.
S3CONTROL_PATH = "/v20180820/"
_S3CONTROL_RESOURCES = {"configuration/publicAccessBlock": "PublicAccessBlock"}


def _s3control_operation(method: str, path: str, headers: Any) -> tuple[str, dict[str, Any]]:
    """The S3 Control operation of a request (its API name: GetPublicAccessBlock, ...) and its AccountId."""
    params = {"AccountId": headers.get("x-amz-account-id") or ""}
    noun = _S3CONTROL_RESOURCES.get(path[len(S3CONTROL_PATH) :].rstrip("/"))
    verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method.title())
    return (f"{verb}{noun}" if noun else f"{method} {path}"), params


def _s3_operation(method: str, path: str, query: str, headers: Any) -> tuple[str, dict[str, Any]]:
    parts = path.lstrip("/").split("/", 1)
    bucket = parts[0] if parts and parts[0] else None
    key = parts[1] if len(parts) > 1 and parts[1] else None
    subresources = [q.split("=", 1)[0] for q in query.split("&") if q]
    params: dict[str, Any] = {}
    if bucket:
        params["Bucket"] = bucket
    if key:
        params["Key"] = key
    if not bucket:
        return "ListBuckets", params
    if key:
        if "tagging" in subresources:
            return {"GET": "GetObjectTagging", "PUT": "PutObjectTagging", "DELETE": "DeleteObjectTagging"}.get(method, method), params
        if "uploads" in subresources or "uploadId" in subresources:
            multipart = {
                "POST": "CreateMultipartUpload" if "uploads" in subresources else "CompleteMultipartUpload",
                "PUT": "UploadPart",
                "DELETE": "AbortMultipartUpload",
                "GET": "ListParts",
            }
            return multipart.get(method, method), params
        if method == "PUT":
            return ("CopyObject" if headers.get("x-amz-copy-source") else "PutObject"), params
        return {"GET": "GetObject", "HEAD": "HeadObject", "DELETE": "DeleteObject", "POST": "PostObject"}.get(method, method), params
    for sub in subresources:
        if (method, sub) in _S3_SPECIAL:
            return _S3_SPECIAL[(method, sub)], params
        noun = _S3_SUBRESOURCES.get(sub)
        if noun:
            verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method.title())
            return f"{verb}Bucket{noun}", params
    if method == "GET":
        return ("ListObjectsV2" if "list-type" in subresources else "ListObjects"), params
    return {"PUT": "CreateBucket", "DELETE": "DeleteBucket", "HEAD": "HeadBucket", "POST": "PostBucket"}.get(method, method), params


# Management events CloudTrail records (S3 object-level calls are data events).
S3_DATA_OPERATIONS = frozenset(
    (
        "GetObject",
        "HeadObject",
        "PutObject",
        "CopyObject",
        "DeleteObject",
        "DeleteObjects",
        "GetObjectTagging",
        "PutObjectTagging",
        "DeleteObjectTagging",
        "CreateMultipartUpload",
        "CompleteMultipartUpload",
        "UploadPart",
        "AbortMultipartUpload",
        "ListParts",
        "PostObject",
    )
)


def is_management_event(op: Operation) -> bool:
    return not (op.service == "s3" and op.name in S3_DATA_OPERATIONS)
