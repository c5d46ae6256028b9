#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_organization
short_description: Trusted access and delegated administrators for CloudTrail in an AWS Organization
version_added: 1.0.0
description:
  - Enables or disables the trusted access of CloudTrail (C(cloudtrail.amazonaws.com)) to the organization, which
    organization trails and organization event data stores need, and registers or deregisters the member accounts
    that are CloudTrail delegated administrators (they may then manage the organization trails and stores).
  - Runs with the credentials of the organization's management account. From any other account (a member account,
    a CloudTrail delegated administrator) or outside an organization the task fails, naming the account, before any change.
  - Options left unset leave the current setting as it is, and it is not read.
  - Never stops organization-wide logging implicitly, see O(force_stop_delivery). A real run refuses a guarded change
    before any write; check mode reports it (changed, diff) with a warning naming the option, so a drift check shows the drift.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  trusted_access:
    description:
      - V(true) enables trusted access for CloudTrail in the organization (C(organizations:EnableAWSServiceAccess)),
        V(false) disables it (C(organizations:DisableAWSServiceAccess)).
      - Organization trails and organization event data stores need it; without it AWS turns them into trails and stores of the
        management account only, so the member accounts are no longer logged. Disabling it while any exist needs
        O(force_stop_delivery=true).
      - Registering a delegated administrator needs it too (AWS refuses the registration otherwise), so set it to V(true) in the same
        task; it is enabled before the registration.
      - Trusted access needs an organization with all features enabled; otherwise the task fails before any change.
      - Unset leaves it as it is.
    type: bool
  delegated_administrators:
    description:
      - Account ids (12 digits) of the member accounts to register as CloudTrail delegated administrators
        (C(cloudtrail:RegisterOrganizationDelegatedAdmin)).
      - Each must be a member account of the organization, not its management account; AWS allows at most 3 for CloudTrail.
        These rules are checked before any change, in check mode too.
      - Registered administrators the list does not name are kept, unless O(purge_delegated_administrators=true).
      - Unset leaves the delegated administrators as they are.
    type: list
    elements: str
  purge_delegated_administrators:
    description:
      - Deregister the CloudTrail delegated administrators that O(delegated_administrators) does not list
        (C(cloudtrail:DeregisterOrganizationDelegatedAdmin)); with an empty list, every one.
      - Deregistering does not delete the organization trails or stores an administrator created (the management account owns them).
      - Requires O(delegated_administrators).
    type: bool
    default: false
  force_stop_delivery:
    description:
      - Allow O(trusted_access=false) while organization trails or organization event data stores exist, which stops the logging of every
        member account of the organization. Without it such a task fails and nothing is changed (check mode reports it with a warning).
    type: bool
    default: false
notes:
  - The organization trails looked for before disabling trusted access are those visible from the task's region (trails homed there and
    multi-region trails), and the organization event data stores of that region.
  - A no-op run makes at most 4 read calls (DescribeOrganization, GetCallerIdentity, ListAWSServiceAccessForOrganization when
    O(trusted_access) is set, ListDelegatedAdministrators when O(delegated_administrators) is set) and no write; registering an account
    adds one DescribeAccount per account to register.
  - With neither O(trusted_access) nor O(delegated_administrators) set the task only reads the organization (DescribeOrganization) and
    returns RV(organization_id) and RV(management_account_id).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
seealso:
  - module: cloudaudit.aws.cloudtrail_trail
  - module: cloudaudit.aws.cloudtrail_lake_store
"""

EXAMPLES = r"""
- name: Trusted access for CloudTrail and the security account as delegated administrator (management account credentials)
  cloudaudit.aws.cloudtrail_organization:
    trusted_access: true
    delegated_administrators: ["210987654321"]
  register: org  # org.organization_id goes to the organization trail's bucket and KMS key policies

- name: Exactly these delegated administrators (others are deregistered)
  cloudaudit.aws.cloudtrail_organization:
    delegated_administrators: ["210987654321", "109876543210"]
    purge_delegated_administrators: true

- name: Stop organization-wide logging (the organization trails become the management account's own)
  cloudaudit.aws.cloudtrail_organization:
    trusted_access: false
    delegated_administrators: []
    purge_delegated_administrators: true
    force_stop_delivery: true
"""

RETURN = r"""
organization_id:
  description: Id of the organization.
  returned: always
  type: str
  sample: o-a1b2c3d4e5
management_account_id:
  description: Id of the organization's management account.
  returned: always
  type: str
  sample: "123456789012"
trusted_access:
  description:
    - Whether CloudTrail has trusted access to the organization after the run (predicted in check mode).
    - Null when neither O(trusted_access) is set nor an account is registered (not read).
  returned: always
  type: bool
  sample: true
delegated_administrators:
  description:
    - Account ids of the CloudTrail delegated administrators after the run (predicted in check mode), sorted.
    - Null when O(delegated_administrators) is not set (not read).
  returned: always
  type: list
  elements: str
  sample: ["210987654321"]
changes:
  description: The changes made (or that would be made in check mode), in order.
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "delegated_administrators", "action": "update", "before": [], "after": ["210987654321"]}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations.cloudtrail_access import ensure


def argument_spec() -> dict:
    return dict(
        trusted_access=dict(type="bool"),
        delegated_administrators=dict(type="list", elements="str"),
        purge_delegated_administrators=dict(type="bool", default=False),
        force_stop_delivery=dict(type="bool", default=False),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
