#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_kms_key
short_description: A KMS key, found by alias, whose generated policy lets CloudTrail encrypt trail logs
version_added: 1.0.0
description:
  - Finds a customer managed symmetric KMS key by O(alias), creates it (and the alias) when absent, and keeps
    its description, rotation, tags and key policy as requested.
  - The key policy is generated, compared as a document and replaced when it differs. It holds administration
    by the account root (or O(admin_principals)); C(kms:GenerateDataKey*) for C(cloudtrail.amazonaws.com) with a
    C(kms:EncryptionContext:aws:cloudtrail:arn) condition for the trails of O(account_ids), of O(organization_id)
    (with C(aws:SourceOrgID)) and for O(trail_arns) (with C(aws:SourceArn)); C(kms:DescribeKey) for CloudTrail;
    C(kms:Decrypt) for O(reader_principals) with the same encryption context condition; use by CloudWatch Logs
    when O(allow_cloudwatch_logs=true); use by EventBridge and CloudWatch alarms when O(allow_alert_services=true)
    (an encrypted alert topic); and the O(policy_statements) of your own.
  - Returns RV(key_arn), ready for the KMS key option of M(cloudaudit.aws.cloudtrail_trail).
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  alias:
    description:
      - The alias that names the key, with or without the C(alias/) prefix (not C(alias/aws/...)).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the key. A key found in C(PendingDeletion) state is restored
        (CancelKeyDeletion, then EnableKey), provided its alias still exists.
      - V(absent) schedules the deletion of the key after O(pending_window_days) (never immediately) and deletes
        the alias. A key already pending deletion is left as it is.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The key description. Unset leaves it as it is.
    type: str
  enable_rotation:
    description:
      - Automatic rotation of the key material (CIS 3.6 / Security Hub KMS.4).
    type: bool
    default: true
  rotation_period_days:
    description:
      - Days between automatic rotations, 90-2560. Requires O(enable_rotation=true).
      - Unset leaves the current period (AWS uses 365 days for a key whose rotation is turned on without a period).
    type: int
  pending_window_days:
    description:
      - With O(state=absent), days (7-30) before AWS deletes the key; it can be restored until then.
    type: int
    default: 30
  admin_principals:
    description:
      - IAM principal ARNs allowed to administer and use the key (C(kms:*)).
      - Unset means the account root (C(arn:<partition>:iam::<account>:root)), which lets IAM policies of
        the account grant access. Must not be empty; AWS refuses a policy that locks out the caller.
    type: list
    elements: str
  account_ids:
    description:
      - Accounts whose trails may encrypt with the key (encryption context C(arn:<partition>:cloudtrail:*:<account>:trail/*)).
      - When none of O(account_ids), O(organization_id) and O(trail_arns) is given, the key's own account.
      - Accounts the key policy already lets encrypt stay unless O(purge_account_ids=true).
    type: list
    elements: str
  purge_account_ids:
    description:
      - V(false) keeps the accounts that the key policy already lets encrypt, adding those of O(account_ids), so that a run
        seeing only some accounts (C(--limit), an AWX / AAP job slice) never stops the delivery of the others' trails.
      - V(true) makes the list exact. Taking an account away stops the delivery of its trails, so it also needs
        O(force_stop_delivery=true); without it a real run fails before any change, and check mode reports it with a warning.
    type: bool
    default: false
  force_stop_delivery:
    description:
      - Allow O(purge_account_ids=true) to take accounts out of the key policy (their trails can no longer encrypt, so deliver nothing).
    type: bool
    default: false
  organization_id:
    description:
      - Organization (C(o-...)) whose organization trails may encrypt with the key (C(aws:SourceOrgID) condition).
    type: str
  trail_arns:
    description:
      - ARNs of trails that may encrypt with the key (C(aws:SourceArn) and encryption context conditions).
    type: list
    elements: str
  reader_principals:
    description:
      - IAM principal ARNs that may decrypt the log files (C(kms:Decrypt) with the CloudTrail encryption context
        condition of the allowed trails).
    type: list
    elements: str
  allow_cloudwatch_logs:
    description:
      - Let CloudWatch Logs in the key's region use the key for the log groups of the key's account
        (for O(cloudaudit.aws.cloudtrail_log_group#module:kms_key_id)).
    type: bool
    default: false
  allow_alert_services:
    description:
      - Let EventBridge (C(events.amazonaws.com)) and CloudWatch alarms (C(cloudwatch.amazonaws.com)) of the key's account use the
        key (C(kms:GenerateDataKey*), C(kms:Decrypt), condition C(aws:SourceAccount)), so that tampering alerts reach an SNS topic
        encrypted with it (O(cloudaudit.aws.cloudtrail_alerts#module:topic.kms_key_id)). Without it they cannot publish to such a topic.
    type: bool
    default: false
  policy_statements:
    description:
      - Your own key policy statements, appended to the generated ones. Each needs C(Effect), C(Principal) and
        C(Action); their C(Sid) must differ from the generated statements' Sids.
    type: list
    elements: dict
notes:
  - A no-op run makes at most 4 read calls (DescribeKey by alias, GetKeyPolicy, GetKeyRotationStatus and,
    only when O(tags) is set, ListResourceTags) and no write; STS GetCallerIdentity is called only when the key
    does not exist yet.
  - A new key is tagged C(cloudaudit:alias=alias/<name>) in its CreateKey call. When the alias does not exist, the
    module first looks (ListAliases, ListKeys, and the tags of the keys no alias names) for such a key that a run killed
    before CreateAlias left behind, and adopts it (creating only the alias) instead of creating a second key. The tag is
    neither returned nor purged, and cannot be set in O(tags); as it counts towards AWS's 50 tags per key, O(tags) takes
    at most 49. A key whose tags the caller may not read is not one this module created, and is skipped by that search.
  - In check mode a key that does not exist yet has no id, so RV(key_arn) and RV(key_id) are null; RV(alias_arn) is predicted.
  - A key in C(Disabled) state is not enabled by this module.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Key for the organization trail, readable by the security team
  cloudaudit.aws.cloudtrail_kms_key:
    alias: cloudtrail
    description: Encrypts CloudTrail logs
    rotation_period_days: 180
    organization_id: o-a1b2c3d4e5
    account_ids: ["123456789012"]
    reader_principals:
      - arn:aws:iam::123456789012:role/SecurityAudit
    allow_cloudwatch_logs: true
    tags:
      purpose: audit

- name: Key of an encrypted alert topic, which EventBridge rules and CloudWatch alarms may publish to
  cloudaudit.aws.cloudtrail_kms_key:
    alias: cloudaudit-alerts
    allow_alert_services: true
  register: key  # key.key_arn goes to cloudaudit.aws.cloudtrail_trail

- name: Schedule the key's deletion in 30 days (restorable until then)
  cloudaudit.aws.cloudtrail_kms_key:
    alias: cloudtrail
    state: absent
    pending_window_days: 30
"""

RETURN = r"""
key_arn:
  description: ARN of the key; null in check mode when the key would be created.
  returned: always
  type: str
  sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
key_id:
  description: Id of the key; null in check mode when the key would be created.
  returned: always
  type: str
  sample: 1234abcd-12ab-34cd-56ef-1234567890ab
alias_arn:
  description: ARN of the alias; null after O(state=absent).
  returned: always
  type: str
  sample: arn:aws:kms:us-east-1:123456789012:alias/cloudtrail
key:
  description:
    - The key after the run (predicted in check mode). RV(key.tags) is null when O(tags) is not managed
      and the tags were not read.
  returned: when O(state=present)
  type: dict
  contains:
    alias:
      description: The alias (C(alias/<name>)).
      type: str
      returned: always
    key_id:
      description: Key id.
      type: str
      returned: always
    key_arn:
      description: Key ARN.
      type: str
      returned: always
    key_state:
      description: Key state.
      type: str
      returned: always
    description:
      description: Key description.
      type: str
      returned: always
    enable_rotation:
      description: Whether automatic rotation is on.
      type: bool
      returned: always
    rotation_period_days:
      description: Days between rotations, null when rotation is off or AWS does not report it.
      type: int
      returned: always
    policy:
      description: The key policy document.
      type: dict
      returned: always
    tags:
      description: The tags.
      type: dict
      returned: always
changes:
  description: The changes made (or that would be made in check mode), in order.
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "rotation", "action": "update", "before": {"enabled": false, "period_days": null}, "after": {"enabled": true, "period_days": 365}}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._kms.ensure import ensure


def argument_spec() -> dict:
    return dict(
        alias=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        enable_rotation=dict(type="bool", default=True),
        rotation_period_days=dict(type="int"),
        pending_window_days=dict(type="int", default=30),
        admin_principals=dict(type="list", elements="str"),
        account_ids=dict(type="list", elements="str"),
        purge_account_ids=dict(type="bool", default=False),
        force_stop_delivery=dict(type="bool", default=False),
        organization_id=dict(type="str"),
        trail_arns=dict(type="list", elements="str"),
        reader_principals=dict(type="list", elements="str"),
        allow_cloudwatch_logs=dict(type="bool", default=False),
        allow_alert_services=dict(type="bool", default=False),
        policy_statements=dict(type="list", elements="dict"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
