"""Every AWS call the emulator serves, with account, region, operation and outcome.

One Recorder lives in the server process (RECORDER); tests read it over HTTP
(``/_emulator/calls``) through tests.emulator.client or the CLI.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable


@dataclass
class Call:
    seq: int
    time: float
    account: str
    region: str
    service: str
    operation: str
    mutating: bool
    status: int
    error_code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    access_key: str = ""
    identity: dict[str, Any] = field(default_factory=dict)
    source_ip: str = "127.0.0.1"
    user_agent: str = ""

    @property
    def iso_time(self) -> str:
        return datetime.fromtimestamp(self.time, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def as_dict(self, with_params: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_params:
            data.pop("params")
        data.pop("access_key")
        return data


class Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._seq = 0

    def record(self, **fields: Any) -> Call:
        with self._lock:
            self._seq += 1
            call = Call(seq=self._seq, time=fields.pop("time", None) or time.time(), **fields)
            self._calls.append(call)
            return call

    def reset(self) -> None:
        """Forget the recorded calls (the sequence keeps counting, so marks stay valid)."""
        with self._lock:
            self._calls.clear()

    @property
    def last_seq(self) -> int:
        return self._seq

    def calls(
        self,
        since: int = 0,
        account: str | None = None,
        region: str | None = None,
        service: str | None = None,
        operation: str | None = None,
        mutating: bool | None = None,
    ) -> list[Call]:
        with self._lock:
            calls = list(self._calls)
        return [
            c
            for c in calls
            if c.seq > since
            and (account is None or c.account == account)
            and (region is None or c.region == region)
            and (service is None or c.service == service)
            and (operation is None or c.operation == operation)
            and (mutating is None or c.mutating == mutating)
        ]


def summarize(calls: Iterable[Call]) -> dict[str, Any]:
    """Counts: total, writes, reads, per operation, per account."""
    calls = list(calls)
    by_operation: dict[str, int] = {}
    by_account: dict[str, int] = {}
    writes: list[str] = []
    for c in calls:
        key = f"{c.service}:{c.operation}"
        by_operation[key] = by_operation.get(key, 0) + 1
        by_account[c.account] = by_account.get(c.account, 0) + 1
        if c.mutating:
            writes.append(key)
    return {
        "total": len(calls),
        "writes": len(writes),
        "reads": len(calls) - len(writes),
        "write_operations": writes,
        "by_operation": by_operation,
        "by_account": by_account,
        "last_seq": max((c.seq for c in calls), default=0),
    }


RECORDER = Recorder()
