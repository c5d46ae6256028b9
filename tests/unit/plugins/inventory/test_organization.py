"""organization inventory: the pure model (tree -> hosts, filters, groups) and the plugin's file matching."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations import model

MGMT, LOG, PROD, DEV, OLD = "111111111111", "222222222222", "333333333333", "444444444444", "555555555555"

TREE = {
    "organization_id": "o-abcdefghij",
    "management_account_id": MGMT,
    "roots": [{"Id": "r-root", "Name": "Root"}],
    # children listed before their parents on purpose: the index must not depend on order
    "ous": [
        {"Id": "ou-prod", "Name": "Prod", "ParentId": "ou-work"},
        {"Id": "ou-sec", "Name": "Security", "ParentId": "r-root"},
        {"Id": "ou-work", "Name": "Workloads", "ParentId": "r-root"},
    ],
    "accounts": [
        {"Id": MGMT, "Name": "management", "Email": "m@example.com", "Status": "ACTIVE", "ParentId": "r-root", "Tags": {}},
        {"Id": LOG, "Name": "log-archive", "Email": "l@example.com", "Status": "ACTIVE", "ParentId": "ou-sec", "Tags": {"Role": "log-archive"}},
        {"Id": PROD, "Name": "app prod", "Email": "p@example.com", "Status": "ACTIVE", "ParentId": "ou-prod", "Tags": {"Environment": "prod", "Team": "a"}},
        {"Id": DEV, "Name": "app dev", "Email": "d@example.com", "Status": "ACTIVE", "ParentId": "ou-work", "Tags": {"Environment": "dev"}},
        {"Id": OLD, "Name": "old", "Email": "o@example.com", "Status": "SUSPENDED", "ParentId": "ou-work"},
    ],
}


def records(role_template=model.DEFAULT_ROLE_ARN_TEMPLATE, management=None):
    return {r["account_id"]: r for r in model.accounts_from_tree(TREE, role_template, management)}


def ids(selected):
    return sorted(r["account_id"] for r in selected)


def test_ou_index_paths_and_ancestors():
    index = model.ou_index(TREE)
    assert index["r-root"]["path"] == "Root"
    assert index["ou-prod"]["path"] == "Root/Workloads/Prod"
    assert index["ou-prod"]["ancestors"] == ["r-root", "ou-work", "ou-prod"]


def test_host_variables():
    recs = records()
    prod = recs[PROD]
    assert prod["account_name"] == "app prod"
    assert prod["account_email"] == "p@example.com"
    assert prod["account_status"] == "ACTIVE"
    assert prod["ou_id"] == "ou-prod"
    assert prod["ou_path"] == "Root/Workloads/Prod"
    assert prod["account_tags"] == {"Environment": "prod", "Team": "a"}
    assert prod["role_arn"] == f"arn:aws:iam::{PROD}:role/OrganizationAccountAccessRole"
    assert prod["is_management_account"] is False
    assert recs[OLD]["account_tags"] == {}
    variables = model.host_vars(prod)
    assert variables["ansible_connection"] == "local"
    assert variables["ansible_python_interpreter"] == "{{ ansible_playbook_python }}"
    assert "ou_ancestors" not in variables


@pytest.mark.parametrize(
    "management_template, expected",
    [(None, None), ("arn:aws:iam::{account_id}:role/Admin", f"arn:aws:iam::{MGMT}:role/Admin")],
)
def test_management_account_role(management_template, expected):
    mgmt = records(management=management_template)[MGMT]
    assert mgmt["is_management_account"] is True
    assert mgmt.get("role_arn") == expected


def test_role_arn_template_fields():
    recs = records(role_template="arn:{partition}:iam::{account_id}:role/{account_name}-deploy")
    assert recs[LOG]["role_arn"] == f"arn:aws:iam::{LOG}:role/log-archive-deploy"


ALL_ACTIVE = sorted([MGMT, LOG, PROD, DEV])


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, ALL_ACTIVE),
        ({"status": ["SUSPENDED"]}, [OLD]),
        ({"status": []}, sorted(ALL_ACTIVE + [OLD])),
        ({"ous": ["ou-work"]}, [PROD, DEV]),
        ({"ous": ["Root/Workloads"]}, [PROD, DEV]),
        ({"ous": ["Workloads"]}, [PROD, DEV]),
        ({"ous": ["Workloads/Prod"]}, [PROD]),
        ({"ous": ["Root/Security", "ou-prod"]}, [LOG, PROD]),
        ({"ous": ["r-root"]}, ALL_ACTIVE),
        ({"ous": ["Root"]}, ALL_ACTIVE),
        ({"ous": ["Work"]}, []),
        ({"tags": {"Environment": "prod"}}, [PROD]),
        ({"tags": {"Environment": "prod", "Team": "b"}}, []),
        ({"include_accounts": [LOG, OLD]}, [LOG]),
        ({"exclude_accounts": [MGMT]}, [LOG, PROD, DEV]),
        ({"ous": ["Root/Workloads"], "exclude_accounts": [DEV]}, [PROD]),
    ],
)
def test_filters(filters, expected):
    filters = {"status": ["ACTIVE"], **filters}
    assert ids(model.select(records().values(), model.ou_index(TREE), **filters)) == expected


@pytest.mark.parametrize(
    "source, expected",
    [("name", "app_prod"), ("id", PROD), ("email", "p@example.com")],
)
def test_hostnames(source, expected):
    assert model.hostname(records()[PROD], source) == expected


def test_groups():
    index = model.ou_index(TREE)
    recs = records()
    assert model.ou_groups(recs[PROD], index) == ["ou_Root", "ou_Workloads", "ou_Prod"]
    assert model.direct_groups(recs[PROD]) == ["tag_Environment_prod", "tag_Team_a"]
    assert model.direct_groups(recs[MGMT]) == ["management_account"]


@pytest.mark.parametrize(
    "path, accepted",
    [
        ("/x/prod.aws_organization.yml", True),
        ("/x/prod.aws_organization.yaml", True),
        ("/x/demo.organization.yml", True),
        ("/x/organization.yaml", True),
        ("/x/hosts.yml", False),
        ("/x/aws_ec2.yml", False),
    ],
)
def test_verify_file(tmp_path, path, accepted):
    from ansible_collections.cloudaudit.aws.plugins.inventory.organization import InventoryModule

    real = tmp_path / path.rsplit("/", 1)[1]
    real.write_text("plugin: cloudaudit.aws.organization\n")
    assert InventoryModule().verify_file(str(real)) is accepted


CONFIG_DEFINITIONS = {"plugin": {"type": "str"}, "ous": {"type": "list"}, "fetch_tags": {"type": "bool"}, "role_arn_template": {"type": "str"}}


@pytest.mark.parametrize(
    "config, option",
    [
        ({"fetch_tag": False}, "fetch_tag"),
        ({"fetch_tags": "perhaps"}, "fetch_tags"),
        ({"ous": ["ou-xyz"]}, "ous"),
        ({"role_arn_template": "arn:aws:iam::{account}:role/Audit"}, "role_arn_template"),
        ({"role_arn_template": "arn:aws:iam::{account_id:role/Audit"}, "role_arn_template"),
        ({"role_arn_template": "arn:aws:iam::{account_id}:role/"}, "role_arn_template"),
    ],
)
def test_config_errors_name_the_option(config, option):
    from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError

    with pytest.raises(CloudAuditError) as e:
        model.validate_config({"plugin": "cloudaudit.aws.organization", **config}, CONFIG_DEFINITIONS)
    assert e.value.option == option


def test_valid_config_passes_and_unknown_ous_are_listed():
    model.validate_config({"plugin": "x", "ous": ["Root/Workloads", "ou-ab12-cdef3456"], "fetch_tags": "no"}, CONFIG_DEFINITIONS)
    index = {"r-ab12": {"name": "Root", "path": "Root"}, "ou-ab12-cdef3456": {"name": "Workloads", "path": "Root/Workloads"}}
    assert model.unknown_ous(["Workloads", "Root/Workloads", "ou-ab12-cdef3456", "r-ab12", "Root/Nowhere"], index) == ["Root/Nowhere"]
