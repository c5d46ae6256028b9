# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Imports of trail logs from S3 into an event data store, as plain data (pure: no boto3)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.times import parse_iso_time
from .._common.validate import REGION_RE, check_role_arn
from .model import validate_store_ref

S3_URI_RE = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?$")
REUSABLE = ("INITIALIZING", "IN_PROGRESS", "COMPLETED")
RUNNING = ("INITIALIZING", "IN_PROGRESS")
STATISTICS = {
    "PrefixesFound": "prefixes_found",
    "PrefixesCompleted": "prefixes_completed",
    "FilesCompleted": "files_completed",
    "EventsCompleted": "events_completed",
    "FailedEntries": "failed_entries",
}


def parse_time(value: Any, option: str) -> datetime | None:
    """An absolute ISO 8601 time in UTC (relative times would make the import window move between runs)."""
    if value in (None, ""):
        return None
    try:
        return parse_iso_time(value).replace(microsecond=0)
    except ValueError:
        raise CloudAuditError(f"'{value}' is not an ISO 8601 time such as 2026-01-31T00:00:00Z", option) from None


def validate(params: Mapping[str, Any], default_region: str | None = None) -> dict[str, Any]:
    """The desired import, checked before any AWS call (source_region defaults to the module's region)."""
    validate_store_ref(params["destination"], "destination")
    source = params["source"]
    if not S3_URI_RE.fullmatch(source or ""):
        raise CloudAuditError(f"'{source}' is not an S3 URI like s3://bucket/prefix", "source")
    source_region = params.get("source_region") or default_region
    if not REGION_RE.fullmatch(source_region or ""):
        raise CloudAuditError(f"'{source_region}' is not a region name", "source_region")
    check_role_arn(params["access_role_arn"], "access_role_arn", default_region)
    start = parse_time(params.get("start_time"), "start_time")
    end = parse_time(params.get("end_time"), "end_time")
    if start and end and start > end:
        raise CloudAuditError("is after end_time", "start_time")
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
        raise CloudAuditError("must be at least 1 second", "wait_timeout")
    return {
        "destination": params["destination"],
        "source": source,
        "source_region": source_region,
        "access_role_arn": params["access_role_arn"],
        "start_time": start,
        "end_time": end,
    }


def start_request(desired: Mapping[str, Any], destination_arn: str) -> dict[str, Any]:
    request: dict[str, Any] = {
        "Destinations": [destination_arn],
        "ImportSource": {
            "S3": {
                "S3LocationUri": desired["source"],
                "S3BucketRegion": desired["source_region"],
                "S3BucketAccessRoleArn": desired["access_role_arn"],
            }
        },
    }
    if desired.get("start_time"):
        request["StartEventTime"] = desired["start_time"]
    if desired.get("end_time"):
        request["EndEventTime"] = desired["end_time"]
    return request


def _uri(value: str | None) -> str:
    return (value or "").rstrip("/")


def _same_time(aws_value: Any, desired: datetime | None) -> bool:
    if desired is None or aws_value is None:
        return desired is None and aws_value is None
    have = parse_time(aws_value, "time")
    return have is not None and abs((have - desired).total_seconds()) < 1


def matches(existing: Mapping[str, Any], desired: Mapping[str, Any], destination_arn: str) -> bool:
    """True when a GetImport answer is the same import: destination, source URI and time window."""
    s3 = (existing.get("ImportSource") or {}).get("S3") or {}
    return (
        destination_arn in (existing.get("Destinations") or [])
        and _uri(s3.get("S3LocationUri")) == _uri(desired["source"])
        and _same_time(existing.get("StartEventTime"), desired.get("start_time"))
        and _same_time(existing.get("EndEventTime"), desired.get("end_time"))
    )


def candidates(imports: list[Mapping[str, Any]]) -> list[str]:
    """Ids of imports that may be reused (in progress or completed), newest first."""
    usable = [i for i in imports if i.get("ImportStatus") in REUSABLE]
    usable.sort(key=lambda i: str(i.get("CreatedTimestamp") or ""), reverse=True)
    return [i["ImportId"] for i in usable]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def normalize(answer: Mapping[str, Any]) -> dict[str, Any]:
    """A GetImport / StartImport answer in snake_case."""
    s3 = (answer.get("ImportSource") or {}).get("S3") or {}
    statistics = answer.get("ImportStatistics")
    return {
        "import_id": answer.get("ImportId"),
        "status": answer.get("ImportStatus"),
        "destinations": list(answer.get("Destinations") or []),
        "source": s3.get("S3LocationUri"),
        "source_region": s3.get("S3BucketRegion"),
        "access_role_arn": s3.get("S3BucketAccessRoleArn"),
        "start_time": _iso(answer.get("StartEventTime")),
        "end_time": _iso(answer.get("EndEventTime")),
        "created": _iso(answer.get("CreatedTimestamp")),
        "updated": _iso(answer.get("UpdatedTimestamp")),
        "statistics": None if statistics is None else {snake: statistics.get(aws, 0) for aws, snake in STATISTICS.items()},
    }


def predicted(desired: Mapping[str, Any], destination_arn: str) -> dict[str, Any]:
    """The import check mode would start (AWS assigns the id)."""
    return {
        "import_id": None,
        "status": "INITIALIZING",
        "destinations": [destination_arn],
        "source": desired["source"],
        "source_region": desired["source_region"],
        "access_role_arn": desired["access_role_arn"],
        "start_time": _iso(desired.get("start_time")),
        "end_time": _iso(desired.get("end_time")),
        "created": None,
        "updated": None,
        "statistics": None,
    }


def poll_delay(wait_timeout: int) -> int:
    """Seconds between GetImport polls: wait_timeout / 60, within 1-30."""
    return max(1, min(30, wait_timeout // 60))


def failure_message(imp: Mapping[str, Any], failures: list[Mapping[str, Any]]) -> str:
    reasons = "; ".join(f"{f.get('Location')}: {f.get('ErrorType')}: {f.get('ErrorMessage')}" for f in failures[:10])
    more = f" (+{len(failures) - 10} more)" if len(failures) > 10 else ""
    return f"import {imp.get('import_id')} ended {imp.get('status')}" + (f": {reasons}{more}" if reasons else " (AWS listed no failure)")
