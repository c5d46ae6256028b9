"""The bad-input corpus (bad_inputs/*.yml): every case fails before any write, naming the option.

Each case is data: the module (or role, action, or inventory configuration), its arguments, the option the
message must name (and optionally a substring), and a label; one parametrized test runs them all, one id per
case. Modules run in-process (main() with patch_module_args, as test_surrounding_whitespace.py does) against
the reset emulator; the recorder must show no write call for the case (reads are allowed where the check
needs them). The cases of one role (or of the resources action) run in one playbook, once, by the first of
them (one rescued block per case), and each case reads its result; the inventory cases run through the
plugin's parse() in-process.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness import PlaybookRunner, run_module_main

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


def _case_id(case: dict[str, Any]) -> str:
    kind = case.get("module") or case.get("role") or case.get("task") or "inventory"
    return f"{kind}: {case['label']}"


def _names_option(msg: str, option: str) -> bool:
    """The message names the option: `<option>: ...` as the collection writes it, the full option path as a word
    (not a part of one: `id` is not named by "invalid"), or ansible-core's own wording of a sub-option, which names
    it by its last part and the path of its parent ("argument 'days' is of type ... found in 'retention'")."""
    if msg.startswith(f"{option}:") or _as_word(option, msg):
        return True
    parent, leaf = option.rpartition(".")[::2]
    if not parent:
        return False
    leaf, parent = leaf.split("[")[0], re.sub(r"\[\d+\]", "", parent)
    found_in = rf"found in '?{re.escape(parent.replace('.', ' -> '))}'?"
    return _as_word(leaf, msg) and re.search(found_in, msg) is not None


def _as_word(name: str, msg: str) -> bool:
    return re.search(rf"(?<![\w.\-]){re.escape(name)}(?![\w\-])", msg) is not None


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


# --- roles and the resources action: one playbook per group, one rescued block per case -------------

# The least each role needs besides the inputs of a case (valid values); a case's null removes an input.
ROLE_BASE: dict[str, dict[str, Any]] = {
    "trail": {"trail_name": "audit-trail", "trail_s3_bucket_name": "audit-bucket-123456789012"},
    "audit_bucket": {"audit_bucket_name": "audit-bucket-123456789012", "audit_bucket_kms_key_alias": "audit-bucket-key"},
    "baseline": {"baseline_log_archive_account": "123456789012", "baseline_account_id": "123456789012"},
    "history": {"history_bucket_name": "audit-bucket-123456789012"},
    "lake": {},
    "account": {},
    "drift_gate": {},
}


def _group(case: dict[str, Any]) -> str:
    """The playbook a role or action case runs in: one per role, one per action."""
    return f"role {case['role']}" if "role" in case else f"action {case['task']}"


def _group_cases(group: str) -> list[dict[str, Any]]:
    return [c for c in PLAYBOOK_CASES if _group(c) == group]


def _case_task(case: dict[str, Any]) -> dict[str, Any]:
    if "role" in case:
        role_vars = {k: v for k, v in {**ROLE_BASE[case["role"]], **_expand(case.get("vars") or {})}.items() if v is not None}
        return {"ansible.builtin.include_role": {"name": f"cloudaudit.aws.{case['role']}"}, "vars": role_vars}
    return {f"cloudaudit.aws.{case['task']}": case["args"]}


def _group_playbook(cases: list[dict[str, Any]], results: Path) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    for index, case in enumerate(cases):
        record = "{{ __bad_results | default({}) | combine({'%d': %s}) }}"
        tasks.append(
            {
                "name": f"case {index}: {case['label']}",
                "block": [
                    _case_task(case),
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


@pytest.fixture(scope="module")
def group_runs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """run(group, aws): the outcome of the group's playbook, run once (by its first case) for all its cases.

    The cases of a group share one xdist group, so one worker runs the playbook; each case reads its own result.
    """
    done: dict[str, dict[str, Any]] = {}

    def run(group: str, aws: Any) -> dict[str, Any]:
        if group not in done:
            workdir = tmp_path_factory.mktemp("bad-inputs")
            results, play = workdir / "results.json", workdir / "play.yml"
            play.write_text(yaml.safe_dump(_group_playbook(_group_cases(group), results), sort_keys=False))
            mark = aws.emulator.mark()
            ran = PlaybookRunner(aws.url, workdir).run(play)
            done[group] = {
                "ran": ran.rc == 0 and results.exists(),
                "output": ran.stdout[-4000:] + ran.stderr[-2000:],
                "results": json.loads(results.read_text()) if results.exists() else {},
                "writes": aws.emulator.summary(since=mark)["write_operations"],
            }
        return done[group]

    return run


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


# --- one test, one id per case --------------------------------------------------------------------

PLAYBOOK_CASES = [c for c in CORPUS if "role" in c or "task" in c]
for _case in PLAYBOOK_CASES:  # the case's block in its group's playbook
    _case["slot"] = sum(1 for c in PLAYBOOK_CASES[: PLAYBOOK_CASES.index(_case)] if _group(c) == _group(_case))


def _param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xdist_group(name=f"bad inputs: {_group(case)}")] if "slot" in case else []
    return pytest.param(case, id=_case_id(case), marks=marks)


@pytest.mark.integration
@pytest.mark.parametrize("case", [_param(c) for c in CORPUS])
def test_bad_input(case: dict[str, Any], aws: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, group_runs: Any, count: Any) -> None:
    """Module, role, action and inventory cases alike: the case fails before any write, naming its option."""
    count("bad inputs tried")
    if "module" in case:
        mark = aws.emulator.mark()
        _check_failure(case, _run_module(case["module"], case["args"], capsys))
        writes = aws.emulator.summary(since=mark)["write_operations"]
    elif "inventory" in case:
        _make_organization(aws)
        mark = aws.emulator.mark()
        msg = _parse_inventory(case["inventory"], tmp_path)
        _check_failure(case, {"failed": msg is not None, "msg": msg or ""})
        writes = aws.emulator.summary(since=mark)["write_operations"]
    else:
        group = group_runs(_group(case), aws)
        assert group["ran"], group["output"]
        _check_failure(case, group["results"].get(str(case["slot"]), {"failed": False, "msg": "(no result)"}))
        writes = group["writes"]  # the group's playbook: none of its cases may write
    assert not writes, f"{_case_id(case)}: wrote before failing: {writes}"
