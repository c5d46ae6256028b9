# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CloudTrail (trails, tags, Lake event data stores and imports, event history, organization delegated
administrators): one wrapper per call.

Shared by every area. Each wrapper retries (aws_retry) and turns "not found"
into None; it decides nothing. Lists without a botocore paginator are read
page by page, each page retried on its own.
"""

from __future__ import annotations

from typing import Any, Callable, ContextManager

from .notfound import none_when
from .retry import aws_retry, trail_write_retry

try:
    from botocore.exceptions import WaiterError
    from botocore.waiter import WaiterModel, create_waiter_with_client
except ImportError:  # handled by AnsibleAWSModule
    pass

TRAIL_NOT_FOUND = ("TrailNotFoundException", "CloudTrailARNInvalidException")
EVENT_DATA_STORE_NOT_FOUND = ("EventDataStoreNotFoundException", "ResourceNotFoundException")


def _strip(answer: dict[str, Any]) -> dict[str, Any]:
    answer.pop("ResponseMetadata", None)
    return answer


@aws_retry
def _page(method: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    return method(**kwargs)


def _token_pages(method: Callable[..., dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    """Every page of a NextToken-paginated call (each page retried on its own)."""
    pages = []
    while True:
        page = _page(method, **kwargs)
        pages.append(page)
        if not page.get("NextToken"):
            return pages
        kwargs["NextToken"] = page["NextToken"]


# ---------------------------------------------------------------- trails
@aws_retry
def describe_trails(client: Any) -> list[dict[str, Any]]:
    """Every trail visible in the client's region, shadow trails of other regions included."""
    return client.describe_trails(includeShadowTrails=True).get("trailList", [])


@aws_retry
@none_when(*TRAIL_NOT_FOUND)
def get_trail(client: Any, name_or_arn: str) -> dict[str, Any] | None:
    """GetTrail: one trail by name or ARN (shadow and organization trails by ARN); None when there is none."""
    return client.get_trail(Name=name_or_arn).get("Trail")


@aws_retry
@none_when(*TRAIL_NOT_FOUND)
def get_trail_status(client: Any, arn: str) -> dict[str, Any] | None:
    return _strip(client.get_trail_status(Name=arn))


@aws_retry
def get_event_selectors(client: Any, arn: str) -> dict[str, Any]:
    return _strip(client.get_event_selectors(TrailName=arn))


@aws_retry
@none_when("InsightNotEnabledException")
def get_insight_selectors(client: Any, arn: str) -> list[dict[str, Any]] | None:
    """The insight selectors; None when Insights are not enabled (AWS answers with an error then)."""
    return client.get_insight_selectors(TrailName=arn).get("InsightSelectors") or []


@trail_write_retry
def create_trail(client: Any, name: str, params: dict[str, Any]) -> dict[str, Any]:
    return _strip(client.create_trail(Name=name, **params))


@trail_write_retry
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
def start_logging(client: Any, arn: str) -> None:
    client.start_logging(Name=arn)


@aws_retry
def stop_logging(client: Any, arn: str) -> None:
    client.stop_logging(Name=arn)


# ---------------------------------------------------------------- tags (trails, event data stores, channels)
def list_tags(client: Any, arn: str) -> dict[str, str]:
    """Tags of a CloudTrail resource, all pages."""
    tags: dict[str, str] = {}
    for page in _token_pages(client.list_tags, ResourceIdList=[arn]):
        for resource in page.get("ResourceTagList") or []:
            tags.update({t["Key"]: t.get("Value", "") for t in resource.get("TagsList") or []})
    return tags


@aws_retry
def add_tags(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.add_tags(ResourceId=arn, TagsList=[{"Key": k, "Value": v} for k, v in tags.items()])


@aws_retry
def remove_tags(client: Any, arn: str, keys: list[str]) -> None:
    client.remove_tags(ResourceId=arn, TagsList=[{"Key": k} for k in keys])


# ---------------------------------------------------------------- Lake event data stores
@aws_retry
@none_when(*EVENT_DATA_STORE_NOT_FOUND)
def get_event_data_store(client: Any, ref: str) -> dict[str, Any] | None:
    """The store (by name or ARN), None when it does not exist."""
    return _strip(client.get_event_data_store(EventDataStore=ref))


def list_event_data_stores(client: Any) -> list[dict[str, Any]]:
    """Every store of the account in the client's region (no botocore paginator exists): ARN and name only.

    AWS no longer returns Status, RetentionPeriod, OrganizationEnabled and the other settings here (botocore marks them
    deprecated) and never returned BillingMode: read them with get_event_data_store (or describe_event_data_stores)."""
    return [store for page in _token_pages(client.list_event_data_stores) for store in page.get("EventDataStores") or []]


def describe_event_data_stores(client: Any) -> list[dict[str, Any]]:
    """Every store of the region with its settings: ListEventDataStores, then GetEventDataStore for each (one gone meanwhile is left out)."""
    found = (get_event_data_store(client, store["EventDataStoreArn"]) for store in list_event_data_stores(client))
    return [store for store in found if store is not None]


@aws_retry
def create_event_data_store(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    return client.create_event_data_store(**request)


@aws_retry
def update_event_data_store(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    return client.update_event_data_store(**request)


@aws_retry
def delete_event_data_store(client: Any, arn: str) -> None:
    client.delete_event_data_store(EventDataStore=arn)


@aws_retry
def restore_event_data_store(client: Any, arn: str) -> dict[str, Any]:
    return client.restore_event_data_store(EventDataStore=arn)


@aws_retry
def start_event_data_store_ingestion(client: Any, arn: str) -> None:
    client.start_event_data_store_ingestion(EventDataStore=arn)


@aws_retry
def stop_event_data_store_ingestion(client: Any, arn: str) -> None:
    client.stop_event_data_store_ingestion(EventDataStore=arn)


@aws_retry
def enable_federation(client: Any, arn: str, role_arn: str) -> dict[str, Any]:
    return client.enable_federation(EventDataStore=arn, FederationRoleArn=role_arn)


@aws_retry
def disable_federation(client: Any, arn: str) -> dict[str, Any]:
    return client.disable_federation(EventDataStore=arn)


# ---------------------------------------------------------------- Lake imports
@aws_retry
def start_import(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    return client.start_import(**request)


@aws_retry
def list_imports(client: Any, destination_arn: str) -> list[dict[str, Any]]:
    """Every import into the store (paginated)."""
    paginator = client.get_paginator("list_imports")
    return paginator.paginate(Destination=destination_arn).build_full_result().get("Imports") or []


@aws_retry
def get_import(client: Any, import_id: str) -> dict[str, Any]:
    return _strip(client.get_import(ImportId=import_id))


@aws_retry
def list_import_failures(client: Any, import_id: str) -> list[dict[str, Any]]:
    paginator = client.get_paginator("list_import_failures")
    return paginator.paginate(ImportId=import_id).build_full_result().get("Failures") or []


def wait_import_done(client: Any, import_id: str, timeout: int, delay: int) -> dict[str, Any]:
    """Wait (a botocore waiter on GetImport) until COMPLETED, FAILED, STOPPED or timeout; the import as it then is."""
    attempts = max(1, timeout // max(1, delay))
    config = {
        "version": 2,
        "waiters": {
            "ImportDone": {
                "operation": "GetImport",
                "delay": delay,
                "maxAttempts": attempts,
                "acceptors": [
                    {"state": "success", "matcher": "path", "argument": "ImportStatus", "expected": "COMPLETED"},
                    {"state": "failure", "matcher": "path", "argument": "ImportStatus", "expected": "FAILED"},
                    {"state": "failure", "matcher": "path", "argument": "ImportStatus", "expected": "STOPPED"},
                ],
            }
        },
    }
    waiter = create_waiter_with_client("ImportDone", WaiterModel(config), client)
    try:
        waiter.wait(ImportId=import_id)
    except WaiterError:
        pass  # the caller reads the status below and reports FAILED, STOPPED or the timeout
    return get_import(client, import_id)


# ---------------------------------------------------------------- organization delegated administrators
@aws_retry
def register_organization_delegated_admin(client: Any, account_id: str) -> None:
    client.register_organization_delegated_admin(MemberAccountId=account_id)


@aws_retry
def deregister_organization_delegated_admin(client: Any, account_id: str) -> None:
    client.deregister_organization_delegated_admin(DelegatedAdminAccountId=account_id)


# ---------------------------------------------------------------- event history
@aws_retry
def lookup_events(client: Any, request: dict[str, Any], limiter: ContextManager[Any] | None = None) -> dict[str, Any]:
    """One LookupEvents page; throttling retried with backoff, every attempt inside the region's rate limiter."""
    if limiter is None:
        return client.lookup_events(**request)
    with limiter:
        return client.lookup_events(**request)


# ---------------------------------------------------------------- log file validation
def list_public_keys(client: Any, start: Any, end: Any) -> list[dict[str, Any]]:
    """The region's digest-signing public keys valid between start and end (every page)."""
    pages = _token_pages(client.list_public_keys, StartTime=start, EndTime=end)
    return [key for page in pages for key in page.get("PublicKeyList", [])]
