"""Stubs shared by the tests that run an area's Resources on the pipeline without AWS."""

from __future__ import annotations

from typing import Any

import pytest


class StubModule:
    """What the pipeline's Context uses of a module: params, modes, region, clients (names only), warnings."""

    def __init__(self, params: dict[str, Any], check_mode: bool = False, region: str = "us-east-1") -> None:
        self.params, self.check_mode, self._diff, self.region = params, check_mode, True, region
        self.warnings: list[str] = []

    def client(self, service: str) -> str:
        return service

    def warn(self, message: str) -> None:
        self.warnings.append(message)


class StubAws:
    """Replaces _aws wrappers: each call is recorded as (name, arguments after the client) and answers as told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def answer(self, seam: Any, name: str, answer: Any = None) -> None:
        """seam.name answers answer(*args) when it is callable, else answer."""

        def wrapper(*args: Any) -> Any:
            self.calls.append((name, args[1:]))
            return answer(*args) if callable(answer) else answer

        self.monkeypatch.setattr(seam, name, wrapper)

    def names(self) -> list[str]:
        return [name for name, dummy in self.calls]


@pytest.fixture
def stub_aws(monkeypatch: pytest.MonkeyPatch) -> StubAws:
    return StubAws(monkeypatch)
