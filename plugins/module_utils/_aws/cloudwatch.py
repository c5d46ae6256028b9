# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudWatch metric alarms: one wrapper per call, shared by every area.

Each wrapper retries (aws_retry); it decides nothing.
"""

from __future__ import annotations

from typing import Any

from .retry import aws_retry


@aws_retry
def describe_alarms(client: Any, prefix: str) -> list[dict[str, Any]]:
    """The metric alarms whose name starts with prefix (all pages)."""
    alarms: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"AlarmNamePrefix": prefix, "AlarmTypes": ["MetricAlarm"]}
    while True:
        page = client.describe_alarms(**kwargs)
        alarms.extend(page.get("MetricAlarms", []))
        if not page.get("NextToken"):
            return alarms
        kwargs["NextToken"] = page["NextToken"]


@aws_retry
def put_metric_alarm(client: Any, alarm: dict[str, Any]) -> None:
    """Create or replace a metric alarm (alarm: the PutMetricAlarm parameters)."""
    client.put_metric_alarm(**alarm)


@aws_retry
def delete_alarms(client: Any, names: list[str]) -> None:
    client.delete_alarms(AlarmNames=names)
