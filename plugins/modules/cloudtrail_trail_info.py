#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_trail_info
short_description: The CloudTrail trails of an account, with status, selectors, Insights, tags and CIS findings
version_added: 1.0.0
description:
  - Lists the trails of the account in the given regions (or only those named), each with its status, event
    selectors, Insights selectors, tags, home region and shadow flag.
  - A multi-region trail appears in every region as a shadow trail; its details are read once, in its home region.
  - Returns findings against the CIS AWS Foundations Benchmark / Security Hub CloudTrail controls; a multi-region
    logging trail with read and write management events (CIS 3.1, CloudTrail.1), S3 object-level write and read
    events (CIS 3.8, 3.9), log file validation (CIS 3.2, CloudTrail.4), KMS encryption (CIS 3.5, CloudTrail.2),
    CloudWatch Logs delivery (CloudTrail.5) and tags (CloudTrail.9).
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  names:
    description:
      - Only the trails with these names or ARNs. All trails when unset.
    type: list
    elements: str
  regions:
    description:
      - The regions to look in. The module's region when unset.
    type: list
    elements: str
  include_shadow_trails:
    description:
      - Whether to list multi-region trails in the regions other than their home region (shadow trails).
    type: bool
    default: true
  organization_trails_only:
    description:
      - Only organization trails (the account's own, or, seen from a member account, the one the management account
        applies to it, Control Tower's C(aws-controltower-BaselineCloudTrail) included). Details are read for these only,
        so a check of what covers an account costs one C(DescribeTrails) per region plus the status and selectors of those trails.
      - RV(findings) is then empty (the account's own trails may satisfy the controls), and the trails' tags are not read.
    type: bool
    default: false
  cost_findings:
    description:
      - Also return RV(cost_findings), what the setup costs without anyone meaning to. It reads, besides the trails, the Lake event
        data stores of each region (C(ListEventDataStores), then C(GetEventDataStore) of each, since only that returns a store's
        retention, billing mode and status), the CloudWatch Logs group of each of the account's own trails
        (C(DescribeLogGroups)) and the lifecycle configuration of their buckets (C(GetBucketLifecycleConfiguration); skipped when the
        bucket is another account's and cannot be read).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Trails in two regions, with CIS findings
  cloudaudit.aws.cloudtrail_trail_info:
    regions: [us-east-1, eu-west-1]
  register: trails

- name: Fail when a control fails
  ansible.builtin.assert:
    that: trails.findings | selectattr('status', 'equalto', 'FAILED') | list | length == 0

- name: One trail
  cloudaudit.aws.cloudtrail_trail_info:
    names: [audit]

- name: Is this account already covered by an organization trail (Control Tower's, for example)?
  cloudaudit.aws.cloudtrail_trail_info:
    organization_trails_only: true
  register: org_trails

- name: Say which trail covers it
  ansible.builtin.debug:
    msg: "{{ org_trails.coverage | map(attribute='trail_arn') | list }}"
"""

RETURN = r"""
trails:
  description:
    - The trails, one entry per trail and region it was seen in, with the fields of the C(trail) result of M(cloudaudit.aws.cloudtrail_trail)
      plus C(region), C(status), C(event_selectors), C(advanced_event_selectors), C(insight_selectors) and C(tags).
  returned: always
  type: list
  elements: dict
  sample:
    - name: audit
      trail_arn: arn:aws:cloudtrail:us-east-1:123456789012:trail/audit
      region: us-east-1
      home_region: us-east-1
      shadow: false
      is_multi_region_trail: true
      status: {is_logging: true}
      tags: {team: security}
coverage:
  description:
    - The trails among RV(trails) that record the account's read and write management events in every region (logging,
      multi-region), organization trails first. C(control_tower) is true for a trail or bucket named C(aws-controltower-*), or a trail
      delivering into a log group named C(aws-controltower/*).
  returned: always
  type: list
  elements: dict
  sample:
    - trail_arn: arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail
      name: aws-controltower-BaselineCloudTrail
      home_region: us-east-1
      owner_account_id: "111122223333"
      organization: true
      control_tower: true
      s3_bucket_name: aws-controltower-logs-444455556666-us-east-1
      cloud_watch_logs_log_group_arn: arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs:*
cost_findings:
  description:
    - With O(cost_findings=true), one entry per finding, C(kind), C(resource) (a region, trail ARN, log group, store or bucket) and
      C(reason) in plain words; no prices. Kinds are C(duplicate_management_events) (more than one trail records management events in a
      region, an organization trail beside the account's own included), C(s3_data_events_all_buckets) and C(lambda_data_events_all_functions),
      C(insights_enabled), C(log_group_never_expires), C(lake_long_retention), C(lake_stopped_ingestion) and C(transitions_skip_small_objects)
      (lifecycle transitions that move no log file because S3 skips objects under 128 KB by default).
  returned: when O(cost_findings=true)
  type: list
  elements: dict
  sample:
    - kind: log_group_never_expires
      resource: aws-cloudtrail-logs-audit
      reason: "keeps every event forever (no retention): CloudWatch Logs storage grows and is charged every month"
findings:
  description:
    - One entry per control and resource; C(status) is C(PASSED) or C(FAILED), C(resource) the account id or trail ARN,
      C(reason) what the control needs (the option of M(cloudaudit.aws.cloudtrail_trail) that fixes it, for per-trail controls).
  returned: always
  type: list
  elements: dict
  sample:
    - {control: CIS 3.2 / CloudTrail.4, title: Log file validation is enabled, status: PASSED,
       resource: "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit", reason: enable_log_file_validation}
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail.info import ensure_info


def argument_spec() -> dict:
    return dict(
        names=dict(type="list", elements="str"),
        regions=dict(type="list", elements="str"),
        include_shadow_trails=dict(type="bool", default=True),
        organization_trails_only=dict(type="bool", default=False),
        cost_findings=dict(type="bool", default=False),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure_info)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
