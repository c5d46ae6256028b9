"""A converge killed during any create call leaves nothing the next run cannot find and adopt.

The emulator carries each create call out and holds its answer back ("hold" fault): the run is killed
(SIGKILL of ansible-playbook, its workers and their module processes) while AWS has done the work the run never heard about,
once per create call of the audit bucket and trail roles, one run after the other. Two more runs
then converge: one of each resource (no second KMS key, log group, role or trail), the last run
changes nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner, kill_tree

PLAY = """
- name: Audit bucket and trail in one account
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Audit bucket
      ansible.builtin.include_role:
        name: cloudaudit.aws.audit_bucket
      vars:
        audit_bucket_name: interrupted-audit-123456789012
        audit_bucket_account_ids: ["123456789012"]
    - name: Trail with a KMS key and CloudWatch Logs delivery
      ansible.builtin.include_role:
        name: cloudaudit.aws.trail
      vars:
        trail_name: interrupted
        trail_s3_bucket_name: interrupted-audit-123456789012
        trail_kms_key_alias: interrupted-trail
        trail_cloudwatch_logs: true
"""
# Every call that creates something, in the order the roles make them.
CREATES = ("s3:CreateBucket", "kms:CreateKey", "kms:CreateAlias", "logs:CreateLogGroup", "iam:CreateRole", "iam:PutRolePolicy", "cloudtrail:CreateTrail")


def _killed_during(playbook: PlaybookRunner, aws: Any, play: Path, operation: str) -> None:
    service, name = operation.split(":")
    aws.emulator.clear_faults()
    aws.emulator.add_fault("hold", operation=operation, latency_ms=60000, count=1)
    seen_before = len(aws.emulator.calls(service=service, operation=name))
    exe = str(Path(sys.executable).parent / "ansible-playbook")
    cmd = [exe, str(play), "-i", "localhost,", "-e", json.dumps({"emulator_url": aws.url})]
    proc = subprocess.Popen(cmd, cwd=playbook.workdir, env=playbook.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    try:
        while len(aws.emulator.calls(service=service, operation=name)) == seen_before:
            assert proc.poll() is None, f"the run ended before {operation}"
            assert time.monotonic() < deadline, f"{operation} not called"
            time.sleep(0.1)
    finally:
        # The workers and the module processes run in sessions of their own: kill the whole tree, or the
        # module would carry on once its answer arrives and write into later tests.
        killed = kill_tree(proc.pid)
        proc.wait(30)
    _wait_gone(killed)
    aws.emulator.clear_faults()


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    for pid in pids:
        while _alive(pid):
            assert time.monotonic() < deadline, f"process {pid} survived SIGKILL"
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.integration
def test_a_converge_killed_in_each_create_call_is_finished_by_the_next_runs(aws: Any, playbook: PlaybookRunner, tmp_path: Path, count: Any) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    for operation in CREATES:
        _killed_during(playbook, aws, play, operation)

    rerun = playbook.run(play, json_output=True)
    assert rerun.rc == 0, rerun.stdout[-10000:]
    again = playbook.run(play, json_output=True)
    assert again.rc == 0 and again.changed_hosts() == {"localhost": 0}, again.stdout[-10000:]

    kms = aws.client("kms")
    keys = [k["KeyId"] for k in kms.list_keys()["Keys"]]
    assert len(keys) == 1, f"a second key was created: {keys}"
    assert [a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/interrupted-trail"] == keys
    assert [g["logGroupName"] for g in aws.client("logs").describe_log_groups()["logGroups"]] == ["aws-cloudtrail-logs-interrupted"]
    roles = [r["RoleName"] for r in aws.client("iam").list_roles()["Roles"] if r["RoleName"].startswith("cloudaudit")]
    assert roles == ["cloudaudit-cloudtrail-interrupted"]
    trails = aws.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"]
    assert [t["Name"] for t in trails] == ["interrupted"] and trails[0]["KmsKeyId"].endswith(keys[0])
    assert aws.client("cloudtrail").get_trail_status(Name="interrupted")["IsLogging"]
    count("interruptions survived", len(CREATES))
