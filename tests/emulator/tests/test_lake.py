"""CloudTrail Lake event data stores in the emulator behave as AWS documents them."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

OTHER = "111111111111"


def _code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _unvalidated(aws):
    """A client that sends what boto3 would refuse client-side, to see the server's own answer."""
    import boto3

    config = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    return boto3.client("cloudtrail", region_name="us-east-1", endpoint_url=aws.url, config=config)


def _unprotect(ct, store: str) -> None:
    ct.update_event_data_store(EventDataStore=store, TerminationProtectionEnabled=False)


def test_create_defaults_get_by_name_arn_and_id(aws):
    ct = aws.client("cloudtrail")
    created = ct.create_event_data_store(Name="audit-store")
    arn = created["EventDataStoreArn"]
    assert arn.startswith("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/")
    assert created["Status"] == "ENABLED"
    assert created["RetentionPeriod"] == 366
    assert created["BillingMode"] == "EXTENDABLE_RETENTION_PRICING"
    assert created["MultiRegionEnabled"] is True
    assert created["OrganizationEnabled"] is False
    assert created["TerminationProtectionEnabled"] is True
    assert created["AdvancedEventSelectors"] == [
        {"Name": "Default management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
    ]
    assert "KmsKeyId" not in created
    assert created["CreatedTimestamp"] == created["UpdatedTimestamp"]
    for ref in ("audit-store", arn, arn.rsplit("/", 1)[1]):
        got = ct.get_event_data_store(EventDataStore=ref)
        assert got["EventDataStoreArn"] == arn
        assert got["FederationStatus"] == "DISABLED"


def test_fixed_billing_defaults_and_retention_limits(aws):
    ct = aws.client("cloudtrail")
    fixed = ct.create_event_data_store(Name="fixed", BillingMode="FIXED_RETENTION_PRICING")
    assert fixed["RetentionPeriod"] == 2557
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="fixed-too-long", BillingMode="FIXED_RETENTION_PRICING", RetentionPeriod=3000)
    assert _code(e) == "InvalidParameterException"
    assert ct.create_event_data_store(Name="ext-long", RetentionPeriod=3653)["RetentionPeriod"] == 3653
    # Below 7 days: boto3 refuses client-side, so send it unvalidated to see the server answer.
    raw = _unvalidated(aws)
    with pytest.raises(ClientError) as e:
        raw.create_event_data_store(Name="too-short", RetentionPeriod=6)
    assert _code(e) == "InvalidParameterException"


@pytest.mark.parametrize("name", ["ab", "has space", "x" * 129, "bad/char"])
def test_invalid_names_are_refused(aws, name):
    raw = _unvalidated(aws)
    with pytest.raises(ClientError) as e:
        raw.create_event_data_store(Name=name)
    assert _code(e) == "InvalidParameterException"


def test_duplicate_name_and_limit_of_ten_per_region(aws):
    ct = aws.client("cloudtrail")
    for i in range(10):
        ct.create_event_data_store(Name=f"store-{i}")
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="store-0")
    assert _code(e) == "EventDataStoreAlreadyExistsException"
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="store-10")
    assert _code(e) == "EventDataStoreMaxLimitExceededException"
    # Another region has its own limit.
    aws.client("cloudtrail", region="eu-west-1").create_event_data_store(Name="store-10")


def test_billing_mode_fixed_to_extendable_only(aws):
    ct = aws.client("cloudtrail")
    fixed = ct.create_event_data_store(Name="fixed", BillingMode="FIXED_RETENTION_PRICING")["EventDataStoreArn"]
    updated = ct.update_event_data_store(EventDataStore=fixed, BillingMode="EXTENDABLE_RETENTION_PRICING", RetentionPeriod=3000)
    assert (updated["BillingMode"], updated["RetentionPeriod"]) == ("EXTENDABLE_RETENTION_PRICING", 3000)
    with pytest.raises(ClientError) as e:
        ct.update_event_data_store(EventDataStore=fixed, BillingMode="FIXED_RETENTION_PRICING")
    assert _code(e) == "InvalidParameterException"
    ext = ct.create_event_data_store(Name="ext")["EventDataStoreArn"]
    with pytest.raises(ClientError) as e:
        ct.update_event_data_store(EventDataStore=ext, BillingMode="FIXED_RETENTION_PRICING")
    assert _code(e) == "InvalidParameterException"


def test_update_changes_only_what_is_given(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="upd", RetentionPeriod=90, MultiRegionEnabled=False)["EventDataStoreArn"]
    selectors = [
        {"Name": "s3 writes", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}
    ]
    updated = ct.update_event_data_store(EventDataStore=arn, Name="upd-renamed", AdvancedEventSelectors=selectors)
    assert updated["Name"] == "upd-renamed"
    assert updated["RetentionPeriod"] == 90
    assert updated["MultiRegionEnabled"] is False
    assert updated["AdvancedEventSelectors"] == selectors
    assert updated["UpdatedTimestamp"] >= updated["CreatedTimestamp"]
    assert ct.get_event_data_store(EventDataStore="upd-renamed")["EventDataStoreArn"] == arn
    with pytest.raises(ClientError) as e:
        ct.get_event_data_store(EventDataStore="upd")
    assert _code(e) == "EventDataStoreNotFoundException"


def test_selectors_are_validated(aws):
    ct = aws.client("cloudtrail")
    no_category = [{"FieldSelectors": [{"Field": "eventName", "Equals": ["CreateTrail"]}]}]
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="bad-sel", AdvancedEventSelectors=no_category)
    assert _code(e) == "InvalidEventSelectorsException"
    data_without_type = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="bad-sel", AdvancedEventSelectors=data_without_type)
    assert _code(e) == "InvalidEventSelectorsException"
    unknown_field = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "bogusField", "Equals": ["x"]}]}]
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="bad-sel", AdvancedEventSelectors=unknown_field)
    assert _code(e) == "InvalidEventSelectorsException"
    six = [{"Name": f"s{i}", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]} for i in range(6)]
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="bad-sel", AdvancedEventSelectors=six)
    assert _code(e) == "InvalidEventSelectorsException"


def test_kms_key_can_be_added_but_not_changed(aws):
    kms = aws.client("kms")
    key1 = kms.create_key()["KeyMetadata"]
    key2 = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/lake", TargetKeyId=key1["KeyId"])
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="enc")["EventDataStoreArn"]
    assert ct.update_event_data_store(EventDataStore=arn, KmsKeyId="alias/lake")["KmsKeyId"] == key1["Arn"]
    # The same key named another way is no change.
    assert ct.update_event_data_store(EventDataStore=arn, KmsKeyId=key1["KeyId"])["KmsKeyId"] == key1["Arn"]
    with pytest.raises(ClientError) as e:
        ct.update_event_data_store(EventDataStore=arn, KmsKeyId=key2["Arn"])
    assert _code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="enc-missing", KmsKeyId="alias/does-not-exist")
    assert _code(e) == "KmsKeyNotFoundException"


def test_delete_refused_while_protected_then_pending_deletion_and_restore(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="del")["EventDataStoreArn"]
    with pytest.raises(ClientError) as e:
        ct.delete_event_data_store(EventDataStore=arn)
    assert _code(e) == "EventDataStoreTerminationProtectedException"
    _unprotect(ct, arn)
    ct.delete_event_data_store(EventDataStore=arn)
    assert ct.get_event_data_store(EventDataStore=arn)["Status"] == "PENDING_DELETION"
    assert [s["Name"] for s in ct.list_event_data_stores()["EventDataStores"]] == ["del"]  # still listed while pending deletion
    with pytest.raises(ClientError) as e:
        ct.update_event_data_store(EventDataStore=arn, RetentionPeriod=30)
    assert _code(e) == "InactiveEventDataStoreException"
    assert ct.restore_event_data_store(EventDataStore=arn)["Status"] == "ENABLED"
    with pytest.raises(ClientError) as e:
        ct.restore_event_data_store(EventDataStore=arn)
    assert _code(e) == "InvalidEventDataStoreStatusException"


def test_delete_refused_with_federation_enabled(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="fed", TerminationProtectionEnabled=False)["EventDataStoreArn"]
    ct.enable_federation(EventDataStore=arn, FederationRoleArn="arn:aws:iam::123456789012:role/lake-federation")
    with pytest.raises(ClientError) as e:
        ct.delete_event_data_store(EventDataStore=arn)
    assert _code(e) == "EventDataStoreFederationEnabledException"
    ct.disable_federation(EventDataStore=arn)
    ct.delete_event_data_store(EventDataStore=arn)


def test_ingestion_start_stop(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="ing", StartIngestion=False)["EventDataStoreArn"]
    assert ct.get_event_data_store(EventDataStore=arn)["Status"] == "STOPPED_INGESTION"
    with pytest.raises(ClientError) as e:
        ct.stop_event_data_store_ingestion(EventDataStore=arn)
    assert _code(e) == "InvalidEventDataStoreStatusException"
    ct.start_event_data_store_ingestion(EventDataStore=arn)
    assert ct.get_event_data_store(EventDataStore=arn)["Status"] == "ENABLED"
    ct.stop_event_data_store_ingestion(EventDataStore=arn)
    assert ct.get_event_data_store(EventDataStore=arn)["Status"] == "STOPPED_INGESTION"


def test_list_paginates(aws):
    ct = aws.client("cloudtrail")
    names = [f"page-{i}" for i in range(5)]
    for name in names:
        ct.create_event_data_store(Name=name)
    first = ct.list_event_data_stores(MaxResults=2)
    assert [s["Name"] for s in first["EventDataStores"]] == names[:2]
    assert first["EventDataStores"][0] == {"EventDataStoreArn": first["EventDataStores"][0]["EventDataStoreArn"], "Name": "page-0"}  # as AWS: nothing else
    seen = [s["Name"] for s in first["EventDataStores"]]
    token = first["NextToken"]
    while token:
        page = ct.list_event_data_stores(MaxResults=2, NextToken=token)
        seen += [s["Name"] for s in page["EventDataStores"]]
        token = page.get("NextToken")
    assert seen == names
    with pytest.raises(ClientError) as e:
        ct.list_event_data_stores(NextToken="not-a-token")
    assert _code(e) == "InvalidNextTokenException"


def test_not_found_and_invalid_arn(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError) as e:
        ct.get_event_data_store(EventDataStore="nope-store")
    assert _code(e) == "EventDataStoreNotFoundException"
    with pytest.raises(ClientError) as e:
        ct.get_event_data_store(EventDataStore="arn:aws:cloudtrail:us-east-1:123456789012:trail/x")
    assert _code(e) == "EventDataStoreARNInvalidException"


def test_tags_on_store_arns_and_trails_still_work(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="tagged", TagsList=[{"Key": "team", "Value": "audit"}])["EventDataStoreArn"]
    ct.add_tags(ResourceId=arn, TagsList=[{"Key": "env", "Value": "prod"}])
    ct.remove_tags(ResourceId=arn, TagsList=[{"Key": "team"}])
    aws.client("s3").create_bucket(Bucket="tag-trail-bucket")
    trail_arn = _trail(aws, "tag-trail", "tag-trail-bucket")
    ct.add_tags(ResourceId=trail_arn, TagsList=[{"Key": "kind", "Value": "trail"}])
    tags = {t["ResourceId"]: t["TagsList"] for t in ct.list_tags(ResourceIdList=[arn, trail_arn])["ResourceTagList"]}
    assert tags[arn] == [{"Key": "env", "Value": "prod"}]
    assert tags[trail_arn] == [{"Key": "kind", "Value": "trail"}]
    assert ct.list_tags(ResourceIdList=[trail_arn])["ResourceTagList"][0]["TagsList"] == [{"Key": "kind", "Value": "trail"}]
    with pytest.raises(ClientError) as e:
        ct.add_tags(ResourceId=arn.replace(arn.rsplit("/", 1)[1], "00000000-0000-0000-0000-000000000000"), TagsList=[{"Key": "a", "Value": "b"}])
    assert _code(e) == "EventDataStoreNotFoundException"


def _trail(aws, name: str, bucket: str, account: str | None = None) -> str:
    """A trail whose bucket policy lets CloudTrail write (AWS checks it; so may the emulator)."""
    import json

    acct = account or "123456789012"
    s3 = aws.client("s3", account=account)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "acl",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": f"arn:aws:s3:::{bucket}",
            },
            {
                "Sid": "write",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{acct}/*",
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return aws.client("cloudtrail", account=account).create_trail(Name=name, S3BucketName=bucket)["TrailARN"]


def test_accounts_are_isolated_and_reset_wipes_stores(aws):
    ct = aws.client("cloudtrail")
    other = aws.client("cloudtrail", account=OTHER)
    arn = ct.create_event_data_store(Name="mine")["EventDataStoreArn"]
    other.create_event_data_store(Name="mine")  # same name, other account: fine
    assert [s["Name"] for s in other.list_event_data_stores()["EventDataStores"]] == ["mine"]
    with pytest.raises(ClientError) as e:
        other.get_event_data_store(EventDataStore=arn)
    assert _code(e) == "EventDataStoreNotFoundException"
    assert aws.client("cloudtrail", region="eu-west-1").list_event_data_stores()["EventDataStores"] == []
    aws.emulator.reset()
    assert ct.list_event_data_stores()["EventDataStores"] == []
