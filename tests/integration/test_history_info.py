"""cloudtrail_history_info against the emulator's Athena, which runs the SQL over real log files in S3:
the events found, the partitions read (bytes scanned), quoting, check mode and the scan-limit failure."""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.emulator.tests.cloudtrail_athena import put_log_file, record, table_input

A, B = "111111111111", "222222222222"
BUCKET, RESULTS = "history-audit-logs", "history-results"
NOW = datetime.now(timezone.utc).replace(microsecond=0)

PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: StopLogging in two accounts over the last three days
      cloudaudit.aws.cloudtrail_history_info:
        event_name: [StopLogging]
        start_time: -3d
        accounts: ["111111111111", "222222222222"]
      register: stopped
    - name: A user name that tries to end the string literal
      cloudaudit.aws.cloudtrail_history_info:
        username: ["alice' OR '1'='1", "x\\\\' OR 1=1 --"]
        start_time: -3d
      register: injected
    - name: A resource by name, one region
      cloudaudit.aws.cloudtrail_history_info:
        resource_name: [org-trail]
        regions: [eu-west-1]
        read_only: false
        start_time: -3d
        max_results: 1
      register: by_resource
    - name: The scan limit of a workgroup cancels the query
      cloudaudit.aws.cloudtrail_history_info:
        start_time: -30d
        workgroup: capped
      register: capped
      ignore_errors: true
    - ansible.builtin.copy:
        content: "{{ {'stopped': stopped, 'injected': injected, 'by_resource': by_resource, 'capped': capped} | to_json }}"
        dest: "{{ out }}"
      check_mode: false
"""


@pytest.fixture
def audit_logs(aws):
    s3b = aws.client("s3", account=B)
    s3b.create_bucket(Bucket=BUCKET)
    aws.client("s3").create_bucket(Bucket=RESULTS)
    d1, d2, old = NOW - timedelta(days=1), NOW - timedelta(hours=2), NOW - timedelta(days=20)
    first_day = [record("StopLogging", d1, A, "us-east-1", user="alice"), record("DescribeTrails", d1, A, "us-east-1", read_only=True)]
    sizes = [
        put_log_file(s3b, BUCKET, "", A, "us-east-1", d1, first_day)[1],
        put_log_file(s3b, BUCKET, "", A, "eu-west-1", d2, [record("StopLogging", d2, A, "eu-west-1", user="carol")])[1],
        put_log_file(s3b, BUCKET, "", B, "us-east-1", d2, [record("StopLogging", d2 - timedelta(minutes=5), B, "us-east-1", user="dave")])[1],
    ]
    put_log_file(s3b, BUCKET, "", A, "us-east-1", old, [record("StopLogging", old, A, "us-east-1", user="erin")])
    # More than the smallest per-query limit Athena allows (10 MB), outside the 3-day window: random data barely compresses.
    noise = base64.b64encode(os.urandom(11_000_000)).decode()
    put_log_file(s3b, BUCKET, "", A, "us-east-1", old, [record("PutObject", old, A, "us-east-1", additionalEventData={"noise": noise})])
    glue = aws.client("glue")
    glue.create_database(DatabaseInput={"Name": "cloudaudit"})
    start_day = (NOW - timedelta(days=60)).strftime("%Y/%m/%d")
    glue.create_table(DatabaseName="cloudaudit", TableInput=table_input(BUCKET, "", [A, B], ["us-east-1", "eu-west-1"], start_day))
    athena = aws.client("athena")
    results = {"OutputLocation": f"s3://{RESULTS}/cloudaudit/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}
    athena.create_work_group(Name="cloudaudit", Configuration={"ResultConfiguration": results, "EnforceWorkGroupConfiguration": True})
    athena.create_work_group(Name="capped", Configuration={"ResultConfiguration": results, "BytesScannedCutoffPerQuery": 10_000_000})
    return sizes


@pytest.mark.integration
@pytest.mark.parametrize("execution", [None, "module"])
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_history_search(audit_logs, playbook, tmp_path: Path, execution, check) -> None:
    play, out = tmp_path / "play.yml", tmp_path / "found.json"
    play.write_text(PLAY)
    extra = {"out": str(out), **({"cloudaudit_execution": execution} if execution else {})}
    result = playbook.run(play, extra_vars=extra, check=check)
    assert result.rc == 0, result.stdout[-5000:] + result.stderr[-3000:]
    found = json.loads(out.read_text())

    stopped = found["stopped"]
    assert stopped["changed"] is False
    assert [(e["event_name"], e["username"], e["account"], e["region"]) for e in stopped["events"]] == [
        ("StopLogging", "carol", A, "eu-west-1"),
        ("StopLogging", "dave", B, "us-east-1"),
        ("StopLogging", "alice", A, "us-east-1"),
    ]
    event = stopped["events"][0]
    assert set(event) == {
        "event_id", "event_name", "event_source", "event_time", "read_only", "username", "access_key_id", "resources", "region", "account", "cloud_trail_event",
    }
    assert event["read_only"] == "false" and event["event_source"] == "cloudtrail.amazonaws.com"
    assert event["resources"] == [{"resource_type": "AWS::CloudTrail::Trail", "resource_name": f"arn:aws:cloudtrail:eu-west-1:{A}:trail/org-trail"}]
    assert event["cloud_trail_event"]["userIdentity"]["userName"] == "carol"
    assert event["cloud_trail_event"]["requestParameters"] == {"name": "org-trail"}
    assert event["cloud_trail_event"]["readOnly"] is False
    assert event["access_key_id"] == event["cloud_trail_event"]["userIdentity"]["accessKeyId"]
    # Only the three files of the window were read (the 20-day-old file was pruned by the day partitions).
    assert stopped["bytes_scanned"] == sum(audit_logs)
    assert "account IN ('111111111111', '222222222222')" in stopped["query"] and "day BETWEEN" in stopped["query"]
    assert stopped["truncated"] is False and stopped["query_execution_id"]

    assert found["injected"]["events"] == []
    assert "'alice'' OR ''1''=''1'" in found["injected"]["query"]

    by_resource = found["by_resource"]
    assert [(e["username"], e["region"]) for e in by_resource["events"]] == [("carol", "eu-west-1")]
    assert by_resource["truncated"] is False

    capped = found["capped"]
    assert capped["failed"] is True
    assert "Bytes scanned limit was exceeded" in capped["msg"] and "BytesScannedCutoffPerQuery" in capped["msg"]
    assert capped["msg"].startswith("workgroup: ")
