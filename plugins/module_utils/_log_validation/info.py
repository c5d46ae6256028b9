# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_log_validation_info: verify a trail's delivered log files as `aws cloudtrail validate-logs` does.

Reads the trail (GetTrail) for its bucket, prefix and home region, lists the digest files of the window,
walks each region's digest chain from the newest digest back (previousDigestS3Object), checks each
digest's location, signature (ListPublicKeys) and link to the newer one, and each log file a valid
digest lists against its hash. Read-only: check mode runs the same reads.
"""

from __future__ import annotations

import gzip
import zlib
from datetime import datetime, timezone
from typing import Any

from .._aws import cloudtrail, organizations, s3
from .._common.errors import CloudAuditError
from . import model
from .signature import require_cryptography, verify


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _inflate(body: bytes) -> bytes | None:
    """The uncompressed content of a gzip object (what CloudTrail hashes); None when it is not gzip."""
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None


def _trail(module: Any, wanted: str) -> dict[str, Any]:
    trail = cloudtrail.get_trail(module.client("cloudtrail"), wanted)
    if trail is None:
        raise CloudAuditError(f"no trail '{wanted}' in {module.region} (a trail of another region or account: give its ARN)", "trail")
    return trail


def _org_id(module: Any, trail: dict[str, Any]) -> str | None:
    if not trail.get("IsOrganizationTrail"):
        return None
    org = organizations.describe_organization(module.client("organizations"))
    if org is None:
        raise CloudAuditError(f"{trail['TrailARN']} is an organization trail, but this account is in no organization", "trail")
    return org["Id"]


class _Walk:
    """One region's digest chain: the digests and log files it found, with their status."""

    def __init__(self, module: Any, check: dict[str, Any], trail_name: str, region: str) -> None:
        self.s3 = module.client("s3")
        self.check = check
        self.trail_name = trail_name
        self.region = region
        self.digests: list[dict[str, Any]] = []
        self.logs: list[dict[str, Any]] = []
        keys = cloudtrail.list_public_keys(module.client("cloudtrail", region=region), check["start"], check["end"])
        self.public_keys = {k["Fingerprint"]: k["Value"] for k in keys}

    def run(self, bucket: str, prefix: str) -> None:
        start, end = self.check["start"], self.check["end"]
        keys = s3.list_object_keys(self.s3, bucket, prefix, f"{prefix}{start:%Y/%m/%d}")  # keys of earlier days sort before
        listed = model.in_window(keys, self.trail_name, self.region, start, end)
        visited: set[str] = set()
        for dummy, key in listed:  # newest first; a broken link restarts the walk at the next digest not seen
            if key in visited:
                continue
            self._follow(bucket, key, None, visited)

    def _follow(self, bucket: str, key: str, expected: dict[str, Any] | None, visited: set[str]) -> None:
        """Walk back from one digest while the chain holds and stays in the window."""
        while key and key not in visited:
            visited.add(key)
            found = s3.get_object(self.s3, bucket, key)
            if found is None:
                self._digest(bucket, key, "missing", [f"named as previousDigestS3Object by {expected['by']}"] if expected else [])
                return
            raw = _inflate(found["Body"]) or b""
            digest = model.parse_digest(raw) if raw else None
            problems = model.digest_problems(bucket, key, digest, found["Metadata"], self.public_keys, verify, raw)
            problems += model.link_problems(expected, raw, found["Metadata"])
            self._digest(bucket, key, "invalid" if problems else "valid", problems, digest)
            if digest is None:
                return
            if not problems:
                self._log_files(digest, key)
            expected = model.expectation(digest, key)
            begin = model.digest_start(digest)
            if expected is None or begin is None or begin < self.check["start"]:
                return  # the first digest of the chain, or the window is covered
            bucket, key = expected.get("bucket") or bucket, expected["key"]

    def _digest(self, bucket: str, key: str, status: str, reasons: list[str], digest: dict[str, Any] | None = None) -> None:
        end = model.digest_end_time(key, self.trail_name, self.region)
        self.digests.append(
            {
                "s3_bucket": bucket,
                "s3_object": key,
                "region": self.region,
                "status": status,
                "reasons": reasons,
                "digest_end_time": _iso(end) if end else None,
                "log_file_count": len((digest or {}).get("logFiles") or []),
            }
        )

    def _log_files(self, digest: dict[str, Any], digest_key: str) -> None:
        for entry in digest.get("logFiles") or []:
            bucket, key = entry.get("s3Bucket"), entry.get("s3Object")
            found = s3.get_object(self.s3, bucket, key) if bucket and key else None
            content = None if found is None else (_inflate(found["Body"]) or b"")
            self.logs.append(
                {
                    "s3_bucket": bucket,
                    "s3_object": key,
                    "region": self.region,
                    "status": model.log_file_status(entry, content),
                    "digest_s3_object": digest_key,
                    "oldest_event_time": entry.get("oldestEventTime"),
                    "newest_event_time": entry.get("newestEventTime"),
                }
            )


def ensure_info(module: Any) -> dict[str, Any]:
    check = model.validate(module.params, datetime.now(timezone.utc))
    require_cryptography()
    unread = check["trail"].startswith("arn:") and bool(check["bucket"])
    if unread:
        # Given by ARN with the bucket: not read, so the bucket's owner can verify another account's trail.
        arn = check["trail"]
        trail = {"TrailARN": arn, "Name": arn.split("trail/", 1)[1], "HomeRegion": arn.split(":")[3]}
    else:
        trail = _trail(module, check["trail"])
        arn = trail["TrailARN"]
    bucket = check["bucket"] or trail.get("S3BucketName")
    prefix = check["prefix"] if check["prefix"] is not None else trail.get("S3KeyPrefix")
    account = check["account_id"] or arn.split(":")[4]
    regions = check["regions"] or [trail.get("HomeRegion") or arn.split(":")[3]]
    org_id = check["organization_id"] if unread else _org_id(module, trail)
    digests: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    for region in regions:
        walk = _Walk(module, check, trail["Name"], region)
        try:
            walk.run(bucket, model.digest_prefix(prefix, org_id, account, region))
        except s3.BucketNotFound:
            raise CloudAuditError(f"there is no bucket '{bucket}'", "s3_bucket" if check["bucket"] else "trail") from None
        digests += walk.digests
        logs += walk.logs
    report = model.summary(digests, logs)
    return {
        "changed": False,
        "valid": report["valid"],
        "counts": report["counts"],
        "trail_arn": arn,
        "log_file_validation_enabled": None if unread else bool(trail.get("LogFileValidationEnabled")),
        "s3_bucket": bucket,
        "s3_prefix": prefix or None,
        "account_id": account,
        "organization_id": org_id,
        "regions": regions,
        "start_time": _iso(check["start"]),
        "end_time": _iso(check["end"]),
        "digest_files": digests,
        "log_files": logs,
    }
