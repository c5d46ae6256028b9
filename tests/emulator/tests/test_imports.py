"""StartImport reads the CloudTrail log files really stored in the emulator's S3."""

from __future__ import annotations

import gzip
import json
import time
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/lake-import"
BUCKET = "import-logs"


def _code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _record(name: str, when: str) -> dict:
    return {"eventVersion": "1.09", "eventTime": when, "eventSource": "s3.amazonaws.com", "eventName": name, "awsRegion": "us-east-1"}


def _write_logs(s3) -> None:
    """Three log files in two day prefixes (one plain JSON), a broken file and an unrelated object."""
    s3.create_bucket(Bucket=BUCKET)
    base = "logs/AWSLogs/123456789012/CloudTrail/us-east-1"
    day1 = {"Records": [_record("CreateBucket", "2026-01-01T10:00:00Z"), _record("PutBucketPolicy", "2026-01-01T11:00:00Z")]}
    day1b = {"Records": [_record("DeleteBucket", "2026-01-01T12:00:00Z")]}
    day2 = {
        "Records": [
            _record("CreateTrail", "2026-01-02T09:00:00Z"),
            _record("StartLogging", "2026-01-02T09:05:00Z"),
            _record("StopLogging", "2026-01-02T23:00:00Z"),
        ]
    }
    s3.put_object(Bucket=BUCKET, Key=f"{base}/2026/01/01/a.json.gz", Body=gzip.compress(json.dumps(day1).encode()))
    s3.put_object(Bucket=BUCKET, Key=f"{base}/2026/01/01/b.json", Body=json.dumps(day1b).encode())
    s3.put_object(Bucket=BUCKET, Key=f"{base}/2026/01/02/c.json.gz", Body=gzip.compress(json.dumps(day2).encode()))
    s3.put_object(Bucket=BUCKET, Key="logs/README.txt", Body=b"not a log file")


def _wait(ct, import_id: str) -> dict:
    deadline = time.monotonic() + 10
    while True:
        got = ct.get_import(ImportId=import_id)
        if got["ImportStatus"] not in ("INITIALIZING", "IN_PROGRESS") or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def _start(ct, store_arn: str, uri: str, **kwargs) -> dict:
    source = {"S3": {"S3LocationUri": uri, "S3BucketRegion": "us-east-1", "S3BucketAccessRoleArn": ROLE}}
    return ct.start_import(Destinations=[store_arn], ImportSource=source, **kwargs)


def test_import_counts_the_log_files_written_to_s3(aws):
    _write_logs(aws.client("s3"))
    ct = aws.client("cloudtrail")
    store = ct.create_event_data_store(Name="import-dest")["EventDataStoreArn"]
    started = _start(ct, store, f"s3://{BUCKET}/logs")
    assert started["ImportStatus"] == "INITIALIZING"
    assert started["Destinations"] == [store]
    # One import per account at a time.
    with pytest.raises(ClientError) as e:
        _start(ct, store, f"s3://{BUCKET}/logs")
    assert _code(e) == "AccountHasOngoingImportException"
    assert ct.get_import(ImportId=started["ImportId"])["ImportStatus"] == "IN_PROGRESS"
    done = _wait(ct, started["ImportId"])
    assert done["ImportStatus"] == "COMPLETED"
    assert done["ImportStatistics"] == {"PrefixesFound": 2, "PrefixesCompleted": 2, "FilesCompleted": 3, "EventsCompleted": 6, "FailedEntries": 0}
    listed = ct.list_imports(Destination=store)["Imports"]
    assert [(i["ImportId"], i["ImportStatus"]) for i in listed] == [(started["ImportId"], "COMPLETED")]
    assert ct.list_imports(ImportStatus="FAILED")["Imports"] == []


def test_import_time_window_and_broken_files(aws):
    s3 = aws.client("s3")
    _write_logs(s3)
    s3.put_object(Bucket=BUCKET, Key="logs/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/broken.json.gz", Body=b"not gzip")
    ct = aws.client("cloudtrail")
    store = ct.create_event_data_store(Name="import-window")["EventDataStoreArn"]
    started = _start(
        ct,
        store,
        f"s3://{BUCKET}/logs/",
        StartEventTime=datetime(2026, 1, 1, 11, 30, tzinfo=timezone.utc),
        EndEventTime=datetime(2026, 1, 2, 12, 0, tzinfo=timezone.utc),
    )
    done = _wait(ct, started["ImportId"])
    assert done["ImportStatus"] == "COMPLETED"
    stats = done["ImportStatistics"]
    assert (stats["FilesCompleted"], stats["EventsCompleted"], stats["FailedEntries"]) == (3, 3, 1)  # DeleteBucket, CreateTrail, StartLogging
    assert done["StartEventTime"].year == 2026
    failures = ct.list_import_failures(ImportId=started["ImportId"])["Failures"]
    assert len(failures) == 1 and failures[0]["Location"].endswith("broken.json.gz")


def test_missing_bucket_fails_stop_and_restart(aws):
    ct = aws.client("cloudtrail")
    store = ct.create_event_data_store(Name="import-missing")["EventDataStoreArn"]
    started = _start(ct, store, "s3://no-such-bucket/logs")
    done = _wait(ct, started["ImportId"])
    assert done["ImportStatus"] == "FAILED"
    failure = ct.list_import_failures(ImportId=started["ImportId"])["Failures"][0]
    assert failure["ErrorType"] == "S3BucketNotFound"
    assert [i["ImportId"] for i in ct.list_imports(ImportStatus="FAILED")["Imports"]] == [started["ImportId"]]
    # Restart the failed import once the bucket exists: it now completes.
    _write_logs(aws.client("s3"))
    aws.client("s3").create_bucket(Bucket="no-such-bucket")
    restarted = ct.start_import(ImportId=started["ImportId"])
    assert restarted["ImportStatus"] == "INITIALIZING"
    stopped = ct.stop_import(ImportId=started["ImportId"])
    assert stopped["ImportStatus"] == "STOPPED"
    assert ct.get_import(ImportId=started["ImportId"])["ImportStatus"] == "STOPPED"


def test_import_errors(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError) as e:
        ct.get_import(ImportId="00000000-0000-0000-0000-000000000000")
    assert _code(e) == "ImportNotFoundException"
    store = ct.create_event_data_store(Name="import-errors", TerminationProtectionEnabled=False)["EventDataStoreArn"]
    with pytest.raises(ClientError) as e:
        _start(ct, store, "https://bucket/logs")
    assert _code(e) == "InvalidImportSourceException"
    missing = store[:-36] + "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ClientError) as e:
        _start(ct, missing, "s3://bucket/logs")
    assert _code(e) == "EventDataStoreNotFoundException"
    ct.delete_event_data_store(EventDataStore=store)
    with pytest.raises(ClientError) as e:
        _start(ct, store, "s3://bucket/logs")
    assert _code(e) == "InactiveEventDataStoreException"


def test_imports_are_per_account(aws):
    ct = aws.client("cloudtrail")
    store = ct.create_event_data_store(Name="import-acct")["EventDataStoreArn"]
    _start(ct, store, "s3://some-bucket/logs")
    other = aws.client("cloudtrail", account="111111111111")
    assert other.list_imports()["Imports"] == []
    # Another account's import is not blocked by this one, but cannot target this account's store.
    with pytest.raises(ClientError) as e:
        _start(other, store, "s3://some-bucket/logs")
    assert _code(e) == "EventDataStoreNotFoundException"
