# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of cloudtrail_events_info that calls boto3."""

from __future__ import annotations

from typing import Any, ContextManager

from .._common.retry import aws_retry


@aws_retry
def lookup_events_page(client: Any, request: dict[str, Any], limiter: ContextManager[Any] | None = None) -> dict[str, Any]:
    """One LookupEvents page; throttling retried with backoff, every attempt inside the region's rate limiter."""
    if limiter is None:
        return client.lookup_events(**request)
    with limiter:
        return client.lookup_events(**request)


@aws_retry
def describe_regions(client: Any) -> list[dict[str, Any]]:
    """Regions enabled for the account (ec2 DescribeRegions, AllRegions=false)."""
    return client.describe_regions(AllRegions=False).get("Regions") or []
