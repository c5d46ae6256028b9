"""Faults injected in front of moto: throttling, 5xx, OperationAborted, access denied, latency, hold.

hold: the call is carried out, then its answer is held back for latency_ms (the call is "in flight"
and already recorded), so that a test can kill the client while AWS has done the work.

A rule matches calls by a glob on "service:Operation" (and optionally account);
it fires with a probability (rate, seeded for repeatable tests) at most count
times. Errors are answered in the protocol of the service called.
"""

from __future__ import annotations

import fnmatch
import json
import random
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("throttle", "server_error", "operation_aborted", "access_denied", "latency", "hold")
_NOT_ERRORS = ("latency", "hold")
_JSON_SERVICES = frozenset(("cloudtrail", "logs", "kms", "events", "organizations", "dynamodb", "lambda"))


@dataclass
class FaultRule:
    kind: str
    operation: str = "*"  # glob on "service:Operation"
    rate: float = 1.0
    count: int | None = None  # None: unlimited
    latency_ms: int = 0
    account: str | None = None
    fired: int = 0

    def matches(self, service: str, operation: str, account: str) -> bool:
        if self.count is not None and self.fired >= self.count:
            return False
        if self.account and self.account != account:
            return False
        return fnmatch.fnmatchcase(f"{service}:{operation}", self.operation)


class FaultInjector:
    def __init__(self, seed: int = 7) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._random = random.Random(seed)
        self.fired_total = 0  # every firing since the last reset, also of rules cleared since

    def add(self, **spec: Any) -> FaultRule:
        if spec.get("kind") not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        rule = FaultRule(**{k: v for k, v in spec.items() if k in FaultRule.__dataclass_fields__ and k != "fired"})
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(r) for r in self._rules]

    def pick(self, service: str, operation: str, account: str) -> list[FaultRule]:
        """The rules that fire for this call (latency rules and at most one error)."""
        fired: list[FaultRule] = []
        with self._lock:
            for rule in self._rules:
                if not rule.matches(service, operation, account):
                    continue
                if self._random.random() >= rule.rate:
                    continue
                if rule.kind not in _NOT_ERRORS and any(r.kind not in _NOT_ERRORS for r in fired):
                    continue
                rule.fired += 1
                self.fired_total += 1
                fired.append(rule)
        return fired


def apply_latency(rules: list[FaultRule], kind: str = "latency") -> None:
    delay = sum(r.latency_ms for r in rules if r.kind == kind)
    if delay:
        time.sleep(delay / 1000.0)


def error_response(rule: FaultRule, service: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the injected error, shaped like the service's own errors."""
    request_id = str(uuid.uuid4())
    if rule.kind == "throttle":
        status, json_code, xml_code, message = 400, "ThrottlingException", "Throttling", "Rate exceeded"
        if service == "s3":
            status, xml_code, message = 503, "SlowDown", "Please reduce your request rate."
    elif rule.kind == "access_denied":  # not retried: the run fails there, as with a missing permission
        status, json_code, xml_code = 403 if service == "s3" else 400, "AccessDeniedException", "AccessDenied"
        message = "User is not authorized to perform this operation (injected by the emulator)"
    elif rule.kind == "operation_aborted":
        status, json_code, xml_code = 409, "OperationAborted", "OperationAborted"
        message = "A conflicting conditional operation is currently in progress against this resource. Please try again."
    else:
        status, json_code, xml_code, message = 500, "InternalFailure", "InternalError", "We encountered an internal error. Please try again."
    headers = [("x-amzn-RequestId", request_id), ("x-amz-request-id", request_id)]
    if service in _JSON_SERVICES:
        body = json.dumps({"__type": json_code, "message": message}).encode()
        return status, headers + [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", json_code)], body
    if service == "s3":
        body = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{xml_code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        return status, headers + [("Content-Type", "application/xml")], body.encode()
    body = (
        f"<ErrorResponse><Error><Type>{'Sender' if status < 500 else 'Receiver'}</Type><Code>{xml_code}</Code>"
        f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return status, headers + [("Content-Type", "text/xml")], body.encode()


FAULTS = FaultInjector()
