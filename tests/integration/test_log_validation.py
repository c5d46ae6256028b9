"""cloudtrail_log_validation_info against log files and digests the emulator's CloudTrail delivered.

The emulator delivers on demand (POST /_emulator/delivery/flush, tests/emulator/extensions/delivery.py):
each flush writes one log file and one signed digest per trail, account and region. The tests then
tamper with what CloudTrail wrote, as an intruder covering their tracks would (delete a log file,
rewrite one, rewrite a digest, delete a digest), and the module must name each file with its key.
The module runs in-process (main(), as Ansible runs it), in normal and check mode.
"""

from __future__ import annotations

import gzip
import importlib
import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.tests.test_corrections_cloudtrail import make_bucket
from tests.emulator.tests.test_corrections_organizations import organization
from tests.harness import PlaybookRunner, run_module_main

ACCOUNT = "123456789012"
BUCKET = "trail-logs"
MODULE = "cloudtrail_log_validation_info"

pytestmark = pytest.mark.integration


def _run(capsys: Any, check_mode: bool = False, **params: Any) -> dict[str, Any]:
    module = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{MODULE}")
    if check_mode:
        params["_ansible_check_mode"] = True
    return run_module_main(module, params, capsys)


def _deliveries(aws: Any, count: int, trail: str = "audit") -> list[dict[str, Any]]:
    """count flushes, a second apart (digest keys carry seconds), each after a call the trail records."""
    flushed = []
    for i in range(count):
        aws.client("logs").create_log_group(logGroupName=f"group-{i}")
        flushed.append(next(t for t in aws.emulator.flush_delivery()["trails"] if t["trail"].endswith(f"/{trail}")))
        time.sleep(1.05)
    return flushed


def _by_status(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in entries:
        found.setdefault(entry["status"], []).append(entry["s3_object"])
    return found


def _rewrite(s3: Any, key: str, change: Any) -> None:
    """Replace an object's content with change(uncompressed) and keep its metadata (a careful intruder)."""
    got = s3.get_object(Bucket=BUCKET, Key=key)
    content = change(gzip.decompress(got["Body"].read()))
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(content), Metadata=got.get("Metadata") or {})


@pytest.fixture
def delivered(aws: Any) -> list[dict[str, Any]]:
    make_bucket(aws, paths=[f"audit/AWSLogs/{ACCOUNT}/*"])
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="audit", S3BucketName=BUCKET, S3KeyPrefix="audit", EnableLogFileValidation=True)
    ct.start_logging(Name="audit")
    flushed = _deliveries(aws, 4)
    assert all(len(f["log_files"]) == 1 and len(f["digest_files"]) == 1 for f in flushed), flushed
    return flushed


def test_an_untouched_window_is_valid_in_normal_and_check_mode(aws: Any, delivered: list[dict[str, Any]], capsys: Any) -> None:
    result = _run(capsys, trail="audit", start_time="-1h")
    assert result["changed"] is False and result["valid"] is True, result
    assert _by_status(result["digest_files"]) == {"valid": [f["digest_files"][0] for f in reversed(delivered)]}  # newest first
    assert sorted(_by_status(result["log_files"])["valid"]) == sorted(f["log_files"][0] for f in delivered)
    assert result["counts"] == {"digest_files": {"valid": 4, "invalid": 0, "missing": 0}, "log_files": {"valid": 4, "modified": 0, "missing": 0}}
    assert (result["s3_bucket"], result["s3_prefix"], result["account_id"], result["regions"]) == (BUCKET, "audit", ACCOUNT, ["us-east-1"])
    mark = aws.emulator.mark()
    checked = _run(capsys, check_mode=True, trail=f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit", start_time="-1h")
    relative = ("start_time", "end_time", "invocation")  # -1h and now, a moment later
    assert {k: v for k, v in checked.items() if k not in relative} == {k: v for k, v in result.items() if k not in relative}
    assert aws.emulator.summary(since=mark)["writes"] == 0  # read-only


def test_deleted_modified_log_files_and_a_rewritten_digest_are_named(aws: Any, delivered: list[dict[str, Any]], capsys: Any) -> None:
    s3 = aws.client("s3")
    logs = [f["log_files"][0] for f in delivered]
    digests = [f["digest_files"][0] for f in delivered]
    s3.delete_object(Bucket=BUCKET, Key=logs[0])  # the intruder's own calls, gone
    _rewrite(s3, logs[1], lambda raw: json.dumps({"Records": json.loads(raw)["Records"][:-1]}).encode())
    _rewrite(s3, digests[2], lambda raw: raw.replace(b'"logFiles": [', b'"logFiles": [], "x": ['))  # hide the third log file
    result = _run(capsys, trail="audit", start_time="-1h")
    assert result["valid"] is False
    assert _by_status(result["log_files"]) == {"valid": [logs[3]], "modified": [logs[1]], "missing": [logs[0]]}
    by_key = {d["s3_object"]: d for d in result["digest_files"]}
    assert by_key[digests[2]]["status"] == "invalid"
    reasons = " | ".join(by_key[digests[2]]["reasons"])
    assert "signature does not verify" in reasons and f"previousDigestHashValue of {digests[3]}" in reasons
    assert [by_key[d]["status"] for d in (digests[0], digests[1], digests[3])] == ["valid"] * 3
    missing_log = next(f for f in result["log_files"] if f["status"] == "missing")
    assert (missing_log["s3_bucket"], missing_log["digest_s3_object"]) == (BUCKET, digests[0])
    # The window after the rewritten digest is still intact.
    after = by_key[digests[2]]["digest_end_time"]
    later = _run(capsys, trail="audit", start_time=_plus_one_second(after))
    assert later["valid"] is True and _by_status(later["digest_files"]) == {"valid": [digests[3]]}
    assert _by_status(later["log_files"]) == {"valid": [logs[3]]}


def _plus_one_second(iso: str) -> str:
    return (datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_deleted_digest_breaks_the_chain(aws: Any, delivered: list[dict[str, Any]], capsys: Any) -> None:
    digests = [f["digest_files"][0] for f in delivered]
    aws.client("s3").delete_object(Bucket=BUCKET, Key=digests[1])
    result = _run(capsys, trail="audit", start_time="-1h")
    assert result["valid"] is False
    by_key = {d["s3_object"]: d for d in result["digest_files"]}
    assert by_key[digests[1]]["status"] == "missing" and digests[2] in by_key[digests[1]]["reasons"][0]
    assert [by_key[d]["status"] for d in (digests[0], digests[2], digests[3])] == ["valid"] * 3
    assert result["counts"]["log_files"] == {"valid": 3, "modified": 0, "missing": 0}  # the missing digest's log file is unvouched


def test_copies_in_another_bucket_are_reported_as_moved(aws: Any, delivered: list[dict[str, Any]], capsys: Any) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="copy-of-logs")
    for obj in s3.list_objects_v2(Bucket=BUCKET, Prefix="audit/AWSLogs/")["Contents"]:
        s3.copy_object(Bucket="copy-of-logs", Key=obj["Key"], CopySource={"Bucket": BUCKET, "Key": obj["Key"]})
    result = _run(capsys, trail="audit", start_time="-1h", s3_bucket="copy-of-logs")
    assert result["valid"] is False and result["s3_bucket"] == "copy-of-logs"
    newest, *older = result["digest_files"]
    assert (newest["s3_bucket"], newest["status"]) == ("copy-of-logs", "invalid")
    assert newest["reasons"] == [f"moved: it says it was delivered to s3://{BUCKET}/{delivered[-1]['digest_files'][0]}"]
    # The chain goes on where each digest says the previous one is: CloudTrail's bucket, where they are intact.
    assert [(d["s3_bucket"], d["status"]) for d in older] == [(BUCKET, "valid")] * 3


def test_an_organization_trail_member_account(aws: Any, capsys: Any) -> None:
    org_id, (member,) = organization(aws, members=1)
    make_bucket(aws, "org-logs", paths=[f"AWSLogs/{ACCOUNT}/*", f"AWSLogs/{org_id}/*"])
    ct = aws.client("cloudtrail")
    arn = ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True, IsMultiRegionTrail=True, EnableLogFileValidation=True)["TrailARN"]
    ct.start_logging(Name="org")
    aws.client("logs", account=member).create_log_group(logGroupName="member-group")
    aws.emulator.flush_delivery()
    result = _run(capsys, trail=arn, account_id=member, start_time="-1h")
    assert result["valid"] is True and result["organization_id"] == org_id
    ((log_key,),) = [_by_status(result["log_files"])["valid"]]
    assert log_key.startswith(f"AWSLogs/{org_id}/{member}/CloudTrail/us-east-1/")
    assert result["digest_files"][0]["s3_object"].startswith(f"AWSLogs/{org_id}/{member}/CloudTrail-Digest/us-east-1/")


def test_each_region_of_a_multi_region_trail_has_its_chain(aws: Any, capsys: Any) -> None:
    make_bucket(aws)
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="everywhere", S3BucketName=BUCKET, IsMultiRegionTrail=True, EnableLogFileValidation=True)
    ct.start_logging(Name="everywhere")
    aws.client("logs", region="eu-west-1").create_log_group(logGroupName="eu-group")
    aws.emulator.flush_delivery()
    result = _run(capsys, trail="everywhere", start_time="-1h", log_regions=["us-east-1", "eu-west-1"])
    assert result["valid"] is True and result["regions"] == ["us-east-1", "eu-west-1"]
    assert sorted((d["region"], d["status"]) for d in result["digest_files"]) == [("eu-west-1", "valid"), ("us-east-1", "valid")]
    assert {f["region"] for f in result["log_files"]} == {"us-east-1", "eu-west-1"}
    home_only = _run(capsys, trail="everywhere", start_time="-1h")
    assert home_only["regions"] == ["us-east-1"] and [d["region"] for d in home_only["digest_files"]] == ["us-east-1"]


def test_no_digest_in_the_window_is_not_valid_and_an_unknown_trail_fails(aws: Any, capsys: Any) -> None:
    make_bucket(aws)
    aws.client("cloudtrail").create_trail(Name="quiet", S3BucketName=BUCKET, EnableLogFileValidation=True)
    result = _run(capsys, trail="quiet", start_time="-1h")
    assert result["valid"] is False and result["digest_files"] == [] and result["log_file_validation_enabled"] is True
    failed = _run(capsys, trail="nothere", start_time="-1h")
    assert failed["failed"] is True and failed["msg"].startswith("trail: no trail 'nothere'")
    gone = _run(capsys, trail="quiet", start_time="-1h", s3_bucket="no-such-bucket")
    assert gone["failed"] is True and gone["msg"] == "s3_bucket: there is no bucket 'no-such-bucket'"


PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Validate the audit trail's logs
      cloudaudit.aws.cloudtrail_log_validation_info: {trail: audit, start_time: -1h}
      register: validation
    - name: What the module promises
      ansible.builtin.assert:
        that:
          - validation is not changed
          - validation.valid
          - validation.counts.digest_files.valid == 4
          - validation.log_files | map(attribute='status') | list == ['valid'] * 4
"""


@pytest.mark.parametrize("execution", ["in-process", "module"])
def test_playbook_on_both_execution_paths_and_in_check_mode(
    aws: Any, delivered: list[dict[str, Any]], playbook: PlaybookRunner, tmp_path: Path, execution: str
) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    extra = {"cloudaudit_execution": "module"} if execution == "module" else {}
    for check in (False, True):
        result = playbook.run(play, extra_vars=extra, check=check)
        assert result.rc == 0, result.stdout[-6000:] + result.stderr[-3000:]
