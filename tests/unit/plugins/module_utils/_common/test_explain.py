"""The messages of AWS refusals: what is wrong, what fixes it, the option and the resource; AWS's code kept."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._common import module as shell
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.explain import EXPLANATIONS, explain

TRAIL = {"name": "audit", "s3_bucket_name": "logs-bucket", "kms_key_id": "alias/trail", "sns_topic": None,
         "cloudwatch_logs": {"log_group_arn": "arn:aws:logs:us-east-1:1:log-group:g:*", "role_arn": "arn:aws:iam::1:role/r"}}


def _error(code: str, operation: str = "CreateTrail") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "AWS says no"}}, operation)


@pytest.mark.parametrize(
    "code, option, resource",
    [
        ("InsufficientS3BucketPolicyException", "s3_bucket_name", "'logs-bucket'"),
        ("S3BucketDoesNotExistException", "s3_bucket_name", "'logs-bucket'"),
        ("InsufficientEncryptionPolicyException", "kms_key_id", "'alias/trail'"),
        ("KmsKeyNotFoundException", "kms_key_id", "'alias/trail'"),
        ("InvalidCloudWatchLogsLogGroupArnException", "cloudwatch_logs.log_group_arn", "'arn:aws:logs:us-east-1:1:log-group:g:*'"),
        ("InvalidCloudWatchLogsRoleArnException", "cloudwatch_logs.role_arn", "'arn:aws:iam::1:role/r'"),
    ],
)
def test_cloudtrail_refusals_name_the_option_the_resource_and_the_fix(code, option, resource):
    message = shell._describe_aws_error(_error(code), TRAIL)
    assert message.startswith(f"{option}: ") and resource in message and "(AWS refused CreateTrail)" in message
    assert "cloudaudit.aws." in message or "enable it" in message or "symmetric" in message or "region" in message


def test_every_explanation_names_an_option_and_a_resource():
    for code, ((option, template), text) in EXPLANATIONS.items():
        assert option and template.startswith("{") and "{resource}" in text, code


def test_an_option_the_task_did_not_give_is_said_so():
    assert explain("InsufficientSnsTopicPolicyException", {"name": "audit"}) == (
        "sns_topic",
        "the policy of topic '(not given)' does not let cloudtrail.amazonaws.com SNS:Publish (with aws:SourceArn of this trail)",
    )


def test_other_errors_keep_the_operation_and_denied_calls_name_the_permission():
    assert shell._describe_aws_error(_error("ValidationException", "PutRetentionPolicy"), {}) == "AWS refused PutRetentionPolicy"
    denied = _error("AccessDeniedException", "PutRetentionPolicy")
    denied.cloudaudit_call = {"action": "logs:PutRetentionPolicy", "resource": "g"}
    assert shell._describe_aws_error(denied, {}) == (
        "AWS denied logs:PutRetentionPolicy on g: the credentials in use need the IAM permission logs:PutRetentionPolicy on g"
    )
