# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure builders of the CloudTrail -> CloudWatch Logs delivery role policies."""

from __future__ import annotations

from typing import Any, Iterable

CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"
ROLE_POLICY_NAME = "CloudTrailLogDelivery"


def log_group_arn(partition: str, region: str, account_id: str, name: str) -> str:
    """The log group ARN in the form CloudTrail expects (ending in ':*')."""
    return f"arn:{partition}:logs:{region}:{account_id}:log-group:{name}:*"


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


def stream_resources(partition: str, region: str, account_id: str, name: str, organization_id: str | None = None) -> list[str]:
    """The CloudTrail log streams of a group: '<acct>_CloudTrail_<region>*' (+ '<org-id>_*' for organization trails)."""
    group = f"arn:{partition}:logs:{region}:{account_id}:log-group:{name}:log-stream:"
    resources = [f"{group}{account_id}_CloudTrail_{region}*"]
    if organization_id:
        resources.append(f"{group}{organization_id}_*")
    return resources


def trust_policy(trail_arns: Iterable[str] | None = None) -> dict[str, Any]:
    """Trust for cloudtrail.amazonaws.com, limited to the given trails (aws:SourceArn) when any."""
    statement: dict[str, Any] = {
        "Sid": "CloudTrailAssumeRole",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDTRAIL_SERVICE},
        "Action": "sts:AssumeRole",
    }
    arns = sorted(set(trail_arns or []))
    if arns:
        operator = "ArnLike" if any("*" in arn for arn in arns) else "StringEquals"
        statement["Condition"] = {operator: {"aws:SourceArn": arns}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def delivery_policy(resources: list[str]) -> dict[str, Any]:
    """The role's inline policy: only CreateLogStream and PutLogEvents on the group's CloudTrail streams."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AWSCloudTrailCreateLogStream", "Effect": "Allow", "Action": ["logs:CreateLogStream"], "Resource": list(resources)},
            {"Sid": "AWSCloudTrailPutLogEvents", "Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": list(resources)},
        ],
    }
