"""EventBridge TestEventPattern as AWS answers it (moto 5.2.x: an empty 200 answer, no Result).

Patched at import on moto's EventsHandler; tests in tests/emulator/tests/test_events_patterns.py.

- The pattern is parsed and validated by moto's own EventPatternParser (InvalidEventPatternException
  for bad JSON, non-list leaves, empty lists) and matched by moto's EventPattern, the matcher moto uses
  to route PutEvents to rules: exact values, nested keys (detail.requestParameters.name), ``$or``,
  prefix / suffix / anything-but / numeric / exists / wildcard / equals-ignore-case filters.
- The event must be JSON with the envelope fields AWS requires (id, account, source, time, region,
  detail-type, resources); otherwise InvalidEventPatternException "Parameter Event is not valid.",
  as AWS says.
- Answer: {"Result": true|false}.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.events import models as events_models
from moto.events import responses as events_responses

from ..shapes import checked

EventsResponse = events_responses.EventsHandler

assert hasattr(events_models, "EventPattern") and hasattr(events_models, "EventPatternParser"), "moto events has no EventPattern: review events_patterns"
assert "matches_event" in events_models.EventPattern.__dict__, "moto EventPattern.matches_event is gone: review events_patterns"
assert "pass" in inspect.getsource(EventsResponse.test_event_pattern), "moto now implements TestEventPattern: review events_patterns"

# The envelope fields TestEventPattern requires in Event.
REQUIRED_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type", "resources")


class _InvalidEvent(JsonRESTError):
    code = 400

    def __init__(self) -> None:
        super().__init__("InvalidEventPatternException", "Parameter Event is not valid.")


def _event(raw: Any) -> dict[str, Any]:
    try:
        event = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        event = None
    if not isinstance(event, dict) or any(field not in event for field in REQUIRED_EVENT_FIELDS):
        raise _InvalidEvent()
    return event


@checked("events", "TestEventPattern")
def test_event_pattern(self: EventsResponse) -> str:
    body = json.loads(self.body or "{}")
    pattern = events_models.EventPatternParser(body.get("EventPattern")).parse()
    event = _event(body.get("Event"))
    matched = events_models.EventPattern(body.get("EventPattern"), pattern).matches_event(event)
    return json.dumps({"Result": bool(matched)})


# pytest would collect a module-level name starting with "test_" from an importing test module.
test_event_pattern.__test__ = False  # type: ignore[attr-defined]


def install() -> None:
    EventsResponse.test_event_pattern = test_event_pattern


install()
