"""playbooks/history.yml (role cloudaudit.aws.history), events.yml beyond 90 days (event history + Athena) and drift.yml's
opt-in log file validation, in one account that owns both the audit bucket and the trail (the organization run is in
tests/demo.py and test_roles_organization.py)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.tests.cloudtrail_athena import put_log_file, record
from tests.emulator.tests.test_corrections_cloudtrail import make_bucket
from tests.harness import DEFAULT_ACCOUNT, ROOT, PlaybookRunner

BUCKET = "history-audit-logs"
TRAIL = "cloudaudit"

pytestmark = pytest.mark.integration


@pytest.fixture
def logging_account(aws: Any, tmp_path: Path) -> Path:
    """A bucket and a logging trail with log file validation in one account, one delivery; the inventory of that account."""
    make_bucket(aws, BUCKET, paths=[f"AWSLogs/{DEFAULT_ACCOUNT}/*"])
    ct = aws.client("cloudtrail")
    ct.create_trail(Name=TRAIL, S3BucketName=BUCKET, EnableLogFileValidation=True)
    ct.start_logging(Name=TRAIL)
    ct.stop_logging(Name=TRAIL)
    ct.start_logging(Name=TRAIL)
    delivered = aws.emulator.flush_delivery()["trails"]
    assert [t["errors"] for t in delivered] == [[]] and delivered[0]["digest_files"], delivered
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        json.dumps(
            {
                "all": {
                    "hosts": {"log-archive": {"ansible_connection": "local", "account_id": DEFAULT_ACCOUNT}},
                    "vars": {"baseline_log_archive_account": DEFAULT_ACCOUNT, "baseline_bucket_name": BUCKET, "baseline_profile": "minimal"},
                }
            }
        )
    )
    return inventory


def _ok(result: Any) -> Any:
    assert result.rc == 0, result.stdout[-8000:] + result.stderr[-3000:]
    return result


def test_history_role_then_events_beyond_90_days(aws: Any, playbook: PlaybookRunner, logging_account: Path, tmp_path: Path) -> None:
    old = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=200)
    s3 = aws.client("s3")
    put_log_file(s3, BUCKET, "", DEFAULT_ACCOUNT, "us-east-1", old, [record("StopLogging", old, DEFAULT_ACCOUNT, "us-east-1", user="erin")])
    put_log_file(s3, BUCKET, "", DEFAULT_ACCOUNT, "us-east-1", old, [record("DescribeTrails", old, DEFAULT_ACCOUNT, "us-east-1", read_only=True)])
    extra = {"cloudaudit_history_regions": ["us-east-1"]}

    check = _ok(playbook.run(ROOT / "playbooks" / "history.yml", inventory=logging_account, extra_vars=extra, check=True, json_output=True))
    assert check.stats()["log-archive"]["changed"] == 1 and aws.client("athena").list_work_groups()["WorkGroups"][0]["Name"] == "primary"
    first = _ok(playbook.run(ROOT / "playbooks" / "history.yml", inventory=logging_account, extra_vars=extra, json_output=True))
    assert first.stats()["log-archive"]["changed"] == 1
    table = aws.client("glue").get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert table["Parameters"]["projection.account.values"] == DEFAULT_ACCOUNT and table["Parameters"]["projection.region.values"] == "us-east-1"
    assert table["StorageDescriptor"]["Location"] == f"s3://{BUCKET}/AWSLogs/"
    again = _ok(playbook.run(ROOT / "playbooks" / "history.yml", inventory=logging_account, extra_vars=extra, json_output=True))
    assert again.stats()["log-archive"]["changed"] == 0

    # 400 days: the last 90 from the event history, the older part from the bucket's logs through Athena, one report.
    long_dir, short_dir = tmp_path / "long", tmp_path / "short"
    events = ROOT / "playbooks" / "events.yml"
    _ok(playbook.run(events, inventory=logging_account, extra_vars={"cloudaudit_events_days": 400, "cloudaudit_events_report_dir": str(long_dir)}))
    report = json.loads((long_dir / "events.json").read_text())
    stops = [(e["found_in"], e["who"], e["account_name"]) for e in report["events"] if e["event"] == "StopLogging"]
    assert stops[0][0] == "event_history" and stops[0][2] == "log-archive", stops
    assert stops[-1] == ("athena", "erin", "log-archive"), stops
    athena_events = [e for e in report["events"] if e["found_in"] == "athena"]
    assert [e["event"] for e in athena_events] == ["StopLogging"]  # write calls only; the read-only DescribeTrails is not reported
    assert athena_events[0]["time"].startswith(old.strftime("%Y-%m-%dT%H:%M"))
    assert report["athena"]["count"] == 1 and report["athena"]["bytes_scanned"] > 0 and report["days"] == 400
    assert {e["found_in"] for e in report["events"]} == {"event_history", "athena"}
    csv_lines = (long_dir / "events.csv").read_text().splitlines()
    assert csv_lines[0].endswith(",resources,found_in") and sum(1 for line in csv_lines if line.endswith('"athena"')) == 1

    # 7 days: the event history only, as before (no Athena query).
    mark = aws.emulator.mark()
    _ok(playbook.run(events, inventory=logging_account, extra_vars={"cloudaudit_events_days": 7, "cloudaudit_events_report_dir": str(short_dir)}))
    short = json.loads((short_dir / "events.json").read_text())
    assert "athena" not in short and {e["found_in"] for e in short["events"]} == {"event_history"}
    assert not [c for c in aws.emulator.calls(since=mark) if c.get("service") == "athena"]


def _validation_entries(report_dir: Path) -> list[dict[str, Any]]:
    report = json.loads((report_dir / "drift.json").read_text())
    return [r for r in report["hosts"]["log-archive"]["resources"] if r["module"].endswith("cloudtrail_log_validation_info")]


def test_drift_validates_the_delivered_logs_when_asked(aws: Any, playbook: PlaybookRunner, logging_account: Path, tmp_path: Path) -> None:
    drift = ROOT / "playbooks" / "drift.yml"

    def env(name: str) -> dict[str, str]:
        return {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(tmp_path / name)}

    args = {"cloudaudit_validate_logs": True}

    playbook.run(drift, inventory=logging_account, env=env("off"))
    assert _validation_entries(tmp_path / "off") == []  # opt-in

    result = playbook.run(drift, inventory=logging_account, extra_vars=args, env=env("intact"))
    entries = _validation_entries(tmp_path / "intact")
    assert [e["status"] for e in entries] == ["ok"], result.stdout[-5000:]
    assert entries[0]["resource"] == f"arn:aws:cloudtrail:us-east-1:{DEFAULT_ACCOUNT}:trail/{TRAIL}"

    # Someone rewrites a delivered log file: the host fails and the report names the file.
    s3 = aws.client("s3")
    key = next(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"AWSLogs/{DEFAULT_ACCOUNT}/CloudTrail/")["Contents"])
    content = json.loads(gzip.decompress(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()))
    content["Records"] = content["Records"][:-1]
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps(content).encode()))
    result = playbook.run(drift, inventory=logging_account, extra_vars=args, env=env("tampered"))
    assert result.rc != 0
    entries = _validation_entries(tmp_path / "tampered")
    assert [e["status"] for e in entries] == ["failed"]
    assert f"log file {key} modified" in entries[0]["error"], entries
    assert key in result.stdout
