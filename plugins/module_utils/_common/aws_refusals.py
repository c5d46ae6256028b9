# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the AWS refusals a CloudTrail user meets mean, and what fixes them (pure).

run() in module.py turns a ClientError into "AWS refused <Operation>: <option>: <what is wrong and what
fixes it>: <the AWS error, with its code>"; the table names the option at fault and the resource it names.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

_Explain = Callable[[Mapping[str, Any]], str]


def _value(params: Mapping[str, Any], path: str) -> str:
    node: Any = params
    for key in path.split("."):
        node = node.get(key) if isinstance(node, Mapping) else None
    return str(node) if node else "(not set)"


# AWS error code -> (the option at fault, the explanation from the module's params).
EXPLAINED: dict[str, tuple[str, _Explain]] = {
    "InsufficientS3BucketPolicyException": (
        "s3_bucket_name",
        lambda p: f"the policy of bucket {_value(p, 's3_bucket_name')} does not let cloudtrail.amazonaws.com write the trail's logs "
        "(s3:GetBucketAcl on the bucket, s3:PutObject under [prefix/]AWSLogs/<account-id>/); manage it with cloudaudit.aws.s3_audit_bucket cloudtrail_access",
    ),
    "S3BucketDoesNotExistException": (
        "s3_bucket_name",
        lambda p: f"bucket {_value(p, 's3_bucket_name')} does not exist; create it first (cloudaudit.aws.s3_audit_bucket)",
    ),
    "InsufficientSnsTopicPolicyException": (
        "sns_topic",
        lambda p: f"the policy of SNS topic {_value(p, 'sns_topic')} does not let cloudtrail.amazonaws.com publish (sns:Publish)",
    ),
    "InsufficientEncryptionPolicyException": (
        "kms_key_id",
        lambda p: f"the policy of KMS key {_value(p, 'kms_key_id')} does not let cloudtrail.amazonaws.com use it (kms:GenerateDataKey*, kms:DescribeKey); "
        "manage the key with cloudaudit.aws.cloudtrail_kms_key",
    ),
    "KmsKeyNotFoundException": (
        "kms_key_id",
        lambda p: f"KMS key {_value(p, 'kms_key_id')} does not exist, or is in another region than the trail's bucket",
    ),
    "KmsKeyDisabledException": ("kms_key_id", lambda p: f"KMS key {_value(p, 'kms_key_id')} is disabled; enable it or give another key"),
    "InvalidKmsKeyIdException": ("kms_key_id", lambda p: f"{_value(p, 'kms_key_id')} is not a usable KMS key (alias, alias ARN, key id or key ARN)"),
    "InvalidCloudWatchLogsLogGroupArnException": (
        "cloudwatch_logs.log_group_arn",
        lambda p: f"log group {_value(p, 'cloudwatch_logs.log_group_arn')} does not exist in the trail's region (or the ARN does not end in :*)",
    ),
    "InvalidCloudWatchLogsRoleArnException": (
        "cloudwatch_logs.role_arn",
        lambda p: f"role {_value(p, 'cloudwatch_logs.role_arn')} cannot be used by CloudTrail: it must trust cloudtrail.amazonaws.com and allow "
        "logs:CreateLogStream and logs:PutLogEvents on the group (cloudaudit.aws.cloudtrail_log_group delivery_role_name creates it)",
    ),
    "CloudWatchLogsDeliveryUnavailableException": (
        "cloudwatch_logs",
        lambda p: "CloudTrail cannot deliver to CloudWatch Logs with this group and role; check both ARNs and the role's policy",
    ),
}
_DENIED = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException")


def explain(error: Any, params: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(option, explanation) of an AWS refusal, or (None, None) when there is nothing to add to AWS's message."""
    response = getattr(error, "response", None) or {}
    code = (response.get("Error") or {}).get("Code")
    if code in EXPLAINED:
        option, text = EXPLAINED[code]
        return option, text(params)
    if code in _DENIED:
        # The AWS seam (_aws/retry.py) remembers the IAM action and resource of the call that failed.
        call = getattr(error, "cloudaudit_call", None) or {}
        if call.get("action"):
            where = f" on {call['resource']}" if call.get("resource") else ""
            return None, f"the credentials in use need the IAM permission {call['action']}{where}; grant it (or use a role that has it)"
        operation = getattr(error, "operation_name", None) or "the call"
        return None, f"the credentials in use may not call {operation}; grant that permission (or use a role that has it)"
    return None, None
