"""AWS is eventually consistent: the first run of the roles survives CloudTrail refusing a trail for a while.

The emulator refuses CreateTrail / UpdateTrail for a few seconds after the trail's bucket policy, key policy or
delivery role changed (tests/emulator/propagation.py), with the errors AWS answers. The audit bucket and
trail roles write all three just before the trail: the trail module retries exactly those errors (the AWS
seam's bounded backoff) and the run converges; the next run changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner, run_module_main

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
def test_roles_converge_through_a_propagation_delay(aws: Any, playbook: PlaybookRunner, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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

    # Each dependency in turn changed just before the trail is written again: each refusal is met and retried.
    met = set()
    for kind in ERRORS:
        met.update(_trail_written_just_after_changing(aws, kind, trail, capsys))
    assert met == REFUSALS, met


def _trail_written_just_after_changing(aws: Any, kind: str, trail: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Delete the trail, rewrite its bucket policy, key policy or delivery role policy unchanged (a change all the same),
    create the trail again with the module: the refusals CreateTrail met (the last attempt must have gone through)."""
    import importlib

    aws.client("cloudtrail").delete_trail(Name=trail["Name"])
    if kind == "bucket":
        s3 = aws.client("s3")
        s3.put_bucket_policy(Bucket=trail["S3BucketName"], Policy=s3.get_bucket_policy(Bucket=trail["S3BucketName"])["Policy"])
    elif kind == "key":
        kms = aws.client("kms")
        kms.put_key_policy(KeyId=trail["KmsKeyId"], PolicyName="default", Policy=kms.get_key_policy(KeyId=trail["KmsKeyId"], PolicyName="default")["Policy"])
    else:
        iam, role = aws.client("iam"), trail["CloudWatchLogsRoleArn"].rsplit("/", 1)[-1]
        name = iam.list_role_policies(RoleName=role)["PolicyNames"][0]
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=document if isinstance(document, str) else json.dumps(document))
    mark = aws.emulator.mark()
    module = importlib.import_module("ansible_collections.cloudaudit.aws.plugins.modules.cloudtrail_trail")
    params = {
        "name": trail["Name"],
        "s3_bucket_name": trail["S3BucketName"],
        "kms_key_id": trail["KmsKeyId"],
        "cloudwatch_logs": {"log_group_arn": trail["CloudWatchLogsLogGroupArn"], "role_arn": trail["CloudWatchLogsRoleArn"]},
    }
    result = run_module_main(module, params, capsys)
    assert not result.get("failed") and result["changed"], f"{kind}: {result}"
    attempts = aws.emulator.calls(service="cloudtrail", operation="CreateTrail", since=mark)
    refused = [c["error_code"] for c in attempts if c["error_code"]]
    assert refused and set(refused) == {ERRORS[kind]}, f"{kind}: {attempts}"
    assert attempts[-1]["error_code"] is None, f"{kind}: {attempts}"
    return refused


ERRORS = {"bucket": "InsufficientS3BucketPolicyException", "key": "InsufficientEncryptionPolicyException", "role": "InvalidCloudWatchLogsRoleArnException"}
