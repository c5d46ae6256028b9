"""Run each integration target (tests/integration/targets/<name>/tasks/main.yml) against a reset emulator.

A target is an ordinary role whose tasks assert behaviour: check -> apply ->
check unchanged -> apply unchanged, drift made with `emulator_boto3`, call
counts with `emulator_calls`. Targets whose `aliases` file says `disabled`
are skipped; `setup_*` targets are helpers, not tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TARGETS_DIR = Path(__file__).parent / "targets"


def _targets() -> list[str]:
    names = []
    for target in sorted(TARGETS_DIR.iterdir()):
        aliases = (target / "aliases").read_text() if (target / "aliases").exists() else ""
        if target.name.startswith("setup_") or "disabled" in aliases.split():
            continue
        if (target / "tasks" / "main.yml").exists():
            names.append(target.name)
    return names


@pytest.mark.integration
@pytest.mark.parametrize("target", _targets())
def test_target(target: str, playbook, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(
        "- hosts: localhost\n"
        "  connection: local\n"
        "  gather_facts: false\n"
        "  roles:\n"
        f"    - role: {TARGETS_DIR / target}\n"
    )
    result = playbook.run(play)
    assert result.rc == 0, f"target {target} failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
