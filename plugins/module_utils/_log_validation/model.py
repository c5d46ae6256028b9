# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudTrail log file integrity validation as plain data (pure: no boto3).

What CloudTrail writes and how it is checked follows the CloudTrail User Guide ("CloudTrail digest file
structure", "Custom implementations of CloudTrail log file integrity validation"), as `aws cloudtrail
validate-logs` checks it: a digest file (gzip JSON) lists the log files delivered since the previous
digest with the SHA-256 of each one's uncompressed content, and names the previous digest (its key, the
SHA-256 of its uncompressed content and its signature). Its own signature (hex, in the object's metadata
`signature`) is SHA256withRSA over "digestEndTime\\nbucket/key\\nhex(sha256(digest))\\npreviousDigestSignature"
(the string "null" for the first digest of a chain), verifiable with the region's public key that
ListPublicKeys returns (the digest names it by fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.times import parse_iso_time, parse_time
from .._common.validate import ACCOUNT_ID_RE, check_arn, check_bucket_name, check_org_id, check_regions

TRAIL_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
MAX_PREFIX = 200
_DIGEST_TIME_RE = re.compile(r"_(\d{8}T\d{6}Z)(?:_backfill)?\.json\.gz$")


def validate(params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The check asked for, validated before any AWS call: {trail, start, end, bucket, prefix, account_id, regions}."""
    trail = params.get("trail") or ""
    if trail.startswith("arn:"):
        check_arn(trail, "trail", service="cloudtrail", resource_prefix="trail/")
    elif not TRAIL_NAME_RE.fullmatch(trail):
        raise CloudAuditError(f"'{trail}' is neither a trail name (3-128 letters, digits, '.', '_' or '-') nor a trail ARN", "trail")
    start = parse_time(params.get("start_time"), "start_time", now)
    end = parse_time(params.get("end_time"), "end_time", now) or now
    if start is None:
        raise CloudAuditError("is required", "start_time")
    if start > end:
        raise CloudAuditError("is after end_time", "start_time")
    if params.get("s3_bucket") is not None:
        check_bucket_name(params["s3_bucket"], "s3_bucket")
    prefix = params.get("s3_prefix")
    if prefix is not None and len(prefix) > MAX_PREFIX:
        raise CloudAuditError(f"must be at most {MAX_PREFIX} characters", "s3_prefix")
    account = params.get("account_id")
    if account is not None and not ACCOUNT_ID_RE.fullmatch(account):
        raise CloudAuditError(f"'{account}' is not a 12-digit AWS account id", "account_id")
    check_regions(params.get("log_regions"), "log_regions")
    check_org_id(params.get("organization_id"), "organization_id")
    if params.get("organization_id") and not (trail.startswith("arn:") and params.get("s3_bucket")):
        raise CloudAuditError("needs a trail ARN in trail and s3_bucket (otherwise the trail's own setting is read)", "organization_id")
    return {
        "trail": trail,
        "start": start,
        "end": end,
        "bucket": params.get("s3_bucket"),
        "prefix": prefix,
        "account_id": account,
        "organization_id": params.get("organization_id"),
        "regions": list(params.get("log_regions") or []),
    }


def digest_prefix(prefix: str | None, org_id: str | None, account: str, region: str) -> str:
    """Where a trail's digests of one account and region are: [prefix/]AWSLogs/[org-id/]account/CloudTrail-Digest/region/."""
    head = (prefix or "").strip("/")
    owner = f"{org_id}/{account}" if org_id else account
    return f"{head + '/' if head else ''}AWSLogs/{owner}/CloudTrail-Digest/{region}/"


def digest_end_time(key: str, trail_name: str, region: str) -> datetime | None:
    """The end time in a digest file name of this trail and region; None for another trail's (or any other) object."""
    name = key.rsplit("/", 1)[-1]
    if f"_CloudTrail-Digest_{region}_{trail_name}_{region}_" not in name:
        return None
    match = _DIGEST_TIME_RE.search(name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def in_window(keys: list[str], trail_name: str, region: str, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """(end time, key) of this trail's digests ending within [start, end], newest first."""
    found = []
    for key in keys:
        moment = digest_end_time(key, trail_name, region)
        if moment is not None and start <= moment <= end:
            found.append((moment, key))
    return sorted(found, reverse=True)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def string_to_sign(digest: Mapping[str, Any], raw: bytes) -> bytes:
    """AWS's data-signing string of a digest, from its fields and its uncompressed content."""
    previous = digest.get("previousDigestSignature") or "null"
    path = f"{digest.get('digestS3Bucket')}/{digest.get('digestS3Object')}"
    return "\n".join([str(digest.get("digestEndTime")), path, sha256_hex(raw), previous]).encode()


def parse_digest(raw: bytes) -> dict[str, Any] | None:
    """The digest document, or None when the content is not a JSON object."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def digest_problems(
    bucket: str,
    key: str,
    digest: dict[str, Any] | None,
    metadata: Mapping[str, str],
    public_keys: Mapping[str, bytes],
    verify: Any,
    raw: bytes,
) -> list[str]:
    """Why a digest is not valid on its own (empty: its location and signature hold). verify(der, signature_hex, data) -> bool."""
    if digest is None:
        return ["not a digest file (not gzip JSON)"]
    problems = []
    if (digest.get("digestS3Bucket"), digest.get("digestS3Object")) != (bucket, key):
        problems.append(f"moved: it says it was delivered to s3://{digest.get('digestS3Bucket')}/{digest.get('digestS3Object')}")
    signature = metadata.get("signature")
    fingerprint = digest.get("digestPublicKeyFingerprint")
    if not signature:
        problems.append("no signature in the object metadata")
    elif fingerprint not in public_keys:
        problems.append(f"no CloudTrail public key with fingerprint {fingerprint} in the window (ListPublicKeys)")
    elif not verify(public_keys[fingerprint], signature, string_to_sign(digest, raw)):
        problems.append("signature does not verify: the digest was changed after CloudTrail signed it")
    return problems


def link_problems(expected: Mapping[str, Any] | None, raw: bytes, metadata: Mapping[str, str]) -> list[str]:
    """Why a digest does not match what the next (newer) digest recorded of it (hash chain)."""
    if not expected:
        return []
    problems = []
    if expected.get("hash") and sha256_hex(raw) != expected["hash"]:
        problems.append(f"hash chain broken: its SHA-256 is not the previousDigestHashValue of {expected['by']}")
    if expected.get("signature") and metadata.get("signature") != expected["signature"]:
        problems.append(f"hash chain broken: its signature is not the previousDigestSignature of {expected['by']}")
    return problems


def expectation(digest: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """What a digest says of the previous one: {bucket, key, hash, signature, by}; None at the start of a chain."""
    if not digest.get("previousDigestS3Object"):
        return None
    return {
        "bucket": digest.get("previousDigestS3Bucket"),
        "key": digest["previousDigestS3Object"],
        "hash": digest.get("previousDigestHashValue"),
        "signature": digest.get("previousDigestSignature"),
        "by": key,
    }


def digest_start(digest: Mapping[str, Any]) -> datetime | None:
    try:
        return parse_iso_time(digest["digestStartTime"])
    except (KeyError, TypeError, ValueError):
        return None


def log_file_status(entry: Mapping[str, Any], content: bytes | None) -> str:
    """valid, modified or missing: a log file against its digest entry (content: the uncompressed bytes, None if absent)."""
    if content is None:
        return "missing"
    return "valid" if sha256_hex(content) == entry.get("hashValue") else "modified"


def summary(digests: list[dict[str, Any]], logs: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per status, and valid: at least one digest verified and nothing invalid, modified or missing."""
    counts = {
        "digest_files": {s: sum(1 for d in digests if d["status"] == s) for s in ("valid", "invalid", "missing")},
        "log_files": {s: sum(1 for f in logs if f["status"] == s) for s in ("valid", "modified", "missing")},
    }
    bad = counts["digest_files"]["invalid"] + counts["digest_files"]["missing"] + counts["log_files"]["modified"] + counts["log_files"]["missing"]
    return {"counts": counts, "valid": bad == 0 and counts["digest_files"]["valid"] > 0}
