"""The `trail` role with `trail_alerts` (its defaults, and the topic encrypted with the trail's key): tampering rules
narrowed to the trail, its bucket and key, the SNS topic and the CIS 4.5 alarm converge; the same play in --check --diff
then shows no drift and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner

PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Audit bucket
      cloudaudit.aws.s3_audit_bucket:
        name: alerts-audit-123456789012
        cloudtrail_access: {account_ids: ["123456789012"]}
    - name: Trail with alerts
      ansible.builtin.include_role:
        name: cloudaudit.aws.trail
      vars:
        trail_name: alerted
        trail_s3_bucket_name: alerts-audit-123456789012
        trail_kms_key_alias: alerted-trail
        trail_cloudwatch_logs: true
        trail_alerts: {topic_kms_key: true}
    - name: The topic is exposed
      ansible.builtin.assert:
        that: [trail_result.alerts_topic_arn == 'arn:aws:sns:us-east-1:123456789012:cloudaudit-tamper-alerted']
"""


@pytest.mark.integration
def test_trail_role_with_alerts(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY.replace("that: [trail_result", "that: [ansible_check_mode or trail_result"))
    check_first = playbook.run(play, check=True, diff=True)
    assert check_first.rc == 0, check_first.stdout[-10000:]
    assert aws.emulator.summary()["write_operations"] == []
    converge = playbook.run(play)
    assert converge.rc == 0, converge.stdout[-10000:]

    events = aws.client("events")
    rules = {r["Name"]: json.loads(r["EventPattern"]) for r in events.list_rules(NamePrefix="cloudaudit-tamper-")["Rules"]}
    assert sorted(rules) == ["cloudaudit-tamper-bucket", "cloudaudit-tamper-kms", "cloudaudit-tamper-trail"]
    trail_arn = aws.client("cloudtrail").get_trail(Name="alerted")["Trail"]["TrailARN"]
    assert sorted(rules["cloudaudit-tamper-trail"]["detail"]["$or"][0]["requestParameters"]["name"]) == sorted([trail_arn, "alerted"])
    assert rules["cloudaudit-tamper-bucket"]["detail"]["requestParameters"] == {"bucketName": ["alerts-audit-123456789012"]}
    key_ids = rules["cloudaudit-tamper-kms"]["detail"]["requestParameters"]["keyId"]
    assert len(key_ids) == 2 and any(k.startswith("arn:aws:kms:") for k in key_ids)  # by ARN or by key id
    alarms = aws.client("cloudwatch").describe_alarms(AlarmNamePrefix="cloudaudit-tamper-")["MetricAlarms"]
    assert [a["AlarmName"] for a in alarms] == ["cloudaudit-tamper-cloudtrail_changes"]
    # topic_kms_key: the topic is encrypted with the trail's key, whose policy lets EventBridge and the alarms use it.
    trail_key = aws.client("cloudtrail").get_trail(Name="alerted")["Trail"]["KmsKeyId"]
    topic = aws.client("sns").get_topic_attributes(TopicArn="arn:aws:sns:us-east-1:123456789012:cloudaudit-tamper-alerted")["Attributes"]
    assert topic["KmsMasterKeyId"] == trail_key, topic
    key_policy = json.loads(aws.client("kms").get_key_policy(KeyId=trail_key, PolicyName="default")["Policy"])
    alert_use = next(s for s in key_policy["Statement"] if s.get("Sid") == "AlertServicesUseKey")
    assert sorted(alert_use["Principal"]["Service"]) == ["cloudwatch.amazonaws.com", "events.amazonaws.com"], alert_use
    filters = aws.client("logs").describe_metric_filters(logGroupName="aws-cloudtrail-logs-alerted")["metricFilters"]
    assert [f["filterName"] for f in filters] == ["cloudaudit-tamper-cloudtrail_changes"]

    mark = aws.emulator.mark()
    drift = playbook.run(play, check=True, diff=True, json_output=True)
    assert drift.rc == 0, drift.stdout[-10000:]
    assert drift.changed_hosts() == {"localhost": 0}
    assert aws.emulator.summary(since=mark)["write_operations"] == []
