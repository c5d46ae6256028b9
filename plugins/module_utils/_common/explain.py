# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the AWS refusals a CloudTrail user meets mean, and what fixes them: (option, explanation) per error code.

The module shell (module.run) puts the explanation first, naming the option and the resource the task
gave, then AWS's own message and code.
"""

from __future__ import annotations

from typing import Any, Mapping

_BUCKET = ("s3_bucket_name", "{s3_bucket_name}")
_KEY = ("kms_key_id", "{kms_key_id}")
_GROUP = ("cloudwatch_logs.log_group_arn", "{log_group_arn}")
_ROLE = ("cloudwatch_logs.role_arn", "{role_arn}")

EXPLANATIONS: dict[str, tuple[tuple[str, str], str]] = {
    "InsufficientS3BucketPolicyException": (
        _BUCKET,
        "the policy of bucket {resource} does not let cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject into "
        "[prefix/]AWSLogs/<this account or organization>/ for this trail; manage it with cloudaudit.aws.s3_audit_bucket "
        "(cloudtrail_access with this account) and converge the bucket first (on AWS a new policy also needs a few seconds)",
    ),
    "S3BucketDoesNotExistException": (_BUCKET, "bucket {resource} does not exist; create it first (cloudaudit.aws.s3_audit_bucket)"),
    "InsufficientSnsTopicPolicyException": (
        ("sns_topic", "{sns_topic}"),
        "the policy of topic {resource} does not let cloudtrail.amazonaws.com SNS:Publish (with aws:SourceArn of this trail)",
    ),
    "InsufficientEncryptionPolicyException": (
        _KEY,
        "the policy of key {resource} does not let cloudtrail.amazonaws.com kms:GenerateDataKey* and kms:DescribeKey for this trail "
        "(encryption context arn:<partition>:cloudtrail:*:<account>:trail/*); cloudaudit.aws.cloudtrail_kms_key writes such a policy",
    ),
    "KmsKeyNotFoundException": (
        _KEY,
        "key {resource} does not exist in the trail's region, or is not usable (a key of another region or account must be given by ARN)",
    ),
    "KmsKeyDisabledException": (_KEY, "key {resource} is disabled; enable it (cloudaudit.aws.cloudtrail_kms_key) or give another key"),
    "KmsException": (_KEY, "CloudTrail cannot use key {resource} (it must be a symmetric encryption key in the trail's home region)"),
    "InvalidCloudWatchLogsLogGroupArnException": (
        _GROUP,
        "log group {resource} does not exist or its ARN is malformed (arn:<partition>:logs:<region>:<account>:log-group:<name>:*); "
        "cloudaudit.aws.cloudtrail_log_group creates it and returns log_group_arn",
    ),
    "InvalidCloudWatchLogsRoleArnException": (
        _ROLE,
        "CloudTrail cannot assume role {resource} or it may not write to the log group: it must trust cloudtrail.amazonaws.com and allow "
        "logs:CreateLogStream and logs:PutLogEvents on the group (cloudaudit.aws.cloudtrail_log_group creates it and returns role_arn)",
    ),
}


def explain(code: str | None, params: Mapping[str, Any]) -> tuple[str, str] | None:
    """(option, explanation) for a refusal the user can fix, with the resource the task named; None otherwise."""
    if code not in EXPLANATIONS:
        return None
    (option, template), text = EXPLANATIONS[code]
    values = {k: v for k, v in params.items() if isinstance(v, str)}
    values.update({k: v for k, v in (params.get("cloudwatch_logs") or {}).items() if isinstance(v, str)})
    try:
        resource = template.format(**values)
    except KeyError:
        resource = "(not given)"
    return option, text.format(resource=f"'{resource}'")
