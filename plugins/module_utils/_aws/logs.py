# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudWatch Logs: one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

from typing import Any

from .notfound import none_when
from .retry import aws_retry


@aws_retry
def describe_log_groups_page(client: Any, prefix: str, token: str | None = None) -> dict[str, Any]:
    """One DescribeLogGroups page of the groups whose name starts with prefix."""
    kwargs: dict[str, Any] = {"logGroupNamePrefix": prefix}
    if token:
        kwargs["nextToken"] = token
    return client.describe_log_groups(**kwargs)


@aws_retry
@none_when("ResourceNotFoundException")
def list_tags_for_resource(client: Any, arn: str) -> dict[str, str] | None:
    return client.list_tags_for_resource(resourceArn=arn).get("tags", {})


@aws_retry
@none_when("ResourceNotFoundException")
def latest_log_stream(client: Any, name: str) -> dict[str, Any] | None:
    """The log stream with the latest event (None when the group has no stream)."""
    streams = client.describe_log_streams(logGroupName=name, orderBy="LastEventTime", descending=True, limit=1)
    found = streams.get("logStreams", [])
    return found[0] if found else None


@aws_retry
def create_log_group(client: Any, name: str, kms_key_id: str | None, log_group_class: str | None, tags: dict[str, str] | None) -> None:
    kwargs: dict[str, Any] = {"logGroupName": name}
    if kms_key_id:
        kwargs["kmsKeyId"] = kms_key_id
    if log_group_class:
        kwargs["logGroupClass"] = log_group_class
    if tags:
        kwargs["tags"] = tags
    client.create_log_group(**kwargs)


@aws_retry
def delete_log_group(client: Any, name: str) -> None:
    client.delete_log_group(logGroupName=name)


@aws_retry
def put_retention_policy(client: Any, name: str, days: int) -> None:
    client.put_retention_policy(logGroupName=name, retentionInDays=days)


@aws_retry
def delete_retention_policy(client: Any, name: str) -> None:
    client.delete_retention_policy(logGroupName=name)


@aws_retry
def associate_kms_key(client: Any, name: str, kms_key_id: str) -> None:
    client.associate_kms_key(logGroupName=name, kmsKeyId=kms_key_id)


@aws_retry
def disassociate_kms_key(client: Any, name: str) -> None:
    client.disassociate_kms_key(logGroupName=name)


@aws_retry
def tag_resource(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(resourceArn=arn, tags=tags)


@aws_retry
def untag_resource(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(resourceArn=arn, tagKeys=keys)


@aws_retry
@none_when("ResourceNotFoundException")
def describe_metric_filters(client: Any, group: str, prefix: str) -> list[dict[str, Any]] | None:
    """The metric filters of a group whose name starts with prefix (all pages); None when the group does not exist."""
    filters: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"logGroupName": group, "filterNamePrefix": prefix}
    while True:
        page = client.describe_metric_filters(**kwargs)
        filters.extend(page.get("metricFilters", []))
        if not page.get("nextToken"):
            return filters
        kwargs["nextToken"] = page["nextToken"]


@aws_retry
def put_metric_filter(client: Any, group: str, name: str, pattern: str, transformations: list[dict[str, Any]]) -> None:
    client.put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern, metricTransformations=transformations)


@aws_retry
@none_when("ResourceNotFoundException")
def delete_metric_filter(client: Any, group: str, name: str) -> None:
    client.delete_metric_filter(logGroupName=group, filterName=name)
