"""cloudaudit.aws.organization against the emulator's Organizations: hosts, variables, groups, filters, cache."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner, plain

MANAGEMENT = "123456789012"


def make_organization(aws: Any) -> dict[str, str]:
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {"root": root}
    ous["security"] = org.create_organizational_unit(ParentId=root, Name="Security")["OrganizationalUnit"]["Id"]
    ous["workloads"] = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    ous["prod"] = org.create_organizational_unit(ParentId=ous["workloads"], Name="Prod")["OrganizationalUnit"]["Id"]
    ids = {"management": MANAGEMENT, **{f"ou_{k}": v for k, v in ous.items()}}

    def account(key: str, name: str, parent: str, tags: dict[str, str]) -> None:
        status = org.create_account(AccountName=name, Email=f"{key}@example.com", Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        ids[key] = status["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=ids[key], SourceParentId=root, DestinationParentId=ous[parent])

    account("log_archive", "log-archive", "security", {"Role": "log-archive"})
    account("prod", "app prod", "prod", {"Environment": "prod"})
    account("dev", "app dev", "workloads", {"Environment": "dev"})
    account("closed", "old", "workloads", {})
    org.close_account(AccountId=ids["closed"])
    return ids


def inventory(playbook: PlaybookRunner, config: Path) -> dict[str, Any]:
    exe = shutil.which("ansible-inventory", path=str(Path(sys.executable).parent)) or "ansible-inventory"
    proc = subprocess.run(
        [exe, "-i", str(config), "--list"], cwd=playbook.workdir, env=playbook.env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "Failed to parse" not in proc.stderr, proc.stderr
    return plain(json.loads(proc.stdout))


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


def hosts_of(inv: dict[str, Any], group: str) -> set[str]:
    """Hosts of a group, including those of its child groups."""
    data = inv.get(group, {})
    found = set(data.get("hosts", []))
    for child in data.get("children", []):
        found |= hosts_of(inv, child)
    return found


@pytest.mark.integration
def test_hosts_vars_groups(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    ids = make_organization(aws)
    inv = inventory(playbook, write(tmp_path, "demo.aws_organization.yml", "plugin: cloudaudit.aws.organization\n"))

    hostvars = inv["_meta"]["hostvars"]
    assert set(hostvars) == {"master", "log-archive", "app_prod", "app_dev"}  # the SUSPENDED account is left out
    prod = hostvars["app_prod"]
    assert prod["account_id"] == ids["prod"]
    assert prod["account_name"] == "app prod"
    assert prod["account_email"] == "prod@example.com"
    assert prod["account_status"] == "ACTIVE"
    assert prod["ou_path"] == "Root/Workloads/Prod"
    assert prod["ou_id"] == ids["ou_prod"]
    assert prod["account_tags"] == {"Environment": "prod"}
    assert prod["role_arn"] == f"arn:aws:iam::{ids['prod']}:role/OrganizationAccountAccessRole"
    assert prod["is_management_account"] is False
    assert prod["ansible_connection"] == "local"
    management = hostvars["master"]
    assert management["is_management_account"] is True
    assert "role_arn" not in management
    assert management["ou_path"] == "Root"

    assert hosts_of(inv, "ou_Workloads") == {"app_prod", "app_dev"}
    assert hosts_of(inv, "ou_Prod") == {"app_prod"}
    assert hosts_of(inv, "ou_Security") == {"log-archive"}
    assert hosts_of(inv, "ou_Root") == {"master", "log-archive", "app_prod", "app_dev"}
    assert hosts_of(inv, "tag_Environment_prod") == {"app_prod"}
    assert hosts_of(inv, "tag_Role_log_archive") == {"log-archive"}
    assert hosts_of(inv, "management_account") == {"master"}


@pytest.mark.integration
def test_filters_hostnames_templates_and_constructed(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    ids = make_organization(aws)
    config = write(
        tmp_path,
        "filtered.organization.yml",
        f"""plugin: cloudaudit.aws.organization
hostnames: id
ous: [Workloads, Root/Security]
exclude_accounts: ["{ids['dev']}"]
role_arn_template: "arn:aws:iam::{{account_id}}:role/CloudAuditDeploy"
management_role_arn: "arn:aws:iam::{{account_id}}:role/Admin"
compose:
  aws_region: "'eu-west-1'"
keyed_groups:
  - key: account_tags.Environment | default('none')
    prefix: env
groups:
  log_archive: "'Role' in account_tags and account_tags.Role == 'log-archive'"
""",
    )
    inv = inventory(playbook, config)
    hostvars = inv["_meta"]["hostvars"]
    assert set(hostvars) == {ids["prod"], ids["log_archive"]}
    assert hostvars[ids["prod"]]["role_arn"] == f"arn:aws:iam::{ids['prod']}:role/CloudAuditDeploy"
    assert hostvars[ids["prod"]]["aws_region"] == "eu-west-1"
    assert hosts_of(inv, "env_prod") == {ids["prod"]}
    assert hosts_of(inv, "env_none") == {ids["log_archive"]}
    assert hosts_of(inv, "log_archive") == {ids["log_archive"]}

    suspended = write(tmp_path, "suspended.organization.yml", "plugin: cloudaudit.aws.organization\nstatus: [SUSPENDED]\nhostnames: email\n")
    assert set(inventory(playbook, suspended)["_meta"]["hostvars"]) == {"closed@example.com"}

    tagged = write(
        tmp_path,
        "tagged.organization.yml",
        "plugin: cloudaudit.aws.organization\ntags: {Environment: dev}\n"
        f'include_accounts: ["{ids["dev"]}", "{MANAGEMENT}"]\n'
        'management_role_arn: "arn:aws:iam::{account_id}:role/Admin"\n',
    )
    assert set(inventory(playbook, tagged)["_meta"]["hostvars"]) == {"app_dev"}

    management = write(
        tmp_path,
        "mgmt.organization.yml",
        'plugin: cloudaudit.aws.organization\nmanagement_role_arn: "arn:aws:iam::{account_id}:role/Admin"\ninclude_accounts: ["123456789012"]\n',
    )
    assert inventory(playbook, management)["_meta"]["hostvars"]["master"]["role_arn"] == f"arn:aws:iam::{MANAGEMENT}:role/Admin"


@pytest.mark.integration
def test_cache_second_run_makes_no_call(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    make_organization(aws)
    config = write(
        tmp_path,
        "cached.aws_organization.yml",
        "plugin: cloudaudit.aws.organization\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
        f"cache_connection: {tmp_path / 'cache'}\ncache_timeout: 600\n",
    )
    mark = aws.emulator.mark()
    first = inventory(playbook, config)
    first_calls = aws.emulator.summary(since=mark, service="organizations")
    # DescribeOrganization + ListRoots + 2 per parent (root + 3 OUs) + ListTagsForResource per account (5)
    assert first_calls["total"] == 1 + 1 + 2 * 4 + 5, first_calls
    assert first_calls["writes"] == 0

    mark = aws.emulator.mark()
    second = inventory(playbook, config)
    assert aws.emulator.summary(since=mark)["total"] == 0
    assert second["_meta"]["hostvars"] == first["_meta"]["hostvars"]

    # the cache holds the raw organization: other filters on the same cache still make no call
    config.write_text(config.read_text() + "ous: [Root/Security]\n")
    mark = aws.emulator.mark()
    third = inventory(playbook, config)
    assert set(third["_meta"]["hostvars"]) == {"log-archive"}
    assert aws.emulator.summary(since=mark)["total"] == 0


@pytest.mark.integration
def test_assume_role_arn_and_errors(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    make_organization(aws)
    config = write(tmp_path, "assumed.organization.yml", f"plugin: cloudaudit.aws.organization\nassume_role_arn: arn:aws:iam::{MANAGEMENT}:role/OrgReader\n")
    mark = aws.emulator.mark()
    inv = inventory(playbook, config)
    assert "master" in inv["_meta"]["hostvars"]
    assert aws.emulator.summary(since=mark)["by_operation"]["sts:AssumeRole"] == 1

    # no organization in this account: a clear error, not a traceback
    member = write(tmp_path, "member.organization.yml", "plugin: cloudaudit.aws.organization\nassume_role_arn: arn:aws:iam::999999999999:role/OrgReader\n")
    exe = shutil.which("ansible-inventory", path=str(Path(sys.executable).parent)) or "ansible-inventory"
    proc = subprocess.run(
        [exe, "-i", str(member), "--list"], cwd=playbook.workdir, env=playbook.env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert "cannot read AWS Organizations" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.integration
def test_filters_matching_no_account_warn(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A filter that selects none of the organization's accounts gives an empty inventory, with a warning that says so."""
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    make_organization(aws)
    plugin = inventory_loader.get("cloudaudit.aws.organization")
    warnings: list[str] = []
    monkeypatch.setattr(plugin.display, "warning", lambda msg, *args, **kwargs: warnings.append(msg))
    for name, body in (
        ("no-tag.aws_organization.yml", "tags: {Environment: nowhere}\n"),
        ("excluded.aws_organization.yml", f'include_accounts: ["{MANAGEMENT}"]\nexclude_accounts: ["{MANAGEMENT}"]\n'),
    ):
        warnings.clear()
        data = InventoryData()
        plugin.parse(data, DataLoader(), str(write(tmp_path, name, "plugin: cloudaudit.aws.organization\n" + body)), cache=False)
        assert not data.hosts, f"{name}: {sorted(data.hosts)}"
        assert [w for w in warnings if "match no account" in w], f"{name}: no warning: {warnings}"

    warnings.clear()
    data = InventoryData()
    plugin.parse(data, DataLoader(), str(write(tmp_path, "all.aws_organization.yml", "plugin: cloudaudit.aws.organization\n")), cache=False)
    assert data.hosts and not [w for w in warnings if "match no account" in w], warnings
