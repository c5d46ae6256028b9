"""S3 corrections: make moto's buckets behave as AWS documents.

Patched at import on moto's FakeBucket model and S3Response (moto 5.2.x); tests
in tests/emulator/tests/test_corrections_s3.py.

- Lifecycle keeps NoncurrentVersionExpiration.NewerNoncurrentVersions,
  Filter.ObjectSizeGreaterThan/LessThan (also inside And) and
  TransitionDefaultMinimumObjectSize (header on Put/GetBucketLifecycleConfiguration).
- New buckets default to ObjectOwnership BucketOwnerEnforced; under it, ACLs other
  than private / bucket-owner-full-control are refused (AccessControlListNotSupported).
- Bucket policies: every request is treated as made over TLS (aws:SecureTransport
  is "true", as on AWS over https), so a TLS-only Deny blocks nothing; an Allow never
  denies (moto denied when an Allow's Condition could not be evaluated); a Deny naming
  only service principals does not apply to the account's own callers.
- Server access logging accepts a target bucket policy that lets logging.s3.amazonaws.com
  s3:PutObject under the target prefix (lists and wildcards honoured), not only the
  LogDelivery ACL.
- Put/GetBucketRequestPayment (moto: treated as CreateBucket / ListObjects): Payer
  BucketOwner (default) or Requester; anything else is MalformedXML.
- Bucket logging keeps LoggingEnabled.TargetObjectKeyFormat (SimplePrefix {} or
  PartitionedPrefix {PartitionDateSource: EventTime|DeliveryTime}) and GetBucketLogging returns it.
- ExpectedBucketOwner (x-amz-expected-bucket-owner) on any bucket or object call: another
  owner is 403 AccessDenied. A bucket call (not CreateBucket, not objects) from an account
  that does not own the bucket is 403 AccessDenied unless the bucket policy allows that
  s3 action on the bucket to the caller's account (Principal "*" or the account / its ARNs)
  and no Deny applies. Object calls across accounts keep moto's behaviour (the bucket
  policy's Deny statements only).
"""

from __future__ import annotations

import inspect
import json
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict
from moto.iam.access_control import PermissionResult
from moto.s3 import models as s3_models
from moto.s3 import responses as s3_responses
from moto.s3.exceptions import MalformedXML, S3AccessDeniedError, S3ClientError
from moto.s3.responses import TYPE_RESPONSE

from .corrections_cloudtrail import _action_matches, _as_list, _resource_matches

FakeBucket = s3_models.FakeBucket
S3Response = s3_responses.S3Response

for _fn, _params in {
    FakeBucket.set_lifecycle: ["self", "rules"],
    FakeBucket.get_permission: ["self", "action", "resource"],
    FakeBucket._log_permissions_enabled_policy: ["target_bucket", "target_prefix"],
    S3Response._bucket_response_put: ["self", "request", "bucket_name", "querystring"],
    S3Response._key_response_put: ["self", "query", "key_name"],
    S3Response.get_bucket_lifecycle: ["self"],
}.items():
    assert list(inspect.signature(_fn).parameters) == _params, f"moto changed {_fn.__qualname__}: review corrections_s3"
assert "self.ownership_rule" in inspect.getsource(FakeBucket.__init__), "moto FakeBucket has no ownership_rule"
assert "self.serialized(ActionResult(result))" in inspect.getsource(S3Response.get_bucket_lifecycle), "moto changed get_bucket_lifecycle"
assert "_log_permissions_enabled_policy" in inspect.getsource(FakeBucket.set_logging), "moto changed set_logging"

ENFORCED = "BucketOwnerEnforced"
ALLOWED_CANNED_ACLS = ("private", "bucket-owner-full-control")
TRANSITION_SIZE_HEADER = "x-amz-transition-default-minimum-object-size"
DEFAULT_TRANSITION_SIZE = "all_storage_classes_128K"
TRANSITION_SIZES = (DEFAULT_TRANSITION_SIZE, "varies_by_storage_class")
LOGGING_PRINCIPAL = "logging.s3.amazonaws.com"


class AccessControlListNotSupported(S3ClientError):
    def __init__(self) -> None:
        super().__init__("AccessControlListNotSupported", "The bucket does not allow ACLs")


class InvalidBucketAclWithObjectOwnership(S3ClientError):
    def __init__(self) -> None:
        super().__init__("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")


class InvalidRequest(S3ClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidRequest", message)


# --------------------------------------------------------------------------- lifecycle
_moto_set_lifecycle = FakeBucket.set_lifecycle
_moto_get_bucket_lifecycle = S3Response.get_bucket_lifecycle


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _size_filters(container: Any) -> dict[str, int]:
    if not isinstance(container, dict):
        return {}
    return {k: int(container[k]) for k in ("ObjectSizeGreaterThan", "ObjectSizeLessThan") if container.get(k) is not None}


def _rule_extras(rule: dict[str, Any]) -> dict[str, Any]:
    """What moto drops from a rule: read it before moto parses the rule."""
    lc_filter = rule.get("Filter")
    top = _size_filters(lc_filter)
    if top and len([k for k in (lc_filter or {}) if k in ("Prefix", "Tag", "And")]) + len(top) > 1:
        raise MalformedXML()  # AWS: one of Prefix, Tag, ObjectSize*, And; combine with And
    nve = rule.get("NoncurrentVersionExpiration") or {}
    return {
        "filter": top,
        "and": _size_filters((lc_filter or {}).get("And")),
        "nve_newer": _int_or_none(nve.get("NewerNoncurrentVersions")),
    }


def set_lifecycle(self: FakeBucket, rules: list[dict[str, Any]]) -> None:
    extras = [_rule_extras(rule) for rule in rules]
    _moto_set_lifecycle(self, rules)
    for stored, extra in zip(self.rules, extras):
        stored.cloudaudit_extras = extra


def _add_extras(out: dict[str, Any], stored: Any) -> None:
    extra = getattr(stored, "cloudaudit_extras", None) or {}
    if extra.get("filter"):
        out.setdefault("Filter", {}).update(extra["filter"])
    if extra.get("and"):
        out.setdefault("Filter", {}).setdefault("And", {}).update(extra["and"])
    if extra.get("nve_newer") is not None and "NoncurrentVersionExpiration" in out:
        out["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = extra["nve_newer"]


def get_bucket_lifecycle(self: S3Response) -> Any:
    bucket = self.backend.get_bucket(self.bucket_name)
    moto_serialized = self.serialized

    def serialized(action_result: Any) -> Any:
        result = action_result.result
        for out, stored in zip(result["Rules"], bucket.rules):
            _add_extras(out, stored)
        result["TransitionDefaultMinimumObjectSize"] = getattr(bucket, "transition_default_minimum_object_size", DEFAULT_TRANSITION_SIZE)
        return moto_serialized(action_result)

    self.serialized = serialized  # type: ignore[method-assign]
    try:
        return _moto_get_bucket_lifecycle(self)
    finally:
        del self.serialized


def _put_lifecycle(self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]) -> Any:
    size = request.headers.get(TRANSITION_SIZE_HEADER) or DEFAULT_TRANSITION_SIZE
    if size not in TRANSITION_SIZES:
        raise InvalidRequest(f"Invalid TransitionDefaultMinimumObjectSize: {size}")
    result = _moto_bucket_response_put(self, request, bucket_name, querystring)
    self.backend.get_bucket(bucket_name).transition_default_minimum_object_size = size
    if isinstance(result, str):
        return 200, {TRANSITION_SIZE_HEADER: size}, result
    return result


# --------------------------------------------------------------------------- ownership controls and ACLs
_moto_bucket_init = FakeBucket.__init__
_moto_bucket_response_put = S3Response._bucket_response_put
_moto_key_response_put = S3Response._key_response_put


def _bucket_init(self: FakeBucket, *args: Any, **kwargs: Any) -> None:
    _moto_bucket_init(self, *args, **kwargs)
    self.ownership_rule = ENFORCED  # AWS default since April 2023 (ACLs disabled)


def _check_acl_allowed(bucket: FakeBucket, headers: Any, body: bytes | str | None) -> None:
    """Under BucketOwnerEnforced only private / bucket-owner-full-control (or owner full control) is accepted."""
    if bucket.ownership_rule != ENFORCED:
        return
    canned = headers.get("x-amz-acl")
    if canned and canned not in ALLOWED_CANNED_ACLS:
        raise AccessControlListNotSupported()
    if any(str(h).lower().startswith("x-amz-grant-") and str(h).lower() != "x-amz-grant-full-control" for h in headers.keys()):
        raise AccessControlListNotSupported()
    if body:
        text = body.decode() if isinstance(body, bytes) else body
        if "<AccessControlPolicy" in text:
            grants = _as_list(((xmltodict.parse(text).get("AccessControlPolicy") or {}).get("AccessControlList") or {}).get("Grant"))
            if any(g.get("Permission") != "FULL_CONTROL" or "URI" in (g.get("Grantee") or {}) for g in grants) or len(grants) > 1:
                raise AccessControlListNotSupported()


def bucket_response_put(self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]) -> Any:
    if not querystring:  # CreateBucket: ACLs only with an ownership that allows them
        ownership = request.headers.get("x-amz-object-ownership") or ENFORCED
        canned = request.headers.get("x-amz-acl")
        if ownership == ENFORCED and canned and canned not in ALLOWED_CANNED_ACLS:
            raise InvalidBucketAclWithObjectOwnership()
    if "acl" in querystring:
        _check_acl_allowed(self.backend.get_bucket(bucket_name), request.headers, self.body)
    if "lifecycle" in querystring:
        return _put_lifecycle(self, request, bucket_name, querystring)
    return _moto_bucket_response_put(self, request, bucket_name, querystring)


def key_response_put(self: S3Response, query: dict[str, Any], key_name: str) -> Any:
    if not (query.get("uploadId") and query.get("partNumber")) and not any(q in query for q in ("retention", "legal-hold", "tagging")):
        bucket = self.backend.get_bucket(self.bucket_name)
        _check_acl_allowed(bucket, self.headers, self.body if "acl" in query else None)
    return _moto_key_response_put(self, query, key_name)


# --------------------------------------------------------------------------- bucket policy evaluation
def _secure_transport_admits(conditions: Any) -> bool | None:
    """Condition result with aws:SecureTransport = "true": True, False, or None if it names other keys."""
    if not conditions:
        return True
    known = True
    for operator, tests in conditions.items():
        for key, values in (tests or {}).items():
            if key.lower() == "aws:securetransport" and operator.lower() in ("bool", "stringequals"):
                if "true" not in [str(v).lower() for v in _as_list(values)]:
                    return False
            else:
                known = False
    return True if known else None


def _applies_to_callers(principal: Any) -> bool:
    """Whether a statement can concern the account's own callers (never a service principal)."""
    if principal is None or principal == "*":
        return True
    if isinstance(principal, dict):
        return any(k != "Service" for k in principal)
    return False  # moto: a non-* string principal is not verified


def get_permission(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    if self.policy is None:
        return PermissionResult.NEUTRAL
    permitted = False
    for statement in _as_list(json.loads(self.policy).get("Statement")):
        if not isinstance(statement, dict) or "NotAction" in statement or "NotResource" in statement:
            continue
        if not (_action_matches(statement, action) and _resource_matches(statement, resource)):
            continue
        if not _applies_to_callers(statement.get("Principal")):
            continue
        admitted = _secure_transport_admits(statement.get("Condition"))
        if statement.get("Effect") == "Deny" and admitted is not False:
            return PermissionResult.DENIED  # other Conditions are not evaluated: moto applies the Deny
        if statement.get("Effect") == "Allow" and admitted is not False:
            permitted = True
    return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL


# --------------------------------------------------------------------------- server access logging
def _log_permissions_enabled_policy(target_bucket: FakeBucket, target_prefix: str | None) -> bool:
    if not target_bucket.policy:
        return False
    try:
        statements = _as_list(json.loads(target_bucket.policy).get("Statement"))
    except ValueError:
        return False
    sample = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/{target_prefix or ''}2026-01-01-00-00-00-0123456789ABCDEF"
    effects = {
        statement.get("Effect")
        for statement in statements
        if isinstance(statement, dict)
        and isinstance(statement.get("Principal"), dict)
        and LOGGING_PRINCIPAL in _as_list(statement["Principal"].get("Service"))
        and _action_matches(statement, "s3:PutObject")
        and _resource_matches(statement, sample)
    }
    return "Allow" in effects and "Deny" not in effects


# --------------------------------------------------------------------------- request payment
assert "self.payer" in inspect.getsource(FakeBucket.__init__), "moto FakeBucket has no payer"
assert list(inspect.signature(S3Response._bucket_response).parameters) == ["self", "request", "full_url"], "moto changed _bucket_response"
assert list(inspect.signature(S3Response._key_response).parameters) == ["self", "request", "full_url"], "moto changed _key_response"
assert "self.logging = logging_config" in inspect.getsource(FakeBucket.set_logging), "moto no longer stores the logging config as given"
assert "def get_bucket_logging(self) -> TYPE_RESPONSE" in inspect.getsource(S3Response), "moto changed S3Response.get_bucket_logging"

S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
PAYERS = ("BucketOwner", "Requester")
PARTITION_DATE_SOURCES = ("EventTime", "DeliveryTime")
EXPECTED_OWNER_HEADER = "x-amz-expected-bucket-owner"


def _get_request_payment(bucket: FakeBucket) -> TYPE_RESPONSE:
    body = f'<?xml version="1.0" encoding="UTF-8"?><RequestPaymentConfiguration xmlns="{S3_XMLNS}"><Payer>{bucket.payer}</Payer></RequestPaymentConfiguration>'
    return 200, {"content-type": "application/xml"}, body


def _put_request_payment(bucket: FakeBucket, body: bytes | str | None) -> TYPE_RESPONSE:
    try:
        payer = ((xmltodict.parse(body or b"") or {}).get("RequestPaymentConfiguration") or {}).get("Payer")
    except ExpatError as exc:
        raise MalformedXML() from exc
    if payer not in PAYERS:
        raise MalformedXML()
    bucket.payer = payer
    return 200, {}, ""


# --------------------------------------------------------------------------- logging key format
_moto_get_bucket_logging = S3Response.get_bucket_logging


def _key_format(stored: Any) -> dict[str, Any] | None:
    """TargetObjectKeyFormat as AWS returns it, from the parsed XML moto stored."""
    if not isinstance(stored, dict):
        return None
    if "PartitionedPrefix" in stored:
        source = (stored.get("PartitionedPrefix") or {}).get("PartitionDateSource")
        return {"PartitionedPrefix": {"PartitionDateSource": source}} if source else {"PartitionedPrefix": {}}
    if "SimplePrefix" in stored:
        return {"SimplePrefix": {}}
    return None


def _check_key_format(logging_xml: Any) -> None:
    enabled = ((logging_xml or {}).get("BucketLoggingStatus") or {}).get("LoggingEnabled") or {}
    if "TargetObjectKeyFormat" not in enabled:
        return
    stored = enabled.get("TargetObjectKeyFormat")
    if not isinstance(stored, dict) or len([k for k in stored if k in ("SimplePrefix", "PartitionedPrefix")]) != 1:
        raise MalformedXML()
    source = (stored.get("PartitionedPrefix") or {}).get("PartitionDateSource") if "PartitionedPrefix" in stored else None
    if source is not None and source not in PARTITION_DATE_SOURCES:
        raise MalformedXML()


def get_bucket_logging(self: S3Response) -> Any:
    logging = self.backend.get_bucket_logging(self.bucket_name) or {}
    key_format = _key_format(logging.get("TargetObjectKeyFormat"))
    moto_serialized = self.serialized

    def serialized(action_result: Any) -> Any:
        enabled = action_result.result.get("LoggingEnabled")
        if enabled is not None and key_format is not None:
            enabled["TargetObjectKeyFormat"] = key_format
        return moto_serialized(action_result)

    self.serialized = serialized  # type: ignore[method-assign]
    try:
        return _moto_get_bucket_logging(self)
    finally:
        del self.serialized


# --------------------------------------------------------------------------- bucket owner checks
_moto_bucket_response = S3Response._bucket_response
_moto_key_response = S3Response._key_response

# IAM action of a bucket call, by method and sub-resource (first match wins; moto's ACTION_MAP lacks many).
_BUCKET_ACTIONS: dict[str, list[tuple[str, str]]] = {
    "GET": [
        ("object-lock", "GetBucketObjectLockConfiguration"),
        ("uploads", "ListBucketMultipartUploads"),
        ("location", "GetBucketLocation"),
        ("lifecycle", "GetLifecycleConfiguration"),
        ("versioning", "GetBucketVersioning"),
        ("policyStatus", "GetBucketPolicyStatus"),
        ("policy", "GetBucketPolicy"),
        ("website", "GetBucketWebsite"),
        ("acl", "GetBucketAcl"),
        ("tagging", "GetBucketTagging"),
        ("logging", "GetBucketLogging"),
        ("cors", "GetBucketCORS"),
        ("notification", "GetBucketNotification"),
        ("accelerate", "GetAccelerateConfiguration"),
        ("publicAccessBlock", "GetBucketPublicAccessBlock"),
        ("inventory", "GetInventoryConfiguration"),
        ("versions", "ListBucketVersions"),
        ("encryption", "GetEncryptionConfiguration"),
        ("replication", "GetReplicationConfiguration"),
        ("ownershipControls", "GetBucketOwnershipControls"),
        ("requestPayment", "GetBucketRequestPayment"),
    ],
    "PUT": [
        ("object-lock", "PutBucketObjectLockConfiguration"),
        ("lifecycle", "PutLifecycleConfiguration"),
        ("versioning", "PutBucketVersioning"),
        ("policy", "PutBucketPolicy"),
        ("website", "PutBucketWebsite"),
        ("acl", "PutBucketAcl"),
        ("tagging", "PutBucketTagging"),
        ("logging", "PutBucketLogging"),
        ("cors", "PutBucketCORS"),
        ("notification", "PutBucketNotification"),
        ("accelerate", "PutAccelerateConfiguration"),
        ("publicAccessBlock", "PutBucketPublicAccessBlock"),
        ("inventory", "PutInventoryConfiguration"),
        ("encryption", "PutEncryptionConfiguration"),
        ("replication", "PutReplicationConfiguration"),
        ("ownershipControls", "PutBucketOwnershipControls"),
        ("requestPayment", "PutBucketRequestPayment"),
    ],
    "DELETE": [
        ("lifecycle", "PutLifecycleConfiguration"),
        ("policy", "DeleteBucketPolicy"),
        ("website", "DeleteBucketWebsite"),
        ("tagging", "PutBucketTagging"),
        ("cors", "PutBucketCORS"),
        ("publicAccessBlock", "PutBucketPublicAccessBlock"),
        ("encryption", "PutEncryptionConfiguration"),
        ("replication", "PutReplicationConfiguration"),
        ("ownershipControls", "PutBucketOwnershipControls"),
        ("inventory", "PutInventoryConfiguration"),
    ],
}
_DEFAULT_ACTIONS = {"GET": "ListBucket", "HEAD": "ListBucket", "DELETE": "DeleteBucket"}


def _bucket_action(method: str, querystring: dict[str, Any]) -> str | None:
    """The s3:<Action> of a bucket call; None when it is not a bucket call to check (CreateBucket, POST, OPTIONS)."""
    for sub_resource, action in _BUCKET_ACTIONS.get(method, []):
        if sub_resource in querystring:
            return action
    return _DEFAULT_ACTIONS.get(method)


def _principal_is_account(principal: Any, account: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for value in _as_list(principal.get("AWS")):
        value = str(value)
        if value in ("*", account) or value.startswith(f"arn:aws:iam::{account}:") or value.startswith(f"arn:aws:sts::{account}:"):
            return True
    return False


def _policy_allows(bucket: FakeBucket, account: str, action: str) -> bool:
    """Whether the bucket policy lets `account` make `action` on the bucket (an Allow for it, no Deny)."""
    if not bucket.policy:
        return False
    try:
        statements = _as_list(json.loads(bucket.policy).get("Statement"))
    except ValueError:
        return False
    resource = f"arn:{bucket.partition}:s3:::{bucket.name}"
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict) or "NotAction" in statement or "NotResource" in statement:
            continue
        if not (_action_matches(statement, f"s3:{action}") and _resource_matches(statement, resource)):
            continue
        if not _principal_is_account(statement.get("Principal"), account):
            continue
        if _secure_transport_admits(statement.get("Condition")) is False:
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _owned_bucket(self: S3Response, bucket_name: str) -> FakeBucket | None:
    try:
        return self.backend.get_bucket(bucket_name)
    except S3ClientError:
        return None  # moto answers NoSuchBucket itself


def _check_expected_owner(bucket: FakeBucket, headers: Any) -> None:
    expected = headers.get(EXPECTED_OWNER_HEADER)
    if expected and expected != bucket.account_id:
        raise S3AccessDeniedError()


def bucket_response(self: S3Response, request: Any, full_url: str) -> Any:
    bucket_name = self.parse_bucket_name_from_url(request, full_url)
    if not bucket_name:
        return _moto_bucket_response(self, request, full_url)
    querystring = self._get_querystring(request, full_url)
    action = _bucket_action(request.method, querystring)
    bucket = _owned_bucket(self, bucket_name) if action or request.method == "POST" else None
    if bucket is not None:
        _check_expected_owner(bucket, request.headers)
        caller = self.get_current_account()
        if action and caller != bucket.account_id and not _policy_allows(bucket, caller, action):
            raise S3AccessDeniedError()
        if "requestPayment" in querystring and request.method == "GET":
            return _get_request_payment(bucket)
        if "requestPayment" in querystring and request.method == "PUT":
            return _put_request_payment(bucket, self.body)
    if "logging" in querystring and request.method == "PUT" and self.body:
        try:
            _check_key_format(xmltodict.parse(self.body))
        except ExpatError as exc:
            raise MalformedXML() from exc
    return _moto_bucket_response(self, request, full_url)


def key_response(self: S3Response, request: Any, full_url: str) -> Any:
    bucket_name = self.parse_bucket_name_from_url(request, full_url)
    if bucket_name and request.headers.get(EXPECTED_OWNER_HEADER):
        bucket = _owned_bucket(self, bucket_name)
        if bucket is not None:
            _check_expected_owner(bucket, request.headers)
    return _moto_key_response(self, request, full_url)


def install() -> None:
    S3Response._bucket_response = bucket_response
    S3Response._key_response = key_response
    S3Response.get_bucket_logging = get_bucket_logging
    FakeBucket.__init__ = _bucket_init
    FakeBucket.set_lifecycle = set_lifecycle
    FakeBucket.get_permission = get_permission
    FakeBucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)
    S3Response.get_bucket_lifecycle = get_bucket_lifecycle
    S3Response._bucket_response_put = bucket_response_put
    S3Response._key_response_put = key_response_put


install()
