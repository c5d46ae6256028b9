# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_events_info: validate -> resolve regions -> page through each region concurrently -> merge."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from .._aws import cloudtrail, ec2
from .._common.concurrency import read_concurrently
from . import model
from .ratelimit import RateLimiter

REQUESTS_PER_SECOND = 2.0


def ensure(module: Any) -> dict[str, Any]:
    search = model.validate(module.params, datetime.now(timezone.utc))
    regions = search["regions"] or [module.region]
    if regions == ["all"]:
        regions = model.enabled_region_names(ec2.describe_regions(module.client("ec2")))
    reads: dict[str, Callable[[], tuple[list[dict[str, Any]], bool]]] = {
        region: _region_reader(module.client("cloudtrail", region=region), region, search) for region in regions
    }
    answers = read_concurrently(reads)
    events, counts = model.merge({region: found for region, (found, _more) in answers.items()})
    truncated = sorted(region for region, (_found, more) in answers.items() if more)
    return {"changed": False, "events": events, "counts": counts, "regions": regions, "truncated": truncated}


def _region_reader(client: Any, region: str, search: dict[str, Any]) -> Callable[[], tuple[list[dict[str, Any]], bool]]:
    def read() -> tuple[list[dict[str, Any]], bool]:
        return lookup_region(client, region, search, RateLimiter(REQUESTS_PER_SECOND))

    return read


def lookup_region(client: Any, region: str, search: dict[str, Any], limiter: RateLimiter) -> tuple[list[dict[str, Any]], bool]:
    """Every page of one region (at most max_results events), at most 2 requests per second; (events, more left)."""
    request = model.lookup_request(search)
    events: list[dict[str, Any]] = []
    while True:
        page = cloudtrail.lookup_events(client, dict(request, MaxResults=model.page_size(len(events), search["max_results"])), limiter)
        events.extend(model.normalize_event(e, region) for e in page.get("Events") or [])
        more = bool(page.get("NextToken"))
        if search["max_results"] is not None and len(events) >= search["max_results"]:
            return events[: search["max_results"]], more or len(events) > search["max_results"]
        if not more:
            return events, False
        request["NextToken"] = page["NextToken"]
