# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure: the organization tree (info.read_organization) -> inventory hosts, filters, groups."""

from __future__ import annotations

import re
import string
from typing import Any, Iterable, Mapping

from .._common.errors import CloudAuditError
from .._common.validate import check_account_ids, check_choice, check_role_arn

DEFAULT_ROLE_ARN_TEMPLATE = "arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
HOSTNAME_SOURCES = ("name", "id", "email")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.@-]")


def ou_index(tree: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{id: {"name", "path", "ancestors": [ids from the root down, including itself]}} for roots and OUs."""
    index: dict[str, dict[str, Any]] = {}
    for root in tree.get("roots", []):
        index[root["Id"]] = {"name": root.get("Name", "Root"), "path": root.get("Name", "Root"), "ancestors": [root["Id"]], "parent": None}
    pending = list(tree.get("ous", []))
    while pending:
        progressed = False
        for ou in list(pending):
            parent = index.get(ou["ParentId"])
            if parent is None:
                continue
            index[ou["Id"]] = {
                "name": ou["Name"],
                "path": f"{parent['path']}/{ou['Name']}",
                "ancestors": parent["ancestors"] + [ou["Id"]],
                "parent": ou["ParentId"],
            }
            pending.remove(ou)
            progressed = True
        if not progressed:  # orphans (should not happen): skip them
            break
    return index


def accounts_from_tree(tree: Mapping[str, Any], role_arn_template: str | None, management_role_arn: str | None, partition: str = "aws") -> list[dict[str, Any]]:
    """One record per account: the host variables plus the OU ancestry (for filters and groups)."""
    ous = ou_index(tree)
    management_id = tree.get("management_account_id")
    records = []
    for account in tree.get("accounts", []):
        ou = ous.get(account["ParentId"], {"name": "", "path": "", "ancestors": [account["ParentId"]]})
        is_management = account["Id"] == management_id
        template = management_role_arn if is_management else role_arn_template
        record: dict[str, Any] = {
            "account_id": account["Id"],
            "account_name": account.get("Name", account["Id"]),
            "account_email": account.get("Email", ""),
            "account_status": account.get("Status", ""),
            "account_tags": dict(account.get("Tags") or {}),
            "ou_id": account["ParentId"],
            "ou_path": ou["path"],
            "ou_ancestors": list(ou["ancestors"]),
            "is_management_account": is_management,
        }
        if template:
            record["role_arn"] = template.format(account_id=account["Id"], partition=partition, account_name=record["account_name"])
        records.append(record)
    return sorted(records, key=lambda r: r["account_id"])


def _under(record: Mapping[str, Any], selector: str, ous: Mapping[str, Mapping[str, Any]]) -> bool:
    """True when the account is in the OU (id or path, e.g. Root/Security or Security), recursively."""
    if selector in record["ou_ancestors"]:
        return True
    path = selector.strip("/")
    root_names = {ous[i]["name"] for i in record["ou_ancestors"][:1] if i in ous} or {"Root"}
    candidates = {path} | {f"{r}/{path}" for r in root_names if not path.startswith(f"{r}/") and path != r}
    return any(record["ou_path"] == c or record["ou_path"].startswith(c + "/") for c in candidates)


def select(
    records: Iterable[Mapping[str, Any]],
    ous_index: Mapping[str, Mapping[str, Any]],
    status: Iterable[str] = ("ACTIVE",),
    ous: Iterable[str] | None = None,
    tags: Mapping[str, str] | None = None,
    include_accounts: Iterable[str] | None = None,
    exclude_accounts: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The accounts that pass every filter (an empty/None filter passes everything)."""
    statuses = {s.upper() for s in status or []}
    ous = list(ous or [])
    include = {str(a) for a in include_accounts or []}
    exclude = {str(a) for a in exclude_accounts or []}
    selected = []
    for record in records:
        if statuses and record["account_status"].upper() not in statuses:
            continue
        if include and record["account_id"] not in include:
            continue
        if record["account_id"] in exclude:
            continue
        if ous and not any(_under(record, o, ous_index) for o in ous):
            continue
        if tags and any(record["account_tags"].get(k) != str(v) for k, v in tags.items()):
            continue
        selected.append(dict(record))
    return selected


def hostname(record: Mapping[str, Any], source: str) -> str:
    value = {"name": record["account_name"], "id": record["account_id"], "email": record["account_email"]}[source]
    return _UNSAFE.sub("_", value) or record["account_id"]


def ou_groups(record: Mapping[str, Any], ous_index: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """OU group names (before sanitising) from the root down to the account's OU: ou_<name>."""
    return [f"ou_{ous_index[i]['name']}" if i in ous_index else f"ou_{i}" for i in record["ou_ancestors"]]


def direct_groups(record: Mapping[str, Any]) -> list[str]:
    """Groups the host belongs to directly besides its OU: tag_<key>_<value>, management_account."""
    groups = [f"tag_{key}_{value}" for key, value in sorted(record["account_tags"].items())]
    if record["is_management_account"]:
        groups.append("management_account")
    return groups


def host_vars(record: Mapping[str, Any]) -> dict[str, Any]:
    """The documented host variables (internal keys dropped) plus connection: local."""
    variables = {k: v for k, v in record.items() if k != "ou_ancestors"}
    variables["ansible_connection"] = "local"
    variables["ansible_python_interpreter"] = "{{ ansible_playbook_python }}"
    return variables


# Configuration checks of the inventory plugin (pure; the plugin passes its option definitions) ----------

OU_ID_RE = re.compile(r"^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$")
ROOT_ID_RE = re.compile(r"^r-[0-9a-z]{4,32}$")
STATUSES = ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE")
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")
TEMPLATE_FIELDS = ("account_id", "account_name", "partition")
_BOOLEAN_WORDS = ("true", "false", "yes", "no", "on", "off", "1", "0", "y", "n", "t", "f")


def validate_config(config: Mapping[str, Any], definitions: Mapping[str, Mapping[str, Any]]) -> None:
    """Fail naming the option on what the plugin cannot use: unknown names, wrong types, malformed ids and templates."""
    unknown = sorted(set(config) - set(definitions))
    if unknown:
        raise CloudAuditError(f"unknown option (known: {', '.join(sorted(definitions))})", unknown[0])
    for name, value in config.items():
        _check_type(name, value, definitions[name].get("type"))
    check_account_ids(_as_list(config.get("include_accounts")), "include_accounts")
    check_account_ids(_as_list(config.get("exclude_accounts")), "exclude_accounts")
    for ou in _as_list(config.get("ous")):
        check_ou_selector(str(ou))
    for status in _as_list(config.get("status")):
        check_choice(str(status).upper(), "status", STATUSES)
    check_choice(config.get("partition"), "partition", PARTITIONS)
    for option in ("role_arn_template", "management_role_arn"):
        if config.get(option):
            check_role_template(str(config[option]), option)
    if config.get("assume_role_arn"):
        check_role_arn(str(config["assume_role_arn"]), "assume_role_arn")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _check_type(name: str, value: Any, kind: str | None) -> None:
    if value is None:
        return
    if kind in ("bool", "boolean") and not isinstance(value, bool) and str(value).lower() not in _BOOLEAN_WORDS:
        raise CloudAuditError(f"expected a boolean (true or false), got '{value}'", name)
    if kind == "list" and isinstance(value, dict):
        raise CloudAuditError("expected a list, got a dictionary", name)
    if kind in ("dict", "dictionary") and not isinstance(value, dict):
        raise CloudAuditError(f"expected a dictionary, got {type(value).__name__}", name)


def check_ou_selector(value: str) -> None:
    """An OU id (ou-...), a root id (r-...) or a path of OU names (Root/Workloads/Prod)."""
    if value.startswith("ou-") and not OU_ID_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is not an OU id (ou-<4-32 of a-z 0-9>-<8-32 of a-z 0-9>)", "ous")
    if value.startswith("r-") and not ROOT_ID_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is not a root id (r-<4-32 of a-z 0-9>)", "ous")
    if not value.strip("/") or value != value.strip() or "//" in value:
        raise CloudAuditError(f"'{value}' is not an OU id, root id or path of OU names (Root/Workloads/Prod)", "ous")


def check_role_template(template: str, option: str) -> None:
    """Only the named fields {account_id}, {account_name} and {partition}, and an IAM role ARN once filled."""
    try:
        fields = [field for _text, field, _spec, _conv in string.Formatter().parse(template) if field is not None]
    except ValueError as e:
        raise CloudAuditError(f"'{template}' is not a valid template ({e}); use {{account_id}}, {{account_name}} and {{partition}}", option) from None
    for field in fields:
        if field not in TEMPLATE_FIELDS:
            raise CloudAuditError(f"'{template}' uses the placeholder {{{field}}}; only {{account_id}}, {{account_name}} and {{partition}} are known", option)
    check_role_arn(template.format(account_id="123456789012", account_name="account", partition="aws"), option)


def unknown_ous(selectors: Iterable[str], ous: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The OU selectors (ids, or paths with or without the root's name) that name no OU or root of the organization."""
    paths = {ou["path"] for ou in ous.values()} | {ou["path"].split("/", 1)[1] for ou in ous.values() if "/" in ou["path"]}
    return [str(s) for s in selectors or [] if s not in ous and str(s).strip("/") not in paths]
