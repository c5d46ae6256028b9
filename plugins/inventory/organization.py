# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: organization
short_description: One inventory host per account of an AWS Organization
version_added: 1.0.0
author: cloudaudit.aws maintainers (@cloudaudit)
description:
  - Reads AWS Organizations (from the management account or a delegated administrator) and adds one
    host per account, with C(connection=local), so that playbooks of this collection act in each account
    through the role given in the host variable C(role_arn) (see the C(cloudaudit.aws.account) role).
  - Host variables are C(account_id), C(account_name), C(account_email), C(account_status), C(ou_id),
    C(ou_path) (for example V(Root/Security)), C(account_tags) (a dictionary), C(is_management_account),
    C(role_arn) (from O(role_arn_template); for the management account from O(management_role_arn), and
    absent when that is not set, so that the caller's own credentials are used there),
    C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}).
  - Group variables of C(all) are C(cloudaudit_organization_account_ids), the ids of every account of the inventory
    (after the filters; the same in every AWX / AAP job slice and under C(--limit), which the C(cloudaudit.aws.baseline)
    role uses for the audit bucket policy), C(cloudaudit_organization_accounts), a dictionary of every account of the
    inventory by name (account name -> account id; for example the log archive's id in a slice without its host), and
    C(cloudaudit_organization_id).
  - Groups are C(ou_<name>) for every OU (and C(ou_Root) for the root), nested like the OUs, so a group
    holds the accounts of its OU and of every OU below it; C(tag_<key>_<value>) per account tag;
    C(management_account). Group names are sanitised by Ansible's rules. OUs with the same name under
    different parents share one group; use O(keyed_groups) on C(ou_path) to tell them apart.
  - The calls made are C(DescribeOrganization), C(ListRoots), C(ListOrganizationalUnitsForParent) and
    C(ListAccountsForParent) per OU, and C(ListTagsForResource) per account (unless O(fetch_tags=false)),
    all paginated. With O(cache=true) a second run within O(cache_timeout) makes no AWS call; the cache
    holds the raw organization, so changing filters does not need a refresh.
  - The configuration file name must end with C(aws_organization.yml), C(aws_organization.yaml),
    C(organization.yml) or C(organization.yaml).
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    type: str
    required: true
    choices: [cloudaudit.aws.organization]
  region:
    description: Region of the Organizations and STS endpoints.
    type: str
    default: us-east-1
    env:
      - name: AWS_REGION
      - name: AWS_DEFAULT_REGION
  profile:
    description: AWS profile to read the organization with; unset means the default credential chain.
    type: str
    env:
      - name: AWS_PROFILE
  endpoint_url:
    description: Use this endpoint instead of AWS's (an emulator, a VPC endpoint).
    type: str
    env:
      - name: AWS_ENDPOINT_URL
  assume_role_arn:
    description:
      - Assume this role (typically in the management account) before reading the organization.
    type: str
  hostnames:
    description: What names the hosts (sanitised by replacing characters other than letters, digits and C(_.@-) with C(_)).
    type: str
    default: name
    choices: [name, id, email]
  role_arn_template:
    description:
      - Template of the host variable C(role_arn); C({account_id}), C({account_name}) and C({partition}) are replaced.
    type: str
    default: "arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
  management_role_arn:
    description:
      - Template of C(role_arn) for the management account (same fields as O(role_arn_template)).
      - Unset means the management account's host has no C(role_arn), so playbooks use the caller's own credentials there.
    type: str
  partition:
    description: AWS partition used in O(role_arn_template).
    type: str
    default: aws
  status:
    description: Keep only accounts in one of these states (V(ACTIVE), V(SUSPENDED), V(PENDING_CLOSURE)); an empty list keeps all.
    type: list
    elements: str
    default: [ACTIVE]
  ous:
    description:
      - Keep only accounts in these OUs or below them. Each item is an OU or root id (V(ou-ab12-cdef3456), V(r-ab12))
        or a path of OU names from the root (V(Root/Workloads/Prod); the leading V(Root/) may be left out).
    type: list
    elements: str
    default: []
  tags:
    description: Keep only accounts having all these tags with these values.
    type: dict
    default: {}
  include_accounts:
    description: Keep only these account ids (an empty list keeps all).
    type: list
    elements: str
    default: []
  exclude_accounts:
    description: Leave out these account ids.
    type: list
    elements: str
    default: []
  fetch_tags:
    description: Read account tags (one call per account). Without them C(account_tags) is empty and tag groups and filters see no tags.
    type: bool
    default: true
"""

EXAMPLES = r"""
# inventories/prod.aws_organization.yml
plugin: cloudaudit.aws.organization
region: us-east-1
ous: [Root/Workloads]
exclude_accounts: ["999999999999"]
role_arn_template: "arn:aws:iam::{account_id}:role/CloudAuditDeploy"
management_role_arn: "arn:aws:iam::{account_id}:role/CloudAuditDeploy"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/cloudaudit-inventory
cache_timeout: 3600
keyed_groups:
  - key: account_tags.Environment | default('none')
    prefix: env
compose:
  aws_region: "'eu-west-1'"
"""

from typing import Any

from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations import model

try:  # ansible-core >= 2.19: inventory values are untrusted unless marked as templates
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.18: inventory strings are templated as they are

    def trust_as_template(value: str) -> str:
        return value


try:
    import boto3
    import botocore.exceptions
except ImportError:  # reported when the plugin runs
    boto3 = None


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "cloudaudit.aws.organization"

    def verify_file(self, path: str) -> bool:
        return super().verify_file(path) and path.endswith(("aws_organization.yml", "aws_organization.yaml", "organization.yml", "organization.yaml"))

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        self._validate_config(config)
        tree = self._organization(path, cache)
        self._populate(tree)

    def _validate_config(self, config: Any) -> None:
        """Fail naming the option on what cannot be used (before any AWS call): unknown names, types, ids, templates."""
        from ansible import constants as C

        from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError

        definitions = C.config.get_configuration_definitions("inventory", self._load_name)
        try:
            model.validate_config(dict(config or {}), definitions)
        except CloudAuditError as e:
            raise AnsibleError(f"cloudaudit.aws.organization: {e.msg}") from None

    # Reading (with Ansible's inventory cache)
    def _organization(self, path: str, cache: bool) -> dict[str, Any]:
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache")
        if use_cache and cache:
            try:
                return self._cache[cache_key]
            except KeyError:
                pass
        tree = self._read_from_aws()
        if use_cache:
            self._cache[cache_key] = tree
        return tree

    def _read_from_aws(self) -> dict[str, Any]:
        if boto3 is None:
            raise AnsibleError("The cloudaudit.aws.organization inventory requires boto3 and botocore")
        from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
        from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations.info import read_organization

        try:
            client = self._session().client("organizations", endpoint_url=self.get_option("endpoint_url") or None)
            return read_organization(client, with_tags=self.get_option("fetch_tags"))
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, CloudAuditError) as e:
            raise AnsibleError(f"cloudaudit.aws.organization: cannot read AWS Organizations: {e}") from e

    def _session(self) -> Any:
        region = self.get_option("region")
        session = boto3.session.Session(profile_name=self.get_option("profile") or None, region_name=region)
        role_arn = self.get_option("assume_role_arn")
        if not role_arn:
            return session
        from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import sts

        client = session.client("sts", endpoint_url=self.get_option("endpoint_url") or None)
        creds = sts.assume_role(client, {"RoleArn": role_arn, "RoleSessionName": "cloudaudit-inventory"})
        return boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=region,
        )

    # Building the inventory
    def _populate(self, tree: dict[str, Any]) -> None:
        ous_index = model.ou_index(tree)
        missing = model.unknown_ous(self.get_option("ous"), ous_index)
        if missing:
            known = ", ".join(sorted(ou["path"] for ou in ous_index.values()))
            raise AnsibleError(f"cloudaudit.aws.organization: ous: {', '.join(missing)} names no OU or root of the organization (it has {known})")
        records = model.accounts_from_tree(tree, self.get_option("role_arn_template"), self.get_option("management_role_arn"), self.get_option("partition"))
        selected = model.select(
            records,
            ous_index,
            status=self.get_option("status"),
            ous=self.get_option("ous"),
            tags=self.get_option("tags"),
            include_accounts=self.get_option("include_accounts"),
            exclude_accounts=self.get_option("exclude_accounts"),
        )
        if records and not selected:
            self.display.warning("cloudaudit.aws.organization: the filters (status, ous, tags, include_accounts, exclude_accounts) match no account")
        strict = self.get_option("strict")
        # Every account of this inventory, on group all: the same in each AWX / AAP job slice and under
        # --limit, so the audit bucket policy built from it does not depend on the hosts a run sees.
        self.inventory.set_variable("all", "cloudaudit_organization_account_ids", sorted(r["account_id"] for r in selected))
        # By account name: what a group variable needs to name one account (the log archive) in a slice without its host.
        self.inventory.set_variable(
            "all", "cloudaudit_organization_accounts", {r["account_name"]: r["account_id"] for r in sorted(selected, key=lambda r: r["account_id"])}
        )
        if tree.get("organization_id"):
            self.inventory.set_variable("all", "cloudaudit_organization_id", tree["organization_id"])
        for record in selected:
            host = model.hostname(record, self.get_option("hostnames"))
            self.inventory.add_host(host)
            variables = model.host_vars(record)
            for key, value in variables.items():
                if key == "ansible_python_interpreter":
                    value = trust_as_template(value)
                self.inventory.set_variable(host, key, value)
            self._add_groups(host, record, ous_index)
            self._set_composite_vars(self.get_option("compose"), variables, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, host, strict=strict)

    def _add_groups(self, host: str, record: dict[str, Any], ous_index: dict[str, Any]) -> None:
        """The host in its OU's group, each OU group inside its parent's; tag and management groups."""
        parent = None
        for name in model.ou_groups(record, ous_index):
            group = self.inventory.add_group(self._sanitize_group_name(name))
            if parent is not None and parent != group:
                self.inventory.add_child(parent, group)
            parent = group
        if parent is not None:
            self.inventory.add_child(parent, host)
        for name in model.direct_groups(record):
            self.inventory.add_child(self.inventory.add_group(self._sanitize_group_name(name)), host)
