"""_aws.s3: how S3 answers map to results and exceptions, and what each call sends (stub client, no AWS)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import s3


def _error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "SomeOperation")


class StubClient:
    """Every method records its kwargs and raises or returns the outcome given for it."""

    def __init__(self, **outcomes):
        self.outcomes = outcomes
        self.calls = []

    def __getattr__(self, name):
        def method(**kwargs):
            self.calls.append((name, kwargs))
            outcome = self.outcomes.get(name, {})
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        return method


@pytest.mark.parametrize("code", s3.NOT_FOUND_CODES)
def test_missing_configuration_is_none(code):
    client = StubClient(get_bucket_policy=_error(code))
    assert s3.get_bucket_policy(client, "b") is None


def test_missing_bucket_raises_bucket_not_found():
    with pytest.raises(s3.BucketNotFound):
        s3.get_bucket_tagging(StubClient(get_bucket_tagging=_error("NoSuchBucket")), "b")
    with pytest.raises(s3.BucketNotFound):
        s3.list_object_versions(Paged(_error("NoSuchBucket")), "b")


class Paged:
    """A client whose paginators answer the given pages (or raise the given error)."""

    def __init__(self, pages):
        self.pages = pages
        self.kwargs = None

    def get_paginator(self, operation):
        return self

    def paginate(self, **kwargs):
        self.kwargs = kwargs
        if isinstance(self.pages, Exception):
            raise self.pages
        return iter(self.pages)


def test_object_versions_of_every_page():
    client = Paged([{"Versions": [{"Key": "a", "VersionId": "1", "Size": 3}]}, {"DeleteMarkers": [{"Key": "b", "VersionId": "2"}]}])
    assert s3.list_object_versions(client, "b", "111111111111") == [{"Key": "a", "VersionId": "1"}, {"Key": "b", "VersionId": "2"}]
    assert client.kwargs == {"Bucket": "b", "ExpectedBucketOwner": "111111111111"}
    # listing is not a bucket setting read: AccessDenied stays the AWS error even with an expected owner
    with pytest.raises(ClientError):
        s3.list_object_versions(Paged(_error("AccessDenied")), "b", "111111111111")


def test_access_denied_is_not_expected_owner_only_when_an_owner_was_sent():
    client = StubClient(get_bucket_versioning=_error("AccessDenied"))
    with pytest.raises(s3.NotExpectedOwner):
        s3.get_bucket_versioning(client, "b", "111111111111")
    with pytest.raises(ClientError):
        s3.get_bucket_versioning(client, "b")


def test_expected_owner_is_sent_when_given():
    client = StubClient(get_bucket_policy={"Policy": '{"Statement": []}'}, get_bucket_tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    assert s3.get_bucket_policy(client, "b", "111111111111") == {"Statement": []}
    assert s3.get_bucket_tagging(client, "b") == {"a": "b"}
    assert client.calls == [
        ("get_bucket_policy", {"Bucket": "b", "ExpectedBucketOwner": "111111111111"}),
        ("get_bucket_tagging", {"Bucket": "b"}),
    ]


def test_defaults_of_payer_and_location():
    client = StubClient()
    assert s3.get_bucket_request_payment(client, "b") == "BucketOwner"
    assert s3.get_bucket_location(client, "b") == "us-east-1"


def test_create_bucket():
    client = StubClient()
    s3.create_bucket(client, "b", "eu-west-1", True)
    s3.create_bucket(client, "b", "us-east-1", False)
    assert client.calls == [
        ("create_bucket", {"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}, "ObjectLockEnabledForBucket": True}),
        ("create_bucket", {"Bucket": "b"}),
    ]
    with pytest.raises(s3.BucketNameTaken):
        s3.create_bucket(StubClient(create_bucket=_error("BucketAlreadyExists")), "b", "us-east-1", False)


def test_wrappers_keep_their_names():
    assert s3.get_bucket_policy.__name__ == "get_bucket_policy"
    assert s3.list_object_versions.__name__ == "list_object_versions"


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data


def test_get_object_reads_the_body_and_a_missing_key_is_none():
    client = StubClient(get_object={"Body": _Body(b"x"), "Metadata": {"signature": "ab"}})
    assert s3.get_object(client, "b", "k") == {"Body": b"x", "Metadata": {"signature": "ab"}}
    assert client.calls == [("get_object", {"Bucket": "b", "Key": "k"})]
    assert s3.get_object(StubClient(get_object=_error("NoSuchKey")), "b", "k") is None
    with pytest.raises(s3.BucketNotFound):
        s3.get_object(StubClient(get_object=_error("NoSuchBucket")), "b", "k")


# The IAM action each S3 operation needs (AWS Service Authorization Reference for Amazon S3): not always s3:<Operation>.
S3_IAM_ACTIONS = {
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    "GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "PutBucketTagging": "s3:PutBucketTagging",
    "DeleteBucketTagging": "s3:PutBucketTagging",
    "HeadBucket": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "ListObjectVersions": "s3:ListBucketVersions",
    "ListBuckets": "s3:ListAllMyBuckets",
    "DeleteObjects": "s3:DeleteObject",
    "DeleteBucketPolicy": "s3:DeleteBucketPolicy",
    "PutBucketPolicy": "s3:PutBucketPolicy",
    "PutBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
    "PutBucketVersioning": "s3:PutBucketVersioning",
    "CreateBucket": "s3:CreateBucket",
}


@pytest.mark.parametrize("operation", sorted(S3_IAM_ACTIONS))
def test_iam_action_of_each_s3_operation(operation):
    from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import retry

    assert retry.iam_action(s3.__name__, operation) == S3_IAM_ACTIONS[operation]


def test_a_denied_call_names_the_iam_action_it_needs(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "PutBucketEncryption")
    with pytest.raises(ClientError) as error:
        s3.put_bucket_encryption(StubClient(put_bucket_encryption=denied), "audit-bucket", None, {"Rules": []})
    assert error.value.cloudaudit_call == {"action": "s3:PutEncryptionConfiguration", "resource": "audit-bucket"}


def test_other_services_name_their_operation():
    from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import kms, logs, retry

    assert retry.iam_action(logs.__name__, "PutRetentionPolicy") == "logs:PutRetentionPolicy"
    assert retry.iam_action(kms.__name__, "ListResourceTags") == "kms:ListResourceTags"
