#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_trail
short_description: A CloudTrail trail with its selectors, Insights, tags and logging state
version_added: 1.0.0
description:
  - Creates, updates or deletes a CloudTrail trail, its basic or advanced event selectors, its Insights
    selectors, its tags, and starts or stops logging.
  - Options left unset (V(null)) leave the current setting as it is. Settings that can be removed are removed
    with an empty value, as documented per option.
  - A trail is changed only from its home region. Run in another region, a multi-region trail shows up as a
    shadow trail; the module reports it (RV(trail.shadow), RV(trail.home_region)) and returns C(changed=false)
    when nothing differs, but fails naming the home region instead of changing or deleting a shadow.
  - Changes are applied in this order, so that a rerun after any failed step converges; trail (create or update),
    event selectors, Insights selectors, tags, logging.
  - On a run that changes nothing the module reads the trail (C(DescribeTrails)), its status (C(GetTrailStatus)),
    and only what is managed; the event selectors (C(GetEventSelectors), only when the trail has selectors other
    than AWS's default one), Insights selectors (C(GetInsightSelectors), only when the trail has Insights), tags
    (C(ListTags)), and the KMS key (C(DescribeKey), only when O(kms_key_id) is not a key ARN). That is at most 5 calls,
    or 6 when a trail with custom selectors and Insights has its key given as an alias, alias ARN or key id.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  name:
    description:
      - The trail name, 3-128 letters, digits, C(.), C(_) or C(-), starting and ending with a letter or digit,
        without adjacent separators and not shaped like an IP address.
      - A trail ARN is accepted to find an existing trail (for example to delete it); a new trail needs a name.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the trail, V(absent) deletes it (the logs already delivered stay in S3).
    type: str
    choices: [present, absent]
    default: present
  s3_bucket_name:
    description:
      - The bucket the trail delivers to. Required to create a trail. Its policy must let CloudTrail write
        (see M(cloudaudit.aws.s3_audit_bucket)).
    type: str
  s3_key_prefix:
    description:
      - The key prefix of the log files in the bucket, at most 200 characters.
      - An empty string removes the prefix.
    type: str
  sns_topic:
    description:
      - The SNS topic notified of each log file delivery, as a topic name or a topic ARN (compared with the ARN
        AWS returns, so either spelling is idempotent).
      - An empty string removes the notification.
    type: str
  is_multi_region_trail:
    description:
      - Whether the trail records events of every region.
      - Defaults to V(true) when the trail is created; on an existing trail, unset leaves it as it is (an existing
        multi-region trail is never downgraded because the option is omitted).
      - A multi-region trail needs O(include_global_service_events=true).
    type: bool
  include_global_service_events:
    description:
      - Whether the trail records events of global services such as IAM.
      - Defaults to V(true) when the trail is created; on an existing trail, unset leaves it as it is.
    type: bool
  enable_log_file_validation:
    description:
      - Whether CloudTrail delivers digest files to validate the log files (CIS 3.2).
      - Defaults to V(true) when the trail is created; on an existing trail, unset leaves it as it is.
    type: bool
  kms_key_id:
    description:
      - The KMS key that encrypts the log files, as an alias (C(alias/name)), alias ARN, key id or key ARN.
      - Resolved to the key ARN AWS stores (one C(DescribeKey) call unless a key ARN is given), so an alias never
        causes a rewrite.
      - An empty string removes the encryption with a customer-managed key.
    type: str
  cloudwatch_logs:
    description:
      - CloudWatch Logs delivery. O(cloudwatch_logs.log_group_arn) and O(cloudwatch_logs.role_arn) go together.
      - V({}) (or both sub-options empty) removes the delivery.
    type: dict
    suboptions:
      log_group_arn:
        description:
          - The log group ARN, ending in C(:*) (see M(cloudaudit.aws.cloudtrail_log_group)).
        type: str
      role_arn:
        description:
          - The IAM role CloudTrail assumes to write to the log group.
        type: str
  is_organization_trail:
    description:
      - Whether the trail records the events of every account of the organization.
      - Creating or changing an organization trail is allowed only from the management account or a CloudTrail
        delegated administrator; the module checks this with C(organizations:DescribeOrganization) first.
    type: bool
  enable_logging:
    description:
      - Whether the trail logs. AWS creates trails stopped; the module starts them unless this is V(false).
      - Applied last, after every other change.
    type: bool
    default: true
  event_selectors:
    description:
      - Basic event selectors, at most 5 with at most 250 data resources in all. They replace any advanced selectors.
      - Mutually exclusive with O(advanced_event_selectors) and O(event_presets). Unset leaves the selectors as they are.
      - AWS gives a trail without selectors one selector with all management events.
    type: list
    elements: dict
    suboptions:
      read_write_type:
        description: Which events to record.
        type: str
        choices: [ReadOnly, WriteOnly, All]
        default: All
      include_management_events:
        description: Whether the selector records management events.
        type: bool
        default: true
      exclude_management_event_sources:
        description: Management event sources not to record.
        type: list
        elements: str
        choices: [kms.amazonaws.com, rdsdata.amazonaws.com]
      data_resources:
        description: Data events to record.
        type: list
        elements: dict
        suboptions:
          type:
            description: The resource type.
            type: str
            required: true
            choices: ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']
          values:
            description:
              - ARNs or ARN prefixes (for example C(arn:aws:s3:::bucket/) or C(arn:aws:s3) for all buckets).
            type: list
            elements: str
            required: true
  event_presets:
    description:
      - The common cases, written as advanced event selectors (returned in RV(advanced_event_selectors)).
      - Mutually exclusive with O(event_selectors) and O(advanced_event_selectors).
    type: dict
    suboptions:
      management_events:
        description: Which management events to record (V(read) is read-only, V(write) write-only).
        type: str
        choices: [all, read, write, none]
        default: all
      exclude_management_event_sources:
        description: Management event sources not to record (KMS, RDS Data API).
        type: list
        elements: str
        choices: [kms.amazonaws.com, rdsdata.amazonaws.com]
      s3_data_buckets:
        description:
          - Record S3 object-level (data) events of these buckets (names or ARNs); V(['*']) for every bucket.
        type: list
        elements: str
      lambda_data_functions:
        description:
          - Record Lambda invocations (data events) of these function ARNs; V(['*']) for every function.
        type: list
        elements: str
  insight_selectors:
    description:
      - CloudTrail Insights. An empty list disables Insights; unset leaves them as they are.
      - C(ApiCallRateInsight) needs write management events to be logged.
    type: list
    elements: dict
    suboptions:
      insight_type:
        description: The kind of Insights.
        type: str
        required: true
        choices: [ApiCallRateInsight, ApiErrorRateInsight]
      event_categories:
        description: The event categories analysed (AWS's default is C(Management)).
        type: list
        elements: str
        choices: [Management, Data]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._advanced_event_selectors
  - cloudaudit.aws._execution
notes:
  - O(advanced_event_selectors) replace any basic selectors and are mutually exclusive with O(event_selectors)
    and O(event_presets).
  - Check mode makes no write call; for a new trail the predicted ARN is built from the account id
    (C(sts:GetCallerIdentity)) and the region.
"""

EXAMPLES = r"""
- name: The account's multi-region trail, encrypted, with validation and CloudWatch Logs
  cloudaudit.aws.cloudtrail_trail:
    name: audit
    s3_bucket_name: example-audit-logs
    s3_key_prefix: trails
    kms_key_id: alias/cloudtrail
    cloudwatch_logs:
      log_group_arn: arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*
      role_arn: arn:aws:iam::123456789012:role/CloudTrailToCloudWatchLogs
    event_presets:
      management_events: all
      s3_data_buckets: ['*']
    insight_selectors:
      - insight_type: ApiCallRateInsight
    tags:
      owner: security

- name: Remove the prefix, the SNS topic, CloudWatch Logs and the KMS key
  cloudaudit.aws.cloudtrail_trail:
    name: audit
    s3_key_prefix: ""
    sns_topic: ""
    cloudwatch_logs: {}
    kms_key_id: ""

- name: Basic selectors; write-only management events without KMS
  cloudaudit.aws.cloudtrail_trail:
    name: audit
    event_selectors:
      - read_write_type: WriteOnly
        exclude_management_event_sources: [kms.amazonaws.com]

- name: Stop logging (kept stopped until enable_logging is true again)
  cloudaudit.aws.cloudtrail_trail:
    name: audit
    enable_logging: false

- name: Delete a trail by ARN
  cloudaudit.aws.cloudtrail_trail:
    name: arn:aws:cloudtrail:us-east-1:123456789012:trail/old
    state: absent
"""

RETURN = r"""
trail:
  description: The trail (predicted in check mode); empty when absent.
  returned: always
  type: dict
  contains:
    name: {description: The trail name., type: str, returned: success}
    trail_arn: {description: The trail ARN., type: str, returned: success}
    home_region: {description: The region the trail was created in (the only one it can be changed from)., type: str, returned: success}
    shadow: {description: Whether the trail seen here is the shadow of a trail of another home region., type: bool, returned: success}
    s3_bucket_name: {description: The delivery bucket., type: str, returned: success}
    s3_key_prefix: {description: "The key prefix, or null.", type: str, returned: success}
    sns_topic_arn: {description: "The SNS topic ARN, or null.", type: str, returned: success}
    sns_topic_name: {description: "The SNS topic name, or null.", type: str, returned: success}
    include_global_service_events: {description: Whether global service events are recorded., type: bool, returned: success}
    is_multi_region_trail: {description: Whether the trail is multi-region., type: bool, returned: success}
    log_file_validation_enabled: {description: Whether log file validation is on., type: bool, returned: success}
    cloud_watch_logs_log_group_arn: {description: "The CloudWatch Logs group ARN, or null.", type: str, returned: success}
    cloud_watch_logs_role_arn: {description: "The CloudWatch Logs delivery role ARN, or null.", type: str, returned: success}
    kms_key_id: {description: "The KMS key ARN, or null.", type: str, returned: success}
    is_organization_trail: {description: Whether it is an organization trail., type: bool, returned: success}
    has_custom_event_selectors: {description: Whether the trail has selectors other than the default one., type: bool, returned: success}
    has_insight_selectors: {description: Whether Insights are enabled., type: bool, returned: success}
status:
  description:
    - GetTrailStatus in snake_case (for example C(is_logging), C(latest_delivery_time), C(latest_delivery_error),
      C(latest_digest_delivery_time), C(latest_digest_delivery_error), C(start_logging_time)); C(is_logging) is predicted
      in check mode.
  returned: when state is present
  type: dict
  sample: {is_logging: true, latest_delivery_time: "2026-01-01T00:00:00+00:00"}
event_selectors:
  description: The basic event selectors in the option's shape; null when the trail uses advanced selectors or selectors are not managed.
  returned: when state is present
  type: list
  elements: dict
advanced_event_selectors:
  description: The advanced event selectors in the option's shape; null when the trail uses basic selectors or selectors are not managed.
  returned: when state is present
  type: list
  elements: dict
insight_selectors:
  description: The Insights selectors (empty when disabled); null when not managed and not read.
  returned: when state is present
  type: list
  elements: dict
tags:
  description: The trail's tags; null when O(tags) is not set (not read).
  returned: when state is present
  type: dict
changes:
  description: The settings that changed (or would change in check mode), in the order applied.
  returned: always
  type: list
  elements: dict
  sample: [{setting: trail, action: update, before: {s3_key_prefix: old}, after: {s3_key_prefix: null}}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common import advanced_selectors
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail.ensure import ensure


def _str_list() -> dict:
    return dict(type="list", elements="str")


def _sources() -> dict:
    return dict(type="list", elements="str", choices=["kms.amazonaws.com", "rdsdata.amazonaws.com"])


def argument_spec() -> dict:
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        s3_bucket_name=dict(type="str"),
        s3_key_prefix=dict(type="str", no_log=False),
        sns_topic=dict(type="str"),
        is_multi_region_trail=dict(type="bool"),
        include_global_service_events=dict(type="bool"),
        enable_log_file_validation=dict(type="bool"),
        kms_key_id=dict(type="str", no_log=False),
        cloudwatch_logs=dict(type="dict", options=dict(log_group_arn=dict(type="str"), role_arn=dict(type="str"))),
        is_organization_trail=dict(type="bool"),
        enable_logging=dict(type="bool", default=True),
        event_selectors=dict(
            type="list",
            elements="dict",
            options=dict(
                read_write_type=dict(type="str", choices=["ReadOnly", "WriteOnly", "All"], default="All"),
                include_management_events=dict(type="bool", default=True),
                exclude_management_event_sources=_sources(),
                data_resources=dict(
                    type="list",
                    elements="dict",
                    options=dict(
                        type=dict(type="str", required=True, choices=["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]),
                        values=dict(type="list", elements="str", required=True),
                    ),
                ),
            ),
        ),
        advanced_event_selectors=advanced_selectors.argument_spec(),
        event_presets=dict(
            type="dict",
            options=dict(
                management_events=dict(type="str", choices=["all", "read", "write", "none"], default="all"),
                exclude_management_event_sources=_sources(),
                s3_data_buckets=_str_list(),
                lambda_data_functions=_str_list(),
            ),
        ),
        insight_selectors=dict(
            type="list",
            elements="dict",
            options=dict(
                insight_type=dict(type="str", required=True, choices=["ApiCallRateInsight", "ApiErrorRateInsight"]),
                event_categories=dict(type="list", elements="str", choices=["Management", "Data"]),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure, rules=dict(mutually_exclusive=[["event_selectors", "advanced_event_selectors", "event_presets"]]))


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
