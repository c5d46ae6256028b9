# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of the trail modules that calls AWS: one small wrapper per call.

Not-found answers become None (or an empty value); everything else is retried
by aws_retry and otherwise raised to the module shell.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from .._common.notfound import none_when
from .._common.retry import aws_retry

TRAIL_NOT_FOUND = ("TrailNotFoundException", "CloudTrailARNInvalidException")


def _strip(answer: dict[str, Any]) -> dict[str, Any]:
    answer.pop("ResponseMetadata", None)
    return answer


# ---------------------------------------------------------------- reads
@aws_retry
def describe_trails(client: Any) -> list[dict[str, Any]]:
    """Every trail visible in the client's region, shadow trails of other regions included."""
    return client.describe_trails(includeShadowTrails=True).get("trailList", [])


@aws_retry
@none_when(*TRAIL_NOT_FOUND)
def get_trail_status(client: Any, arn: str) -> dict[str, Any] | None:
    return _strip(client.get_trail_status(Name=arn))


@aws_retry
def get_event_selectors(client: Any, arn: str) -> dict[str, Any]:
    return _strip(client.get_event_selectors(TrailName=arn))


@aws_retry
def get_insight_selectors(client: Any, arn: str) -> list[dict[str, Any]]:
    """The insight selectors; [] when Insights are not enabled (AWS answers with an error then)."""
    try:
        return client.get_insight_selectors(TrailName=arn).get("InsightSelectors") or []
    except is_boto3_error_code("InsightNotEnabledException"):
        return []


@aws_retry
def _list_tags_page(client: Any, **kwargs: Any) -> dict[str, Any]:
    return client.list_tags(**kwargs)


def list_tags(client: Any, arn: str) -> dict[str, str]:
    """Tags of a CloudTrail resource (trail, event data store, channel), all pages."""
    tags: dict[str, str] = {}
    kwargs: dict[str, Any] = {"ResourceIdList": [arn]}
    while True:
        page = _list_tags_page(client, **kwargs)
        for resource in page.get("ResourceTagList") or []:
            tags.update({t["Key"]: t.get("Value", "") for t in resource.get("TagsList") or []})
        if not page.get("NextToken"):
            return tags
        kwargs["NextToken"] = page["NextToken"]


@aws_retry
@none_when("NotFoundException")
def describe_key(client: Any, key_id: str) -> dict[str, Any] | None:
    """KMS key metadata for a key id, key ARN, alias name or alias ARN; None when unknown."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@aws_retry
@none_when("AWSOrganizationsNotInUseException")
def describe_organization(client: Any) -> dict[str, Any] | None:
    """The caller's organization; None when the account is in none."""
    return client.describe_organization()["Organization"]


@aws_retry
@none_when("AccessDeniedException", "AccessDenied")
def list_cloudtrail_delegated_admins(client: Any) -> list[str] | None:
    """Account ids of CloudTrail's delegated administrators; None when the caller may not ask."""
    paginator = client.get_paginator("list_delegated_administrators")
    pages = paginator.paginate(ServicePrincipal="cloudtrail.amazonaws.com")
    return [a["Id"] for page in pages for a in page.get("DelegatedAdministrators", [])]


# ---------------------------------------------------------------- writes
@aws_retry
def create_trail(client: Any, name: str, params: dict[str, Any]) -> dict[str, Any]:
    return _strip(client.create_trail(Name=name, **params))


@aws_retry
def update_trail(client: Any, arn: str, params: dict[str, Any]) -> dict[str, Any]:
    return _strip(client.update_trail(Name=arn, **params))


@aws_retry
def delete_trail(client: Any, arn: str) -> None:
    client.delete_trail(Name=arn)


@aws_retry
def put_event_selectors(client: Any, arn: str, params: dict[str, Any]) -> None:
    client.put_event_selectors(TrailName=arn, **params)


@aws_retry
def put_insight_selectors(client: Any, arn: str, insights: list[dict[str, Any]]) -> None:
    client.put_insight_selectors(TrailName=arn, InsightSelectors=insights)


@aws_retry
def add_tags(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.add_tags(ResourceId=arn, TagsList=[{"Key": k, "Value": v} for k, v in tags.items()])


@aws_retry
def remove_tags(client: Any, arn: str, keys: list[str]) -> None:
    client.remove_tags(ResourceId=arn, TagsList=[{"Key": k} for k in keys])


@aws_retry
def start_logging(client: Any, arn: str) -> None:
    client.start_logging(Name=arn)


@aws_retry
def stop_logging(client: Any, arn: str) -> None:
    client.stop_logging(Name=arn)
