"""drift_report callback + drift_gate role end to end: a check-mode run over a real module, three report files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.harness import ROOT

SCHEMA = json.loads((ROOT / "docs" / "drift_report_schema.json").read_text())

PLAY = """
- name: Someone's own play using the collection's modules (FQCN and short name)
  hosts: localhost
  connection: local
  gather_facts: false
  collections: [cloudaudit.aws]
  tasks:
    - name: Audit log group
      cloudaudit.aws.cloudtrail_log_group:
        name: /audit/drifted
        retention_days: 365
    - name: Second log group (short name)
      cloudtrail_log_group:
        name: /audit/in-sync
        retention_days: 30
    - name: Not a managing module of ours, not in the report
      ansible.builtin.debug:
        msg: hello

- name: Gate
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudaudit.aws.drift_gate
"""


def run(playbook: Any, tmp_path: Path, report_dir: Path, check: bool, extra_vars: dict[str, Any] | None = None) -> Any:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(report_dir)}
    return playbook.run(play, check=check, diff=check, env=env, extra_vars=extra_vars)


def load(report_dir: Path) -> tuple[dict[str, Any], ET.Element, str]:
    report = json.loads((report_dir / "drift.json").read_text())
    jsonschema.validate(report, SCHEMA)
    junit = ET.parse(report_dir / "drift.xml").getroot()
    return report, junit, (report_dir / "drift.md").read_text()


@pytest.mark.integration
def test_drift_is_reported_gated_and_gone_after_apply(aws: Any, playbook: Any, tmp_path: Path) -> None:
    logs = aws.client("logs")
    for name in ("/audit/drifted", "/audit/in-sync"):
        logs.create_log_group(logGroupName=name)
        logs.put_retention_policy(logGroupName=name, retentionInDays=30)
    report_dir = tmp_path / "reports"

    # 1. check mode with drift: the gate fails the run, nothing is written to AWS
    mark = aws.emulator.mark()
    result = run(playbook, tmp_path, report_dir, check=True)
    assert aws.emulator.summary(since=mark)["writes"] == 0
    assert result.rc != 0, result.stdout[-3000:]
    assert "Drift found: 1 setting(s) in localhost" in result.stdout
    report, junit, markdown = load(report_dir)
    assert report["check_mode"] is True
    assert (report["drift_count"], report["resources_checked"], report["resources_drifted"]) == (1, 2, 1)
    resources = {r["resource"]: r for r in report["hosts"]["localhost"]["resources"]}
    assert set(resources) == {"/audit/drifted", "/audit/in-sync"}
    drifted = resources["/audit/drifted"]
    assert drifted["module"] == "cloudaudit.aws.cloudtrail_log_group"
    assert drifted["mode"] == "check" and drifted["status"] == "drift"
    assert [(c["setting"], c["before"], c["after"]) for c in drifted["changes"]] == [("retention_days", 30, 365)]
    assert resources["/audit/in-sync"]["module"] == "cloudaudit.aws.cloudtrail_log_group"  # short name resolved
    assert resources["/audit/in-sync"]["status"] == "ok"
    assert (junit.get("tests"), junit.get("failures"), junit.get("errors")) == ("2", "1", "0")
    cases = junit.findall("testsuite/testcase")
    assert [c.find("failure") is not None for c in cases] == [True, False]
    assert "retention_days (update): 30 -> 365" in cases[0].find("failure").text
    assert "| retention_days | update | `30` | `365` |" in markdown

    # 2. the same drift with cloudaudit_fail_on_drift=false: reported, not failing
    result = run(playbook, tmp_path, report_dir, check=True, extra_vars={"cloudaudit_fail_on_drift": False})
    assert result.rc == 0, result.stdout[-3000:]
    assert "1 setting(s) drifted in 1 of 2 resource(s) checked" in result.stdout
    assert load(report_dir)[0]["drift_count"] == 1

    # 3. apply (report of the changes made), then a check finds no drift: a fresh report, the gate passes
    result = run(playbook, tmp_path, report_dir, check=False, extra_vars={"cloudaudit_fail_on_drift": False})
    assert result.rc == 0, result.stdout[-3000:]
    applied = load(report_dir)[0]
    assert applied["check_mode"] is False
    assert [r["mode"] for r in applied["hosts"]["localhost"]["resources"]] == ["apply", "apply"]
    mark = aws.emulator.mark()
    result = run(playbook, tmp_path, report_dir, check=True)
    assert result.rc == 0, result.stdout[-3000:]
    assert aws.emulator.summary(since=mark)["writes"] == 0
    report, junit, dummy = load(report_dir)
    assert (report["drift_count"], report["resources_checked"]) == (0, 2)
    assert junit.get("failures") == "0" and len(junit.findall("testsuite/testcase")) == 2


@pytest.mark.integration
def test_gate_fails_without_a_report(playbook: Any, tmp_path: Path) -> None:
    play = tmp_path / "gate.yml"
    play.write_text("- hosts: localhost\n  connection: local\n  gather_facts: false\n  roles: [cloudaudit.aws.drift_gate]\n")
    result = playbook.run(play, extra_vars={"cloudaudit_drift_report_dir": str(tmp_path / "nowhere")})
    assert result.rc != 0
    assert "No drift report in" in result.stdout
