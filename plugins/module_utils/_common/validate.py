# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks shared by several modules; each failure names the option."""

from __future__ import annotations

import re
from typing import Any, Iterable

from .errors import CloudAuditError

ARN_RE = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$")
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
ORG_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")


def check_arn(value: str, option: str, service: str | None = None, resource_prefix: str | None = None) -> re.Match:
    """Fail unless value is an ARN (of the given service, with the given resource prefix)."""
    match = ARN_RE.fullmatch(value or "")
    if not match:
        raise CloudAuditError(f"'{value}' is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)", option)
    if service and match.group(2) != service:
        raise CloudAuditError(f"'{value}' is not a {service} ARN", option)
    if resource_prefix and not match.group(5).startswith(resource_prefix):
        raise CloudAuditError(f"'{value}' is not a {service or ''} ARN of a {resource_prefix.rstrip(':/')}", option)
    return match


def check_account_ids(values: Iterable[str], option: str) -> None:
    for value in values or []:
        if not ACCOUNT_ID_RE.fullmatch(str(value)):
            raise CloudAuditError(f"'{value}' is not a 12-digit AWS account id", option)


def check_org_id(value: str | None, option: str) -> None:
    if value and not ORG_ID_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is not an AWS Organizations id (o-xxxxxxxxxx)", option)


def check_range(value: Any, option: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise CloudAuditError(f"{value} is outside the allowed range {low}-{high}", option)


def check_choice(value: Any, option: str, choices: Iterable[Any]) -> None:
    choices = list(choices)
    if value is not None and value not in choices:
        raise CloudAuditError(f"'{value}' is not one of {', '.join(map(str, choices))}", option)


# Free text, where surrounding white space is the user's own business.
FREE_TEXT_OPTIONS = frozenset(("description",))


def check_surrounding_whitespace(params: dict[str, Any] | None, spec: dict[str, Any], prefix: str = "") -> None:
    """Fail on a string option (or list element, at any depth) that starts or ends with white space.

    A name, id or ARN with a trailing newline (what a YAML block scalar gives) or space
    would be created under the wrong name, or written into a policy where AWS silently
    never matches it. Walks the module's own argument spec, so every option is covered,
    sub-options and list elements included; free text (FREE_TEXT_OPTIONS) is left alone.
    """
    for name, option in spec.items():
        value = (params or {}).get(name)
        if value is None:
            continue
        where = f"{prefix}{name}"
        kind, suboptions = option.get("type", "str"), option.get("options")
        if kind == "str" and name not in FREE_TEXT_OPTIONS:
            _check_stripped(value, where, option.get("no_log", False))
        elif kind == "dict" and suboptions and isinstance(value, dict):
            check_surrounding_whitespace(value, suboptions, f"{where}.")
        elif kind == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                if option.get("elements") == "str":
                    _check_stripped(item, f"{where}[{index}]", option.get("no_log", False))
                elif suboptions and isinstance(item, dict):
                    check_surrounding_whitespace(item, suboptions, f"{where}[{index}].")


def _check_stripped(value: Any, option: str, secret: bool) -> None:
    if isinstance(value, str) and value != value.strip():
        shown = "the value" if secret else repr(value)
        raise CloudAuditError(f"{shown} starts or ends with white space (a YAML block scalar adds a final newline); remove it", option)
