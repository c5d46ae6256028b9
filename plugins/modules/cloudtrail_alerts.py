#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_alerts
short_description: Alerts within minutes when someone switches auditing off (EventBridge rules, SNS topic, CIS 4.x alarms)
version_added: 1.0.0
description:
  - Creates, updates or deletes EventBridge rules on the default event bus that match the CloudTrail events
    (detail type C(AWS API Call via CloudTrail)) of calls that stop or weaken auditing, one rule per preset,
    named C(<prefix>-<preset>), plus C(<prefix>-custom) for O(event_names).
  - Sends the matched events to an SNS topic the module can create (O(topic)) and/or to existing targets (O(target_arns)).
  - On the trail's CloudWatch Logs group (O(log_group_name)), creates the metric filters and alarms of CIS AWS Foundations
    Benchmark section 4 (Security Hub CloudWatch.1-14), named C(<prefix>-<metric>); each alarm fires on at least one
    matching event in 300 seconds and notifies the topic.
  - Owns exactly the names it makes from O(prefix); with O(state=absent) it removes them, and the topic only when this
    module created it (it then carries the tag C(cloudaudit:created-by=cloudaudit.aws/cloudtrail_alerts)).
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  state:
    description:
      - V(present) creates or corrects the rules, targets, topic, metric filters and alarms; a preset or CIS metric left
        out of the task has its rule, or filter and alarm, removed.
      - V(absent) removes every rule and alarm of O(prefix), the metric filters of O(prefix) in O(log_group_name) when set,
        and the topic O(topic.name) when this module created it (an existing topic it was pointed at is kept, with
        the policy this module gave it).
    type: str
    choices: [present, absent]
    default: present
  prefix:
    description:
      - The start of every name the module owns (1-48 letters, digits, periods, underscores, hyphens).
    type: str
    default: cloudaudit-tamper
  presets:
    description:
      - The tampering events to alert on, one rule each.
      - V(trail) C(StopLogging), C(DeleteTrail), C(UpdateTrail), C(PutEventSelectors), C(PutInsightSelectors).
      - V(bucket) C(PutBucketPolicy), C(DeleteBucketPolicy), C(PutBucketLifecycle), C(PutBucketLifecycleConfiguration),
        C(DeleteBucketLifecycle), C(PutBucketVersioning), C(PutBucketEncryption), C(DeleteBucketEncryption), C(PutBucketLogging).
      - V(kms) C(DisableKey), C(ScheduleKeyDeletion), C(PutKeyPolicy).
      - V(lake) C(UpdateEventDataStore), C(DeleteEventDataStore), C(StopEventDataStoreIngestion).
      - V(all) every preset.
    type: list
    elements: str
    choices: [trail, bucket, kms, lake, all]
    default: [trail]
  event_names:
    description:
      - More API event names (as CloudTrail records them, such as C(DeleteFlowLogs)) for the rule C(<prefix>-custom),
        from any service. Empty or unset means no custom rule.
    type: list
    elements: str
  trail_names:
    description:
      - Narrow the V(trail) rule to these trails (C(requestParameters.name) or C(requestParameters.trailName)).
      - A trail ARN matches calls that name the trail by ARN or by name; a bare name matches calls by name only.
    type: list
    elements: str
  bucket_names:
    description:
      - Narrow the V(bucket) rule to these buckets, such as the audit bucket (C(requestParameters.bucketName)).
    type: list
    elements: str
  kms_key_ids:
    description:
      - Narrow the V(kms) rule to these keys (C(requestParameters.keyId)); a key ARN matches calls by ARN or by key id.
    type: list
    elements: str
  event_data_store_arns:
    description:
      - Narrow the V(lake) rule to these event data stores (C(requestParameters.eventDataStore)), by ARN or by id.
    type: list
    elements: str
  topic:
    description:
      - The SNS topic the module creates (when missing) and sends to. Its policy is made exact. It lets only
        C(events.amazonaws.com) publish, with C(aws:SourceArn) one of the rules' ARNs, and C(cloudwatch.amazonaws.com)
        with C(aws:SourceArn) an alarm of O(prefix) in this account and C(aws:SourceAccount) this account.
      - Unset means no topic (O(target_arns) then receive the events).
    type: dict
    suboptions:
      name:
        description: The topic name.
        type: str
        required: true
      kms_key_id:
        description:
          - KMS key (id, ARN or alias) that encrypts the topic. Its key policy must allow C(events.amazonaws.com) and
            C(cloudwatch.amazonaws.com) C(kms:GenerateDataKey*) and C(kms:Decrypt), or the alerts are never delivered.
          - Unset leaves the encryption as it is; an empty string removes it.
        type: str
  target_arns:
    description:
      - Existing targets of every rule besides the topic; targets of the rules not listed are removed.
      - SNS topics (also alarm actions of the CIS metric alarms, beside O(topic)), SQS queues, Lambda functions; their resource
        policies must let C(events.amazonaws.com) send (C(aws:SourceArn) the rule ARNs).
      - An event bus ARN of another account, for an organization. Each member account runs this module with the
        security account's default event bus as its only target; that bus's resource policy allows C(events:PutEvents)
        from the organization (C(aws:PrincipalOrgID)), and the security account runs this module too, with O(topic);
        its rules on the default bus match the forwarded events as well as its own.
    type: list
    elements: str
  target_role_arn:
    description:
      - IAM role EventBridge assumes to put events on the event bus targets of O(target_arns) (needed when the receiving
        bus allows the organization rather than the account).
    type: str
  log_group_name:
    description:
      - The CloudWatch Logs group the trail delivers to; the metric filters are made on it.
      - Unset leaves metric filters and alarms alone.
    type: str
  cis_metrics:
    description:
      - The CIS section 4 metric filters and alarms to have on O(log_group_name); the others of O(prefix) are removed.
      - V(unauthorized_api_calls) (4.1), V(console_signin_without_mfa) (4.2), V(root_usage) (4.3), V(iam_policy_changes) (4.4),
        V(cloudtrail_changes) (4.5), V(console_auth_failures) (4.6), V(cmk_disable_or_deletion) (4.7),
        V(s3_bucket_policy_changes) (4.8), V(config_changes) (4.9), V(security_group_changes) (4.10), V(nacl_changes) (4.11),
        V(network_gateway_changes) (4.12), V(route_table_changes) (4.13), V(vpc_changes) (4.14), V(organizations_changes) (4.15),
        or V(all).
      - Unset means V([cloudtrail_changes]) when O(log_group_name) is set.
    type: list
    elements: str
  metric_namespace:
    description: The CloudWatch namespace of the metrics (not C(AWS/...)).
    type: str
    default: CloudAudit
  receive_from:
    description:
      - In the account that receives the tampering events of others (the security account), the senders the policy of
        its default event bus lets put events, so that member accounts' rules (O(target_arns) naming this bus) can forward.
      - One statement C(<prefix>-receive-org) lets every account of O(receive_from.organization_id) send
        (C(aws:PrincipalOrgID)); one statement C(<prefix>-receive-<account>) per account of O(receive_from.account_ids).
      - The module owns the statements whose id starts with C(<prefix>-receive-), and removes those it was not asked for;
        other statements of the bus policy are left as they are. Unset leaves the bus policy alone (and does not read it).
        With O(state=absent), any value removes the module's statements.
    type: dict
    suboptions:
      organization_id:
        description: The organization whose accounts may send (C(o-...)).
        type: str
      account_ids:
        description: Accounts that may send, one statement each.
        type: list
        elements: str
notes:
  - A no-op run reads ListRules, DescribeAlarms, DescribeMetricFilters (with O(log_group_name)), ListTargetsByRule for each
    rule and GetTopicAttributes (with O(topic)), and writes nothing; STS only when none of the owned resources exists yet.
  - The rules only see events of the region they are in; global services (IAM, console sign-in) deliver to C(us-east-1).
  - EventBridge receives CloudTrail management events without any trail; the metric filters need a trail delivering to
    O(log_group_name).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Alert on tampering with the trail, its bucket and key, and on CIS 4.5, to a new topic
  cloudaudit.aws.cloudtrail_alerts:
    presets: [trail, bucket, kms]
    trail_names:
      - arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail
    bucket_names: [example-audit-logs]
    topic:
      name: cloudaudit-tamper-alerts
    log_group_name: /aws/cloudtrail/org
  register: alerts  # alerts.topic_arn: subscribe the security team to it

- name: Every preset and every CIS 4.x alarm
  cloudaudit.aws.cloudtrail_alerts:
    presets: [all]
    topic:
      name: cloudaudit-tamper-alerts
    log_group_name: /aws/cloudtrail/org
    cis_metrics: [all]

- name: In a member account, forward the tampering events to the security account's default bus
  cloudaudit.aws.cloudtrail_alerts:
    presets: [all]
    target_arns:
      - arn:aws:events:us-east-1:210987654321:event-bus/default

- name: In the security account, let the organization's accounts forward to its default bus, and alert on what arrives
  cloudaudit.aws.cloudtrail_alerts:
    presets: [all]
    topic:
      name: cloudaudit-tamper-alerts
    receive_from:
      organization_id: o-exampleorgid

- name: Remove the rules, filters, alarms and the topic this module created
  cloudaudit.aws.cloudtrail_alerts:
    state: absent
    topic:
      name: cloudaudit-tamper-alerts
    log_group_name: /aws/cloudtrail/org
"""

RETURN = r"""
rules:
  description: The rules after the run (predicted in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    name: {description: Rule name., type: str, returned: always}
    arn: {description: Rule ARN., type: str, returned: always}
    event_names: {description: The event names it matches., type: list, elements: str, returned: always}
    event_pattern: {description: The event pattern., type: dict, returned: always}
    state: {description: C(ENABLED)., type: str, returned: always}
    targets: {description: ARNs of its targets., type: list, elements: str, returned: always}
topic_arn:
  description: ARN of the topic (O(topic)); null without it or after O(state=absent).
  returned: always
  type: str
  sample: arn:aws:sns:us-east-1:123456789012:cloudaudit-tamper-alerts
metric_filters:
  description: The metric filters after the run.
  returned: always
  type: list
  elements: dict
  contains:
    name: {description: Filter name (also the metric name)., type: str, returned: always}
    log_group_name: {description: The log group., type: str, returned: always}
    pattern: {description: The CIS filter pattern., type: str, returned: always}
    metric_name: {description: Metric name., type: str, returned: always}
    metric_namespace: {description: Metric namespace., type: str, returned: always}
alarms:
  description: The alarms after the run.
  returned: always
  type: list
  elements: dict
  contains:
    name: {description: Alarm name., type: str, returned: always}
    arn: {description: Alarm ARN., type: str, returned: always}
    metric_name: {description: The metric it watches., type: str, returned: always}
    actions: {description: The SNS topics it notifies., type: list, elements: str, returned: always}
receivers:
  description: The default bus policy statements the module owns after the run (with O(receive_from); empty without it).
  returned: always
  type: list
  elements: dict
  contains:
    statement_id: {description: The statement id (C(<prefix>-receive-...))., type: str, returned: always}
    principal: {description: "The account that may send, or C(*) for the organization's accounts.", type: str, returned: always}
    organization_id: {description: The organization of the C(*) statement; null for an account's., type: str, returned: always}
changes:
  description:
    - The changes made (or that would be made in check mode), in order; the C(setting) of each is the path of the resource in the
      diff (C(rules.<name>), C(rules.<name>.targets), C(metric_filters.<name>), C(alarms.<name>), C(topic), C(topic.policy), C(topic.kms_key_id),
      C(event_bus.receivers.<statement id>)).
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "rules.cloudaudit-tamper-trail", "action": "update", "before": {"state": "DISABLED"}, "after": {"state": "ENABLED"}}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts.catalog import DEFAULT_NAMESPACE, DEFAULT_PREFIX
from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts.ensure import ensure
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run


def argument_spec() -> dict:
    names = dict(type="list", elements="str")
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        prefix=dict(type="str", default=DEFAULT_PREFIX),
        presets=dict(type="list", elements="str", choices=["trail", "bucket", "kms", "lake", "all"], default=["trail"]),
        event_names=dict(names),
        trail_names=dict(names),
        bucket_names=dict(names),
        kms_key_ids=dict(names, no_log=False),
        event_data_store_arns=dict(names),
        topic=dict(type="dict", options=dict(name=dict(type="str", required=True), kms_key_id=dict(type="str"))),
        target_arns=dict(names),
        target_role_arn=dict(type="str"),
        log_group_name=dict(type="str"),
        cis_metrics=dict(names),
        metric_namespace=dict(type="str", default=DEFAULT_NAMESPACE),
        receive_from=dict(type="dict", options=dict(organization_id=dict(type="str"), account_ids=dict(names))),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
