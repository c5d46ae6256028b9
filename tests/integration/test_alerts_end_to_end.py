"""cloudtrail_alerts end to end: after converging, a real StopLogging call matches the rule and the CIS 4.5 filter.

The emulator records the StopLogging call made with boto3 as CloudTrail would (LookupEvents ->
CloudTrailEvent); wrapped as EventBridge delivers CloudTrail events, it must match the converged
rule's event pattern (TestEventPattern), and its JSON must match the CIS 4.5 metric filter's pattern
(TestMetricFilter). The organization case: a member account's rules forward to the security
account's default bus, whose own rules (same module) match the forwarded event.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SECURITY = "123456789012"
MEMBER = "210987654321"
REGION = "us-east-1"

PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Alerts in the security account
      cloudaudit.aws.cloudtrail_alerts:
        presets: [all]
        trail_names: [arn:aws:cloudtrail:us-east-1:123456789012:trail/audit]
        topic: {name: security-alerts}
        log_group_name: /audit/trail
        cis_metrics: [all]
        receive_from: {account_ids: ["210987654321"]}
      register: alerts
    - name: A member account forwards its tampering events to the security account's default bus
      cloudaudit.aws.cloudtrail_alerts:
        presets: [all]
        target_arns: [arn:aws:events:us-east-1:123456789012:event-bus/default]
        access_key: "{{ member.aws_access_key_id }}"
        secret_key: "{{ member.aws_secret_access_key }}"
        session_token: "{{ member.aws_session_token }}"
      register: member_alerts
    - name: Both converged
      ansible.builtin.assert:
        that:
          - alerts is changed and member_alerts is changed
          - alerts.alarms | length == 15
          - member_alerts.rules | map(attribute='targets') | unique == [['arn:aws:events:us-east-1:123456789012:event-bus/default']]
"""


def as_eventbridge_delivers(record: dict[str, Any], account: str) -> dict[str, Any]:
    """A CloudTrail record as EventBridge shows it (the record is the detail)."""
    return {
        "version": "0",
        "id": "0d5a6a4e-0000-4000-8000-000000000001",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws." + record["eventSource"].split(".")[0],
        "account": account,
        "time": record["eventTime"],
        "region": record["awsRegion"],
        "resources": [],
        "detail": record,
    }


def stop_logging_record(aws: Any, account: str | None = None) -> dict[str, Any]:
    """StopLogging on a trail named audit, and the CloudTrail record the emulator made of it."""
    s3 = aws.client("s3", account=account)
    bucket = f"audit-{account or SECURITY}"
    s3.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{bucket}"},
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/*"},
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    cloudtrail = aws.client("cloudtrail", account=account)
    arn = cloudtrail.create_trail(Name="audit", S3BucketName=bucket)["TrailARN"]
    cloudtrail.start_logging(Name=arn)
    cloudtrail.stop_logging(Name=arn)
    found = cloudtrail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "StopLogging"}])["Events"]
    assert len(found) == 1
    return json.loads(found[0]["CloudTrailEvent"])


@pytest.mark.integration
def test_stop_logging_matches_the_rule_and_the_cis_filter(aws: Any, playbook: Any, tmp_path: Path) -> None:
    aws.client("logs").create_log_group(logGroupName="/audit/trail")
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    result = playbook.run(play, extra_vars={"member": aws.credentials(MEMBER)})
    assert result.rc == 0, result.stdout[-10000:]

    record = stop_logging_record(aws)
    assert record["eventName"] == "StopLogging" and record["requestParameters"]["name"].endswith(":trail/audit")
    events = aws.client("events")
    pattern = events.describe_rule(Name="cloudaudit-tamper-trail")["EventPattern"]
    event = as_eventbridge_delivers(record, SECURITY)
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is True
    # Not the KMS rule, and not a StartLogging.
    kms_pattern = events.describe_rule(Name="cloudaudit-tamper-kms")["EventPattern"]
    assert events.test_event_pattern(EventPattern=kms_pattern, Event=json.dumps(event))["Result"] is False
    started = dict(event, detail=dict(record, eventName="StartLogging"))
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(started))["Result"] is False
    # Narrowed to the audit trail: StopLogging of another trail does not match (by ARN or by name).
    for other in (record["requestParameters"]["name"].replace(":trail/audit", ":trail/other"), "other"):
        elsewhere = dict(event, detail=dict(record, requestParameters={"name": other}))
        assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(elsewhere))["Result"] is False, other

    logs = aws.client("logs")
    cis_45 = logs.describe_metric_filters(logGroupName="/audit/trail", filterNamePrefix="cloudaudit-tamper-cloudtrail_changes")["metricFilters"][0]
    matches = logs.test_metric_filter(filterPattern=cis_45["filterPattern"], logEventMessages=[json.dumps(record)])["matches"]
    assert [m["eventNumber"] for m in matches] == [1]
    root = logs.describe_metric_filters(logGroupName="/audit/trail", filterNamePrefix="cloudaudit-tamper-root_usage")["metricFilters"][0]
    assert record["userIdentity"]["type"] == "Root"  # the emulator's default keys act as root
    assert [m["eventNumber"] for m in logs.test_metric_filter(filterPattern=root["filterPattern"], logEventMessages=[json.dumps(record)])["matches"]] == [1]


@pytest.mark.integration
def test_a_member_accounts_stop_logging_reaches_the_security_accounts_rule(aws: Any, playbook: Any, tmp_path: Path) -> None:
    aws.client("logs").create_log_group(logGroupName="/audit/trail")
    play = tmp_path / "play.yml"
    play.write_text(PLAY.replace("trail_names: [arn:aws:cloudtrail:us-east-1:123456789012:trail/audit]", "trail_names: []"))
    assert playbook.run(play, extra_vars={"member": aws.credentials(MEMBER)}).rc == 0

    member_events = aws.client("events", account=MEMBER)
    targets = member_events.list_targets_by_rule(Rule="cloudaudit-tamper-trail")["Targets"]
    assert [t["Arn"] for t in targets] == [f"arn:aws:events:{REGION}:{SECURITY}:event-bus/default"]
    record = stop_logging_record(aws, account=MEMBER)
    forwarded = as_eventbridge_delivers(record, MEMBER)
    member_pattern = member_events.describe_rule(Name="cloudaudit-tamper-trail")["EventPattern"]
    assert member_events.test_event_pattern(EventPattern=member_pattern, Event=json.dumps(forwarded))["Result"] is True
    security_pattern = aws.client("events").describe_rule(Name="cloudaudit-tamper-trail")["EventPattern"]
    assert aws.client("events").test_event_pattern(EventPattern=security_pattern, Event=json.dumps(forwarded))["Result"] is True
    # The security account's default bus lets the member put events (receive_from), as forwarding needs.
    statements = json.loads(aws.client("events").describe_event_bus(Name="default")["Policy"])["Statement"]
    (receive,) = [st for st in statements if st["Sid"] == f"cloudaudit-tamper-receive-{MEMBER}"]
    assert receive["Action"] == "events:PutEvents" and receive["Principal"] == {"AWS": f"arn:aws:iam::{MEMBER}:root"}, receive


DRIFT_PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Tampering alerts
      cloudaudit.aws.cloudtrail_alerts:
        presets: [trail]
        topic: {name: security-alerts}
        log_group_name: /audit/trail
"""


@pytest.mark.integration
def test_drift_in_rules_and_alarms_shows_in_the_drift_report(aws: Any, playbook: Any, tmp_path: Path) -> None:
    aws.client("logs").create_log_group(logGroupName="/audit/trail")
    play = tmp_path / "play.yml"
    play.write_text(DRIFT_PLAY)
    assert playbook.run(play).rc == 0
    aws.client("events").disable_rule(Name="cloudaudit-tamper-trail")
    aws.client("cloudwatch").delete_alarms(AlarmNames=["cloudaudit-tamper-cloudtrail_changes"])

    report_dir = tmp_path / "reports"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(report_dir)}
    mark = aws.emulator.mark()
    result = playbook.run(play, check=True, diff=True, env=env)
    assert result.rc == 0, result.stdout[-5000:]
    assert aws.emulator.summary(since=mark)["writes"] == 0
    report = json.loads((report_dir / "drift.json").read_text())
    (entry,) = report["hosts"]["localhost"]["resources"]
    assert entry["module"] == "cloudaudit.aws.cloudtrail_alerts" and entry["status"] == "drift"
    changes = {c["setting"]: c for c in entry["changes"]}
    assert set(changes) == {"rules.cloudaudit-tamper-trail", "alarms.cloudaudit-tamper-cloudtrail_changes"}
    assert changes["rules.cloudaudit-tamper-trail"]["before"]["state"] == "DISABLED"
    assert changes["alarms.cloudaudit-tamper-cloudtrail_changes"]["action"] == "create"
    assert "rules.cloudaudit-tamper-trail" in (report_dir / "drift.md").read_text()
