"""Every answer the emulator's added CloudTrail handlers give matches botocore's output shape."""

from __future__ import annotations

import gzip
import json
from datetime import datetime

import pytest

from tests.emulator.shapes import ShapeMismatch, checked, validate_output


@pytest.mark.parametrize(
    "operation, data, problem",
    [
        ("GetEventDataStore", {"Name": "ok", "Status": "ENABLED", "RetentionPeriod": 7}, None),
        ("GetEventDataStore", {"Status": "BROKEN"}, "not one of"),
        ("GetEventDataStore", {"RetentionPeriod": "7"}, "expected integer"),
        ("GetEventDataStore", {"MultiRegionEnabled": "true"}, "expected boolean"),
        ("GetEventDataStore", {"CreatedTimestamp": [1]}, "expected timestamp"),
        ("GetEventDataStore", {"Unknown": 1}, "not a member"),
        ("GetEventDataStore", {"AdvancedEventSelectors": [{"Name": "x"}]}, "FieldSelectors: required member missing"),
        ("GetEventDataStore", {"AdvancedEventSelectors": {"Name": "x"}}, "expected list"),
        ("GetImport", {"ImportStatistics": {"FilesCompleted": True}}, "expected long"),
        ("ListTags", {"ResourceTagList": [{"ResourceId": "a", "TagsList": [{"Value": "v"}]}]}, "Key: required member missing"),
        ("LookupEvents", {"Events": [{"EventId": "e", "Resources": [{"ResourceType": "t"}]}]}, None),
        ("DeleteEventDataStore", {}, None),
    ],
)
def test_validate_output(operation, data, problem):
    problems = validate_output("cloudtrail", operation, data)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_checked_handler_raises_on_a_mismatch():
    bad = checked("cloudtrail", "GetImport")(lambda self: json.dumps({"ImportStatus": "DONE"}))
    with pytest.raises(ShapeMismatch, match="ImportStatus"):
        bad(None)
    good = checked("cloudtrail", "GetImport")(lambda self: json.dumps({"ImportStatus": "COMPLETED"}))
    assert json.loads(good(None)) == {"ImportStatus": "COMPLETED"}


def test_every_added_handler_is_shape_checked():
    from tests.emulator.extensions import cloudtrail_lake, cloudtrail_misc, delivery, lookup_events

    handlers = {
        **cloudtrail_lake.HANDLERS,
        **cloudtrail_misc.HANDLERS,
        "lookup_events": lookup_events.lookup_events,
        "list_public_keys": delivery.list_public_keys,
    }
    unchecked = [name for name, fn in handlers.items() if not getattr(fn, "shape_checked", None)]
    assert unchecked == []
    assert {fn.shape_checked[1] for fn in handlers.values()} >= set(ALL_OPERATIONS)


ALL_OPERATIONS = (
    "CreateEventDataStore",
    "GetEventDataStore",
    "ListEventDataStores",
    "UpdateEventDataStore",
    "DeleteEventDataStore",
    "RestoreEventDataStore",
    "StartEventDataStoreIngestion",
    "StopEventDataStoreIngestion",
    "AddTags",
    "RemoveTags",
    "ListTags",
    "EnableFederation",
    "DisableFederation",
    "PutEventConfiguration",
    "GetEventConfiguration",
    "StartImport",
    "GetImport",
    "ListImports",
    "StopImport",
    "ListImportFailures",
    "RegisterOrganizationDelegatedAdmin",
    "DeregisterOrganizationDelegatedAdmin",
    "PutResourcePolicy",
    "GetResourcePolicy",
    "DeleteResourcePolicy",
    "LookupEvents",
    "ListPublicKeys",
)


def test_all_added_operations_parse_with_boto3(aws):
    """Walk every added operation with a fully populated store; any shape mismatch would be a 500."""
    called: set[str] = set()

    def call(client, operation: str, **params):
        method = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
        result = getattr(client, method)(**params)
        called.add(operation)
        return result

    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="m", Email="m@example.com")["CreateAccountStatus"]["AccountId"]
    org.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="shape-logs")
    s3.put_object(
        Bucket="shape-logs",
        Key="AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/x.json.gz",
        Body=gzip.compress(json.dumps({"Records": [{"eventTime": "2026-01-01T00:00:00Z", "eventName": "X"}]}).encode()),
    )
    ct = aws.client("cloudtrail")
    selectors = [{"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["false"]}]}]
    created = call(
        ct,
        "CreateEventDataStore",
        Name="shape-store",
        AdvancedEventSelectors=selectors,
        RetentionPeriod=30,
        KmsKeyId=key,
        TagsList=[{"Key": "k", "Value": "v"}],
        OrganizationEnabled=True,
        TerminationProtectionEnabled=False,
    )
    arn = created["EventDataStoreArn"]
    assert isinstance(created["CreatedTimestamp"], datetime)
    assert created["KmsKeyId"] == key and created["TagsList"] == [{"Key": "k", "Value": "v"}]
    call(ct, "GetEventDataStore", EventDataStore=arn)
    call(ct, "ListEventDataStores", MaxResults=1)
    call(ct, "UpdateEventDataStore", EventDataStore=arn, RetentionPeriod=60)
    call(ct, "StopEventDataStoreIngestion", EventDataStore=arn)
    call(ct, "StartEventDataStoreIngestion", EventDataStore=arn)
    call(ct, "AddTags", ResourceId=arn, TagsList=[{"Key": "a", "Value": "b"}])
    call(ct, "RemoveTags", ResourceId=arn, TagsList=[{"Key": "a"}])
    call(ct, "ListTags", ResourceIdList=[arn])
    call(ct, "EnableFederation", EventDataStore=arn, FederationRoleArn="arn:aws:iam::123456789012:role/fed")
    assert call(ct, "GetEventDataStore", EventDataStore=arn)["FederationStatus"] == "ENABLED"
    call(ct, "DisableFederation", EventDataStore=arn)
    call(ct, "PutEventConfiguration", EventDataStore=arn, MaxEventSize="Large", ContextKeySelectors=[{"Type": "TagContext", "Equals": ["k"]}])
    call(ct, "GetEventConfiguration", EventDataStore=arn)
    source = {"S3": {"S3LocationUri": "s3://shape-logs/", "S3BucketRegion": "us-east-1", "S3BucketAccessRoleArn": "arn:aws:iam::123456789012:role/imp"}}
    imp = call(ct, "StartImport", Destinations=[arn], ImportSource=source, StartEventTime=datetime(2025, 1, 1), EndEventTime=datetime(2027, 1, 1))
    call(ct, "GetImport", ImportId=imp["ImportId"])
    call(ct, "ListImports", Destination=arn, MaxResults=5)
    call(ct, "ListImportFailures", ImportId=imp["ImportId"])
    call(ct, "StopImport", ImportId=imp["ImportId"])
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "cloudtrail:StartQuery", "Resource": arn}]}
    )
    call(ct, "PutResourcePolicy", ResourceArn=arn, ResourcePolicy=policy)
    call(ct, "GetResourcePolicy", ResourceArn=arn)
    call(ct, "DeleteResourcePolicy", ResourceArn=arn)
    call(ct, "RegisterOrganizationDelegatedAdmin", MemberAccountId=member)
    call(ct, "DeregisterOrganizationDelegatedAdmin", DelegatedAdminAccountId=member)
    call(ct, "DeleteEventDataStore", EventDataStore=arn)
    call(ct, "RestoreEventDataStore", EventDataStore=arn)
    keys = call(ct, "ListPublicKeys", StartTime=datetime(2025, 1, 1))["PublicKeyList"]
    assert keys and isinstance(keys[0]["Value"], bytes) and isinstance(keys[0]["ValidityEndTime"], datetime)
    events = call(ct, "LookupEvents", MaxResults=50)["Events"]
    assert events and all(isinstance(e["EventTime"], datetime) for e in events)
    assert set(ALL_OPERATIONS) <= called
    # Nothing the emulator served for them failed with a 500.
    failures = [c for c in aws.emulator.calls(service="cloudtrail") if c["status"] >= 500]
    assert failures == []


def test_a_mismatching_answer_is_a_loud_500(monkeypatch):
    """In a server (here in this process), a handler whose answer breaks its shape fails the request."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
    from moto.cloudtrail.responses import CloudTrailResponse

    from tests.emulator.server import EmulatorServer

    server = EmulatorServer().start()
    try:
        monkeypatch.setattr(
            CloudTrailResponse, "get_import", checked("cloudtrail", "GetImport")(lambda self: json.dumps({"ImportStatus": "DONE"})), raising=False
        )
        client = boto3.client(
            "cloudtrail",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )
        with pytest.raises(ClientError) as e:
            client.get_import(ImportId="00000000-0000-0000-0000-000000000000")
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    finally:
        server.stop()
