"""The roles across an organization: converge, idempotence, a drift check that writes nothing, drift found and repaired.

One organization (management, log archive, one member) from the `cloudaudit.aws.organization` inventory in
`inventories/demo/`, shared by every assert of the test (each playbook run costs ~20 s on 2 cores).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.demo import (
    HISTORY_SEARCH,
    HISTORY_VARS,
    INTRUDER,
    INVENTORY,
    TRAIL_NAME,
    DemoOrg,
    check_drift,
    check_events,
    check_history,
    create_organization,
    drifted_resources,
    inject_drift,
)
from tests.harness import ROOT, PlaybookResult, PlaybookRunner

SCHEMA = json.loads((ROOT / "docs" / "drift_report_schema.json").read_text())
MEMBERS = ("member-b",)


def _run(playbook: PlaybookRunner, name: str, **kwargs: Any) -> PlaybookResult:
    result = playbook.run(ROOT / "playbooks" / name, inventory=INVENTORY, json_output=True, **kwargs)
    assert result.rc == 0, f"{name} failed:\n{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
    return result


def _drift(playbook: PlaybookRunner, report_dir: Path, **extra_vars: Any) -> tuple[PlaybookResult, dict[str, Any]]:
    env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(report_dir)}
    result = playbook.run(ROOT / "playbooks" / "drift.yml", inventory=INVENTORY, json_output=True, env=env, extra_vars=extra_vars)
    report = json.loads((report_dir / "drift.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return result, report


def _junit_failures(report_dir: Path) -> tuple[int, int]:
    root = ET.parse(report_dir / "drift.xml").getroot()
    cases = root.iter("testcase")
    total = failures = 0
    for case in cases:
        total += 1
        failures += 1 if case.find("failure") is not None else 0
    return total, failures


@pytest.mark.integration
def test_organization_converges_is_idempotent_and_drift_is_reported_explained_and_repaired(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    org: DemoOrg = create_organization(aws.url, members=MEMBERS)
    hosts = {"master", "log-archive", *MEMBERS}

    first = _run(playbook, "site.yml")
    assert set(first.changed_hosts()) == hosts
    assert all(first.changed_hosts()[h] > 0 for h in hosts), first.changed_hosts()

    # Every account has its trail, logging, encrypted, into the central bucket.
    for name, account in org.accounts.items():
        trail = aws.client("cloudtrail", account=account).get_trail(Name=TRAIL_NAME)["Trail"]
        assert trail["S3BucketName"] == org.bucket and trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"], name
        assert trail["KmsKeyId"].startswith(f"arn:aws:kms:us-east-1:{account}:key/"), name
        assert trail["CloudWatchLogsLogGroupArn"].startswith(f"arn:aws:logs:us-east-1:{account}:log-group:"), name
        assert aws.client("cloudtrail", account=account).get_trail_status(Name=TRAIL_NAME)["IsLogging"], name
    # The log-archive account owns the bucket's key too: its kms tampering rule watches both keys.
    encryption = aws.client("s3", account=org.log_archive).get_bucket_encryption(Bucket=org.bucket)["ServerSideEncryptionConfiguration"]
    bucket_key = encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"]
    archive_trail_key = aws.client("cloudtrail", account=org.log_archive).get_trail(Name=TRAIL_NAME)["Trail"]["KmsKeyId"]
    kms_rule = json.loads(aws.client("events", account=org.log_archive).describe_rule(Name="cloudaudit-tamper-kms")["EventPattern"])
    assert {bucket_key, archive_trail_key} <= set(kms_rule["detail"]["requestParameters"]["keyId"]), kms_rule

    second = _run(playbook, "site.yml")
    assert second.changed_hosts() == {h: 0 for h in hosts}, second.changed_hosts()

    # Drift check on the converged organization: no drift, no write call (AssumeRole is not a write).
    mark = aws.emulator.mark()
    result, report = _drift(playbook, tmp_path / "clean", cloudaudit_fail_on_drift=True)
    assert result.rc == 0, result.stdout[-8000:]
    assert report["drift_count"] == 0 and drifted_resources(report) == {}
    assert aws.emulator.summary(since=mark)["write_operations"] == []
    checked, failed = _junit_failures(tmp_path / "clean")
    assert checked >= 3 * len(hosts) and failed == 0
    # The cis profile's costs are said, per account, in the findings section: Insights and data events of every bucket.
    kinds = {(f["host"], f["kind"]) for f in report["findings"]}
    for host in hosts:
        assert {(host, "insights_enabled"), (host, "s3_data_events_all_buckets")} <= kinds, sorted(kinds)
    assert "## Cost findings" in (tmp_path / "clean" / "drift.md").read_text()

    # Someone else stops logging in member-b and deletes the bucket's lifecycle: reported once each, no write.
    inject_drift(aws.url, org, member="member-b")
    mark = aws.emulator.mark()
    result, report = _drift(playbook, tmp_path / "drifted", cloudaudit_fail_on_drift=True)
    assert result.rc != 0, "the drift gate fails the run when asked (the demo shows the default: no failure)"
    assert aws.emulator.summary(since=mark)["write_operations"] == []
    found = check_drift(report, org, member="member-b")
    assert len(found) == 2
    trail_change = next(c for c in found[("member-b", "cloudtrail_trail", TRAIL_NAME)] if "logging" in c["setting"])
    assert (trail_change["before"], trail_change["after"]) == (False, True)
    checked, failed = _junit_failures(tmp_path / "drifted")
    assert failed == 2
    markdown = (tmp_path / "drifted" / "drift.md").read_text()
    assert "member-b" in markdown and org.bucket in markdown

    # events.yml names who did it, in one JSON and one CSV report for every account.
    events_dir = tmp_path / "events"
    _run(playbook, "events.yml", extra_vars={"cloudaudit_events_report_dir": str(events_dir), "cloudaudit_events_days": 1})
    events = json.loads((events_dir / "events.json").read_text())
    assert len(check_events(events, org, member="member-b")) == 2
    csv_lines = (events_dir / "events.csv").read_text().splitlines()
    assert csv_lines[0].startswith("time,account,account_name,region,event,who")
    assert any("StopLogging" in line and INTRUDER in line and "member-b" in line for line in csv_lines[1:])
    assert len(csv_lines) == events["count"] + 1

    # CloudTrail delivers; history.yml makes the audit bucket searchable with Athena in the log archive; the search of the
    # S3 logs finds the same StopLogging (event id, account, region, day) as the event history; the digests verify.
    delivered = aws.emulator.flush_delivery()["trails"]
    assert delivered and [t["errors"] for t in delivered] == [[]] * len(delivered), delivered
    history = _run(playbook, "history.yml", extra_vars=HISTORY_VARS)
    assert history.changed_hosts() == {"log-archive": 1, "master": 0, "member-b": 0}, history.changed_hosts()
    table = aws.client("glue", account=org.log_archive).get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert table["Parameters"]["projection.account.values"] == ",".join(sorted(org.accounts.values()))
    out = tmp_path / "history.json"
    search = playbook.run(HISTORY_SEARCH, inventory=INVENTORY, extra_vars={"history_out": str(out)})
    assert search.rc == 0, search.stdout[-8000:]
    found = json.loads(out.read_text())
    hit = check_history(found, events["events"], org, member="member-b")
    assert (hit["event_name"], hit["username"], hit["region"]) == ("StopLogging", INTRUDER, "us-east-1")
    assert found["search"]["bytes_scanned"] > 0 and "day BETWEEN" in found["search"]["query"]
    assert found["validation"]["valid"] is True and found["validation"]["counts"]["digest_files"]["invalid"] == 0

    # The drift check with log validation: the log archive (the bucket's owner) verifies every account's trail.
    result, report = _drift(playbook, tmp_path / "validated", cloudaudit_validate_logs=True)
    assert result.rc == 0, result.stdout[-8000:]
    validated = {
        r["resource"]: r["status"]
        for r in report["hosts"]["log-archive"]["resources"]
        if r["module"] == "cloudaudit.aws.cloudtrail_log_validation_info"
    }
    assert sorted(validated) == sorted(f"arn:aws:cloudtrail:us-east-1:{a}:trail/{TRAIL_NAME}" for a in org.accounts.values()), validated
    assert set(validated.values()) == {"ok"}, validated

    # site.yml repairs exactly what drifted.
    repair = _run(playbook, "site.yml")
    changed = repair.changed_hosts()
    assert {h for h, n in changed.items() if n} == {"member-b", "log-archive"}, changed
    assert aws.client("cloudtrail", account=org.accounts["member-b"]).get_trail_status(Name=TRAIL_NAME)["IsLogging"]
    rules = aws.client("s3", account=org.log_archive).get_bucket_lifecycle_configuration(Bucket=org.bucket)["Rules"]
    assert [r["ID"] for r in rules] == ["cloudaudit-retention"]
