#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_lake_store
short_description: Manage a CloudTrail Lake event data store
version_added: 1.0.0
description:
  - Creates, updates, deletes and restores a CloudTrail Lake event data store; manages its retention, billing mode,
    advanced event selectors, regions, organization scope, KMS key, termination protection, ingestion,
    Lake query federation and tags.
  - B(CloudTrail Lake is closed to new AWS customers since 2026-05-31.) Existing customers can continue to use it;
    this module manages the event data stores of existing customers. In an account that never used Lake, AWS refuses
    to create a store.
  - Guards protect the audit data. Lowering O(retention_days) deletes the events older than the new period and
    fails unless O(allow_retention_decrease=true). O(state=absent) on a store with termination protection fails
    unless O(termination_protection=false). A store with federation enabled is never deleted (disable federation
    first). The KMS key of a store can be set once and never changed or removed; a different O(kms_key_id) is an error.
  - O(state=absent) puts the store in C(PENDING_DELETION) state; AWS keeps it restorable for 7 days, then deletes it
    with its events. O(state=present) on a C(PENDING_DELETION) store restores it (RestoreEventDataStore), then applies
    the other settings.
  - A run that changes nothing makes one call (GetEventDataStore), two when O(tags) is set (ListTags).
options:
  name:
    description:
      - Name of the event data store (3-128 characters of V(A-Z), V(a-z), V(0-9), V(.), V(_), V(-)), or its ARN.
      - An ARN only finds an existing store; creating one needs the name.
    type: str
    required: true
  state:
    description:
      - V(present) creates, updates or restores the store; V(absent) deletes it (C(PENDING_DELETION), restorable for 7 days).
    type: str
    choices: [present, absent]
    default: present
  retention_days:
    description:
      - Days the store keeps events. 7-3653 with V(EXTENDABLE_RETENTION_PRICING) (AWS default 366),
        7-2557 with V(FIXED_RETENTION_PRICING) (AWS default 2557).
      - A value lower than the current one deletes older events and needs O(allow_retention_decrease=true).
    type: int
  allow_retention_decrease:
    description:
      - Allow lowering O(retention_days), which deletes the events older than the new retention period.
      - Without it a real run refuses the decrease before any write; check mode reports it (changed, diff) with a warning.
    type: bool
    default: false
  billing_mode:
    description:
      - Pricing of the store. AWS allows changing V(FIXED_RETENTION_PRICING) to V(EXTENDABLE_RETENTION_PRICING),
        not the reverse (an error before any change).
      - New stores default to V(EXTENDABLE_RETENTION_PRICING).
    type: str
    choices: [EXTENDABLE_RETENTION_PRICING, FIXED_RETENTION_PRICING]
  multi_region:
    description:
      - Collect events from all regions (V(true), the AWS default for new stores) or only the store's region.
    type: bool
  organization_enabled:
    description:
      - Collect events of every account of the AWS Organization (only from the management account or a delegated administrator).
    type: bool
  event_selector_preset:
    description:
      - Selectors for common cases, instead of O(advanced_event_selectors).
      - V(all_management) logs all management events.
      - V(management_and_s3_data) logs all management events and S3 object-level data events.
      - V(event_sources) logs the management events of the services listed in O(event_sources).
    type: str
    choices: [all_management, management_and_s3_data, event_sources]
  event_sources:
    description:
      - Event sources (for example V(iam.amazonaws.com)) logged with O(event_selector_preset=event_sources).
    type: list
    elements: str
  kms_key_id:
    description:
      - KMS key (key id, key ARN, alias name or alias ARN) that encrypts the store.
      - Can be set once, when creating the store or on a store using an AWS owned key; AWS does not allow changing
        or removing it later, so a different key is an error. An alias costs one KMS call to compare.
    type: str
  termination_protection:
    description:
      - Termination protection. While on, the store cannot be deleted.
      - With O(state=absent), V(false) turns protection off before deleting; with the default V(true) a real run refuses to
        delete a protected store before any write, and check mode reports the deletion with a warning.
    type: bool
    default: true
  ingestion:
    description:
      - V(enabled) ingests events; V(stopped) stops ingestion (StopEventDataStoreIngestion); new stores default to V(enabled).
    type: str
    choices: [enabled, stopped]
  federation:
    description:
      - Lake query federation (Glue Data Catalog and Athena). A federated store cannot be deleted.
    type: dict
    suboptions:
      enabled:
        description: Enable or disable federation.
        type: bool
        required: true
      role_arn:
        description: The IAM role CloudTrail uses for federation (3-125 characters); required when O(federation.enabled=true).
        type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._advanced_event_selectors
  - cloudaudit.aws._execution
notes:
  - O(advanced_event_selectors) of an event data store are at most 5 selectors, compared as a set. They are
    mutually exclusive with O(event_selector_preset); new stores without either log all management events.
author: cloudaudit.aws maintainers (@cloudaudit)
"""

EXAMPLES = r"""
- name: Org-wide store of management events, kept 7 years, encrypted
  cloudaudit.aws.cloudtrail_lake_store:
    name: org-audit
    retention_days: 2557
    organization_enabled: true
    event_selector_preset: all_management
    kms_key_id: alias/cloudtrail-lake
    tags:
      team: security

- name: Store of IAM and STS management events only
  cloudaudit.aws.cloudtrail_lake_store:
    name: identity-events
    event_selector_preset: event_sources
    event_sources: [iam.amazonaws.com, sts.amazonaws.com]

- name: Shorten retention (deletes events older than 90 days)
  cloudaudit.aws.cloudtrail_lake_store:
    name: identity-events
    retention_days: 90
    allow_retention_decrease: true

- name: Delete a store (restorable for 7 days)
  cloudaudit.aws.cloudtrail_lake_store:
    name: identity-events
    state: absent
    termination_protection: false
"""

RETURN = r"""
event_data_store:
  description:
    - The store after the task (predicted in check mode); C(null) when absent.
    - In check mode a store to be created has C(arn=null) (AWS assigns it).
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the store.
      type: str
      sample: arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
    name:
      description: Name of the store.
      type: str
    status:
      description: C(CREATED), C(ENABLED), C(PENDING_DELETION), C(STARTING_INGESTION), C(STOPPING_INGESTION) or C(STOPPED_INGESTION).
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
      description: Selectors in the option format (sorted).
      type: list
      elements: dict
    termination_protection:
      description: Whether termination protection is on.
      type: bool
    kms_key_id:
      description: ARN of the KMS key, C(null) with an AWS owned key.
      type: str
    ingestion:
      description: C(enabled) or C(stopped).
      type: str
    federation:
      description: Federation C(enabled), C(status) and C(role_arn).
      type: dict
    tags:
      description: Tags (only read when O(tags) is set; otherwise C(null)).
      type: dict
    created:
      description: Creation time (ISO 8601).
      type: str
    updated:
      description: Last update time (ISO 8601).
      type: str
changes:
  description: The changes made (or that would be made in check mode), in order.
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "retention_days", "action": "update", "before": 366, "after": 400}]
notice:
  description: After a delete, that the store is C(PENDING_DELETION) and restorable for 7 days.
  returned: when the store is pending deletion after O(state=absent)
  type: str
diff:
  description: Before and after of the managed settings.
  returned: in diff mode
  type: dict
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common import advanced_selectors
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake.store import ensure


def argument_spec() -> dict:
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        retention_days=dict(type="int"),
        allow_retention_decrease=dict(type="bool", default=False),
        billing_mode=dict(type="str", choices=["EXTENDABLE_RETENTION_PRICING", "FIXED_RETENTION_PRICING"]),
        multi_region=dict(type="bool"),
        organization_enabled=dict(type="bool"),
        advanced_event_selectors=advanced_selectors.argument_spec(),
        event_selector_preset=dict(type="str", choices=["all_management", "management_and_s3_data", "event_sources"]),
        event_sources=dict(type="list", elements="str"),
        kms_key_id=dict(type="str"),
        termination_protection=dict(type="bool", default=True),
        ingestion=dict(type="str", choices=["enabled", "stopped"]),
        federation=dict(
            type="dict",
            options=dict(enabled=dict(type="bool", required=True), role_arn=dict(type="str")),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure, rules=dict(mutually_exclusive=[("advanced_event_selectors", "event_selector_preset")]))


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
