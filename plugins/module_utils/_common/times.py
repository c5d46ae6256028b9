# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ISO 8601 times (pure): the one parser behind every time option of the collection."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


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
