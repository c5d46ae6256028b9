"""Cost findings on an account set up to waste money: a duplicate trail, data events of every bucket,
a log group without retention, a lifecycle rule whose transitions skip the (small) log files, Lake stores
(read one by one: ListEventDataStores returns no settings); in the module's result and in the drift report's findings section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.harness import ROOT, PlaybookRunner

PLAY = """
- name: An account that pays for what it does not mean to
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Audit bucket whose logs should go to Glacier after 90 days
      cloudaudit.aws.s3_audit_bucket:
        name: costs-123456789012
        cloudtrail_access: {}
        retention: {glacier_after_days: 90, expire_after_days: 2557}
    - name: Log group and delivery role
      cloudaudit.aws.cloudtrail_log_group:
        name: costs-trail
        retention_days: 365
        delivery_role_name: costs-trail
      register: group
    - name: The log group's retention removed by hand
      emulator_boto3: {service: logs, operation: delete_retention_policy, params: {logGroupName: costs-trail}}
    - name: A trail with data events of every bucket, delivering to CloudWatch Logs
      cloudaudit.aws.cloudtrail_trail:
        name: costs-all
        s3_bucket_name: costs-123456789012
        event_presets: {management_events: all, s3_data_buckets: ["*"]}
        cloudwatch_logs: {log_group_arn: "{{ group.log_group_arn }}", role_arn: "{{ group.role_arn }}"}
    - name: A second trail recording management events again
      cloudaudit.aws.cloudtrail_trail:
        name: costs-again
        s3_bucket_name: costs-123456789012
    - name: Lake stores - seven years within fixed pricing (free of extended retention), ten years extendable, one stopped
      emulator_boto3: {service: cloudtrail, operation: create_event_data_store, params: "{{ item }}"}
      loop:
        - {Name: costs-fixed, BillingMode: FIXED_RETENTION_PRICING, RetentionPeriod: 2557}
        - {Name: costs-ten-years, BillingMode: EXTENDABLE_RETENTION_PRICING, RetentionPeriod: 3653}
        - {Name: costs-stopped, RetentionPeriod: 90, StartIngestion: false}
    - name: What it costs
      cloudaudit.aws.cloudtrail_trail_info:
        cost_findings: true
      register: info
    - name: Kept for the test
      ansible.builtin.copy:
        content: "{{ info.cost_findings | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
"""
SCHEMA = json.loads((ROOT / "docs" / "drift_report_schema.json").read_text())


@pytest.mark.integration
def test_cost_findings_in_the_result_and_the_drift_report(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    out = tmp_path / "findings.json"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(tmp_path / "report")}
    result = playbook.run(play, extra_vars={"out": str(out)}, env=env)
    assert result.rc == 0, result.stdout[-10000:]

    found = {(f["kind"], f["resource"]) for f in json.loads(out.read_text())}
    assert found == {
        ("duplicate_management_events", "us-east-1"),
        ("s3_data_events_all_buckets", "arn:aws:cloudtrail:us-east-1:123456789012:trail/costs-all"),
        ("log_group_never_expires", "costs-trail"),
        ("transitions_skip_small_objects", "costs-123456789012"),
        ("lake_long_retention", "costs-ten-years"),
        ("lake_stopped_ingestion", "costs-stopped"),
    }, found

    report = json.loads((tmp_path / "report" / "drift.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert {(f["kind"], f["resource"]) for f in report["findings"]} == found
    assert "## Cost findings" in (tmp_path / "report" / "drift.md").read_text()
