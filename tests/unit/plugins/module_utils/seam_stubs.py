"""Stand-ins for running an area's entry point through the pipeline without AWS.

Seam replaces one _aws/<service>.py module: it records the name of every wrapper called and
answers from a dict. StubModule is the module the pipeline's Context wraps (STS answers
GetCallerIdentity for account 111122223333).
"""

from __future__ import annotations

from typing import Any

ACCOUNT = "111122223333"
WRITE_PREFIXES = ("create_", "delete_", "put_", "associate_", "disassociate_", "tag_", "untag_", "update_", "enable_", "disable_", "schedule_", "cancel_")


class Seam:
    def __init__(self, calls: list[str], answers: dict[str, Any]) -> None:
        self._calls, self._answers = calls, answers

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            self._calls.append(name)
            answer = self._answers.get(name)
            return answer(*args) if callable(answer) else answer

        return call


class StubSts:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def get_caller_identity(self) -> dict[str, str]:
        self.calls.append("get_caller_identity")
        return {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:root"}


class StubModule:
    def __init__(self, params: dict[str, Any], check_mode: bool = False, calls: list[str] | None = None) -> None:
        self.params, self.check_mode, self._diff, self.region = params, check_mode, True, "us-east-1"
        self.warnings: list[str] = []
        self.calls = calls if calls is not None else []

    def client(self, service: str) -> Any:
        return StubSts(self.calls) if service == "sts" else service

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def writes(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith(WRITE_PREFIXES)]
