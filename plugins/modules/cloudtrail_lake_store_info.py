#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_lake_store_info
short_description: Describe CloudTrail Lake event data stores, with audit findings
version_added: 1.0.0
description:
  - Lists the CloudTrail Lake event data stores of the account in the module's region (or the named ones) with their
    status, retention, billing mode, selectors, federation, ingestion, KMS key, termination protection and tags.
  - Adds findings an auditor flags, per store, such as no customer-managed KMS key (Security Hub CloudTrail.10),
    termination protection off, ingestion stopped, pending deletion.
  - B(CloudTrail Lake is closed to new AWS customers since 2026-05-31.) Existing customers can continue to use it.
options:
  names:
    description:
      - Names or ARNs of the stores to describe; default every store of the region (ListEventDataStores).
    type: list
    elements: str
  fail_on_missing:
    description:
      - Fail when a store of O(names) does not exist (otherwise it is listed in RV(missing)).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
author: cloudaudit.aws maintainers (@cloudaudit)
"""

EXAMPLES = r"""
- name: Every store of the region, with findings
  cloudaudit.aws.cloudtrail_lake_store_info:
  register: lake

- name: Stores without a customer-managed key
  ansible.builtin.debug:
    msg: "{{ lake.event_data_stores | selectattr('kms_key_id', 'none') | map(attribute='name') }}"
"""

RETURN = r"""
event_data_stores:
  description: The stores, sorted by name; the same keys as RV(cloudaudit.aws.cloudtrail_lake_store#module:event_data_store), plus C(findings).
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: ARN of the store.
      type: str
    name:
      description: Name of the store.
      type: str
    status:
      description: Status of the store (C(ENABLED), C(STOPPED_INGESTION), C(PENDING_DELETION), ...).
      type: str
    retention_days:
      description: Retention period in days.
      type: int
    billing_mode:
      description: Billing mode.
      type: str
    multi_region:
      description: Whether events of all regions are collected.
      type: bool
    organization_enabled:
      description: Whether events of all organization accounts are collected.
      type: bool
    advanced_event_selectors:
      description: Selectors in the format of the store module's option.
      type: list
      elements: dict
    termination_protection:
      description: Whether termination protection is on.
      type: bool
    kms_key_id:
      description: ARN of the customer-managed KMS key, C(null) with an AWS owned key.
      type: str
    ingestion:
      description: C(enabled) or C(stopped).
      type: str
    federation:
      description: Federation C(enabled), C(status) and C(role_arn).
      type: dict
    tags:
      description: Tags of the store (C(null) while pending deletion).
      type: dict
    findings:
      description: What an auditor flags (C(id), C(message), and C(control) when a Security Hub control applies).
      type: list
      elements: dict
      sample: [{"id": "no_customer_managed_key", "control": "CloudTrail.10", "message": "not encrypted with a customer-managed KMS key"}]
missing:
  description: Names of O(names) that do not exist.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake.info import ensure


def argument_spec() -> dict:
    return dict(
        names=dict(type="list", elements="str"),
        fail_on_missing=dict(type="bool", default=False),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
