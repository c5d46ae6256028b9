"""Run each integration target (tests/integration/targets/<name>/tasks/main.yml) against a reset emulator.

A target is an ordinary role whose tasks assert behaviour: check -> apply ->
check unchanged -> apply unchanged, drift made with `emulator_boto3`, call
counts with `emulator_calls`. Targets whose `aliases` file says `disabled`
are skipped; `setup_*` targets are helpers, not tests.

Every target runs as users run it: the modules' action plugins run the cores in-process on this
local connection. The targets of MODULE_PATH_TARGETS run a second time with
`-e cloudaudit_execution=module`, the classic module path; every module is on that path in
test_execution_paths.py (check mode, diff, guard refusals, bad input, compared key by key).
"""

from __future__ import annotations

from pathlib import Path

import pytest

TARGETS_DIR = Path(__file__).parent / "targets"
# Every module runs on the classic path in tests/integration/test_execution_paths.py (check mode, diff, guard
# refusals, bad input, compared key by key with the in-process path; cloudtrail_history_info and
# cloudtrail_log_validation_info in their own tests on both paths). These targets also run end to end there.
MODULE_PATH_TARGETS = (
    "cloudtrail_athena",
    "cloudtrail_lake_import",
    "cloudtrail_trail",
)


def _targets() -> list[str]:
    names = []
    for target in sorted(TARGETS_DIR.iterdir()):
        aliases = (target / "aliases").read_text() if (target / "aliases").exists() else ""
        if target.name.startswith("setup_") or "disabled" in aliases.split():
            continue
        if (target / "tasks" / "main.yml").exists():
            names.append(target.name)
    return names


def _runs() -> list:
    runs = [pytest.param(name, None, id=name) for name in _targets()]
    runs += [pytest.param(name, "module", id=f"{name}-module") for name in _targets() if name in MODULE_PATH_TARGETS]
    return runs


@pytest.mark.integration
@pytest.mark.parametrize(("target", "execution"), _runs())
def test_target(target: str, execution: str | None, playbook, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text("- hosts: localhost\n" "  connection: local\n" "  gather_facts: false\n" "  roles:\n" f"    - role: {TARGETS_DIR / target}\n")
    result = playbook.run(play, extra_vars={"cloudaudit_execution": execution} if execution else None)
    assert result.rc == 0, f"target {target} failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
