# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ISO 8601 times (pure): the one parser behind every time option of the collection."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from .errors import CloudAuditError

RELATIVE_RE = re.compile(r"^-(\d+)([dhms])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_iso_time(value: Any) -> datetime:
    """An aware UTC datetime from an ISO 8601 string (a trailing Z allowed; no zone means UTC) or a datetime.

    Raises ValueError when the string is not ISO 8601; the caller names the option in its own message.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_time(value: Any, option: str, now: datetime) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 string (or datetime) or a relative '-7d' / '-12h' / '-30m' / '-45s'."""
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        text = str(value).strip()
        if text == "now":
            return now
        relative = RELATIVE_RE.fullmatch(text)
        if relative:
            return now - timedelta(**{UNITS[relative.group(2)]: int(relative.group(1))})
    try:
        return parse_iso_time(value)
    except ValueError:
        raise CloudAuditError(f"'{value}' is neither an ISO 8601 time (2026-11-01T10:00:00Z) nor a relative time (-7d, -12h, -30m)", option) from None
