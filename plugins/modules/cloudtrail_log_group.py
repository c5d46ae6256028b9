#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_log_group
short_description: A CloudWatch Logs group, its retention and the delivery role for a CloudTrail trail
version_added: 1.0.0
description:
  - Creates, updates or deletes the CloudWatch Logs log group a CloudTrail trail delivers to, with its retention,
    KMS key and tags, and optionally the IAM role CloudTrail assumes to write to it.
  - Returns RV(log_group_arn) in the form CloudTrail expects (ending in C(:*)) and RV(role_arn), ready for
    the CloudWatch Logs options of M(cloudaudit.aws.cloudtrail_trail).
  - Options left unset leave the current setting as it is.
  - Never destroys log events implicitly, see O(allow_retention_decrease) and O(force_delete_logs). A real run refuses a guarded
    change before any write; check mode reports it (changed, diff) with a warning naming the option, so a drift check shows the drift.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  name:
    description:
      - The log group name, 1-512 letters, digits, periods, hyphens, underscores, slashes and number signs.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the group (and the delivery role when O(delivery_role_name) is set).
      - V(absent) deletes the group (and the delivery role with its inline policy when O(delivery_role_name) is set).
        A group that holds log events is deleted only with O(force_delete_logs=true).
    type: str
    choices: [present, absent]
    default: present
  retention_days:
    description:
      - How many days log events are kept. One of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
        1096, 1827, 2192, 2557, 2922, 3288 or 3653, the values CloudWatch Logs accepts.
      - V(0) means never expire (the retention policy is removed).
      - Unset (V(null)) leaves the retention as it is; a group created without it never expires.
      - Lowering an existing retention (including from never expire to a number of days) deletes older events
        and fails unless O(allow_retention_decrease=true), or the group holds no log stream (no event to lose, such as a group
        left without retention by an interrupted run; found with one more read, made only then).
    type: int
  allow_retention_decrease:
    description:
      - Allow O(retention_days) to lower the retention of an existing group, which deletes the log events older
        than the new retention.
    type: bool
    default: false
  kms_key_id:
    description:
      - ARN of the KMS key (C(arn:<partition>:kms:<region>:<account>:key/<id>)) that encrypts the group's events.
        The key policy must let C(logs.<region>.amazonaws.com) use the key
        (see O(cloudaudit.aws.cloudtrail_kms_key#module:allow_cloudwatch_logs)).
      - Associated with an existing group when it differs; an empty string disassociates the key.
    type: str
  log_group_class:
    description:
      - The log group class, set when the group is created.
      - A class cannot be changed later; asking for another class than the existing group's is an error.
      - AWS creates V(STANDARD) groups when unset.
    type: str
    choices: [STANDARD, INFREQUENT_ACCESS, DELIVERY]
  delivery_role_name:
    description:
      - Name of the IAM role CloudTrail assumes to deliver to the group; created when it does not exist.
      - Its trust policy allows C(cloudtrail.amazonaws.com) (limited by C(aws:SourceArn) to O(trail_arns) when given);
        its inline policy C(CloudTrailLogDelivery) allows only C(logs:CreateLogStream) and C(logs:PutLogEvents)
        on this group's CloudTrail log streams. Both are compared as documents and corrected when they differ.
      - Unset leaves any role alone.
    type: str
  trail_arns:
    description:
      - ARNs of the trails allowed to assume the delivery role (C(aws:SourceArn) condition of its trust policy).
      - Requires O(delivery_role_name). Empty or unset means any trail of CloudTrail.
    type: list
    elements: str
  organization_id:
    description:
      - For an organization trail, the organization id (C(o-...)); the delivery role may then also write the
        organization-wide log streams C(<organization_id>_*). Requires O(delivery_role_name).
    type: str
  force_delete_logs:
    description:
      - With O(state=absent), delete the group even when it holds log events (they are destroyed).
    type: bool
    default: false
notes:
  - Lowering retention and deleting a group with events are guarded because they destroy audit data.
  - A no-op run makes at most 4 read calls (DescribeLogGroups, ListTagsForResource when O(tags) is set,
    GetRole and GetRolePolicy when O(delivery_role_name) is set) and no write.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Log group for the organization trail, one year of retention, with its delivery role
  cloudaudit.aws.cloudtrail_log_group:
    name: /aws/cloudtrail/org
    retention_days: 365
    delivery_role_name: CloudTrailToCloudWatchLogs
    trail_arns:
      - arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail
    organization_id: o-a1b2c3d4e5
    tags:
      purpose: audit
  register: log_group  # log_group.log_group_arn and log_group.role_arn go to cloudaudit.aws.cloudtrail_trail

- name: Keep events 90 days only (older events are deleted)
  cloudaudit.aws.cloudtrail_log_group:
    name: /aws/cloudtrail/org
    retention_days: 90
    allow_retention_decrease: true

- name: Never expire, encrypted with a customer-managed key
  cloudaudit.aws.cloudtrail_log_group:
    name: /aws/cloudtrail/org
    retention_days: 0
    kms_key_id: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab

- name: Delete the group, its events and its delivery role
  cloudaudit.aws.cloudtrail_log_group:
    name: /aws/cloudtrail/org
    delivery_role_name: CloudTrailToCloudWatchLogs
    state: absent
    force_delete_logs: true
"""

RETURN = r"""
log_group_arn:
  description: ARN of the group in the form CloudTrail expects (ending in C(:*)); null after O(state=absent).
  returned: always
  type: str
  sample: arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/org:*
role_arn:
  description: ARN of the delivery role; null without O(delivery_role_name) or after O(state=absent).
  returned: always
  type: str
  sample: arn:aws:iam::123456789012:role/CloudTrailToCloudWatchLogs
log_group:
  description:
    - The group after the run (predicted in check mode). RV(log_group.retention_days) null means never expire;
      RV(log_group.tags) is null when O(tags) is not managed and the tags were not read.
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: Group name.
      type: str
      returned: always
    arn:
      description: Group ARN ending in C(:*).
      type: str
      returned: always
    retention_days:
      description: Retention in days, null for never expire.
      type: int
      returned: always
    kms_key_id:
      description: ARN of the KMS key, or null.
      type: str
      returned: always
    log_group_class:
      description: The group class.
      type: str
      returned: always
    tags:
      description: The tags.
      type: dict
      returned: always
role:
  description: The delivery role after the run (predicted in check mode), with its trust and inline policy documents.
  returned: when O(delivery_role_name) is set and O(state=present)
  type: dict
  contains:
    name:
      description: Role name.
      type: str
      returned: always
    arn:
      description: Role ARN.
      type: str
      returned: always
    trust_policy:
      description: The trust policy document.
      type: dict
      returned: always
    policy:
      description: The inline policy C(CloudTrailLogDelivery).
      type: dict
      returned: always
changes:
  description: The changes made (or that would be made in check mode), in order.
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "retention_days", "action": "update", "before": 30, "after": 365}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._logs.ensure import ensure


def argument_spec() -> dict:
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        retention_days=dict(type="int"),
        allow_retention_decrease=dict(type="bool", default=False),
        kms_key_id=dict(type="str"),
        log_group_class=dict(type="str", choices=["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"]),
        delivery_role_name=dict(type="str"),
        trail_arns=dict(type="list", elements="str"),
        organization_id=dict(type="str"),
        force_delete_logs=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
