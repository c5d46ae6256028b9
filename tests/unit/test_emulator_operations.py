"""How the emulator names the operation of a raw request, and which ones mutate."""

from __future__ import annotations

import pytest

from tests.emulator.operations import identify, is_mutating

AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-west-1/{service}/aws4_request, SignedHeaders=host, Signature=x"


def _headers(service, **extra):
    return {"Authorization": AUTH.format(service=service), **extra}


@pytest.mark.parametrize(
    "method, path, query, name",
    [
        ("GET", "/", "", "ListBuckets"),
        ("PUT", "/b", "", "CreateBucket"),
        ("GET", "/b", "policy", "GetBucketPolicy"),
        ("PUT", "/b", "lifecycle", "PutBucketLifecycle"),
        ("DELETE", "/b", "lifecycle", "DeleteBucketLifecycle"),
        ("GET", "/b", "versions", "ListObjectVersions"),
        ("POST", "/b", "delete", "DeleteObjects"),
        ("GET", "/b", "object-lock", "GetObjectLockConfiguration"),
        ("GET", "/b", "list-type=2", "ListObjectsV2"),
        ("PUT", "/b/AWSLogs/1/x.json.gz", "", "PutObject"),
        ("HEAD", "/b", "", "HeadBucket"),
    ],
)
def test_s3_operations(method, path, query, name):
    op = identify(method, path, query, _headers("s3"), b"")
    assert (op.service, op.name, op.region, op.params["Bucket"] if path != "/" else None) == ("s3", name, "eu-west-1", "b" if path != "/" else None)


def test_json_and_query_operations():
    op = identify(
        "POST", "/", "", _headers("cloudtrail", **{"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.StopLogging"}), b'{"Name": "t"}'
    )
    assert (op.name, op.params, op.mutating) == ("StopLogging", {"Name": "t"}, True)
    op = identify("POST", "/", "", _headers("iam", **{"Content-Type": "application/x-www-form-urlencoded"}), b"Action=GetRole&Version=2010-05-08&RoleName=r")
    assert (op.name, op.params, op.mutating) == ("GetRole", {"RoleName": "r"}, False)


def test_unsigned_requests_are_not_aws_calls():
    assert identify("GET", "/moto-api/data.json", "", {}, b"") is None


@pytest.mark.parametrize(
    "name, mutating",
    [("DescribeTrails", False), ("LookupEvents", False), ("AssumeRole", False), ("PutBucketPolicy", True), ("StartLogging", True), ("HeadBucket", False)],
)
def test_mutating(name, mutating):
    assert is_mutating(name) is mutating
