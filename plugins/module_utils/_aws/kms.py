# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS KMS: one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from .notfound import none_when
from .retry import aws_retry

POLICY_NAME = "default"


@aws_retry
@none_when("NotFoundException")
def describe_key(client: Any, key_id: str) -> dict[str, Any] | None:
    """KeyMetadata of a key id, key ARN, alias name (alias/<name>) or alias ARN; None when unknown."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@aws_retry
def get_key_policy(client: Any, key_id: str) -> dict[str, Any] | None:
    policy = client.get_key_policy(KeyId=key_id, PolicyName=POLICY_NAME).get("Policy")
    return json.loads(policy) if policy else None


@aws_retry
def get_key_rotation_status(client: Any, key_id: str) -> dict[str, Any]:
    """{'enabled': bool, 'period_days': int | None} (AWS gives the period only while rotation is on)."""
    answer = client.get_key_rotation_status(KeyId=key_id)
    return {"enabled": bool(answer.get("KeyRotationEnabled")), "period_days": answer.get("RotationPeriodInDays")}


@aws_retry
def list_resource_tags(client: Any, key_id: str) -> dict[str, str]:
    """The key's tags, all pages."""
    return _resource_tags(client, key_id)


@aws_retry
@none_when("AccessDeniedException", "AccessDenied", "NotFoundException", "KMSInvalidStateException")
def list_resource_tags_if_readable(client: Any, key_id: str) -> dict[str, str] | None:
    """The key's tags, or None when the caller may not read them or the key is gone (someone else's key)."""
    return _resource_tags(client, key_id)


def _resource_tags(client: Any, key_id: str) -> dict[str, str]:
    tags: list[dict[str, str]] = []
    kwargs: dict[str, Any] = {"KeyId": key_id}
    while True:
        page = client.list_resource_tags(**kwargs)
        tags.extend(page.get("Tags", []))
        if not page.get("Truncated") or not page.get("NextMarker"):
            break
        kwargs["Marker"] = page["NextMarker"]
    return boto3_tag_list_to_ansible_dict(tags, "TagKey", "TagValue")


@aws_retry
def list_key_ids(client: Any) -> list[str]:
    """The ids of every key of the account and region, all pages."""
    ids: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_keys(**kwargs)
        ids.extend(k["KeyId"] for k in page.get("Keys", []))
        if not page.get("Truncated") or not page.get("NextMarker"):
            return ids
        kwargs["Marker"] = page["NextMarker"]


@aws_retry
def list_alias_targets(client: Any) -> set[str]:
    """The ids of the keys some alias of the account and region names, all pages."""
    targets: set[str] = set()
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_aliases(**kwargs)
        targets.update(a["TargetKeyId"] for a in page.get("Aliases", []) if a.get("TargetKeyId"))
        if not page.get("Truncated") or not page.get("NextMarker"):
            return targets
        kwargs["Marker"] = page["NextMarker"]


@aws_retry
def create_key(client: Any, description: str | None, policy: dict[str, Any], tags: dict[str, str] | None) -> dict[str, Any]:
    """A symmetric encryption key (what CloudTrail, CloudWatch Logs and Lake accept); its KeyMetadata."""
    kwargs: dict[str, Any] = {
        "KeyUsage": "ENCRYPT_DECRYPT",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "Policy": json.dumps(policy),
    }
    if description:
        kwargs["Description"] = description
    if tags:
        kwargs["Tags"] = ansible_dict_to_boto3_tag_list(tags, "TagKey", "TagValue")
    return client.create_key(**kwargs)["KeyMetadata"]


@aws_retry
def create_alias(client: Any, alias: str, key_id: str) -> None:
    client.create_alias(AliasName=alias, TargetKeyId=key_id)


@aws_retry
@none_when("NotFoundException")
def delete_alias(client: Any, alias: str) -> None:
    client.delete_alias(AliasName=alias)


@aws_retry
def put_key_policy(client: Any, key_id: str, policy: dict[str, Any]) -> None:
    client.put_key_policy(KeyId=key_id, PolicyName=POLICY_NAME, Policy=json.dumps(policy))


@aws_retry
def update_key_description(client: Any, key_id: str, description: str) -> None:
    client.update_key_description(KeyId=key_id, Description=description)


@aws_retry
def enable_key_rotation(client: Any, key_id: str, period_days: int | None) -> None:
    kwargs: dict[str, Any] = {"KeyId": key_id}
    if period_days:
        kwargs["RotationPeriodInDays"] = period_days
    client.enable_key_rotation(**kwargs)


@aws_retry
def disable_key_rotation(client: Any, key_id: str) -> None:
    client.disable_key_rotation(KeyId=key_id)


@aws_retry
def tag_resource(client: Any, key_id: str, tags: dict[str, str]) -> None:
    client.tag_resource(KeyId=key_id, Tags=ansible_dict_to_boto3_tag_list(tags, "TagKey", "TagValue"))


@aws_retry
def untag_resource(client: Any, key_id: str, keys: list[str]) -> None:
    client.untag_resource(KeyId=key_id, TagKeys=keys)


@aws_retry
def schedule_key_deletion(client: Any, key_id: str, pending_window_days: int) -> dict[str, Any]:
    return client.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=pending_window_days)


@aws_retry
def cancel_key_deletion(client: Any, key_id: str) -> None:
    client.cancel_key_deletion(KeyId=key_id)


@aws_retry
def enable_key(client: Any, key_id: str) -> None:
    client.enable_key(KeyId=key_id)
