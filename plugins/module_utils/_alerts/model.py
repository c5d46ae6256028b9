# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure model of cloudtrail_alerts: validation, desired and current state, compare, views.

No boto3 here. Every name the module may own (one rule per preset and the custom rule, one metric
filter and one alarm per CIS metric, all "<prefix>-<name>") is a key of the desired state; the value
None means "must not exist", so a preset or metric taken out of the task is removed, and state=absent
is the same desired state with every value None.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.partition import partition_of
from .._common.validate import ACCOUNT_ID_RE, ORG_ID_RE, check_arn, check_choice
from . import catalog

PREFIX_RE = re.compile(r"^[A-Za-z0-9._-]{1,48}$")
TOPIC_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TRAIL_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$")
BUCKET_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KEY_ID_RE = re.compile(r"^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
LOG_GROUP_NAME_RE = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
NAMESPACE_RE = re.compile(r"^[^:$]{1,255}$")
TARGET_KINDS = {"sns": "", "sqs": "", "lambda": "function:", "events": "event-bus/"}
TOPIC_POLICY_ID = "cloudaudit.aws/cloudtrail_alerts"
# The tag a topic this module created carries (state=absent deletes only such a topic).
CREATED_BY_TAG = {"cloudaudit:created-by": "cloudaudit.aws/cloudtrail_alerts"}
ALARM_SETTINGS = tuple(catalog.ALARM)


# --- validation (before any AWS call) ---------------------------------------


def validate(params: Mapping[str, Any], region: str | None) -> None:
    """Fail, naming the option, on any value AWS would refuse or that makes no sense."""
    partition = partition_of(region)
    if not PREFIX_RE.fullmatch(params.get("prefix") or ""):
        raise CloudAuditError(f"'{params.get('prefix')}' is not a name prefix (1-48 of A-Z a-z 0-9 . _ -)", "prefix")
    topic = params.get("topic") or {}
    if params.get("topic") is not None and not TOPIC_NAME_RE.fullmatch(topic.get("name") or ""):
        raise CloudAuditError(f"'{topic.get('name')}' is not an SNS topic name (1-256 of A-Z a-z 0-9 _ -)", "topic.name")
    if topic.get("kms_key_id") and topic["kms_key_id"].startswith("arn:"):
        _check_arn_in(topic["kms_key_id"], "topic.kms_key_id", partition, "kms")
    log_group = params.get("log_group_name")
    if log_group is not None and not LOG_GROUP_NAME_RE.fullmatch(log_group):
        raise CloudAuditError(f"'{log_group}' is not a log group name (1-512 of A-Z a-z 0-9 . - _ / #)", "log_group_name")
    receive = params.get("receive_from")
    if receive is not None and params.get("state") != "absent":
        organization, accounts = receive.get("organization_id"), receive.get("account_ids") or []
        if not organization and not accounts:
            raise CloudAuditError("name who may send events to the default bus: organization_id and/or account_ids", "receive_from")
        if organization and not ORG_ID_RE.fullmatch(organization):
            raise CloudAuditError(f"'{organization}' is not an organization id (o- and 10-32 lowercase letters or digits)", "receive_from.organization_id")
        for account in accounts:
            if not ACCOUNT_ID_RE.fullmatch(account or ""):
                raise CloudAuditError(f"'{account}' is not an account id (12 digits)", "receive_from.account_ids")
    if params.get("state") == "absent":
        return
    presets = params.get("presets") or []
    for preset in presets:
        check_choice(preset, "presets", list(catalog.PRESETS) + [catalog.ALL])
    for name in params.get("event_names") or []:
        if not catalog.EVENT_NAME_RE.fullmatch(name or ""):
            raise CloudAuditError(f"'{name}' is not an API event name as CloudTrail records it (such as StopLogging)", "event_names")
    chosen = selected_presets(presets)
    for preset, narrowing in catalog.RESOURCE_FILTERS.items():
        values = params.get(narrowing["option"]) or []
        if values and preset not in chosen:
            raise CloudAuditError(f"narrows the {preset} rule: add {preset} (or all) to presets", narrowing["option"])
        for value in values:
            _check_resource(value, narrowing, partition)
    for arn in params.get("target_arns") or []:
        match = _check_arn_in(arn, "target_arns", partition)
        prefix = TARGET_KINDS.get(match.group(2))
        if prefix is None or not match.group(5).startswith(prefix):
            raise CloudAuditError(f"'{arn}' is not an SNS topic, SQS queue, Lambda function or event bus ARN", "target_arns")
    role = params.get("target_role_arn")
    if role:
        _check_arn_in(role, "target_role_arn", partition, "iam", "role/")
        if not any(":events:" in arn for arn in params.get("target_arns") or []):
            raise CloudAuditError("only applies to event bus targets: add an event bus ARN to target_arns", "target_role_arn")
    metrics = params.get("cis_metrics")
    for metric in metrics or []:
        check_choice(metric, "cis_metrics", list(catalog.CIS_METRICS) + [catalog.ALL])
    if metrics and log_group is None:
        raise CloudAuditError("the metric filters need the trail's log group: set log_group_name", "cis_metrics")
    if not NAMESPACE_RE.fullmatch(params.get("metric_namespace") or "") or params["metric_namespace"].startswith("AWS/"):
        namespace = params.get("metric_namespace")
        raise CloudAuditError(f"'{namespace}' is not a custom metric namespace (1-255 characters, no ':' or '$', not AWS/)", "metric_namespace")
    if params.get("topic") is not None and not (chosen or params.get("event_names") or selected_metrics(params)):
        raise CloudAuditError("nothing would publish to the topic: ask for presets, event_names or cis_metrics", "topic")
    if (chosen or params.get("event_names")) and not (params.get("topic") or params.get("target_arns")):
        raise CloudAuditError("the rules need somewhere to send events: set topic or target_arns", "topic")
    if selected_metrics(params) and not (params.get("topic") or sns_targets(params)):
        raise CloudAuditError("the CIS alarms notify an SNS topic: set topic or an SNS topic ARN in target_arns", "cis_metrics")


def _check_arn_in(arn: str, option: str, partition: str, service: str | None = None, prefix: str | None = None) -> re.Match:
    match = check_arn(arn, option, service=service, resource_prefix=prefix)
    if match.group(1) != partition:
        raise CloudAuditError(f"'{arn}' is in the {match.group(1)} partition, the region is in {partition}", option)
    return match


def _check_resource(value: str, narrowing: Mapping[str, Any], partition: str) -> None:
    option = narrowing["option"]
    if value.startswith("arn:") and narrowing.get("arn_service"):
        _check_arn_in(value, option, partition, narrowing["arn_service"], narrowing["arn_prefix"])
    elif option == "trail_names" and not TRAIL_NAME_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is neither a trail ARN nor a trail name", option)
    elif option == "bucket_names" and not BUCKET_NAME_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is not an S3 bucket name", option)
    elif option == "kms_key_ids" and not KEY_ID_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is neither a KMS key ARN nor a key id", option)
    elif option == "event_data_store_arns" and not value.startswith("arn:"):
        raise CloudAuditError(f"'{value}' is not an event data store ARN", option)


# --- selections --------------------------------------------------------------


def selected_presets(presets: list[str] | None) -> list[str]:
    """The presets a task asks for, in catalog order (all = every preset)."""
    asked = set(presets or [])
    return [p for p in catalog.PRESETS if catalog.ALL in asked or p in asked]


def selected_metrics(params: Mapping[str, Any]) -> list[str]:
    """The CIS metrics a task asks for (default: CloudTrail changes, when a log group is given)."""
    if params.get("log_group_name") is None:
        return []
    asked = params.get("cis_metrics")
    asked = set(catalog.DEFAULT_CIS_METRICS if asked is None else asked)
    return [m for m in catalog.CIS_METRICS if catalog.ALL in asked or m in asked]


def sns_targets(params: Mapping[str, Any]) -> list[str]:
    return [arn for arn in params.get("target_arns") or [] if arn.split(":")[2] == "sns"]


def owned_rule_names(prefix: str) -> list[str]:
    return [f"{prefix}-{name}" for name in list(catalog.PRESETS) + [catalog.CUSTOM_RULE]]


def owned_metric_names(prefix: str) -> list[str]:
    return [f"{prefix}-{name}" for name in catalog.CIS_METRICS]


# --- desired state -----------------------------------------------------------


def _resource_values(value: str) -> list[str]:
    """What requestParameters may hold for a named resource: the ARN and the name or id it ends with."""
    if not value.startswith("arn:"):
        return [value]
    return [value, value.split(":", 5)[5].split("/", 1)[-1]]


def event_pattern(params: Mapping[str, Any], preset: str) -> dict[str, Any]:
    """The EventBridge pattern of a preset's rule (or of the custom rule), narrowed to named resources."""
    detail: dict[str, Any] = {}
    pattern: dict[str, Any] = {"detail-type": [catalog.DETAIL_TYPE], "detail": detail}
    if preset == catalog.CUSTOM_RULE:
        detail["eventName"] = sorted(set(params["event_names"]))
        return pattern
    spec = catalog.PRESETS[preset]
    pattern["source"] = [spec["source"]]
    detail["eventSource"] = [spec["event_source"]]
    detail["eventName"] = list(spec["event_names"])
    narrowing = catalog.RESOURCE_FILTERS[preset]
    values = sorted({v for given in params.get(narrowing["option"]) or [] for v in _resource_values(given)})
    if values:
        fields = narrowing["fields"]
        if len(fields) == 1:
            detail["requestParameters"] = {fields[0]: values}
        else:
            detail["$or"] = [{"requestParameters": {f: values}} for f in fields]
    return pattern


def target_id(arn: str) -> str:
    """A stable target id for an ARN (EventBridge ids: 1-64 of A-Z a-z 0-9 . _ -)."""
    return "cloudaudit-" + hashlib.sha256(arn.encode()).hexdigest()[:16]


def desired_targets(params: Mapping[str, Any], topic_arn: str | None) -> dict[str, dict[str, Any]]:
    targets: dict[str, dict[str, Any]] = {}
    if topic_arn:
        targets["cloudaudit-topic"] = {"Id": "cloudaudit-topic", "Arn": topic_arn}
    for arn in params.get("target_arns") or []:
        target = {"Id": target_id(arn), "Arn": arn}
        if params.get("target_role_arn") and arn.split(":")[2] == "events":
            target["RoleArn"] = params["target_role_arn"]
        targets[target["Id"]] = target
    return targets


def receiver_sid(prefix: str, who: str) -> str:
    """The default bus policy statement the module owns for one sender: <prefix>-receive-org or <prefix>-receive-<account>."""
    return f"{prefix}-receive-{who}"


def desired_receivers(params: Mapping[str, Any]) -> dict[str, dict[str, Any]] | None:
    """The default bus statements letting other accounts send events (None: receive_from unset, the policy is left alone)."""
    receive = params.get("receive_from")
    if receive is None:
        return None
    if params.get("state") == "absent":
        return {}
    wanted: dict[str, dict[str, Any]] = {}
    if receive.get("organization_id"):
        wanted[receiver_sid(params["prefix"], "org")] = {"principal": "*", "organization_id": receive["organization_id"]}
    for account in sorted(set(receive.get("account_ids") or [])):
        wanted[receiver_sid(params["prefix"], account)] = {"principal": account, "organization_id": None}
    return wanted


def desired_state(params: Mapping[str, Any], partition: str, region: str, account_id: str) -> dict[str, Any]:
    """Every owned name -> its desired settings (None: must not exist); the topic when the task names one."""
    prefix = params["prefix"]
    present = params.get("state") != "absent"
    topic_params = params.get("topic")
    topic_arn = f"arn:{partition}:sns:{region}:{account_id}:{topic_params['name']}" if topic_params else None
    wanted_rules = set(selected_presets(params.get("presets"))) if present else set()
    if present and params.get("event_names"):
        wanted_rules.add(catalog.CUSTOM_RULE)
    targets = desired_targets(params, topic_arn)
    rules: dict[str, Any] = {}
    for name in list(catalog.PRESETS) + [catalog.CUSTOM_RULE]:
        full = f"{prefix}-{name}"
        rules[full] = None
        if name in wanted_rules:
            pattern = event_pattern(params, name)
            rules[full] = {
                "name": full,
                "arn": f"arn:{partition}:events:{region}:{account_id}:rule/{full}",
                "event_pattern": pattern,
                "event_names": pattern["detail"]["eventName"],
                "state": "ENABLED",
                "description": f"CloudTrail tampering alert ({name}), {catalog.MANAGED_BY}",
                "targets": targets,
            }
    # Without log_group_name a present task leaves metric filters and alarms alone; absent removes its alarms
    # (and its filters, which live in a log group, when log_group_name names it).
    manage_alarms = not present or params.get("log_group_name") is not None
    manage_filters = params.get("log_group_name") is not None
    metrics = set(selected_metrics(params)) if present else set()
    actions = sorted(([topic_arn] if topic_arn else []) + sns_targets(params))
    filters: dict[str, Any] = {}
    alarms: dict[str, Any] = {}
    for name, spec in catalog.CIS_METRICS.items():
        full = f"{prefix}-{name}"
        if manage_filters:
            filters[full] = None
        if manage_alarms:
            alarms[full] = None
        if name in metrics:
            filters[full] = {
                "name": full,
                "log_group_name": params["log_group_name"],
                "pattern": spec["pattern"],
                "metric_name": full,
                "namespace": params["metric_namespace"],
                "metric_value": catalog.METRIC_VALUE,
            }
            alarms[full] = dict(
                catalog.ALARM,
                name=full,
                arn=f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{full}",
                metric_name=full,
                namespace=params["metric_namespace"],
                actions=actions,
                description=f"CIS {spec['cis']}: {spec['title']}, {catalog.MANAGED_BY}",
            )
    topic = None
    if topic_params:
        topic = {"name": topic_params["name"], "arn": topic_arn}
        if present:
            topic["policy"] = topic_policy(topic_arn, [r["arn"] for r in rules.values() if r], partition, region, account_id, prefix, bool(metrics))
            if topic_params.get("kms_key_id") is not None:
                topic["kms_key_id"] = topic_params["kms_key_id"] or None
    desired = {"rules": rules, "topic": topic, "metric_filters": filters, "alarms": alarms, "present": present}
    receivers = desired_receivers(params)
    if receivers is not None:
        desired["receivers"] = receivers
    return desired


def topic_policy(topic_arn: str, rule_arns: list[str], partition: str, region: str, account_id: str, prefix: str, alarms: bool) -> dict[str, Any]:
    """Only these rules (EventBridge) and this account's alarms of the prefix (CloudWatch) may publish."""
    statements = []
    if rule_arns:
        statements.append(
            {
                "Sid": "EventBridgeRules",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": sorted(rule_arns)}},
            }
        )
    if alarms:
        statements.append(
            {
                "Sid": "CloudWatchAlarms",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{prefix}-*"},
                    "StringEquals": {"aws:SourceAccount": account_id},
                },
            }
        )
    return {"Version": "2012-10-17", "Id": TOPIC_POLICY_ID, "Statement": statements}
