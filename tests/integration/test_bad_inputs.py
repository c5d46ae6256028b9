"""The bad-input corpus (bad_inputs/*.yml): every case fails before any write, naming the option.

Each case is data: the module (or role, or inventory configuration), its arguments, the option the
message must name (and optionally a substring), and a label. Modules run in-process (main() with
patch_module_args, as test_surrounding_whitespace.py does) against the reset emulator; the recorder
must show no write call for the case (reads are allowed where the check needs them). The role cases of
one role run in one playbook (one play per case, each ignoring its own failure), the inventory cases
through the plugin's parse() in-process.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

CORPUS_DIR = Path(__file__).parent / "bad_inputs"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "is not iterable", "could not parse JSON or key=value", "KeyError")


def _expand(value: Any) -> Any:
    """The corpus' value macros: {__repeat__: [text, n]}, {__tags__: n}, {__tagkey__: n}."""
    if isinstance(value, dict):
        if set(value) == {"__repeat__"}:
            text, count = value["__repeat__"]
            return str(text) * int(count)
        if set(value) == {"__tags__"}:
            return {f"key{i}": "value" for i in range(int(value["__tags__"]))}
        if set(value) == {"__buckets__"}:
            return [f"arn:aws:s3:::bucket-{i}/" for i in range(int(value["__buckets__"]))]
        if set(value) == {"__tagkey__"}:
            return {"k" * int(value["__tagkey__"]): "value"}
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    return value


def load_corpus() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text()) or []:
            case = dict(case, source=path.name)
            case["args"] = _expand(case.get("args") or {})
            cases.append(case)
    return cases


CORPUS = load_corpus()
MODULE_CASES = [c for c in CORPUS if "module" in c]
ROLE_CASES = [c for c in CORPUS if "role" in c]
INVENTORY_CASES = [c for c in CORPUS if "inventory" in c]


def _case_id(case: dict[str, Any]) -> str:
    kind = case.get("module") or case.get("role") or "inventory"
    return f"{kind}: {case['label']}"


def _names_option(msg: str, option: str) -> bool:
    """The message names the option: `<option>: ...` as the collection writes it, or the option's name in it."""
    leaf = option.split(".")[-1].split("[")[0]
    return msg.startswith(f"{option}:") or option in msg or leaf in msg


def _check_failure(case: dict[str, Any], result: dict[str, Any]) -> None:
    where = _case_id(case)
    assert result.get("failed"), f"{where}: accepted: {json.dumps(result, default=str)[:600]}"
    msg = str(result.get("msg", ""))
    assert _names_option(msg, case["option"]), f"{where}: the message does not name {case['option']}: {msg}"
    if case.get("contains"):
        assert case["contains"].lower() in msg.lower(), f"{where}: the message does not say {case['contains']!r}: {msg}"
    dumped = json.dumps(result, default=str)
    for marker in TRACEBACK_MARKERS:
        assert marker not in dumped, f"{where}: unreadable failure ({marker}): {dumped[:600]}"


# --- modules, in-process ----------------------------------------------------------------------------


def _run_module(name: str, params: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from ansible.module_utils.testing import patch_module_args

    module = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}")
    capsys.readouterr()
    with patch_module_args(params), pytest.raises(SystemExit):
        module.main()
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])


@pytest.mark.integration
@pytest.mark.parametrize("case", MODULE_CASES, ids=_case_id)
def test_module_bad_input(case: dict[str, Any], aws: Any, capsys: pytest.CaptureFixture[str], count: Any) -> None:
    count("bad inputs tried")
    mark = aws.emulator.mark()
    result = _run_module(case["module"], case["args"], capsys)
    _check_failure(case, result)
    summary = aws.emulator.summary(since=mark)
    assert summary["writes"] == 0, f"{_case_id(case)}: wrote before failing: {summary['write_operations']}"


# --- the organization inventory plugin, parse() in-process ----------------------------------------


def _make_organization(aws: Any) -> None:
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.create_organizational_unit(ParentId=root, Name="Security")
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    prod = org.create_organizational_unit(ParentId=workloads, Name="Prod")["OrganizationalUnit"]["Id"]
    member = org.create_account(AccountName="app", Email="app@example.com")["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=prod)


def _parse_inventory(config: dict[str, Any], tmp_path: Path) -> str | None:
    """The plugin's parse() of the configuration: the error message, or None when it parsed."""
    from ansible.errors import AnsibleError
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    path = tmp_path / "bad.aws_organization.yml"
    path.write_text(yaml.safe_dump({"plugin": "cloudaudit.aws.organization", **config}))
    plugin = inventory_loader.get("cloudaudit.aws.organization")
    try:
        plugin.parse(InventoryData(), DataLoader(), str(path), cache=False)
    except AnsibleError as e:
        return str(e)
    return None


@pytest.mark.integration
@pytest.mark.parametrize("case", INVENTORY_CASES, ids=_case_id)
def test_inventory_bad_config(case: dict[str, Any], aws: Any, tmp_path: Path, count: Any) -> None:
    count("bad inputs tried")
    _make_organization(aws)
    mark = aws.emulator.mark()
    msg = _parse_inventory(case["inventory"], tmp_path)
    _check_failure(case, {"failed": msg is not None, "msg": msg or ""})
    assert aws.emulator.summary(since=mark)["writes"] == 0
