# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Glue Data Catalog (databases and tables): one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" (EntityNotFoundException, for a missing
database as for a missing table) into None; it decides nothing. The catalog is the caller's
account's (no CatalogId is sent).
"""

from __future__ import annotations

from typing import Any

from .notfound import none_when
from .retry import aws_retry

NOT_FOUND = "EntityNotFoundException"


@aws_retry
@none_when(NOT_FOUND)
def get_database(client: Any, name: str) -> dict[str, Any] | None:
    """The database; None when there is none of that name."""
    return client.get_database(Name=name)["Database"]


@aws_retry
def create_database(client: Any, name: str, description: str) -> None:
    client.create_database(DatabaseInput={"Name": name, "Description": description})


@aws_retry
@none_when(NOT_FOUND)
def get_table(client: Any, database: str, name: str) -> dict[str, Any] | None:
    """The table; None when it, or its database, does not exist."""
    return client.get_table(DatabaseName=database, Name=name)["Table"]


@aws_retry
def create_table(client: Any, database: str, table_input: dict[str, Any]) -> None:
    client.create_table(DatabaseName=database, TableInput=table_input)


@aws_retry
def update_table(client: Any, database: str, table_input: dict[str, Any]) -> None:
    """Replace the table's definition with table_input as a whole (Glue keeps no field the input omits)."""
    client.update_table(DatabaseName=database, TableInput=table_input)


@aws_retry
@none_when(NOT_FOUND)
def delete_table(client: Any, database: str, name: str) -> None:
    """Delete the table (already gone: nothing to do)."""
    client.delete_table(DatabaseName=database, Name=name)
