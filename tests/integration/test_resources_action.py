"""cloudaudit.aws.resources: steps of one task, each run as its own task would be.

One play: module_defaults with templated credentials reach every step (the emulator records the calls in the
assumed account), a later step uses an earlier step's registered result, a false `when` skips a step, the
outputs are templated after the last step; check mode first makes no write and predicts the changes; a second
converge changes nothing, also with the steps run as classic modules; a failing step stops the task (the steps after it do not run, the changes before
it stay); input_errors and failing input_checks (or checks written wrong) fail the task before any call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner

ACCOUNT = "210000000042"
PLAY = """
- name: Two resources as one task
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    connection_settings:
      access_key: "{{ assumed.AccessKeyId }}"
      secret_key: "{{ assumed.SecretAccessKey }}"
      session_token: "{{ assumed.SessionToken }}"
      region: us-east-1
  module_defaults:
    group/cloudaudit.aws.aws: "{{ connection_settings }}"
  tasks:
    - name: Key and bucket
      cloudaudit.aws.resources:
        input_errors: "{{ input_errors | default([]) }}"
        input_checks: "{{ input_checks | default([]) }}"
        steps:
          - name: The key
            cloudaudit.aws.cloudtrail_kms_key:
              alias: steps-key
              enable_rotation: true
            register: key
          - name: Never
            cloudaudit.aws.s3_audit_bucket:
              name: never-created-ACCOUNT
              # Never templated, as a skipped task's options are not (the pre-flight of a real run included).
              expected_owner: "{{ lookup('ansible.builtin.pipe', 'touch ' ~ (never_templated | quote)) }}"
            when: false
          - name: The bucket
            cloudaudit.aws.s3_audit_bucket:
              name: steps-audit-ACCOUNT
              kms_key_id: "{{ key.key_arn }}"
              deny_insecure_transport: true
              state: "{{ bucket_state | default('present') }}"
            register: bucket
          - name: After the bucket
            cloudaudit.aws.cloudtrail_log_group:
              name: steps-after
              retention_days: 365
        outputs:
          key_arn: "{{ key.key_arn }}"
          bucket_changed: "{{ bucket is changed }}"
      register: both
""".replace("ACCOUNT", ACCOUNT)


def _run(playbook: PlaybookRunner, play: Path, credentials: dict[str, str], check: bool = False, **extra: Any) -> Any:
    marker = {"never_templated": str(play.parent / "never-templated")}
    return playbook.run(play, check=check, diff=check, json_output=True, extra_vars={"assumed": credentials, **marker, **extra})


def _task(result: Any) -> dict[str, Any]:
    return result.json["plays"][0]["tasks"][0]["hosts"]["localhost"]


@pytest.mark.integration
def test_steps_of_one_task(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    never_templated = tmp_path / "never-templated"
    sts = aws.client("sts")
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole", RoleSessionName="steps")["Credentials"]
    credentials = {k: str(credentials[k]) for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}

    start = aws.emulator.settle()
    check = _run(playbook, play, credentials, check=True)
    assert check.rc == 0, check.stdout[-8000:]
    task = _task(check)
    assert [s["name"] for s in task["steps"]] == ["The key", "Never", "The bucket", "After the bucket"]
    assert [bool(s.get("skipped")) for s in task["steps"]] == [False, True, False, False]
    assert task["changed"] and all(s["changed"] for s in task["steps"] if not s.get("skipped"))
    assert [d["before_header"] for d in task["diff"]] == ["The key (before)", "The bucket (before)", "After the bucket (before)"]
    calls = [c for c in aws.emulator.calls() if c["seq"] > start]
    assert calls and [c for c in calls if c["mutating"]] == [], json.dumps([c for c in calls if c["mutating"]])[:3000]
    assert {c["account"] for c in calls} == {ACCOUNT}, "the templated module_defaults credentials reach every step"

    converge = _run(playbook, play, credentials)
    assert converge.rc == 0, converge.stdout[-8000:]
    task = _task(converge)
    key_arn = task["results"]["key"]["key_arn"]
    assert task["key_arn"] == key_arn and task["bucket_changed"] is True
    s3 = aws.client("s3", account=ACCOUNT)
    rule = s3.get_bucket_encryption(Bucket=f"steps-audit-{ACCOUNT}")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key_arn, "the bucket step used the key step's result"
    assert "never-created" not in json.dumps(s3.list_buckets(), default=str)
    assert not never_templated.exists(), "the skipped step's options were templated"

    mark = aws.emulator.settle()
    again = _run(playbook, play, credentials)
    assert again.rc == 0 and not _task(again)["changed"], again.stdout[-8000:]
    assert [c for c in aws.emulator.calls() if c["seq"] > mark and c["mutating"]] == []

    # The steps as classic modules (each step's own action plugin picks its path): the same answers.
    mark = aws.emulator.settle()
    classic = _run(playbook, play, credentials, cloudaudit_execution="module")
    task = _task(classic)
    assert classic.rc == 0 and not task["changed"] and task["key_arn"] == key_arn, classic.stdout[-8000:]
    assert [s["name"] for s in task["steps"] if not s.get("skipped")] == ["The key", "The bucket", "After the bucket"]
    assert [c for c in aws.emulator.calls() if c["seq"] > mark and c["mutating"]] == []
    assert {c["account"] for c in aws.emulator.calls() if c["seq"] > mark} == {ACCOUNT}

    # A failing step: the bucket cannot be removed with its logs unless asked; the step after it does not run.
    s3.put_object(Bucket=f"steps-audit-{ACCOUNT}", Key="AWSLogs/x.json.gz", Body=b"{}")
    logs = aws.client("logs", account=ACCOUNT)
    logs.delete_log_group(logGroupName="steps-after")
    failed = _run(playbook, play, credentials, bucket_state="absent")
    task = _task(failed)
    assert failed.rc != 0 and task["failed_step"] == "The bucket" and task["msg"].startswith("The bucket: "), task.get("msg")
    assert [s["name"] for s in task["steps"]] == ["The key", "Never", "The bucket"]
    assert logs.describe_log_groups(logGroupNamePrefix="steps-after")["logGroups"] == [], "no step runs after the failed one"

    mark = aws.emulator.settle()
    refused = _run(playbook, play, credentials, input_errors=["audit_bucket_name: not a bucket name"])
    assert refused.rc != 0 and _task(refused)["msg"] == "audit_bucket_name: not a bucket name"
    assert [c for c in aws.emulator.calls() if c["seq"] > mark] == [], "input errors fail the task before any call"

    # input_checks name the variable and say what is wrong with its value, also before any call.
    lowercase = {"var": "checked_name", "match": "^[a-z-]+$", "error": "is not lowercase"}
    checked = _run(playbook, play, credentials, input_checks=[lowercase], checked_name="Bad_Name")
    assert checked.rc != 0 and _task(checked)["msg"] == 'checked_name: "Bad_Name" is not lowercase', _task(checked).get("msg")
    miswritten = _run(playbook, play, credentials, input_checks=[{"var": "checked_name", "error": "x"}], checked_name="good")
    assert miswritten.rc != 0 and _task(miswritten)["msg"].startswith("input_checks[0] (checked_name): expected var, error and exactly one rule")
    assert [c for c in aws.emulator.calls() if c["seq"] > mark] == [], "input checks fail the task before any call"
