# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A small per-region request limiter: LookupEvents allows 2 requests/s per account and region."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable


class RateLimiter:
    """Spaces requests at least 1/rate seconds apart (thread-safe); one instance per region.

    Used as a context manager around each request: entering waits for the request's
    turn, leaving counts the interval again from the answer, so requests stay apart
    as AWS sees them even when one answer was slow.
    """

    def __init__(
        self,
        rate: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: float | None = None

    def acquire(self) -> float:
        """Wait for this request's turn; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self.interval
        waited = start - now
        if waited > 0:
            self._sleep(waited)
        return waited

    def done(self) -> None:
        """The answer arrived: the next request waits a full interval from now."""
        with self._lock:
            ready = self._clock() + self.interval
            self._next = ready if self._next is None else max(self._next, ready)

    def __enter__(self) -> "RateLimiter":
        self.acquire()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.done()
