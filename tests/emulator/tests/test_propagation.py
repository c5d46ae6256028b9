"""Opt-in propagation delay: CloudTrail refuses a trail for a while after its bucket policy, key or role changed."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::prop-bucket"},
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::prop-bucket/AWSLogs/123456789012/*",
        },
    ],
}


def _bucket(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="prop-bucket")
    s3.put_bucket_policy(Bucket="prop-bucket", Policy=json.dumps(POLICY))


def test_off_by_default(aws):
    _bucket(aws)
    assert aws.emulator.propagation() == {"seconds": 0.0, "refused": 0}
    aws.client("cloudtrail").create_trail(Name="at-once", S3BucketName="prop-bucket")


def test_a_new_bucket_policy_is_refused_within_the_window_then_accepted(aws):
    aws.emulator.set_propagation(1.5)
    _bucket(aws)
    cloudtrail = aws.client("cloudtrail")
    with pytest.raises(ClientError) as refused:
        cloudtrail.create_trail(Name="too-soon", S3BucketName="prop-bucket")
    assert refused.value.response["Error"]["Code"] == "InsufficientS3BucketPolicyException"
    time.sleep(1.6)
    assert cloudtrail.create_trail(Name="too-soon", S3BucketName="prop-bucket")["Name"] == "too-soon"
    assert aws.emulator.propagation()["refused"] == 1


def test_a_changed_delivery_role_and_key_are_refused(aws):
    _bucket(aws)
    aws.emulator.set_propagation(30)
    iam = aws.client("iam")
    role = iam.create_role(RoleName="ct-logs", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    group = aws.client("logs")
    group.create_log_group(logGroupName="ct")
    cloudtrail = aws.client("cloudtrail")
    with pytest.raises(ClientError) as role_refused:
        cloudtrail.create_trail(
            Name="with-logs",
            S3BucketName="prop-bucket",
            CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:ct:*",
            CloudWatchLogsRoleArn=role,
        )
    assert role_refused.value.response["Error"]["Code"] == "InvalidCloudWatchLogsRoleArnException"
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as key_refused:
        cloudtrail.create_trail(Name="with-key", S3BucketName="prop-bucket", KmsKeyId=key)
    assert key_refused.value.response["Error"]["Code"] == "InsufficientEncryptionPolicyException"
    # What changed before the window was opened is settled.
    assert cloudtrail.create_trail(Name="plain", S3BucketName="prop-bucket")["Name"] == "plain"


def test_reset_turns_it_off(aws):
    aws.emulator.set_propagation(30)
    aws.emulator.reset()
    assert aws.emulator.propagation()["seconds"] == 0.0
