# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only code of the Lake modules that calls boto3: one wrapper per CloudTrail call."""

from __future__ import annotations

from typing import Any

from .._common.notfound import none_when
from .._common.retry import aws_retry

# Tags and KMS lookups are the same CloudTrail/KMS calls for trails and event data stores: defined once.
from .._trail.api import add_tags, describe_key, list_tags, remove_tags  # noqa: F401  pylint: disable=unused-import

try:
    from botocore.exceptions import WaiterError
    from botocore.waiter import WaiterModel, create_waiter_with_client
except ImportError:  # handled by AnsibleAWSModule
    pass

NOT_FOUND = ("EventDataStoreNotFoundException", "ResourceNotFoundException")


@aws_retry
@none_when(*NOT_FOUND)
def _get_event_data_store(client: Any, ref: str) -> dict[str, Any] | None:
    return client.get_event_data_store(EventDataStore=ref)


def get_event_data_store(client: Any, ref: str) -> dict[str, Any] | None:
    """The store (by name or ARN), None when it does not exist."""
    store = _get_event_data_store(client, ref)
    if store is None:
        return None
    store.pop("ResponseMetadata", None)
    return store


@aws_retry
def _list_event_data_stores_page(client: Any, **kwargs: Any) -> dict[str, Any]:
    return client.list_event_data_stores(**kwargs)


def list_event_data_stores(client: Any) -> list[dict[str, Any]]:
    """Every store of the account in the client's region (no botocore paginator exists)."""
    stores: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = _list_event_data_stores_page(client, **kwargs)
        stores.extend(page.get("EventDataStores") or [])
        if not page.get("NextToken"):
            return stores
        kwargs["NextToken"] = page["NextToken"]


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
def start_ingestion(client: Any, arn: str) -> None:
    client.start_event_data_store_ingestion(EventDataStore=arn)


@aws_retry
def stop_ingestion(client: Any, arn: str) -> None:
    client.stop_event_data_store_ingestion(EventDataStore=arn)


@aws_retry
def enable_federation(client: Any, arn: str, role_arn: str) -> dict[str, Any]:
    return client.enable_federation(EventDataStore=arn, FederationRoleArn=role_arn)


@aws_retry
def disable_federation(client: Any, arn: str) -> dict[str, Any]:
    return client.disable_federation(EventDataStore=arn)


def describe_kms_key_arn(client: Any, key: str) -> str | None:
    """The key ARN an alias (or id) points at; None when it does not exist."""
    metadata = describe_key(client, key)
    return metadata["Arn"] if metadata else None


# ---------------------------------------------------------------- imports


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
    answer = client.get_import(ImportId=import_id)
    answer.pop("ResponseMetadata", None)
    return answer


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
