"""What the emulator adds to moto, and what it corrects.

Each extension is a module here that, when imported in the server process,
registers its handlers on moto's Response classes (moto dispatches a JSON
action to the snake_case method of the same name) or wraps moto's models.
Extension state lives in moto BackendDicts, so /moto-api/reset and
multi-account behave as for moto's own services.
"""

from __future__ import annotations

import importlib

# Import order matters only where one extension wraps what another defines.
EXTENSIONS: list[str] = [
    "corrections_cloudtrail",
    "corrections_s3",
    "corrections_logs",
    "corrections_kms",
    "cloudtrail_lake",
    "cloudtrail_misc",
    "corrections_organizations",
    "lookup_events",
    "events_patterns",
    "logs_filter_patterns",
    "athena_glue_corrections",
    "athena_engine",
    "delivery",
]


def install() -> list[str]:
    """Import every extension (idempotent: Python imports each once)."""
    for name in EXTENSIONS:
        importlib.import_module(f"{__name__}.{name}")
    return list(EXTENSIONS)


def reset() -> None:
    """Call reset() of every extension that keeps state outside moto's backends (/_emulator/reset)."""
    for name in EXTENSIONS:
        module = importlib.import_module(f"{__name__}.{name}")
        hook = getattr(module, "reset", None)
        if callable(hook):
            hook()
