# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of cloudtrail_log_group that calls AWS: one wrapper per call (Logs and IAM).

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .._common.notfound import none_when
from .._common.retry import aws_retry


# --- CloudWatch Logs ---------------------------------------------------------


@aws_retry
def _describe_log_groups_page(logs: Any, prefix: str, token: str | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"logGroupNamePrefix": prefix}
    if token:
        kwargs["nextToken"] = token
    return logs.describe_log_groups(**kwargs)


def get_log_group(logs: Any, name: str) -> dict[str, Any] | None:
    """The log group named exactly name (DescribeLogGroups by prefix, usually one page), or None."""
    token = None
    while True:
        page = _describe_log_groups_page(logs, name, token)
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return group
        token = page.get("nextToken")
        if not token:
            return None


@aws_retry
@none_when("ResourceNotFoundException")
def list_log_group_tags(logs: Any, arn: str) -> dict[str, str] | None:
    return logs.list_tags_for_resource(resourceArn=arn).get("tags", {})


@aws_retry
@none_when("ResourceNotFoundException")
def first_log_stream(logs: Any, name: str) -> dict[str, Any] | None:
    """The log stream with the latest event (None when the group has no stream)."""
    streams = logs.describe_log_streams(logGroupName=name, orderBy="LastEventTime", descending=True, limit=1)
    found = streams.get("logStreams", [])
    return found[0] if found else None


@aws_retry
def create_log_group(logs: Any, name: str, kms_key_id: str | None, log_group_class: str | None, tags: dict[str, str] | None) -> None:
    kwargs: dict[str, Any] = {"logGroupName": name}
    if kms_key_id:
        kwargs["kmsKeyId"] = kms_key_id
    if log_group_class:
        kwargs["logGroupClass"] = log_group_class
    if tags:
        kwargs["tags"] = tags
    logs.create_log_group(**kwargs)


@aws_retry
def delete_log_group(logs: Any, name: str) -> None:
    logs.delete_log_group(logGroupName=name)


@aws_retry
def put_retention_policy(logs: Any, name: str, days: int) -> None:
    logs.put_retention_policy(logGroupName=name, retentionInDays=days)


@aws_retry
def delete_retention_policy(logs: Any, name: str) -> None:
    logs.delete_retention_policy(logGroupName=name)


@aws_retry
def associate_kms_key(logs: Any, name: str, kms_key_id: str) -> None:
    logs.associate_kms_key(logGroupName=name, kmsKeyId=kms_key_id)


@aws_retry
def disassociate_kms_key(logs: Any, name: str) -> None:
    logs.disassociate_kms_key(logGroupName=name)


@aws_retry
def tag_log_group(logs: Any, arn: str, tags: dict[str, str]) -> None:
    logs.tag_resource(resourceArn=arn, tags=tags)


@aws_retry
def untag_log_group(logs: Any, arn: str, keys: list[str]) -> None:
    logs.untag_resource(resourceArn=arn, tagKeys=keys)


# --- IAM (the delivery role) -------------------------------------------------


@aws_retry
@none_when("NoSuchEntity")
def get_role(iam: Any, name: str) -> dict[str, Any] | None:
    return iam.get_role(RoleName=name)["Role"]


@aws_retry
@none_when("NoSuchEntity")
def get_role_policy(iam: Any, role_name: str, policy_name: str) -> Any:
    return iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]


@aws_retry
def create_role(iam: Any, name: str, trust_policy: dict[str, Any], description: str) -> dict[str, Any]:
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust_policy), Description=description)["Role"]


@aws_retry
def update_trust_policy(iam: Any, name: str, trust_policy: dict[str, Any]) -> None:
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust_policy))


@aws_retry
def put_role_policy(iam: Any, role_name: str, policy_name: str, policy: dict[str, Any]) -> None:
    iam.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=json.dumps(policy))


@aws_retry
@none_when("NoSuchEntity")
def delete_role_policy(iam: Any, role_name: str, policy_name: str) -> None:
    iam.delete_role_policy(RoleName=role_name, PolicyName=policy_name)


@aws_retry
@none_when("NoSuchEntity")
def delete_role(iam: Any, name: str) -> None:
    iam.delete_role(RoleName=name)
