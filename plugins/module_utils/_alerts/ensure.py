# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_alerts through the pipeline: one Resource for both states (absent = every owned name unwanted).

Reads, only of what the module owns: ListRules and DescribeAlarms by the name prefix and
DescribeMetricFilters of the log group (concurrently), whose ARNs give the partition and account
(STS only when none exists yet); then ListTargetsByRule of each existing owned rule and
GetTopicAttributes of the named topic, DescribeEventBus of the default bus when receive_from is
set; for state=absent also the topic's tags (only this module's topic, tagged at creation, is deleted).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from .._aws import cloudwatch as aws_cloudwatch
from .._aws import events as aws_events
from .._aws import logs as aws_logs
from .._aws import sns as aws_sns
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, run_state
from . import compare as alerts_compare
from . import model


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": Alerts, "absent": Alerts})


class Alerts(Resource):
    """The rules, their targets, the topic, the metric filters and alarms of one name prefix."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.prefix = f"{ctx.params['prefix']}-"
        self._found: dict[str, Any] = {}
        self._topic_arn = ""

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        params = self.ctx.params
        reads: dict[str, Callable[[], Any]] = {
            "rules": lambda: aws_events.list_rules(self.ctx.client("events"), self.prefix),
            "alarms": lambda: aws_cloudwatch.describe_alarms(self.ctx.client("cloudwatch"), self.prefix),
        }
        if params.get("log_group_name") is not None:
            reads["filters"] = lambda: aws_logs.describe_metric_filters(self.ctx.client("logs"), params["log_group_name"], self.prefix)
        found = read_concurrently(reads)
        self._found = {
            "rules": {r["Name"]: r for r in found["rules"] if r["Name"] in model.owned_rule_names(params["prefix"])},
            "alarms": {a["AlarmName"]: a for a in found["alarms"] if a["AlarmName"] in model.owned_metric_names(params["prefix"])},
            "filters": {f["filterName"]: f for f in found.get("filters") or [] if f["filterName"] in model.owned_metric_names(params["prefix"])},
        }
        arns = [r["Arn"] for r in self._found["rules"].values()] + [a["AlarmArn"] for a in self._found["alarms"].values()]
        if arns:
            parts = arns[0].split(":")
            partition, account_id = parts[1], parts[4]
        else:
            identity = self.ctx.identity()
            partition, account_id = identity["partition"], identity["account_id"]
        desired = model.desired_state(params, partition, self.ctx.region, account_id)
        self._topic_arn = desired["topic"]["arn"] if desired["topic"] else ""
        return desired

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        events = self.ctx.client("events")
        reads: dict[str, Callable[[], Any]] = {f"targets:{n}": (lambda n=n: aws_events.list_targets_by_rule(events, n)) for n in self._found["rules"]}
        topic = desired["topic"]
        if topic:
            reads["topic"] = lambda: aws_sns.get_topic_attributes(self.ctx.client("sns"), topic["arn"])
        if "receivers" in desired:
            reads["bus_policy"] = lambda: aws_events.describe_default_bus_policy(events)
        found = read_concurrently(reads)
        tags = None
        if topic and found.get("topic") is not None and not desired["present"]:
            tags = aws_sns.list_tags_for_resource(self.ctx.client("sns"), topic["arn"]) or {}
        current = {
            "rules": {n: alerts_compare.current_rule(r, found[f"targets:{n}"]) for n, r in self._found["rules"].items()},
            "topic": alerts_compare.current_topic(topic["arn"], topic["name"], found.get("topic"), tags) if topic else None,
            "metric_filters": {n: alerts_compare.current_filter(f) for n, f in self._found["filters"].items()},
            "alarms": {n: alerts_compare.current_alarm(a) for n, a in self._found["alarms"].items()},
        }
        if "receivers" in desired:
            current["receivers"] = alerts_compare.current_receivers(found.get("bus_policy"), self.ctx.params["prefix"])
        return current

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        return alerts_compare.compare(desired, current)

    def write(self, change: Change) -> None:
        getattr(self, f"_write_{change.details['kind']}")(change)

    def _write_topic(self, change: Change) -> None:
        sns = self.ctx.client("sns")
        if change.action == "delete":
            aws_sns.delete_topic(sns, change.details["arn"])
            return
        kms = change.details.get("kms_key_id")
        aws_sns.create_topic(sns, change.after["name"], {"KmsMasterKeyId": kms} if kms else {}, model.CREATED_BY_TAG)

    def _write_topic_policy(self, change: Change) -> None:
        aws_sns.set_topic_attribute(self.ctx.client("sns"), self._topic_arn, "Policy", change.after)

    def _write_topic_kms_key_id(self, change: Change) -> None:
        aws_sns.set_topic_attribute(self.ctx.client("sns"), self._topic_arn, "KmsMasterKeyId", change.after or "")

    def _write_rule(self, change: Change) -> None:
        events, name = self.ctx.client("events"), change.details["name"]
        if change.action == "delete":
            if change.details["target_ids"]:
                aws_events.remove_targets(events, name, list(change.details["target_ids"]))
            aws_events.delete_rule(events, name)
            return
        after = change.after
        aws_events.put_rule(events, name, json.dumps(after["event_pattern"]), after["state"], after["description"])

    def _write_rule_targets(self, change: Change) -> None:
        events, name = self.ctx.client("events"), change.details["name"]
        if change.details["remove"]:
            aws_events.remove_targets(events, name, list(change.details["remove"]))
        if change.details["put"]:
            answer = aws_events.put_targets(events, name, [dict(t) for t in change.details["put"]])
            if answer.get("FailedEntryCount"):
                raise CloudAuditError(f"EventBridge refused targets of rule {name}: {answer.get('FailedEntries')}", "target_arns")

    def _write_receiver(self, change: Change) -> None:
        events, sid = self.ctx.client("events"), change.details["sid"]
        if change.action == "delete":
            aws_events.remove_permission(events, sid)
            return
        organization = change.after["organization_id"]
        condition = {"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": organization} if organization else None
        aws_events.put_permission(events, sid, change.after["principal"], condition)

    def _write_metric_filter(self, change: Change) -> None:
        logs, name = self.ctx.client("logs"), change.details["name"]
        if change.action == "delete":
            aws_logs.delete_metric_filter(logs, change.details["log_group_name"] or self.ctx.params["log_group_name"], name)
            return
        want = change.details["desired"]
        transformation = {"metricName": want["metric_name"], "metricNamespace": want["namespace"], "metricValue": want["metric_value"]}
        aws_logs.put_metric_filter(logs, want["log_group_name"], name, want["pattern"], [transformation])

    def _write_alarm(self, change: Change) -> None:
        cloudwatch, name = self.ctx.client("cloudwatch"), change.details["name"]
        if change.action == "delete":
            aws_cloudwatch.delete_alarms(cloudwatch, [name])
            return
        want = change.details["desired"]
        alarm = {k: want[k] for k in model.ALARM_SETTINGS}
        alarm.update(
            AlarmName=name,
            AlarmDescription=want["description"],
            AlarmActions=list(want["actions"]),
            MetricName=want["metric_name"],
            Namespace=want["namespace"],
        )
        aws_cloudwatch.put_metric_alarm(cloudwatch, alarm)

    def after(self, desired: dict[str, Any], current: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
        return alerts_compare.predicted(desired, current)

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return alerts_compare.view(state)

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return alerts_compare.result(after)
