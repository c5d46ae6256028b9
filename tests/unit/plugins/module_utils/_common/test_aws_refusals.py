"""The AWS refusals a CloudTrail user meets are explained, naming the option and the resource; the AWS code is kept."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._common import aws_refusals
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import _describe_aws_error

PARAMS = {
    "s3_bucket_name": "audit-logs",
    "sns_topic": "audit",
    "kms_key_id": "alias/cloudtrail",
    "cloudwatch_logs": {"log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:audit:*", "role_arn": "arn:aws:iam::123456789012:role/Logs"},
}


def _error(code: str, operation: str = "CreateTrail") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "refused"}}, operation)


@pytest.mark.parametrize(
    "code, option, resource",
    [
        ("InsufficientS3BucketPolicyException", "s3_bucket_name", "audit-logs"),
        ("S3BucketDoesNotExistException", "s3_bucket_name", "audit-logs"),
        ("InsufficientSnsTopicPolicyException", "sns_topic", "audit"),
        ("InsufficientEncryptionPolicyException", "kms_key_id", "alias/cloudtrail"),
        ("KmsKeyNotFoundException", "kms_key_id", "alias/cloudtrail"),
        ("InvalidCloudWatchLogsLogGroupArnException", "cloudwatch_logs.log_group_arn", "log-group:audit"),
        ("InvalidCloudWatchLogsRoleArnException", "cloudwatch_logs.role_arn", "role/Logs"),
    ],
)
def test_refusals_name_the_option_and_the_resource(code, option, resource):
    found, explanation = aws_refusals.explain(_error(code), PARAMS)
    assert found == option and resource in explanation
    message = _describe_aws_error(_error(code), found, explanation)
    assert message.startswith(f"AWS refused CreateTrail: {option}: ")


def test_access_denied_names_the_operation_and_unknown_codes_add_nothing():
    option, explanation = aws_refusals.explain(_error("AccessDeniedException", "PutRetentionPolicy"), PARAMS)
    assert option is None and "PutRetentionPolicy" in explanation
    assert aws_refusals.explain(_error("ThrottlingException"), PARAMS) == (None, None)
    assert _describe_aws_error(_error("ThrottlingException")) == "AWS refused CreateTrail"


def test_a_denied_call_names_the_iam_permission_the_seam_remembered():
    from botocore.exceptions import ClientError

    from ansible_collections.cloudaudit.aws.plugins.module_utils._common import aws_refusals as refusals

    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "PutRetentionPolicy")
    denied.cloudaudit_call = {"action": "logs:PutRetentionPolicy", "resource": "my-group"}
    assert refusals.explain(denied, {}) == (
        None,
        "the credentials in use need the IAM permission logs:PutRetentionPolicy on my-group; grant it (or use a role that has it)",
    )
