"""AWS is eventually consistent: the first run of the roles survives CloudTrail refusing a trail for a while.

The emulator refuses CreateTrail / UpdateTrail for a few seconds after the trail's bucket policy, key policy or
delivery role changed (tests/emulator/propagation.py), with the errors AWS answers. The audit bucket and
trail roles write all three just before the trail: the trail module retries exactly those errors (the AWS
seam's bounded backoff) and the run converges; the next run changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner

PLAY = """
- name: Audit bucket and trail, one after the other, in one account
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Audit bucket
      ansible.builtin.include_role:
        name: cloudaudit.aws.audit_bucket
      vars:
        audit_bucket_name: propagation-audit-123456789012
        audit_bucket_account_ids: ["123456789012"]
    - name: Trail with a KMS key and CloudWatch Logs delivery
      ansible.builtin.include_role:
        name: cloudaudit.aws.trail
      vars:
        trail_name: propagation
        trail_s3_bucket_name: propagation-audit-123456789012
        trail_kms_key_alias: propagation-trail
        trail_cloudwatch_logs: true
"""
REFUSALS = {"InsufficientS3BucketPolicyException", "InsufficientEncryptionPolicyException", "InvalidCloudWatchLogsRoleArnException"}


@pytest.mark.integration
def test_roles_converge_through_a_propagation_delay(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    aws.emulator.set_propagation(4)

    first = playbook.run(play, json_output=True)
    assert first.rc == 0, first.stdout[-10000:]
    attempts = aws.emulator.calls(service="cloudtrail", operation="CreateTrail")
    refused = [c["error_code"] for c in attempts if c["error_code"]]
    assert refused and set(refused) <= REFUSALS, attempts
    assert attempts[-1]["error_code"] is None and aws.emulator.propagation()["refused"] == len(refused)
    trail = aws.client("cloudtrail").get_trail(Name="propagation")["Trail"]
    assert trail["KmsKeyId"].startswith("arn:aws:kms:") and trail["CloudWatchLogsRoleArn"].endswith("/cloudaudit-cloudtrail-propagation")

    second = playbook.run(play, json_output=True)
    assert second.rc == 0 and second.changed_hosts() == {"localhost": 0}, second.changed_hosts()
