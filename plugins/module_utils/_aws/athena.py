# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Athena queries (StartQueryExecution, GetQueryExecution, GetQueryResults): one wrapper per call.

Shared by every area; decides nothing. Workgroup calls live beside these (another part of the seam).
"""

from __future__ import annotations

import time
from typing import Any, Callable

from .retry import aws_retry

DONE_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")


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
