"""S3 corrections: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"


def code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def s3(aws):
    client = aws.client("s3")
    client.create_bucket(Bucket="audit")
    return client


# 11. Lifecycle fields moto used to drop
def test_lifecycle_keeps_newer_noncurrent_versions_object_size_and_transition_default(s3):
    rules = [
        {
            "ID": "noncurrent",
            "Status": "Enabled",
            "Filter": {"Prefix": "AWSLogs/"},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 3},
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 10, "StorageClass": "GLACIER", "NewerNoncurrentVersions": 2}],
        },
        {
            "ID": "big",
            "Status": "Enabled",
            "Filter": {"ObjectSizeGreaterThan": 1024},
            "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}],
        },
        {
            "ID": "small-and",
            "Status": "Enabled",
            "Filter": {"And": {"Prefix": "logs/", "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 500}},
            "Expiration": {"Days": 365},
        },
    ]
    put = s3.put_bucket_lifecycle_configuration(
        Bucket="audit", LifecycleConfiguration={"Rules": rules}, TransitionDefaultMinimumObjectSize="varies_by_storage_class"
    )
    assert put["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"
    got = s3.get_bucket_lifecycle_configuration(Bucket="audit")
    assert got["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"
    by_id = {r["ID"]: r for r in got["Rules"]}
    assert by_id["noncurrent"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30, "NewerNoncurrentVersions": 3}
    assert by_id["noncurrent"]["NoncurrentVersionTransitions"][0]["NewerNoncurrentVersions"] == 2
    assert by_id["big"]["Filter"] == {"ObjectSizeGreaterThan": 1024}
    assert by_id["small-and"]["Filter"]["And"] == {"Prefix": "logs/", "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 500}
    # Written as a whole: without the option the AWS default comes back
    s3.put_bucket_lifecycle_configuration(Bucket="audit", LifecycleConfiguration={"Rules": rules[1:2]})
    got = s3.get_bucket_lifecycle_configuration(Bucket="audit")
    assert got["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    assert [r["ID"] for r in got["Rules"]] == ["big"]


def test_lifecycle_filter_with_two_conditions_outside_and_is_malformed(s3):
    with pytest.raises(ClientError) as e:
        s3.put_bucket_lifecycle_configuration(
            Bucket="audit",
            LifecycleConfiguration={
                "Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": "a/", "ObjectSizeGreaterThan": 1}, "Expiration": {"Days": 1}}]
            },
        )
    assert code(e) == "MalformedXML"


# 12. Ownership controls default and ACLs under BucketOwnerEnforced
def test_new_bucket_is_bucket_owner_enforced_and_refuses_acls(s3):
    rules = s3.get_bucket_ownership_controls(Bucket="audit")["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    for acl in ("public-read", "authenticated-read"):
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket="audit", Key="k", Body=b"x", ACL=acl)
        assert code(e) == "AccessControlListNotSupported"
        with pytest.raises(ClientError) as e:
            s3.put_bucket_acl(Bucket="audit", ACL=acl)
        assert code(e) == "AccessControlListNotSupported"
    with pytest.raises(ClientError) as e:
        s3.put_bucket_acl(Bucket="audit", GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"')
    assert code(e) == "AccessControlListNotSupported"
    s3.put_object(Bucket="audit", Key="k", Body=b"x", ACL="bucket-owner-full-control")
    s3.put_object(Bucket="audit", Key="k2", Body=b"x")
    s3.put_bucket_acl(Bucket="audit", ACL="private")
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket="public", ACL="public-read")
    assert code(e) == "InvalidBucketAclWithObjectOwnership"


def test_acls_allowed_when_ownership_allows_them(s3):
    s3.put_bucket_ownership_controls(Bucket="audit", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    s3.put_object(Bucket="audit", Key="k", Body=b"x", ACL="public-read")
    s3.put_bucket_acl(Bucket="audit", ACL="log-delivery-write")
    s3.create_bucket(Bucket="writer", ObjectOwnership="ObjectWriter", ACL="private")
    assert s3.get_bucket_ownership_controls(Bucket="writer")["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "ObjectWriter"


# 13. A TLS-only Deny does not block requests (every emulator request counts as TLS)
TLS_ONLY = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::audit", "arn:aws:s3:::audit/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
CLOUDTRAIL_WRITE = {
    "Sid": "AWSCloudTrailWrite",
    "Effect": "Allow",
    "Principal": {"Service": "cloudtrail.amazonaws.com"},
    "Action": "s3:PutObject",
    "Resource": f"arn:aws:s3:::audit/AWSLogs/{ACCOUNT}/*",
    "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
}


def test_tls_only_deny_lets_the_bucket_be_used_and_emptied(s3):
    s3.put_bucket_policy(Bucket="audit", Policy=json.dumps({"Version": "2012-10-17", "Statement": [TLS_ONLY, CLOUDTRAIL_WRITE]}))
    s3.put_object(Bucket="audit", Key=f"AWSLogs/{ACCOUNT}/a.json", Body=b"{}")
    s3.put_object(Bucket="audit", Key="other/b.json", Body=b"{}")
    assert s3.get_object(Bucket="audit", Key="other/b.json")["Body"].read() == b"{}"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="audit")["Contents"]]
    assert sorted(keys) == [f"AWSLogs/{ACCOUNT}/a.json", "other/b.json"]
    s3.delete_object(Bucket="audit", Key="other/b.json")
    deleted = s3.delete_objects(Bucket="audit", Delete={"Objects": [{"Key": f"AWSLogs/{ACCOUNT}/a.json"}]})
    assert "Errors" not in deleted
    assert s3.list_objects_v2(Bucket="audit")["KeyCount"] == 0
    s3.delete_bucket(Bucket="audit")


def test_deny_without_condition_still_applies(s3):
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::audit/locked/*"}
    s3.put_bucket_policy(Bucket="audit", Policy=json.dumps({"Version": "2012-10-17", "Statement": [TLS_ONLY, deny]}))
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket="audit", Key="locked/x", Body=b"x")
    assert code(e) in ("AccessDenied", "403")
    s3.put_object(Bucket="audit", Key="open/x", Body=b"x")


# Optional: server access logging with a bucket policy on the target
def test_bucket_logging_accepts_a_target_bucket_policy(s3):
    s3.create_bucket(Bucket="access-logs")
    with pytest.raises(ClientError) as e:
        s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "audit/"}})
    assert code(e) == "InvalidTargetBucketForLogging"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": ["logging.s3.amazonaws.com"]},
                "Action": ["s3:PutObject"],
                "Resource": ["arn:aws:s3:::access-logs/audit/*"],
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::audit"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket="access-logs", Policy=json.dumps(policy))
    s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "audit/"}})
    assert s3.get_bucket_logging(Bucket="audit")["LoggingEnabled"] == {"TargetBucket": "access-logs", "TargetPrefix": "audit/"}
    with pytest.raises(ClientError) as e:  # another prefix is not covered by the policy
        s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "elsewhere/"}})
    assert code(e) == "InvalidTargetBucketForLogging"


# Requester Pays
def test_bucket_request_payment(s3):
    assert s3.get_bucket_request_payment(Bucket="audit")["Payer"] == "BucketOwner"
    s3.put_bucket_request_payment(Bucket="audit", RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3.get_bucket_request_payment(Bucket="audit")["Payer"] == "Requester"
    s3.put_bucket_request_payment(Bucket="audit", RequestPaymentConfiguration={"Payer": "BucketOwner"})
    assert s3.get_bucket_request_payment(Bucket="audit")["Payer"] == "BucketOwner"
    with pytest.raises(ClientError) as e:
        s3.get_bucket_request_payment(Bucket="missing")
    assert code(e) == "NoSuchBucket"


# Server access log key format
LOG_TARGET_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::access-logs/*",
        }
    ],
}


@pytest.mark.parametrize(
    "key_format",
    [{"SimplePrefix": {}}, {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}, {"PartitionedPrefix": {"PartitionDateSource": "DeliveryTime"}}],
)
def test_bucket_logging_keeps_the_target_object_key_format(s3, key_format):
    s3.create_bucket(Bucket="access-logs")
    s3.put_bucket_policy(Bucket="access-logs", Policy=json.dumps(LOG_TARGET_POLICY))
    enabled = {"TargetBucket": "access-logs", "TargetPrefix": "audit/", "TargetObjectKeyFormat": key_format}
    s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": enabled})
    assert s3.get_bucket_logging(Bucket="audit")["LoggingEnabled"] == enabled
    # Written as a whole: without it, no key format comes back
    s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "audit/"}})
    assert "TargetObjectKeyFormat" not in s3.get_bucket_logging(Bucket="audit")["LoggingEnabled"]
    s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={})
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket="audit")
    bad = dict(enabled, TargetObjectKeyFormat={"PartitionedPrefix": {"PartitionDateSource": "Yesterday"}})
    with pytest.raises(ClientError) as e:
        s3.put_bucket_logging(Bucket="audit", BucketLoggingStatus={"LoggingEnabled": bad})
    assert code(e) == "MalformedXML"
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket="audit")


# ExpectedBucketOwner and calls on another account's bucket
OTHER = "210987654321"


def test_expected_bucket_owner_of_another_account_is_access_denied(aws, s3):
    s3.put_object(Bucket="audit", Key="k", Body=b"x")
    # the right owner: every call works
    assert s3.get_bucket_versioning(Bucket="audit", ExpectedBucketOwner=ACCOUNT)["ResponseMetadata"]["HTTPStatusCode"] == 200
    s3.put_bucket_tagging(Bucket="audit", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]}, ExpectedBucketOwner=ACCOUNT)
    assert s3.get_object(Bucket="audit", Key="k", ExpectedBucketOwner=ACCOUNT)["Body"].read() == b"x"
    calls = {
        "head_bucket": {},
        "get_bucket_policy": {},
        "get_bucket_versioning": {},
        "get_bucket_encryption": {},
        "get_bucket_request_payment": {},
        "get_bucket_logging": {},
        "list_objects_v2": {},
        "put_bucket_versioning": {"VersioningConfiguration": {"Status": "Enabled"}},
        "put_bucket_policy": {"Policy": json.dumps({"Version": "2012-10-17", "Statement": [TLS_ONLY]})},
        "put_bucket_tagging": {"Tagging": {"TagSet": []}},
        "delete_bucket_policy": {},
        "get_object": {"Key": "k"},
        "put_object": {"Key": "k2", "Body": b"x"},
        "delete_bucket": {},
    }
    for operation, params in calls.items():
        with pytest.raises(ClientError) as e:
            getattr(s3, operation)(Bucket="audit", ExpectedBucketOwner=OTHER, **params)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403, operation
        if operation != "head_bucket":  # HEAD has no body
            assert code(e) == "AccessDenied", operation
    # nothing changed
    assert "Status" not in s3.get_bucket_versioning(Bucket="audit")
    assert s3.get_bucket_tagging(Bucket="audit")["TagSet"] == [{"Key": "a", "Value": "b"}]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="audit")["Contents"]] == ["k"]


def test_another_accounts_bucket_configuration_is_refused_without_a_bucket_policy(aws, s3):
    other = aws.client("s3", account=OTHER)
    for operation, params in {
        "get_bucket_policy": {},
        "get_bucket_versioning": {},
        "get_bucket_encryption": {},
        "get_bucket_logging": {},
        "get_bucket_request_payment": {},
        "put_bucket_versioning": {"VersioningConfiguration": {"Status": "Enabled"}},
        "put_bucket_policy": {"Policy": json.dumps({"Version": "2012-10-17", "Statement": [TLS_ONLY]})},
        "delete_bucket": {},
    }.items():
        with pytest.raises(ClientError) as e:
            getattr(other, operation)(Bucket="audit", **params)
        assert code(e) == "AccessDenied", operation
    assert "Status" not in s3.get_bucket_versioning(Bucket="audit")
    with pytest.raises(ClientError) as e:
        s3.get_bucket_policy(Bucket="audit")
    assert code(e) == "NoSuchBucketPolicy"
    # CreateBucket of a taken name is still BucketAlreadyExists
    with pytest.raises(ClientError) as e:
        other.create_bucket(Bucket="audit")
    assert code(e) == "BucketAlreadyExists"


def test_bucket_policy_can_let_another_account_read_the_configuration_and_write_objects(aws, s3):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": ["s3:GetBucketVersioning", "s3:ListBucket"],
                "Resource": "arn:aws:s3:::audit",
            },
            {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::audit/*"},
        ],
    }
    s3.put_bucket_policy(Bucket="audit", Policy=json.dumps(policy))
    other = aws.client("s3", account=OTHER)
    assert other.get_bucket_versioning(Bucket="audit")["ResponseMetadata"]["HTTPStatusCode"] == 200
    other.put_object(Bucket="audit", Key="from-other", Body=b"x", ACL="bucket-owner-full-control")
    assert other.list_objects_v2(Bucket="audit")["KeyCount"] == 1
    with pytest.raises(ClientError) as e:  # not in the policy
        other.get_bucket_policy(Bucket="audit")
    assert code(e) == "AccessDenied"
    with pytest.raises(ClientError) as e:  # allowed to the account, but not this owner
        other.get_bucket_versioning(Bucket="audit", ExpectedBucketOwner=OTHER)
    assert code(e) == "AccessDenied"
