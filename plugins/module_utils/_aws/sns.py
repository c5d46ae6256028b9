# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon SNS topics: one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .notfound import none_when
from .retry import aws_retry


@aws_retry
@none_when("NotFound", "NotFoundException")
def get_topic_attributes(client: Any, arn: str) -> dict[str, str] | None:
    """The topic's attributes (Policy as a JSON string, KmsMasterKeyId when set); None when it does not exist."""
    return client.get_topic_attributes(TopicArn=arn).get("Attributes", {})


@aws_retry
def create_topic(client: Any, name: str, attributes: dict[str, str], tags: dict[str, str]) -> str:
    """Create the topic (CreateTopic answers with the existing one when its attributes match); its ARN."""
    return client.create_topic(Name=name, Attributes=attributes, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])["TopicArn"]


@aws_retry
@none_when("NotFound", "NotFoundException", "ResourceNotFound")
def list_tags_for_resource(client: Any, arn: str) -> dict[str, str] | None:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceArn=arn).get("Tags", [])}


@aws_retry
def set_topic_attribute(client: Any, arn: str, name: str, value: Any) -> None:
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value if isinstance(value, str) else json.dumps(value))


@aws_retry
@none_when("NotFound", "NotFoundException")
def delete_topic(client: Any, arn: str) -> None:
    client.delete_topic(TopicArn=arn)
