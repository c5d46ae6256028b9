"""The emulator's own layer: call recording (account, region, mutating) and fault injection."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError


def test_read_only_sequence_records_no_mutating_call_and_a_write_records_one(aws):
    s3 = aws.client("s3")
    ct = aws.client("cloudtrail")
    mark = aws.emulator.mark()
    ct.describe_trails()
    s3.list_buckets()
    aws.client("logs").describe_log_groups()
    summary = aws.emulator.summary(since=mark)
    assert (summary["total"], summary["writes"]) == (3, 0)

    mark = aws.emulator.mark()
    s3.create_bucket(Bucket="recorder-bucket")
    summary = aws.emulator.summary(since=mark)
    assert summary["writes"] == 1
    assert summary["write_operations"] == ["s3:CreateBucket"]


def test_calls_carry_account_region_and_operation(aws):
    aws.client("cloudtrail", region="eu-west-1").describe_trails()
    aws.client("s3", account="111111111111").create_bucket(Bucket="other-account-bucket")
    calls = aws.emulator.calls()
    trails = [c for c in calls if c["operation"] == "DescribeTrails"][0]
    assert (trails["account"], trails["region"], trails["service"], trails["mutating"]) == ("123456789012", "eu-west-1", "cloudtrail", False)
    create = [c for c in calls if c["operation"] == "CreateBucket"][0]
    assert create["account"] == "111111111111"
    assert create["identity"]["type"] == "AssumedRole"
    assert create["identity"]["sessionContext"]["sessionIssuer"]["arn"] == "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
    assert aws.emulator.calls(account="111111111111", mutating=True)[0]["operation"] == "CreateBucket"


@pytest.mark.parametrize(
    "kind, service, call, code",
    [
        ("throttle", "cloudtrail", lambda c: c.describe_trails(), "ThrottlingException"),
        ("throttle", "s3", lambda c: c.list_buckets(), "SlowDown"),
        ("server_error", "logs", lambda c: c.describe_log_groups(), "InternalFailure"),
        ("operation_aborted", "s3", lambda c: c.list_buckets(), "OperationAborted"),
        ("throttle", "iam", lambda c: c.list_roles(), "Throttling"),
        ("access_denied", "logs", lambda c: c.describe_log_groups(), "AccessDeniedException"),
        ("access_denied", "s3", lambda c: c.list_buckets(), "AccessDenied"),
        ("access_denied", "iam", lambda c: c.list_roles(), "AccessDenied"),
    ],
)
def test_faults_answer_in_the_service_protocol(aws, kind, service, call, code):
    rule = aws.emulator.add_fault(kind, operation=f"{service}:*", count=1)
    assert rule["count"] == 1
    client = aws.client(service)
    with pytest.raises(ClientError) as excinfo:
        call(client)
    assert excinfo.value.response["Error"]["Code"] == code
    call(client)  # count=1: the next call goes through
    failed = [c for c in aws.emulator.calls(service=service) if c["error_code"]]
    assert failed and failed[0]["error_code"] == code


def test_fault_rate_and_latency(aws):
    aws.emulator.add_fault("latency", operation="cloudtrail:DescribeTrails", latency_ms=300)
    ct = aws.client("cloudtrail")
    start = time.monotonic()
    ct.describe_trails()
    assert time.monotonic() - start >= 0.3
    aws.emulator.clear_faults()
    aws.emulator.add_fault("throttle", operation="cloudtrail:ListTrails", rate=0.0)
    ct.list_trails()  # rate 0 never fires
    assert aws.emulator.faults()[0]["fired"] == 0


def test_reset_wipes_every_account(aws):
    aws.client("s3").create_bucket(Bucket="reset-me")
    aws.client("s3", account="222222222222").create_bucket(Bucket="reset-me-too")
    aws.emulator.reset()
    assert aws.client("s3").list_buckets()["Buckets"] == []
    assert aws.emulator.calls(operation="CreateBucket") == []


def test_hold_carries_the_call_out_records_it_and_answers_late(aws):
    import threading

    aws.emulator.add_fault("hold", operation="kms:CreateKey", latency_ms=1500, count=1)
    kms = aws.client("kms")
    answered: list[float] = []
    start = time.monotonic()
    worker = threading.Thread(target=lambda: answered.append(bool(kms.create_key()["KeyMetadata"]["KeyId"]) and time.monotonic() - start))
    worker.start()
    deadline = time.monotonic() + 5
    while not aws.emulator.calls(operation="CreateKey") and time.monotonic() < deadline:
        time.sleep(0.05)
    # The key exists and the call is recorded while its answer is still held back.
    assert aws.emulator.calls(operation="CreateKey") and not answered
    assert len(kms.list_keys()["Keys"]) == 1
    worker.join(10)
    assert answered and answered[0] >= 1.5
