# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A role's checks of what its argument spec cannot express, as data (the input_checks of cloudaudit.aws.resources).

Why here and not in Jinja: a role's checks written as one Jinja expression took ansible-core about
0.3 CPU-s per account to compile (it compiles a template every time it renders it), more than all
the AWS work of a no-op account. As data, the role names the variable and the rule; this file
applies it, with the same messages.

A check is a dictionary: ``var`` (the role variable), ``error`` (what the message says after the
variable's name and, for a pattern, the offending value), and one rule:

- ``match``: a regular expression the whole value must match, without surrounding whitespace
  (``each: true`` for a list: every item; ``optional: true``: an empty value passes);
- ``not_match``: a regular expression the value must not start with a match of (``re.match``);
- ``max_length``: at most that many characters;
- ``differs_from``: another variable whose value this one must not equal (empty passes);
- ``keys``: a dictionary whose keys are among those given;
- ``whole_days``: a dictionary whose values are whole numbers of at least 1.

Messages: ``<var>: <value as JSON> <error>`` for match (with ``each``: the failing items, as JSON those
with surrounding whitespace), ``<var>: <value> <error>`` for not_match, ``<var>: <error>`` otherwise;
``keys`` writes its own (the unknown and the known keys). ``name`` replaces the variable's name in
the message (for a variable the role computes from an input: the message names the input).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

RULES = ("match", "not_match", "max_length", "differs_from", "keys", "whole_days")
FLAGS = frozenset(("var", "name", "error", "optional", "each"))


class InputCheckError(ValueError):
    """A check that is not written as this file expects (a defect of the role, named)."""


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _bad_text(pattern: str, value: str) -> bool:
    return value != value.strip() or re.fullmatch(pattern, value) is None


def _match(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    del values
    pattern = check["match"]
    if check.get("each"):
        items = [_text(v) for v in (value or [])] if isinstance(value, (list, tuple)) else [_text(value)]
        bad = list(dict.fromkeys(json.dumps(v) if v != v.strip() else v for v in items if _bad_text(pattern, v)))
        return f"{', '.join(bad)} {check['error']}" if bad else None
    text = _text(value)
    if check.get("optional") and text == "":
        return None
    return f"{json.dumps(text)} {check['error']}" if _bad_text(pattern, text) else None


def _not_match(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    del values
    text = _text(value)
    return f"{text} {check['error']}" if text and re.match(check["not_match"], text) else None


def _max_length(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    del values
    return check["error"] if len(_text(value)) > int(check["max_length"]) else None


def _differs_from(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    text = _text(value)
    return check["error"] if text and text == _text(values.get(check["differs_from"])) else None


def _keys(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    del values
    known = list(check["keys"])
    unknown = [str(k) for k in value if k not in known] if isinstance(value, dict) else []
    return f"unknown keys {', '.join(unknown)} (known: {', '.join(known)})" if unknown else None


def _whole_days(check: dict[str, Any], value: Any, values: dict[str, Any]) -> str | None:
    del values
    days = list(value.values()) if isinstance(value, dict) else []
    bad = [d for d in days if isinstance(d, bool) or not isinstance(d, int) or d < 1]
    return check["error"] if bad else None


APPLY: dict[str, Callable[[dict[str, Any], Any, dict[str, Any]], "str | None"]] = {
    "match": _match,
    "not_match": _not_match,
    "max_length": _max_length,
    "differs_from": _differs_from,
    "keys": _keys,
    "whole_days": _whole_days,
}


def variables_of(checks: Any) -> list[str]:
    """The variables the checks read (each check's var and differs_from), in order; raises InputCheckError."""
    if not isinstance(checks, list):
        raise InputCheckError("input_checks: expected a list of checks")
    names: list[str] = []
    for index, check in enumerate(checks):
        where = f"input_checks[{index}]"
        if not isinstance(check, dict) or not isinstance(check.get("var"), str) or not check["var"]:
            raise InputCheckError(f"{where}: expected a dictionary with var, error and one rule of {', '.join(RULES)}")
        rules = [k for k in check if k in RULES]
        unknown = sorted(set(check) - FLAGS - set(RULES))
        if len(rules) != 1 or unknown or ("error" not in check and rules != ["keys"]):
            raise InputCheckError(f"{where} ({check['var']}): expected var, error and exactly one rule of {', '.join(RULES)}")
        names.append(check["var"])
        if "differs_from" in check:
            names.append(str(check["differs_from"]))
    return list(dict.fromkeys(names))


def errors(checks: list[dict[str, Any]], values: dict[str, Any]) -> list[str]:
    """The messages of the checks that fail, in the order of the checks (values: each variable's value)."""
    variables_of(checks)
    found = []
    for index, check in enumerate(checks):
        rule = next(k for k in check if k in RULES)
        try:
            message = APPLY[rule](check, values.get(check["var"]), values)
        except (re.error, TypeError, ValueError) as e:  # a pattern or a number of the check itself written wrong
            raise InputCheckError(f"input_checks[{index}] ({check['var']}): {rule}: {e}") from e
        if message:
            found.append(f"{check.get('name') or check['var']}: {message}")
    return found
