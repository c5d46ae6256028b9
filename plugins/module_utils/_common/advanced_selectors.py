# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Advanced event selectors, shared by trails and Lake event data stores (pure: no boto3).

The option (argument spec), its validation, module shape (snake_case) <-> AWS
shape (CamelCase), and order-insensitive forms for comparison. What differs
between trails and event data stores (how many selectors, how many condition
values, where an error is reported) is given by the caller.
Field names are not a closed list (AWS keeps adding them); only their syntax is checked.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from .errors import CloudAuditError

OPERATORS = {
    "equals": "Equals",
    "not_equals": "NotEquals",
    "starts_with": "StartsWith",
    "not_starts_with": "NotStartsWith",
    "ends_with": "EndsWith",
    "not_ends_with": "NotEndsWith",
}
EQUALS_ONLY_FIELDS = ("readOnly", "eventCategory", "resources.type")
FIELD_RE = re.compile(r"^[\w.]{1,1000}$")
MAX_VALUE_LENGTH = 2048
MAX_CONDITION_VALUES = 500


def argument_spec() -> dict[str, Any]:
    """The advanced_event_selectors option (documented by the cloudaudit.aws._advanced_event_selectors fragment)."""
    field_selector: dict[str, Any] = {"field": dict(type="str", required=True)}
    field_selector.update({operator: dict(type="list", elements="str") for operator in OPERATORS})
    return dict(
        type="list",
        elements="dict",
        options=dict(
            name=dict(type="str"),
            field_selectors=dict(type="list", elements="dict", required=True, options=field_selector),
        ),
    )


# ---------------------------------------------------------------- validation
def _locate(option: str, index: int, findex: int | None, per_field: bool) -> tuple[str, str]:
    """(option the error names, message prefix): the exact path, or the option plus 'selector N: '."""
    if not per_field:
        return option, f"selector {index + 1}: "
    where = f"{option}[{index}]"
    return (where if findex is None else f"{where}.field_selectors[{findex}]"), ""


def validate(
    selectors: list[Mapping[str, Any]],
    option: str,
    max_selectors: int | None = None,
    max_values: int = MAX_CONDITION_VALUES,
    per_field: bool = True,
    empty_operator_is_error: bool = False,
) -> None:
    """Check advanced selectors in the module shape; raise CloudAuditError before any AWS call.

    max_selectors: how many selectors the resource takes (None: not checked here).
    max_values: condition values allowed across all selectors.
    per_field: name the failing selector / field selector in the option
      (option[0].field_selectors[1]); otherwise name option and say 'selector N:' in the message.
    empty_operator_is_error: an operator given as [] fails (otherwise it is ignored like an unset one).
    """
    if max_selectors is not None and len(selectors) > max_selectors:
        raise CloudAuditError(f"{len(selectors)} selectors given, AWS allows at most {max_selectors}", option)
    total = 0
    for index, selector in enumerate(selectors):
        fields = selector.get("field_selectors") or []
        if not fields:
            where, prefix = _locate(option, index, None, per_field)
            raise CloudAuditError(f"{prefix}field_selectors must hold at least one field selector", where)
        for findex, field_selector in enumerate(fields):
            where, prefix = _locate(option, index, findex, per_field)
            total += _check_field_selector(field_selector, where, prefix, empty_operator_is_error)
    if total > max_values:
        raise CloudAuditError(f"{total} condition values given, AWS allows at most {max_values} across advanced selectors", option)


def _check_field_selector(field_selector: Mapping[str, Any], where: str, prefix: str, empty_operator_is_error: bool) -> int:
    """The number of condition values of one valid field selector."""
    name = field_selector.get("field") or ""
    if not FIELD_RE.fullmatch(name):
        raise CloudAuditError(f"{prefix}field '{name}' must be 1-1000 characters of letters, digits, '_' and '.'", where)
    count = 0
    used = False
    for key in OPERATORS:
        values = field_selector.get(key)
        if values is None:
            continue
        if not values:
            if empty_operator_is_error:
                raise CloudAuditError(f"{prefix}{key} of field '{name}' is empty", where)
            continue
        if name in EQUALS_ONLY_FIELDS and key != "equals":
            raise CloudAuditError(f"{prefix}field '{name}' only supports the equals operator, not {key}", where)
        for value in values:
            if not 1 <= len(str(value)) <= MAX_VALUE_LENGTH:
                raise CloudAuditError(f"{prefix}{key}: each value must be 1-{MAX_VALUE_LENGTH} characters", where)
        count += len(values)
        used = True
    if not used:
        raise CloudAuditError(f"{prefix}field '{name}' needs at least one operator ({', '.join(OPERATORS)})", where)
    return count


# ---------------------------------------------------------------- conversion
def to_aws(selectors: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Module shape -> AWS shape (AdvancedEventSelectors); unset and empty operators left out."""
    result = []
    for selector in selectors:
        fields = []
        for field_selector in selector.get("field_selectors") or []:
            entry: dict[str, Any] = {"Field": field_selector["field"]}
            for key, aws_key in OPERATORS.items():
                if field_selector.get(key):
                    entry[aws_key] = [str(v) for v in field_selector[key]]
            fields.append(entry)
        item: dict[str, Any] = {"FieldSelectors": fields}
        if selector.get("name"):
            item["Name"] = selector["name"]
        result.append(item)
    return result


def from_aws(selectors: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """AWS shape -> module shape, in AWS's order: {"name": Name or None, "field_selectors": [...]}."""
    result = []
    for selector in selectors or []:
        fields = []
        for field_selector in selector.get("FieldSelectors") or []:
            entry: dict[str, Any] = {"field": field_selector.get("Field")}
            for key, aws_key in OPERATORS.items():
                if field_selector.get(aws_key):
                    entry[key] = list(field_selector[aws_key])
            fields.append(entry)
        result.append({"name": selector.get("Name"), "field_selectors": fields})
    return result


# ---------------------------------------------------------------- comparison
def normalize(selectors: list[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Module-shape selectors in a canonical order: unset operators and names dropped, values and fields sorted."""
    if selectors is None:
        return None
    result = []
    for selector in selectors:
        fields = []
        for field_selector in selector.get("field_selectors") or []:
            entry: dict[str, Any] = {"field": field_selector["field"]}
            for operator in OPERATORS:
                if field_selector.get(operator):
                    entry[operator] = sorted(str(v) for v in field_selector[operator])
            fields.append(entry)
        fields.sort(key=lambda f: json.dumps(f, sort_keys=True))
        item: dict[str, Any] = {"field_selectors": fields}
        if selector.get("name"):
            item["name"] = selector["name"]
        result.append(item)
    return sorted(result, key=lambda s: json.dumps(s, sort_keys=True))


def canonical(selectors: list[Mapping[str, Any]] | None) -> list[str]:
    """Order-insensitive canonical form of AWS-shape selectors (names included)."""
    canon = []
    for selector in selectors or []:
        fields = []
        for field_selector in selector.get("FieldSelectors") or []:
            fields.append(json.dumps({k: (sorted(v) if isinstance(v, list) else v) for k, v in field_selector.items() if v}, sort_keys=True))
        canon.append(json.dumps({"name": selector.get("Name") or "", "fields": sorted(fields)}, sort_keys=True))
    return sorted(canon)
