# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of cloudtrail_kms_key that calls AWS KMS: one wrapper per call.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from .._common.notfound import none_when
from .._common.retry import aws_retry

POLICY_NAME = "default"


@aws_retry
@none_when("NotFoundException")
def describe_key(kms: Any, key_id: str) -> dict[str, Any] | None:
    """KeyMetadata of a key id, ARN or alias (alias/<name>), or None."""
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]


@aws_retry
def get_key_policy(kms: Any, key_id: str) -> dict[str, Any] | None:
    policy = kms.get_key_policy(KeyId=key_id, PolicyName=POLICY_NAME).get("Policy")
    return json.loads(policy) if policy else None


@aws_retry
def get_rotation(kms: Any, key_id: str) -> dict[str, Any]:
    """{'enabled': bool, 'period_days': int | None} (AWS gives the period only while rotation is on)."""
    answer = kms.get_key_rotation_status(KeyId=key_id)
    return {"enabled": bool(answer.get("KeyRotationEnabled")), "period_days": answer.get("RotationPeriodInDays")}


@aws_retry
def list_tags(kms: Any, key_id: str) -> dict[str, str]:
    tags: list[dict[str, str]] = []
    kwargs: dict[str, Any] = {"KeyId": key_id}
    while True:
        page = kms.list_resource_tags(**kwargs)
        tags.extend(page.get("Tags", []))
        if not page.get("Truncated") or not page.get("NextMarker"):
            break
        kwargs["Marker"] = page["NextMarker"]
    return boto3_tag_list_to_ansible_dict(tags, "TagKey", "TagValue")


@aws_retry
def create_key(kms: Any, description: str | None, policy: dict[str, Any], tags: dict[str, str] | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "KeyUsage": "ENCRYPT_DECRYPT",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "Policy": json.dumps(policy),
    }
    if description:
        kwargs["Description"] = description
    if tags:
        kwargs["Tags"] = ansible_dict_to_boto3_tag_list(tags, "TagKey", "TagValue")
    return kms.create_key(**kwargs)["KeyMetadata"]


@aws_retry
def create_alias(kms: Any, alias: str, key_id: str) -> None:
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)


@aws_retry
@none_when("NotFoundException")
def delete_alias(kms: Any, alias: str) -> None:
    kms.delete_alias(AliasName=alias)


@aws_retry
def put_key_policy(kms: Any, key_id: str, policy: dict[str, Any]) -> None:
    kms.put_key_policy(KeyId=key_id, PolicyName=POLICY_NAME, Policy=json.dumps(policy))


@aws_retry
def update_description(kms: Any, key_id: str, description: str) -> None:
    kms.update_key_description(KeyId=key_id, Description=description)


@aws_retry
def enable_rotation(kms: Any, key_id: str, period_days: int | None) -> None:
    kwargs: dict[str, Any] = {"KeyId": key_id}
    if period_days:
        kwargs["RotationPeriodInDays"] = period_days
    kms.enable_key_rotation(**kwargs)


@aws_retry
def disable_rotation(kms: Any, key_id: str) -> None:
    kms.disable_key_rotation(KeyId=key_id)


@aws_retry
def tag_key(kms: Any, key_id: str, tags: dict[str, str]) -> None:
    kms.tag_resource(KeyId=key_id, Tags=ansible_dict_to_boto3_tag_list(tags, "TagKey", "TagValue"))


@aws_retry
def untag_key(kms: Any, key_id: str, keys: list[str]) -> None:
    kms.untag_resource(KeyId=key_id, TagKeys=keys)


@aws_retry
def schedule_deletion(kms: Any, key_id: str, pending_window_days: int) -> dict[str, Any]:
    return kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=pending_window_days)


@aws_retry
def cancel_deletion(kms: Any, key_id: str) -> None:
    kms.cancel_key_deletion(KeyId=key_id)


@aws_retry
def enable_key(kms: Any, key_id: str) -> None:
    kms.enable_key(KeyId=key_id)
