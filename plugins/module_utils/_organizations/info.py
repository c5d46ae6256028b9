# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The organization inventory's read of the AWS Organizations tree (the calls are the _aws seam's).

Reading costs 1 (DescribeOrganization) + 1 (ListRoots) + 2 per OU and root
(ListOrganizationalUnitsForParent, ListAccountsForParent) + 1 ListTagsForResource
per account (skipped when tags are not wanted).
"""

from __future__ import annotations

from typing import Any

from .._aws import organizations
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError


def read_organization(client: Any, with_tags: bool = True) -> dict[str, Any]:
    """The organization as plain data: see model.accounts_from_tree() for its shape.

    {"management_account_id", "organization_id", "roots": [...],
     "ous": [{"Id", "Name", "ParentId"}], "accounts": [{...AWS Account..., "ParentId", "Tags"}]}
    """
    org = organizations.describe_organization(client)
    if org is None:
        raise CloudAuditError("the account is not a member of an organization (AWSOrganizationsNotInUseException)")
    roots = organizations.list_roots(client)
    ous: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    pending = [r["Id"] for r in roots]
    while pending:
        parent_id = pending.pop(0)
        found = read_concurrently(
            {
                "ous": lambda p=parent_id: organizations.list_organizational_units_for_parent(client, p),
                "accounts": lambda p=parent_id: organizations.list_accounts_for_parent(client, p),
            }
        )
        for ou in found["ous"]:
            ous.append({"Id": ou["Id"], "Name": ou["Name"], "ParentId": parent_id})
            pending.append(ou["Id"])
        for account in found["accounts"]:
            accounts.append({**_plain(account), "ParentId": parent_id})
    if with_tags and accounts:
        tags = read_concurrently({a["Id"]: (lambda i=a["Id"]: organizations.list_tags_for_resource(client, i)) for a in accounts})
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
