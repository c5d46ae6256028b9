"""Every role's inputs: defaults/main.yml and meta/argument_specs.yml list the same variables with the same defaults.

Conventions (STYLE.md 9): inputs are prefixed with the role name; required inputs have no default
(they are listed as a comment in defaults/main.yml); every input is in the role's README.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROLES = Path(__file__).resolve().parents[3] / "roles"
ROLE_NAMES = sorted(p.name for p in ROLES.iterdir() if (p / "meta" / "argument_specs.yml").exists())


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text()) if path.exists() else None


def _spec(role: str) -> dict[str, dict[str, Any]]:
    return _load(ROLES / role / "meta" / "argument_specs.yml")["argument_specs"]["main"].get("options") or {}


def _defaults(role: str) -> dict[str, Any]:
    return _load(ROLES / role / "defaults" / "main.yml") or {}


def test_every_role_has_an_argument_spec() -> None:
    roles = sorted(p.name for p in ROLES.iterdir() if p.is_dir())
    assert roles, "no roles"
    assert roles == ROLE_NAMES, f"roles without meta/argument_specs.yml: {set(roles) - set(ROLE_NAMES)}"


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_defaults_match_argument_spec(role: str) -> None:
    spec, defaults = _spec(role), _defaults(role)
    assert set(defaults) - set(spec) == set(), "defaults not documented in argument_specs.yml"
    for name, option in spec.items():
        if option.get("required"):
            assert "default" not in option, f"{name}: required and with a default"
            assert name not in defaults, f"{name}: required, so no default in defaults/main.yml"
            assert f"# {name}:" in (ROLES / role / "defaults" / "main.yml").read_text(), f"{name}: not listed in defaults/main.yml"
            continue
        assert name in defaults, f"{name}: in argument_specs.yml but not in defaults/main.yml"
        if _templated_non_string(option, defaults[name]):
            # The role schema (antsibull-docs) rejects a template as the default of a bool/int/...: the spec then has none and
            # the description names its variables; defaults/main.yml gives the value at run time (argument specs only validate).
            assert "default" not in option, f"{name}: a templated default of a {option['type']} option belongs in the description"
            # No braces in the description: validate_argument_spec templates the whole spec at run time.
            for var in re.findall(r"\{\{\s*(\w+)", defaults[name]):
                assert f"C({var})" in _description(option), f"{name}: the description does not say it defaults to C({var})"
            continue
        assert option.get("default") == defaults[name], f"{name}: spec default {option.get('default')!r} != defaults {defaults[name]!r}"


def _templated_non_string(option: dict[str, Any], default: Any) -> bool:
    return option.get("type", "str") not in ("str", "raw") and isinstance(default, str) and "{{" in default


def _description(option: dict[str, Any]) -> str:
    text = option.get("description") or ""
    return " ".join(text) if isinstance(text, list) else text


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_inputs_are_prefixed_and_typed(role: str) -> None:
    for name, option in _spec(role).items():
        assert name.startswith(f"{role}_"), f"{name}: not prefixed with {role}_"
        assert option.get("type"), f"{name}: no type"
        assert option.get("description"), f"{name}: no description"
        if option["type"] == "list":
            assert option.get("elements"), f"{name}: list without elements"
        if "choices" in option and option.get("default") is not None:
            values = option["default"] if option["type"] == "list" else [option["default"]]
            assert set(values) <= set(option["choices"]), f"{name}: default not in choices"


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; a | inside `code` (a Jinja filter in a default) or escaped does not split."""
    cells, cell, code, previous = [], "", False, ""
    for char in line.strip()[1:]:
        if char == "`":
            code = not code
        if char == "|" and not code and previous != "\\":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
        previous = char
    return cells


def _tables(text: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading above, header cells, body rows) of every Markdown table."""
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    heading, rows = "", []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            rows.append(_cells(line))
            continue
        if len(rows) >= 2:
            tables.append((heading, rows[0], rows[2:]))
        rows = []
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
    return tables


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_readme_lists_every_input(role: str) -> None:
    """Every input is a row of the README's Inputs table (first column `name`), and every row of every table has its header's columns."""
    readme = ROLES / role / "README.md"
    assert readme.exists(), "no README.md"
    tables = _tables(readme.read_text())
    for heading, header, rows in tables:
        for row in rows:
            assert len(row) == len(header), f"a row of the table under '{heading}' has {len(row)} columns, its header {len(header)}: {row}"
    inputs = [rows for heading, header, rows in tables if heading == "Inputs" and header[0] == "Variable"]
    assert len(inputs) == 1, "README.md has no (or more than one) Inputs table: '## Inputs', then | Variable | ..."
    names = [row[0] for row in inputs[0]]
    missing = [name for name in _spec(role) if f"`{name}`" not in names]
    assert not missing, f"the Inputs table of README.md does not list {missing}"
    unknown = [name for name in names if name.strip("`") not in _spec(role)]
    assert not unknown, f"the Inputs table of README.md lists {unknown}, not in argument_specs.yml"
    for heading, header, rows in tables:
        if header[0] == "Control":  # a mapping to CIS / Security Hub controls: each row names a control, not an input
            inputs_there = [row[0] for row in rows if row[0].strip("`") in _spec(role)]
            assert not inputs_there, f"the '{header[0]}' table under '{heading}' has input rows {inputs_there}"


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_internal_variables_are_double_underscored(role: str) -> None:
    """Variables a role sets for itself (vars/main.yml, register:) are `__<role>_*`; only `<role>_result`, its documented output, is not."""
    vars_file = _load(ROLES / role / "vars" / "main.yml") or {}
    assert all(k.startswith(f"__{role}_") for k in vars_file), sorted(vars_file)
    for tasks in (ROLES / role / "tasks").glob("*.yml"):
        for line in tasks.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith("register:"):
                name = stripped.split(":", 1)[1].strip()
                assert name.startswith(f"__{role}_") or name == f"{role}_result", f"{tasks.name}: {stripped}"
