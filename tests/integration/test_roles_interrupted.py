"""A converge interrupted right after CreateLogGroup converges on the next run of the trail role.

PutRetentionPolicy refused once (as a missing permission would) leaves the log group without
retention ("never expire"). The rerun must set the retention (the group holds no event, so none
is lost), then create the delivery role and the trail, instead of refusing a "decrease".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import DEFAULT_ACCOUNT, PlaybookRunner

BUCKET = f"interrupted-audit-{DEFAULT_ACCOUNT}"
PLAY = f"""
- name: Audit bucket and trail of one account
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Audit bucket
      cloudaudit.aws.s3_audit_bucket:
        name: {BUCKET}
        cloudtrail_access: {{}}
    - name: Trail with CloudWatch Logs
      ansible.builtin.include_role:
        name: cloudaudit.aws.trail
      vars:
        trail_name: interrupted
        trail_s3_bucket_name: {BUCKET}
        trail_cloudwatch_logs: true
"""


@pytest.mark.integration
def test_trail_role_converges_after_put_retention_policy_failed_once(aws: Any, playbook: PlaybookRunner, tmp_path: Path, count: Any) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    aws.emulator.add_fault("access_denied", operation="logs:PutRetentionPolicy", count=1)

    interrupted = playbook.run(play, json_output=True)
    assert interrupted.rc != 0, interrupted.stdout[-5000:]
    # The denied write names the IAM permission and the resource, and keeps AWS's code.
    failure = next(r for t in interrupted.json["plays"][0]["tasks"] for r in t["hosts"].values() if r.get("failed"))
    if "steps" in failure:  # the role's one task (cloudaudit.aws.resources): its message is the failed step's, after the step's name
        assert failure["msg"] == f"{failure['failed_step']}: {failure['steps'][-1]['msg']}", failure["msg"]
        failure = failure["steps"][-1]
    assert failure["msg"].startswith(
        "AWS refused PutRetentionPolicy: the credentials in use need the IAM permission logs:PutRetentionPolicy on aws-cloudtrail-logs-interrupted"
    ), failure["msg"]
    assert "AccessDeniedException" in failure["msg"]
    logs = aws.client("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix="aws-cloudtrail-logs-interrupted")["logGroups"]
    assert len(groups) == 1 and "retentionInDays" not in groups[0], groups
    assert aws.client("cloudtrail").describe_trails()["trailList"] == []

    rerun = playbook.run(play, json_output=True)
    assert rerun.rc == 0, rerun.stdout[-15000:]
    groups = logs.describe_log_groups(logGroupNamePrefix="aws-cloudtrail-logs-interrupted")["logGroups"]
    assert groups[0]["retentionInDays"] == 365
    trail = aws.client("cloudtrail").get_trail(Name="interrupted")["Trail"]
    assert trail["CloudWatchLogsLogGroupArn"] == groups[0]["arn"]
    assert aws.client("iam").get_role(RoleName="cloudaudit-cloudtrail-interrupted")["Role"]["Arn"] == trail["CloudWatchLogsRoleArn"]

    again = playbook.run(play, json_output=True)
    assert again.rc == 0, again.stdout[-15000:]
    assert again.changed_hosts() == {"localhost": 0}, again.changed_hosts()
    count("interruptions survived")
