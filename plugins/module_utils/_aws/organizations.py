# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Organizations: one wrapper per call (lists read with botocore's paginators), shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

from typing import Any

from .notfound import none_when
from .retry import aws_retry


@aws_retry
@none_when("AWSOrganizationsNotInUseException")
def describe_organization(client: Any) -> dict[str, Any] | None:
    """The caller's organization; None when the account is in none."""
    return client.describe_organization()["Organization"]


@aws_retry
def _paginate(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**params):
        items.extend(page.get(key, []))
    return items


def list_roots(client: Any) -> list[dict[str, Any]]:
    return _paginate(client, "list_roots", "Roots")


def list_organizational_units_for_parent(client: Any, parent_id: str) -> list[dict[str, Any]]:
    return _paginate(client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id)


def list_accounts_for_parent(client: Any, parent_id: str) -> list[dict[str, Any]]:
    return _paginate(client, "list_accounts_for_parent", "Accounts", ParentId=parent_id)


def list_accounts(client: Any) -> list[dict[str, Any]]:
    """Every account of the organization (Id, Name, Status, ...)."""
    return _paginate(client, "list_accounts", "Accounts")


def list_tags_for_resource(client: Any, resource_id: str) -> dict[str, str]:
    tags = _paginate(client, "list_tags_for_resource", "Tags", ResourceId=resource_id)
    return {t["Key"]: t["Value"] for t in tags}


@aws_retry
@none_when("AccessDeniedException", "AccessDenied")
def list_delegated_administrators(client: Any, service_principal: str) -> list[str] | None:
    """Account ids of the service's delegated administrators; None when the caller may not ask."""
    paginator = client.get_paginator("list_delegated_administrators")
    pages = paginator.paginate(ServicePrincipal=service_principal)
    return [a["Id"] for page in pages for a in page.get("DelegatedAdministrators", [])]


@aws_retry
@none_when("AccountNotFoundException")
def describe_account(client: Any, account_id: str) -> dict[str, Any] | None:
    """The organization's account with this id; None when the organization has no such account."""
    return client.describe_account(AccountId=account_id)["Account"]


def list_aws_service_access(client: Any) -> list[str]:
    """The service principals that have trusted access to the organization."""
    return [s["ServicePrincipal"] for s in _paginate(client, "list_aws_service_access_for_organization", "EnabledServicePrincipals")]


@aws_retry
def enable_aws_service_access(client: Any, service_principal: str) -> None:
    client.enable_aws_service_access(ServicePrincipal=service_principal)


@aws_retry
def disable_aws_service_access(client: Any, service_principal: str) -> None:
    client.disable_aws_service_access(ServicePrincipal=service_principal)
