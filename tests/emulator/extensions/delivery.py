"""CloudTrail log delivery: trails that log write log files (and digest files) into the emulator's S3.

AWS delivers a trail's events to its bucket every few minutes; the emulator delivers on demand, when a
test asks (control API ``POST /_emulator/delivery/flush``), so a test decides when files appear.
Each flush, per trail that is logging (or stopped since its last delivery: AWS still delivers what it
recorded before the stop), per (account, region) it covers:

- the calls the recorder saw since that trail's last delivery and within its logging periods, as
  CloudTrail records (the record builder of lookup_events.py), filtered by the trail's event selectors
  (basic: ReadWriteType, IncludeManagementEvents, ExcludeManagementEventSources, S3 object data
  resources; advanced: eventCategory, readOnly, eventSource, eventName, resources.type/ARN);
  multi-region trails cover every region, single-region trails their home region, organization
  trails every account of the organization (keys under ``AWSLogs/<org-id>/<account>/``);
- one gzip log file ``{"Records": [...]}`` when there are events, written as CloudTrail writes it:
  only if the bucket policy lets cloudtrail.amazonaws.com PutObject that key (else GetTrailStatus
  shows LatestDeliveryError AccessDenied, or NoSuchBucket, and the events wait for the next flush,
  as CloudTrail retries), with SSE-KMS under the trail's key;
- with log file validation, one digest file covering the log files since the previous digest (also
  when there were none, as AWS's hourly digests), signed with the region's key pair that
  ListPublicKeys returns, chained to the previous digest.

What is hashed and signed follows the CloudTrail User Guide ("CloudTrail digest file structure",
"Custom implementations of CloudTrail log file integrity validation") and the AWS CLI's
validate-logs, which checks them: a log file's hashValue is the SHA-256 of its uncompressed content,
previousDigestHashValue the SHA-256 of the previous digest's uncompressed content; the signature
(hex, object metadata ``signature``) is SHA256withRSA (PKCS#1 v1.5) over
``digestEndTime \\n bucket/key \\n hex(sha256(uncompressed digest)) \\n previousDigestSignature``
(``null`` for the first digest). Public keys are DER PKCS#1 RSAPublicKey; the fingerprint is the
hex MD5 of that DER. Digest files are stored SSE-S3 even for SSE-KMS trails, as AWS documents.

State lives on moto's Trail objects (so deleting a trail or /moto-api/reset forgets it) and, for
the key pairs, in this module (``reset()``, called by /_emulator/reset).
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from moto.cloudtrail import models as ct_models
from moto.cloudtrail.responses import CloudTrailResponse

from ..operations import Operation, is_management_event
from ..recorder import RECORDER, Call
from ..shapes import checked
from . import corrections_cloudtrail as ct_fix
from .cloudtrail_lake import _params
from .lookup_events import cloudtrail_event

Trail = ct_models.Trail
TrailStatus = ct_models.TrailStatus
cloudtrail_backends = ct_models.cloudtrail_backends

for _attr in ("is_logging", "started", "stopped"):
    assert f"self.{_attr}" in inspect.getsource(TrailStatus.__init__), f"moto TrailStatus has no {_attr}: review delivery"
for _attr in ("log_validation", "include_global_service_events", "kms_key_id", "s3_key_prefix", "bucket_name"):
    assert f"self.{_attr}" in inspect.getsource(ct_fix._original_trail_init), f"moto Trail has no {_attr}: review delivery"

GLOBAL_SERVICES = frozenset(("iam", "sts", "organizations"))
_ALNUM = string.ascii_letters + string.digits
KEY_VALIDITY = timedelta(days=365)
_LOCK = threading.RLock()
InvalidTimeRangeException = ct_fix._error("InvalidTimeRangeException")


# --------------------------------------------------------------------------- key pairs (one per region)
@dataclass
class RegionKey:
    private: rsa.RSAPrivateKey
    der: bytes
    fingerprint: str
    valid_from: datetime
    valid_to: datetime

    def sign(self, data: bytes) -> str:
        return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256()).hex()


_KEYS: dict[str, RegionKey] = {}


def region_key(region: str) -> RegionKey:
    """The region's signing key, made on first use (AWS: a key pair per region, rotated over time)."""
    with _LOCK:
        if region not in _KEYS:
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
            now = datetime.now(timezone.utc).replace(microsecond=0)
            _KEYS[region] = RegionKey(private, der, hashlib.md5(der).hexdigest(), now, now + KEY_VALIDITY)  # noqa: S324 - AWS's fingerprint
        return _KEYS[region]


def reset() -> None:
    """Forget the key pairs (trail-held delivery state goes with moto's trails)."""
    with _LOCK:
        _KEYS.clear()


# --------------------------------------------------------------------------- per-trail state
@dataclass
class Period:
    """A logging period: calls with seq > start_seq, up to the StopLogging call (or stop time)."""

    start_seq: int
    start_time: float
    stop_time: float | None = None
    stop_seq: int | None = None


@dataclass
class Chain:
    """Digest chain of one (trail, account, region)."""

    end_time: datetime | None = None
    bucket: str | None = None
    key: str | None = None
    signature: str | None = None
    hash_value: str | None = None
    log_files: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TrailDelivery:
    periods: list[Period] = field(default_factory=list)
    delivered_seq: dict[tuple[str, str], int] = field(default_factory=dict)
    chains: dict[tuple[str, str], Chain] = field(default_factory=dict)
    pending: bool = False  # stopped with events maybe not delivered yet


def _state(trail: Trail) -> TrailDelivery:
    if not hasattr(trail, "delivery"):
        trail.delivery = TrailDelivery()
    return trail.delivery


_moto_start = Trail.start_logging
_moto_stop = Trail.stop_logging


def _start_logging(self: Trail) -> None:
    was_logging = self.status.is_logging
    _moto_start(self)
    state = _state(self)
    if not was_logging:
        state.periods.append(Period(start_seq=RECORDER.last_seq, start_time=time.time()))


def _stop_logging(self: Trail) -> None:
    was_logging = self.status.is_logging
    _moto_stop(self)
    state = _state(self)
    if was_logging and state.periods and state.periods[-1].stop_time is None:
        state.periods[-1].stop_time = time.time()
        state.pending = True


def _names(trail: Trail) -> set[str]:
    return {trail.trail_name, trail.arn}


def _close_periods(trail: Trail, calls: list[Call]) -> None:
    """A period ends with the StopLogging call that ended it (recorded after moto answered it)."""
    for period in _state(trail).periods:
        if period.stop_time is None or period.stop_seq is not None:
            continue
        stop = next(
            (c for c in calls if c.seq > period.start_seq and c.operation == "StopLogging" and c.status < 300 and c.params.get("Name") in _names(trail)),
            None,
        )
        if stop is not None:
            period.stop_seq = stop.seq


def _in_periods(trail: Trail, call: Call) -> bool:
    for period in _state(trail).periods:
        if call.seq <= period.start_seq:
            continue
        if period.stop_time is None:
            return True
        if period.stop_seq is not None and call.seq <= period.stop_seq:
            return True
        if period.stop_seq is None and call.time <= period.stop_time:
            return True
    return False


# --------------------------------------------------------------------------- event selectors
def _object_arn(call: Call) -> str | None:
    bucket, key = call.params.get("Bucket"), call.params.get("Key")
    return f"arn:aws:s3:::{bucket}/{key or ''}" if bucket else None


def _basic_selects(selector: dict[str, Any], call: Call, data: bool) -> bool:
    rw = selector.get("ReadWriteType", "All")
    if rw == "ReadOnly" and call.mutating or rw == "WriteOnly" and not call.mutating:
        return False
    if not data:
        excluded = selector.get("ExcludeManagementEventSources") or []
        return bool(selector.get("IncludeManagementEvents", True)) and f"{call.service}.amazonaws.com" not in excluded
    arn = _object_arn(call)
    for resource in selector.get("DataResources") or []:
        if resource.get("Type") == "AWS::S3::Object" and arn:
            if any(v in ("arn:aws:s3", "arn:aws:s3:::") or arn.startswith(v) for v in resource.get("Values") or []):
                return True
    return False


def _field_value(name: str, call: Call, data: bool) -> str | None:
    return {
        "eventCategory": "Data" if data else "Management",
        "readOnly": "false" if call.mutating else "true",
        "eventSource": f"{call.service}.amazonaws.com",
        "eventName": call.operation,
        "resources.type": "AWS::S3::Object" if data else None,
        "resources.ARN": _object_arn(call) if data else None,
    }.get(name)


_FIELD_TESTS = {
    "Equals": (False, lambda value, v: value == v),
    "NotEquals": (True, lambda value, v: value == v),
    "StartsWith": (False, lambda value, v: value.startswith(v)),
    "NotStartsWith": (True, lambda value, v: value.startswith(v)),
    "EndsWith": (False, lambda value, v: value.endswith(v)),
    "NotEndsWith": (True, lambda value, v: value.endswith(v)),
}


def _advanced_selects(selector: dict[str, Any], call: Call, data: bool) -> bool:
    fields = selector.get("FieldSelectors") or []
    if not any(f.get("Field") == "eventCategory" for f in fields):
        return False  # AWS requires eventCategory in every advanced selector
    for field_selector in fields:
        value = _field_value(field_selector.get("Field", ""), call, data)
        for test, (negated, match) in _FIELD_TESTS.items():
            values = field_selector.get(test)
            if not values:
                continue
            hit = value is not None and any(match(value, v) for v in values)
            if hit == negated:
                return False
    return True


def selects(trail: Trail, call: Call) -> bool:
    """True when the trail's event selectors (and global-events setting) log this call."""
    data = not is_management_event(Operation(call.service, call.operation, call.region, call.access_key))
    if not data and call.service in GLOBAL_SERVICES and not trail.include_global_service_events:
        return False
    if trail.advanced_event_selectors:
        return any(_advanced_selects(s, call, data) for s in trail.advanced_event_selectors)
    return any(_basic_selects(s, call, data) for s in trail.event_selectors or [])


def _record(call: Call) -> dict[str, Any]:
    record = cloudtrail_event(call)
    if not is_management_event(Operation(call.service, call.operation, call.region, call.access_key)):
        arn = _object_arn(call)
        record.update(managementEvent=False, eventCategory="Data", readOnly=not call.mutating)
        record["resources"] = [{"type": "AWS::S3::Object", "ARN": arn}] if arn else []
    return record


# --------------------------------------------------------------------------- bucket policy (as CloudTrail is judged)
def _value_matches(kind: str, boolean: bool, pattern: str, value: str) -> bool:
    if kind == "like":
        return ct_fix._like(pattern, value)
    return pattern.lower() == value.lower() if boolean else pattern == value


def _condition_holds(operator: str, tests: dict[str, Any], context: dict[str, str]) -> bool | None:
    """True/False for the operators CloudTrail's writes meet; None for an operator not modelled."""
    op = operator.lower().replace("ifexists", "")
    base = {"stringequals": "eq", "arnequals": "eq", "stringlike": "like", "arnlike": "like", "bool": "eq"}
    negated = {"stringnotequals": "eq", "arnnotequals": "eq", "stringnotlike": "like", "arnnotlike": "like"}
    kind = base.get(op) or negated.get(op)
    if kind is None:
        return None
    for key, values in tests.items():
        value = context.get(key.lower())
        if value is None:
            if op in negated or operator.lower().endswith("ifexists"):
                continue
            return False
        hit = any(_value_matches(kind, op == "bool", str(v), value) for v in ct_fix._as_list(values))
        if hit == (op in negated):
            return False
    return True


def _statement_applies(statement: Any, resource: str, context: dict[str, str]) -> bool:
    if not (
        isinstance(statement, dict)
        and ct_fix._principal_is_cloudtrail(statement.get("Principal"))
        and ct_fix._action_matches(statement, "s3:PutObject")
        and ct_fix._resource_matches(statement, resource)
    ):
        return False
    for operator, tests in (statement.get("Condition") or {}).items():
        if not isinstance(tests, dict) or _condition_holds(operator, tests, context) is not True:
            return False
    return True


def put_allowed(bucket: Any, key: str, trail: Trail, account: str, org_id: str | None) -> bool:
    """The bucket policy lets cloudtrail.amazonaws.com s3:PutObject this key for this trail (a Deny wins)."""
    if not bucket.policy:
        return False
    try:
        statements = ct_fix._as_list(json.loads(bucket.policy).get("Statement"))
    except (ValueError, AttributeError):
        return False
    resource = f"arn:aws:s3:::{bucket.name}/{key}"
    context = {
        "aws:sourcearn": trail.arn,
        "aws:sourceaccount": trail.account_id,
        "s3:x-amz-acl": "bucket-owner-full-control",
        "aws:securetransport": "true",
        "aws:principalservicename": ct_fix.CLOUDTRAIL_PRINCIPAL,
    }
    if org_id:
        context["aws:sourceorgid"] = org_id
    if any(isinstance(s, dict) and s.get("Effect") == "Deny" and _statement_applies(s, resource, context) for s in statements):
        return False
    return any(isinstance(s, dict) and s.get("Effect") == "Allow" and _statement_applies(s, resource, context) for s in statements)


def _find_bucket(name: str) -> Any | None:
    """The bucket in whichever account owns it (central logging: another account's bucket)."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account = owner
    return s3_backends[account][partition].buckets.get(name)


def _put(bucket: Any, key: str, body: bytes, encryption: str | None, kms_key: str | None, metadata: dict[str, str] | None = None) -> None:
    from moto.s3.models import s3_backends

    backend = s3_backends[bucket.account_id][bucket.partition]
    obj = backend.put_object(bucket.name, key, body, encryption=encryption, kms_key_id=kms_key, disable_notification=True)
    obj.set_metadata({"Content-Type": "application/json", **(metadata or {})})


# --------------------------------------------------------------------------- trail status
def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _note(status: Any, kind: str, moment: datetime, error: str | None) -> None:
    """Record a delivery attempt on moto's TrailStatus (kind: 'log' or 'digest')."""
    if kind == "log":
        status.delivery_attempt = _iso(moment)
        if error:
            status.delivery_error = error
        else:
            status.delivery_error = None
            status.delivery_time = moment
            status.delivery_succeeded = _iso(moment)
    else:
        status.digest_error = error
        if not error:
            status.digest_time = moment


def _status_description(self: TrailStatus) -> dict[str, Any]:
    """GetTrailStatus from real deliveries (moto invents a delivery at every read while logging)."""
    desc: dict[str, Any] = {
        "IsLogging": self.is_logging,
        "LatestDeliveryAttemptTime": getattr(self, "delivery_attempt", None) or "",
        "LatestNotificationAttemptTime": "",
        "LatestNotificationAttemptSucceeded": "",
        "LatestDeliveryAttemptSucceeded": getattr(self, "delivery_succeeded", None) or "",
        "TimeLoggingStarted": _iso(self.started) if self.started else "",
        "TimeLoggingStopped": _iso(self.stopped) if self.stopped else "",
    }
    if self.started:
        desc["StartLoggingTime"] = self.started.replace(tzinfo=timezone.utc).timestamp()
    if self.stopped:
        desc["StopLoggingTime"] = self.stopped.replace(tzinfo=timezone.utc).timestamp()
    for attr, key in (("delivery_time", "LatestDeliveryTime"), ("digest_time", "LatestDigestDeliveryTime")):
        if getattr(self, attr, None):
            desc[key] = getattr(self, attr).timestamp()
    for attr, key in (("delivery_error", "LatestDeliveryError"), ("digest_error", "LatestDigestDeliveryError")):
        if getattr(self, attr, None):
            desc[key] = getattr(self, attr)
    return desc


# --------------------------------------------------------------------------- delivery
def _covered_accounts(trail: Trail) -> tuple[list[str], str | None]:
    """(accounts whose events the trail records, organization id for an organization trail)."""
    if not trail.is_org_trail:
        return [trail.account_id], None
    org_backend = ct_fix.organization_backend(trail.account_id)
    if org_backend is None or org_backend.org is None:
        return [trail.account_id], None
    accounts = [trail.account_id] + [a.id for a in org_backend.accounts if a.id != trail.account_id]
    return accounts, org_backend.org.id


def _base(trail: Trail, account: str, org_id: str | None, kind: str, region: str, moment: datetime) -> str:
    prefix = (trail.s3_key_prefix or "").strip("/")
    owner = f"{org_id}/{account}" if org_id else account
    return f"{prefix + '/' if prefix else ''}AWSLogs/{owner}/{kind}/{region}/{moment:%Y/%m/%d}/"


def _deliver_log(trail: Trail, account: str, region: str, org_id: str | None, calls: list[Call], moment: datetime) -> dict[str, Any] | None:
    """Write one log file; its digest entry on success, None if refused (the status says why)."""
    suffix = "".join(secrets.choice(_ALNUM) for _position in range(16))
    key = _base(trail, account, org_id, "CloudTrail", region, moment) + f"{account}_CloudTrail_{region}_{moment:%Y%m%dT%H%MZ}_{suffix}.json.gz"
    bucket = _find_bucket(trail.bucket_name)
    if bucket is None:
        _note(trail.status, "log", moment, "NoSuchBucket")
        return None
    if not put_allowed(bucket, key, trail, account, org_id):
        _note(trail.status, "log", moment, "AccessDenied")
        return None
    content = json.dumps({"Records": [_record(c) for c in calls]}).encode()
    encryption, kms_key = ("aws:kms", trail.kms_key_id) if trail.kms_key_id else (None, None)
    _put(bucket, key, gzip.compress(content), encryption, kms_key)
    _note(trail.status, "log", moment, None)
    times = [c.iso_time for c in calls]
    return {
        "s3Bucket": bucket.name,
        "s3Object": key,
        "hashValue": hashlib.sha256(content).hexdigest(),
        "hashAlgorithm": "SHA-256",
        "newestEventTime": max(times),
        "oldestEventTime": min(times),
    }


def _deliver_digest(trail: Trail, account: str, region: str, org_id: str | None, chain: Chain, start: datetime, moment: datetime) -> str | None:
    """Write the digest of the log files since the previous one; its key, None if refused."""
    end = moment.replace(microsecond=0)
    if chain.end_time is not None and end <= chain.end_time:
        end = chain.end_time + timedelta(seconds=1)  # digest keys carry seconds: never two at one key
    begin = chain.end_time or start.replace(microsecond=0)
    key = _base(trail, account, org_id, "CloudTrail-Digest", region, end)
    key += f"{account}_CloudTrail-Digest_{region}_{trail.trail_name}_{region}_{end:%Y%m%dT%H%M%SZ}.json.gz"
    bucket = _find_bucket(trail.bucket_name)
    if bucket is None or not put_allowed(bucket, key, trail, account, org_id):
        _note(trail.status, "digest", moment, "NoSuchBucket" if bucket is None else "AccessDenied")
        return None
    signer = region_key(region)
    files = list(chain.log_files)
    digest = {
        "awsAccountId": account,
        "digestStartTime": _iso(begin),
        "digestEndTime": _iso(end),
        "digestS3Bucket": bucket.name,
        "digestS3Object": key,
        "digestPublicKeyFingerprint": signer.fingerprint,
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": max((f["newestEventTime"] for f in files), default=None),
        "oldestEventTime": min((f["oldestEventTime"] for f in files), default=None),
        "previousDigestS3Bucket": chain.bucket,
        "previousDigestS3Object": chain.key,
        "previousDigestHashValue": chain.hash_value,
        "previousDigestHashAlgorithm": "SHA-256" if chain.hash_value else None,
        "previousDigestSignature": chain.signature,
        "logFiles": files,
    }
    content = json.dumps(digest).encode()
    content_hash = hashlib.sha256(content).hexdigest()
    to_sign = f"{digest['digestEndTime']}\n{bucket.name}/{key}\n{content_hash}\n{chain.signature or 'null'}"
    signature = signer.sign(to_sign.encode())
    _put(bucket, key, gzip.compress(content), "AES256", None, {"x-amz-meta-signature": signature, "x-amz-meta-signature-algorithm": "SHA256withRSA"})
    _note(trail.status, "digest", moment, None)
    chain.end_time, chain.bucket, chain.key, chain.signature, chain.hash_value = end, bucket.name, key, signature, content_hash
    chain.log_files = []
    return key


def _trails() -> list[Trail]:
    found = []
    for account_id in list(cloudtrail_backends.keys()):
        for backend in list(dict.values(cloudtrail_backends[account_id])):
            found.extend(backend.trails.values())
    return found


def flush(account: str | None = None, region: str | None = None) -> dict[str, Any]:
    """Deliver what every logging trail recorded since its last delivery; what was written, per trail."""
    with _LOCK:
        snapshot = RECORDER.last_seq
        all_calls = [c for c in RECORDER.calls() if c.seq <= snapshot and " " not in c.operation]
        moment = datetime.now(timezone.utc)
        report: list[dict[str, Any]] = []
        for trail in _trails():
            state = _state(trail)
            if not (trail.status.is_logging or state.pending) or not state.periods:
                continue
            _close_periods(trail, all_calls)
            accounts, org_id = _covered_accounts(trail)
            entry: dict[str, Any] = {"trail": trail.arn, "log_files": [], "digest_files": [], "errors": []}
            pairs: dict[tuple[str, str], list[Call]] = {}
            for call in all_calls:
                if call.account in accounts and (trail.is_multi_region or call.region == trail.region_name):
                    pairs.setdefault((call.account, call.region), [])
            pairs.setdefault((trail.account_id, trail.region_name), [])
            for call in all_calls:
                pair = (call.account, call.region)
                if pair in pairs and call.seq > state.delivered_seq.get(pair, 0) and _in_periods(trail, call) and selects(trail, call):
                    pairs[pair].append(call)
            for (acct, reg), calls in sorted(pairs.items()):
                if (account and acct != account) or (region and reg != region):
                    continue
                chain = state.chains.setdefault((acct, reg), Chain())
                delivered = _deliver_log(trail, acct, reg, org_id, calls, moment) if calls else None
                if delivered or not calls:  # refused events wait for the next delivery
                    state.delivered_seq[(acct, reg)] = snapshot
                if delivered:
                    entry["log_files"].append(delivered["s3Object"])
                    chain.log_files.append(delivered)
                elif calls:
                    entry["errors"].append(trail.status.delivery_error)
                if trail.log_validation:
                    start = datetime.fromtimestamp(state.periods[0].start_time, tz=timezone.utc)
                    digest_key = _deliver_digest(trail, acct, reg, org_id, chain, start, moment)
                    if digest_key:
                        entry["digest_files"].append(digest_key)
                    else:
                        entry["errors"].append(trail.status.digest_error)
            if not trail.status.is_logging:
                state.pending = False
            report.append(entry)
        return {"trails": report}


# --------------------------------------------------------------------------- ListPublicKeys
def _when(value: Any, default: datetime) -> datetime:
    if value is None:
        return default
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc)


@checked("cloudtrail", "ListPublicKeys")
def list_public_keys(self: CloudTrailResponse) -> str:
    """The region's public key(s) valid in the asked range (default: now), DER PKCS#1, base64 in JSON."""
    import base64

    params = _params(self)
    key = region_key(self.region)  # first: making a key takes time, and "now" must not precede it
    now = datetime.now(timezone.utc)
    start = _when(params.get("StartTime"), now)
    end = _when(params.get("EndTime"), now)
    if start > end:
        raise InvalidTimeRangeException("StartTime must be before EndTime.")  # pylint: disable=raising-non-exception  # a moto error class made at import
    keys = []
    if key.valid_from <= end and start <= key.valid_to:  # validity overlaps the range
        keys.append(
            {
                "Value": base64.b64encode(key.der).decode(),
                "ValidityStartTime": key.valid_from.timestamp(),
                "ValidityEndTime": key.valid_to.timestamp(),
                "Fingerprint": key.fingerprint,
            }
        )
    return json.dumps({"PublicKeyList": keys})


def install() -> None:
    Trail.start_logging = _start_logging
    Trail.stop_logging = _stop_logging
    TrailStatus.description = _status_description
    CloudTrailResponse.list_public_keys = list_public_keys


install()
