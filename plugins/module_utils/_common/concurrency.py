# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Independent reads, run concurrently (boto3 clients are thread-safe)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Mapping

MAX_WORKERS = 8


def read_concurrently(reads: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each read and return {name: result}; the first exception is re-raised."""
    if len(reads) <= 1:
        return {name: read() for name, read in reads.items()}
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(reads))) as pool:
        futures = {name: pool.submit(read) for name, read in reads.items()}
        return {name: future.result() for name, future in futures.items()}
