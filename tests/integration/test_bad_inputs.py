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

from tests.harness import run_module_main

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
    markers = TRACEBACK_MARKERS
    if "role" in case and _core_role_spec_message(msg, case["option"]):
        # ansible-core's own role argument spec validation (validate_argument_spec): it names the input and the
        # type wanted ("argument 'x' is of type str and we were unable to convert to dict: dictionary requested,
        # could not parse JSON or key=value"); its wording is ansible-core's, not the collection's.
        markers = tuple(m for m in markers if m != "could not parse JSON or key=value")
    for marker in markers:
        assert marker not in dumped, f"{where}: unreadable failure ({marker}): {dumped[:600]}"


def _core_role_spec_message(msg: str, option: str) -> bool:
    return msg.startswith("Validation of arguments failed") and (f"argument '{option}' is of type" in msg or f"option '{option}' is of type" in msg)


# --- modules, in-process ----------------------------------------------------------------------------


def _run_module(name: str, params: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    module = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}")
    return run_module_main(module, params, capsys)


@pytest.mark.integration
@pytest.mark.parametrize("case", MODULE_CASES, ids=_case_id)
def test_module_bad_input(case: dict[str, Any], aws: Any, capsys: pytest.CaptureFixture[str], count: Any) -> None:
    count("bad inputs tried")
    mark = aws.emulator.mark()
    result = _run_module(case["module"], case["args"], capsys)
    _check_failure(case, result)
    summary = aws.emulator.summary(since=mark)
    assert summary["writes"] == 0, f"{_case_id(case)}: wrote before failing: {summary['write_operations']}"


# --- roles: one playbook per role, one rescued block per case -------------------------------------

# The least each role needs besides the inputs of a case (valid values); a case's null removes an input.
ROLE_BASE: dict[str, dict[str, Any]] = {
    "trail": {"trail_name": "audit-trail", "trail_s3_bucket_name": "audit-bucket-123456789012"},
    "audit_bucket": {"audit_bucket_name": "audit-bucket-123456789012", "audit_bucket_kms_key_alias": "audit-bucket-key"},
    "baseline": {"baseline_log_archive_account": "123456789012", "baseline_account_id": "123456789012"},
    "lake": {},
    "account": {},
    "drift_gate": {},
}
ROLES = sorted({c["role"] for c in ROLE_CASES})


def _role_playbook(role: str, cases: list[dict[str, Any]], results: Path) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    for index, case in enumerate(cases):
        role_vars = {k: v for k, v in {**ROLE_BASE[role], **case["args"]}.items() if v is not None}
        record = "{{ __bad_results | default({}) | combine({'%d': %s}) }}"
        tasks.append(
            {
                "name": f"case {index}: {case['label']}",
                "block": [
                    {"ansible.builtin.include_role": {"name": f"cloudaudit.aws.{role}"}, "vars": role_vars},
                    {"ansible.builtin.set_fact": {"__bad_results": record % (index, "{'failed': false}")}},
                ],
                "rescue": [
                    {
                        "ansible.builtin.set_fact": {
                            "__bad_results": record
                            % (
                                index,
                                "{'failed': true, 'msg': ansible_failed_result.msg | default('') | string, 'task': ansible_failed_task.name | default('')}",
                            )
                        }
                    }
                ],
            }
        )
    tasks.append({"ansible.builtin.copy": {"content": "{{ __bad_results | default({}) | to_json }}", "dest": str(results)}})
    return [
        {
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "tasks": tasks,
        }
    ]


@pytest.mark.integration
@pytest.mark.parametrize("role", ROLES)
def test_role_bad_inputs(role: str, aws: Any, playbook: Any, tmp_path: Path, count: Any) -> None:
    cases = [dict(c, args=_expand(c.get("vars") or {})) for c in ROLE_CASES if c["role"] == role]
    results = tmp_path / "results.json"
    play = tmp_path / "play.yml"
    play.write_text(yaml.safe_dump(_role_playbook(role, cases, results), sort_keys=False))
    mark = aws.emulator.mark()
    run = playbook.run(play)
    assert run.rc == 0 and results.exists(), run.stdout[-4000:] + run.stderr[-2000:]
    outcome = json.loads(results.read_text())
    problems = []
    for index, case in enumerate(cases):
        count("bad inputs tried")
        try:
            _check_failure(case, outcome.get(str(index), {"failed": False, "msg": "(no result)"}))
        except AssertionError as e:
            problems.append(str(e).splitlines()[0])
    summary = aws.emulator.summary(since=mark)
    assert not problems, "\n".join(problems)
    assert summary["writes"] == 0, f"{role}: the cases wrote {summary['write_operations']}"


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
