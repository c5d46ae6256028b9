# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Event history (LookupEvents) searches as plain data (pure: no boto3).

Times are absolute (ISO 8601) or relative to now (-7d, -12h, -30m); the search
window must lie within the 90 days AWS keeps. Events come back with the
CloudTrailEvent JSON parsed.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.times import parse_time
from .._common.validate import REGION_RE

LOOKUP_KEYS = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId")
HISTORY_DAYS = 90
MAX_VALUE_LENGTH = 2000
PAGE_SIZE = 50


def validate(params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The search, checked before any AWS call: {attribute, value, start, end, category, regions, max_results}."""
    key, value = params.get("lookup_attribute"), params.get("lookup_value")
    if key is not None and key not in LOOKUP_KEYS:
        raise CloudAuditError(f"'{key}' is not one of {', '.join(LOOKUP_KEYS)}", "lookup_attribute")
    if (key is None) != (value is None):
        raise CloudAuditError("lookup_attribute and lookup_value go together", "lookup_value" if value is None else "lookup_attribute")
    if value is not None and not 1 <= len(value) <= MAX_VALUE_LENGTH:
        raise CloudAuditError(f"must be 1-{MAX_VALUE_LENGTH} characters", "lookup_value")
    if key == "ReadOnly" and value not in ("true", "false"):
        raise CloudAuditError("must be 'true' or 'false' when lookup_attribute is ReadOnly", "lookup_value")
    start = parse_time(params.get("start_time"), "start_time", now)
    end = parse_time(params.get("end_time"), "end_time", now)
    oldest = now - timedelta(days=HISTORY_DAYS)
    for option, moment in (("start_time", start), ("end_time", end)):
        if moment is not None and moment < oldest:
            raise CloudAuditError(
                f"{moment.isoformat()} is older than the {HISTORY_DAYS} days of event history AWS keeps (oldest: {oldest.isoformat()}); "
                "older events are only in the trail's S3 bucket or a Lake event data store",
                option,
            )
        if moment is not None and moment > now + timedelta(minutes=5):
            raise CloudAuditError(f"{moment.isoformat()} is in the future", option)
    if start and end and start > end:
        raise CloudAuditError("is after end_time", "start_time")
    max_results = params.get("max_results")
    if max_results is not None and max_results < 1:
        raise CloudAuditError("must be at least 1", "max_results")
    regions = list(params.get("regions") or [])
    if "all" in regions and len(regions) > 1:
        raise CloudAuditError("is either 'all' or a list of regions", "regions")
    for region in regions:
        if region != "all" and not REGION_RE.fullmatch(region):
            raise CloudAuditError(f"'{region}' is not a region name", "regions")
    return {
        "attribute": key,
        "value": value,
        "start": start,
        "end": end,
        "category": params.get("event_category") or "management",
        "regions": regions,
        "max_results": max_results,
    }


def enabled_region_names(regions: list[Mapping[str, Any]]) -> list[str]:
    """Names of the regions the account can use (opted in or not requiring opt-in), sorted."""
    return sorted(r["RegionName"] for r in regions if r.get("OptInStatus") != "not-opted-in")


def lookup_request(search: Mapping[str, Any]) -> dict[str, Any]:
    """LookupEvents parameters (without MaxResults / NextToken)."""
    request: dict[str, Any] = {}
    if search.get("attribute"):
        request["LookupAttributes"] = [{"AttributeKey": search["attribute"], "AttributeValue": search["value"]}]
    if search.get("start"):
        request["StartTime"] = search["start"]
    if search.get("end"):
        request["EndTime"] = search["end"]
    if search.get("category") == "insight":
        request["EventCategory"] = "insight"
    return request


def page_size(collected: int, max_results: int | None) -> int:
    """MaxResults of the next page (1-50), never past max_results."""
    if max_results is None:
        return PAGE_SIZE
    return max(1, min(PAGE_SIZE, max_results - collected))


def normalize_event(event: Mapping[str, Any], region: str) -> dict[str, Any]:
    """An Event in snake_case with CloudTrailEvent parsed, and its region and account."""
    raw = event.get("CloudTrailEvent")
    parsed: Any = None
    if raw:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
    parsed_dict = parsed if isinstance(parsed, dict) else {}
    account = parsed_dict.get("recipientAccountId") or (parsed_dict.get("userIdentity") or {}).get("accountId")
    event_time = event.get("EventTime")
    return {
        "event_id": event.get("EventId"),
        "event_name": event.get("EventName"),
        "event_source": event.get("EventSource"),
        "event_time": event_time.isoformat() if hasattr(event_time, "isoformat") else event_time,
        "read_only": event.get("ReadOnly"),
        "username": event.get("Username"),
        "access_key_id": event.get("AccessKeyId"),
        "resources": [{"resource_type": r.get("ResourceType"), "resource_name": r.get("ResourceName")} for r in event.get("Resources") or []],
        "region": parsed_dict.get("awsRegion") or region,
        "account": account,
        "cloud_trail_event": parsed if parsed is not None else raw,
    }


def merge(results: Mapping[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """All regions' events, newest first, and the count per region."""
    events = [event for region_events in results.values() for event in region_events]
    events.sort(key=lambda e: str(e.get("event_time") or ""), reverse=True)
    return events, {region: len(region_events) for region, region_events in results.items()}
