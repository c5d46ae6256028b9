"""The molecule scenarios of extensions/molecule/ (converge -> idempotence -> verify) against the emulator."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, PlaybookRunner, run_tool

EXTENSIONS = ROOT / "extensions"
SCENARIOS = sorted(p.parent.name for p in (EXTENSIONS / "molecule").glob("*/molecule.yml"))


@pytest.mark.integration
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(scenario: str, aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    molecule = shutil.which("molecule", path=str(Path(sys.executable).parent))
    if molecule is None:
        pytest.skip("molecule is not installed in this environment")
    env = playbook.env()
    env["MOLECULE_EPHEMERAL_DIRECTORY"] = str(tmp_path / "molecule")
    env["ANSIBLE_ROLES_PATH"] = str(ROOT / "roles")
    proc = run_tool([molecule, "test", "--scenario-name", scenario], EXTENSIONS, env)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"molecule test -s {scenario} failed:\n{output[-15000:]}"
    for step in ("converge", "idempotence", "verify"):
        assert f"{scenario} > {step}: Executed: Successful" in output, f"{step} did not run:\n{output[-3000:]}"
    # verify really ran against what converge built
    assert aws.client("cloudtrail").get_trail_status(Name="molecule-trail")["IsLogging"]
