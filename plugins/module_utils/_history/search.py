# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_history_info: validate -> one SQL query -> start it -> wait -> page the results -> events.

A query only reads, so check mode runs it too (the result is the point of the module).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .._aws import athena
from . import model


def ensure(module: Any) -> dict[str, Any]:
    search = model.validate(module.params, datetime.now(timezone.utc))
    query = model.build_query(search)
    client = module.client("athena")
    query_id = athena.start_query_execution(client, search["workgroup"], search["database"], query)
    execution = athena.wait_query_done(client, query_id, search["timeout"])
    error = model.failure(execution, search["workgroup"], search["timeout"])
    if error is not None:
        error.details.update(query=query, bytes_scanned=_scanned(execution))
        raise error
    _columns, rows = athena.get_query_results(client, query_id)
    found, more = model.events(rows, search["max_results"])
    return {
        "changed": False,
        "events": found,
        "truncated": more,
        "bytes_scanned": _scanned(execution),
        "query": query,
        "query_execution_id": query_id,
    }


def _scanned(execution: dict[str, Any]) -> int:
    return int((execution.get("Statistics") or {}).get("DataScannedInBytes") or 0)
