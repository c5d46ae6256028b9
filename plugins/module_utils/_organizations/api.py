# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only AWS Organizations calls of the organization inventory: read the tree, paginated.

Reading costs 1 (DescribeOrganization) + 1 (ListRoots) + 2 per OU and root
(ListOrganizationalUnitsForParent, ListAccountsForParent) + 1 ListTagsForResource
per account (skipped when tags are not wanted).
"""

from __future__ import annotations

from typing import Any

from .._common.concurrency import read_concurrently
from .._common.retry import aws_retry


@aws_retry
def describe_organization(client: Any) -> dict[str, Any]:
    return client.describe_organization()["Organization"]


@aws_retry
def _paginate(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**params):
        items.extend(page.get(key, []))
    return items


def list_roots(client: Any) -> list[dict[str, Any]]:
    return _paginate(client, "list_roots", "Roots")


def list_ous(client: Any, parent_id: str) -> list[dict[str, Any]]:
    return _paginate(client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id)


def list_accounts(client: Any, parent_id: str) -> list[dict[str, Any]]:
    return _paginate(client, "list_accounts_for_parent", "Accounts", ParentId=parent_id)


def list_tags(client: Any, resource_id: str) -> dict[str, str]:
    tags = _paginate(client, "list_tags_for_resource", "Tags", ResourceId=resource_id)
    return {t["Key"]: t["Value"] for t in tags}


def read_organization(client: Any, with_tags: bool = True) -> dict[str, Any]:
    """The organization as plain data: see model.accounts_from_tree() for its shape.

    {"management_account_id", "organization_id", "roots": [...],
     "ous": [{"Id", "Name", "ParentId"}], "accounts": [{...AWS Account..., "ParentId", "Tags"}]}
    """
    org = describe_organization(client)
    roots = list_roots(client)
    ous: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    pending = [r["Id"] for r in roots]
    while pending:
        parent_id = pending.pop(0)
        found = read_concurrently({"ous": lambda p=parent_id: list_ous(client, p), "accounts": lambda p=parent_id: list_accounts(client, p)})
        for ou in found["ous"]:
            ous.append({"Id": ou["Id"], "Name": ou["Name"], "ParentId": parent_id})
            pending.append(ou["Id"])
        for account in found["accounts"]:
            accounts.append({**_plain(account), "ParentId": parent_id})
    if with_tags and accounts:
        tags = read_concurrently({a["Id"]: (lambda i=a["Id"]: list_tags(client, i)) for a in accounts})
        for account in accounts:
            account["Tags"] = tags[account["Id"]]
    return {
        "organization_id": org.get("Id"),
        "management_account_id": org.get("MasterAccountId"),
        "roots": [{"Id": r["Id"], "Name": r.get("Name", "Root")} for r in roots],
        "ous": ous,
        "accounts": accounts,
    }


def _plain(account: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy (JoinedTimestamp is a datetime), for the inventory cache."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in account.items()}
