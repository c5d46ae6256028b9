# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Athena (workgroups, tags, queries): one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing. Athena answers a
missing workgroup with InvalidRequestException ("WorkGroup <name> is not found"), the error it also
uses for bad requests, so only that message is taken as "not found".
"""

from __future__ import annotations

import functools
import time
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message

from .retry import aws_retry

WORK_GROUP_NOT_FOUND = "is not found"
DONE_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")


def _none_when_work_group_missing(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator (below aws_retry): None when Athena says the workgroup is not found."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except is_boto3_error_message(WORK_GROUP_NOT_FOUND):
            return None

    return wrapper


# ---------------------------------------------------------------- workgroups
@aws_retry
@_none_when_work_group_missing
def get_work_group(client: Any, name: str) -> dict[str, Any] | None:
    """The workgroup (Name, State, Configuration, Description); None when there is none of that name."""
    return client.get_work_group(WorkGroup=name)["WorkGroup"]


@aws_retry
def create_work_group(client: Any, name: str, configuration: dict[str, Any], description: str, tags: dict[str, str]) -> None:
    kwargs: dict[str, Any] = {"Name": name, "Configuration": configuration, "Description": description}
    if tags:
        kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    client.create_work_group(**kwargs)


@aws_retry
def update_work_group(client: Any, name: str, configuration_updates: dict[str, Any], state: str | None = None) -> None:
    """ConfigurationUpdates: only the members given change; state (ENABLED / DISABLED) when given."""
    kwargs: dict[str, Any] = {"WorkGroup": name, "ConfigurationUpdates": configuration_updates}
    if state:
        kwargs["State"] = state
    client.update_work_group(**kwargs)


@aws_retry
@_none_when_work_group_missing
def delete_work_group(client: Any, name: str) -> None:
    """Delete the workgroup with its saved queries and query history (RecursiveDeleteOption); gone already: nothing."""
    client.delete_work_group(WorkGroup=name, RecursiveDeleteOption=True)


# ---------------------------------------------------------------- tags (of a workgroup ARN)
@aws_retry
def list_tags_for_resource(client: Any, arn: str) -> dict[str, str]:
    tags: list[dict[str, str]] = []
    kwargs: dict[str, Any] = {"ResourceARN": arn}
    while True:
        answer = client.list_tags_for_resource(**kwargs)
        tags.extend(answer.get("Tags", []))
        if not answer.get("NextToken"):
            return {t["Key"]: t["Value"] for t in tags}
        kwargs["NextToken"] = answer["NextToken"]


@aws_retry
def tag_resource(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())])


@aws_retry
def untag_resource(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(ResourceARN=arn, TagKeys=list(keys))


# ---------------------------------------------------------------- queries
@aws_retry
def start_query_execution(client: Any, workgroup: str, database: str, query: str) -> str:
    """Start a query in the workgroup (its result location and encryption apply); the QueryExecutionId.

    The workgroup comes first: an error then names it as the resource of athena:StartQueryExecution."""
    return client.start_query_execution(QueryString=query, QueryExecutionContext={"Database": database}, WorkGroup=workgroup)["QueryExecutionId"]


@aws_retry
def get_query_execution(client: Any, query_id: str) -> dict[str, Any]:
    return client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]


def wait_query_done(
    client: Any,
    query_id: str,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Poll GetQueryExecution until SUCCEEDED, FAILED or CANCELLED, or timeout; the execution as it then is.

    A botocore waiter polls at a fixed delay; Athena queries take from a fraction of a second to minutes, so
    the delay grows (0.25 s doubling to 5 s): short queries return fast, long ones cost few calls.
    """
    deadline = clock() + timeout
    delay = 0.25
    while True:
        execution = get_query_execution(client, query_id)
        if execution["Status"]["State"] in DONE_STATES:
            return execution
        left = deadline - clock()
        if left <= 0:
            return execution
        sleep(min(delay, left))
        delay = min(delay * 2, 5.0)


@aws_retry
def get_query_results(client: Any, query_id: str) -> tuple[list[dict[str, Any]], list[list[str | None]]]:
    """(ColumnInfo, every row as values) of a SUCCEEDED query; the header row Athena puts first is kept as the first row."""
    paginator = client.get_paginator("get_query_results")
    columns: list[dict[str, Any]] = []
    rows: list[list[str | None]] = []
    for page in paginator.paginate(QueryExecutionId=query_id, PaginationConfig={"PageSize": 1000}):
        result = page.get("ResultSet") or {}
        columns = columns or (result.get("ResultSetMetadata") or {}).get("ColumnInfo") or []
        rows.extend([datum.get("VarCharValue") for datum in row.get("Data") or []] for row in result.get("Rows") or [])
    return columns, rows
