"""Python API to a running emulator: calls recorded, faults, reset."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any


class EmulatorClient:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _request(self, method: str, path: str, payload: Any = None, query: dict[str, Any] | None = None) -> Any:
        url = f"{self.url}/_emulator{path}"
        if query:
            url += "?" + "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in query.items() if v is not None)
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
            return json.loads(response.read() or b"null")

    def healthy(self) -> bool:
        try:
            return bool(self._request("GET", "/health").get("ok"))
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy():
                return
            time.sleep(0.1)
        raise TimeoutError(f"emulator at {self.url} not ready after {timeout}s")

    def reset(self) -> None:
        """All state of every account and region, the recorded calls and the faults."""
        self._request("POST", "/reset")

    # Recorder
    def mark(self) -> int:
        """The sequence number of the last recorded call: pass it as since= to count what follows."""
        return self._request("GET", "/calls/summary", query={"since": 10**12})["last_seq"]

    def settle(self, quiet_s: float = 1.0, timeout_s: float = 15.0) -> int:
        """mark() once no call was recorded for quiet_s (calls of a finished run still answered late by a loaded
        server are then counted before the mark, not after it)."""
        deadline = time.monotonic() + timeout_s
        last = self.mark()
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = self.mark()
            if now == last:
                return now
            last = now
        return last

    def calls(self, **filters: Any) -> list[dict[str, Any]]:
        return self._request("GET", "/calls", query=filters)["calls"]

    def summary(self, **filters: Any) -> dict[str, Any]:
        return self._request("GET", "/calls/summary", query=filters)

    def writes(self, **filters: Any) -> list[dict[str, Any]]:
        return self.calls(mutating=True, **filters)

    def reset_calls(self) -> None:
        self._request("DELETE", "/calls")

    # Faults
    def add_fault(
        self, kind: str, operation: str = "*", rate: float = 1.0, count: int | None = None, latency_ms: int = 0, account: str | None = None
    ) -> dict[str, Any]:
        spec = {"kind": kind, "operation": operation, "rate": rate, "count": count, "latency_ms": latency_ms, "account": account}
        return self._request("POST", "/faults", {k: v for k, v in spec.items() if v is not None})["rules"][0]

    def faults(self) -> list[dict[str, Any]]:
        return self._request("GET", "/faults")["rules"]

    def clear_faults(self) -> None:
        self._request("DELETE", "/faults")

    def flush_delivery(self, account: str | None = None, region: str | None = None) -> dict[str, Any]:
        """Deliver now what the logging trails recorded (log files, digests): {"trails": [{trail, log_files, digest_files, errors}]}.

        account / region limit the delivery to the events of that account / region (extensions/delivery.py).
        """
        payload = {k: v for k, v in (("account", account), ("region", region)) if v}
        return self._request("POST", "/delivery/flush", payload)

    def set_propagation(self, seconds: float) -> dict[str, Any]:
        """Opt-in propagation delay (tests/emulator/propagation.py); 0 turns it off."""
        return self._request("POST", "/propagation", {"seconds": seconds})

    def propagation(self) -> dict[str, Any]:
        return self._request("GET", "/propagation")

    def faults_fired(self) -> int:
        """Faults that fired since the last reset (rules cleared since included) and propagation refusals."""
        data = self._request("GET", "/faults")
        return int(data.get("fired_total", 0)) + int(data.get("propagation_refused", 0))
