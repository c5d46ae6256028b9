"""LookupEvents answers from the management calls the emulator served, per account and region."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.test_lake import _trail

OTHER = "111111111111"


def _code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _by_name(ct, name: str, **kwargs):
    return ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}], **kwargs)["Events"]


def test_lookup_finds_create_trail_in_the_right_account(aws):
    """The acceptance case: a CreateTrail made in 111111111111 through AssumeRole."""
    aws.client("s3", account=OTHER).create_bucket(Bucket="other-trail-bucket")
    trail_arn = _trail(aws, "other-trail", "other-trail-bucket", account=OTHER)
    events = _by_name(aws.client("cloudtrail", account=OTHER), "CreateTrail")
    assert len(events) == 1
    event = events[0]
    assert event["Username"] == "tests"  # the role session name
    assert event["EventSource"] == "cloudtrail.amazonaws.com"
    assert event["ReadOnly"] == "false"
    assert {"ResourceType": "AWS::CloudTrail::Trail", "ResourceName": "other-trail"} in event["Resources"]
    record = json.loads(event["CloudTrailEvent"])
    assert record["recipientAccountId"] == OTHER
    assert record["userIdentity"]["type"] == "AssumedRole"
    assert record["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"] == f"arn:aws:iam::{OTHER}:role/OrganizationAccountAccessRole"
    assert record["eventName"] == "CreateTrail"
    assert record["awsRegion"] == "us-east-1"
    assert record["requestParameters"]["name"] == "other-trail"
    assert record["requestParameters"]["s3BucketName"] == "other-trail-bucket"
    assert record["eventID"] == event["EventId"]
    assert record["readOnly"] is False and record["managementEvent"] is True
    assert record["eventType"] == "AwsApiCall" and record["eventCategory"] == "Management"
    assert record["resources"] == [{"accountId": OTHER, "type": "AWS::CloudTrail::Trail", "ARN": f"arn:aws:cloudtrail:us-east-1:{OTHER}:trail/other-trail"}]
    assert trail_arn.endswith(":trail/other-trail")
    # The default account and another region do not see it.
    assert _by_name(aws.client("cloudtrail"), "CreateTrail") == []
    assert _by_name(aws.client("cloudtrail", region="eu-west-1", account=OTHER), "CreateTrail") == []


def test_every_lookup_attribute(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="lookup-bucket")
    s3.put_object(Bucket="lookup-bucket", Key="data.txt", Body=b"x")  # data event: never listed
    s3.get_bucket_versioning(Bucket="lookup-bucket")
    ct = aws.client("cloudtrail")
    ct.create_event_data_store(Name="lookup-store")
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/audit/lookup")
    ct = aws.client("cloudtrail")

    def lookup(key: str, value: str) -> list[dict]:
        return ct.lookup_events(LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}])["Events"]

    assert [e["EventName"] for e in lookup("EventSource", "s3.amazonaws.com")] == ["GetBucketVersioning", "CreateBucket"]
    assert lookup("EventName", "PutObject") == []
    assert [e["EventName"] for e in lookup("ResourceType", "AWS::S3::Bucket")] == ["GetBucketVersioning", "CreateBucket"]
    assert [e["EventName"] for e in lookup("ResourceName", "/audit/lookup")] == ["CreateLogGroup"]
    assert lookup("ResourceType", "AWS::Logs::LogGroup")[0]["EventSource"] == "logs.amazonaws.com"
    assert [e["EventName"] for e in lookup("ResourceType", "AWS::CloudTrail::EventDataStore")] == ["CreateEventDataStore"]
    read_only = {e["EventName"] for e in lookup("ReadOnly", "true")}
    assert "GetBucketVersioning" in read_only and "CreateBucket" not in read_only
    writes = {e["EventName"] for e in lookup("ReadOnly", "false")}
    assert {"CreateBucket", "CreateLogGroup", "CreateEventDataStore"} <= writes
    assert {e["EventName"] for e in lookup("Username", "root")} >= {"CreateBucket", "CreateLogGroup"}
    assert {e["EventName"] for e in lookup("AccessKeyId", "testing")} >= {"CreateBucket", "CreateLogGroup"}
    assert lookup("AccessKeyId", "AKIANOBODY") == []
    one = lookup("EventName", "CreateLogGroup")[0]
    assert lookup("EventId", one["EventId"]) == [one]


def test_newest_first_pagination_and_time_window(aws):
    s3 = aws.client("s3")
    for i in range(5):
        s3.create_bucket(Bucket=f"page-bucket-{i}")
    ct = aws.client("cloudtrail")
    attrs = [{"AttributeKey": "EventName", "AttributeValue": "CreateBucket"}]
    first = ct.lookup_events(LookupAttributes=attrs, MaxResults=2)
    names = [e["Resources"][0]["ResourceName"] for e in first["Events"]]
    token = first["NextToken"]
    s3.create_bucket(Bucket="page-bucket-late")  # arrives mid-pagination: pages stay stable
    while token:
        page = ct.lookup_events(LookupAttributes=attrs, MaxResults=2, NextToken=token)
        names += [e["Resources"][0]["ResourceName"] for e in page["Events"]]
        token = page.get("NextToken")
    assert names == [f"page-bucket-{i}" for i in range(4, -1, -1)]
    times = [e["EventTime"] for e in ct.lookup_events(LookupAttributes=attrs)["Events"]]
    assert times == sorted(times, reverse=True)
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    assert ct.lookup_events(LookupAttributes=attrs, StartTime=future)["Events"] == []
    past = datetime.now(timezone.utc) - timedelta(days=200)
    assert ct.lookup_events(LookupAttributes=attrs, EndTime=past)["Events"] == []


def test_errors_and_insight_category(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError) as e:
        ct.lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "A"}, {"AttributeKey": "ReadOnly", "AttributeValue": "true"}]
        )
    assert _code(e) == "InvalidLookupAttributesException"
    now = datetime.now(timezone.utc)
    with pytest.raises(ClientError) as e:
        ct.lookup_events(StartTime=now, EndTime=now - timedelta(hours=1))
    assert _code(e) == "InvalidTimeRangeException"
    with pytest.raises(ClientError) as e:
        ct.lookup_events(NextToken="garbage")
    assert _code(e) == "InvalidNextTokenException"
    aws.client("s3").create_bucket(Bucket="insight-bucket")
    assert ct.lookup_events(EventCategory="insight")["Events"] == []


def test_failed_calls_carry_error_code_and_lookups_are_recorded(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError):
        ct.get_event_data_store(EventDataStore="missing-store")
    event = _by_name(ct, "GetEventDataStore")[0]
    record = json.loads(event["CloudTrailEvent"])
    assert record["errorCode"] == "EventDataStoreNotFoundException"
    assert event["Resources"] == [{"ResourceType": "AWS::CloudTrail::EventDataStore", "ResourceName": "missing-store"}]
    time.sleep(0.01)
    lookups = _by_name(ct, "LookupEvents")
    assert len(lookups) == 1 and lookups[0]["ReadOnly"] == "true"  # the first lookup, not the one answering
