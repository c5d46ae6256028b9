# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure part of cloudtrail_alerts after the desired state: AWS answers normalised, compare, predicted state, views.

The changes come in the order they can be applied: the topic (so targets and alarms can point at
it), rules and their targets, metric filters, alarms; deletions the other way round (alarms first,
the topic last).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from .._common.changes import Change
from .._common.policy import load_policy, policies_equal
from .model import ALARM_SETTINGS, CREATED_BY_TAG


def canonical_pattern(pattern: Any) -> Any:
    """An event pattern with its value lists sorted, so two patterns compare as documents."""
    if isinstance(pattern, dict):
        return {k: canonical_pattern(v) for k, v in sorted(pattern.items())}
    if isinstance(pattern, list):
        items = [canonical_pattern(v) for v in pattern]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return pattern


# --- current state -----------------------------------------------------------


def current_rule(rule: Mapping[str, Any], targets: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {
        "name": rule["Name"],
        "arn": rule["Arn"],
        "event_pattern": json.loads(rule["EventPattern"]) if rule.get("EventPattern") else None,
        "state": rule.get("State"),
        "description": rule.get("Description"),
        "targets": {t["Id"]: {k: t[k] for k in ("Id", "Arn", "RoleArn") if t.get(k)} for t in targets or []},
    }


def current_topic(arn: str, name: str, attributes: Mapping[str, str] | None, tags: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The topic (tags: read only for state=absent, to know whether this module created it)."""
    if attributes is None:
        return None
    topic = {"name": name, "arn": arn, "policy": load_policy(attributes.get("Policy")), "kms_key_id": attributes.get("KmsMasterKeyId") or None}
    if tags is not None:
        topic["created_by_us"] = all(tags.get(k) == v for k, v in CREATED_BY_TAG.items())
    return topic


def current_filter(aws: Mapping[str, Any]) -> dict[str, Any]:
    transformation = (aws.get("metricTransformations") or [{}])[0]
    return {
        "name": aws["filterName"],
        "log_group_name": aws.get("logGroupName"),
        "pattern": aws.get("filterPattern"),
        "metric_name": transformation.get("metricName"),
        "namespace": transformation.get("metricNamespace"),
        "metric_value": transformation.get("metricValue"),
    }


def current_alarm(aws: Mapping[str, Any]) -> dict[str, Any]:
    alarm = {k: aws.get(k) for k in ALARM_SETTINGS}
    alarm.update(
        name=aws["AlarmName"],
        arn=aws.get("AlarmArn"),
        metric_name=aws.get("MetricName"),
        namespace=aws.get("Namespace"),
        actions=sorted(aws.get("AlarmActions") or []),
        description=aws.get("AlarmDescription"),
    )
    if alarm.get("Threshold") is not None:
        alarm["Threshold"] = float(alarm["Threshold"])
    return alarm


def current_receivers(policy: Mapping[str, Any] | None, prefix: str) -> dict[str, dict[str, Any]]:
    """The default bus statements the module owns (Sid <prefix>-receive-...), as desired_receivers describes them."""
    owned: dict[str, dict[str, Any]] = {}
    for statement in (policy or {}).get("Statement") or []:
        sid = str(statement.get("Sid") or "")
        if not sid.startswith(f"{prefix}-receive-"):
            continue
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            principal = str(principal.get("AWS") or "")
            principal = principal.split(":")[4] if principal.startswith("arn:") else principal
        organization = ((statement.get("Condition") or {}).get("StringEquals") or {}).get("aws:PrincipalOrgID")
        owned[sid] = {"principal": principal, "organization_id": organization}
    return owned


def created_by_us(topic: Mapping[str, Any] | None) -> bool:
    """A topic this module made carries its tag (CREATED_BY_TAG)."""
    return bool(topic and topic.get("created_by_us"))


# --- compare -----------------------------------------------------------------

# Where each kind of change shows in the diff (and in the drift report): its path in view().
_PATHS = {
    "rule": "rules.{}",
    "rule_targets": "rules.{}.targets",
    "metric_filter": "metric_filters.{}",
    "alarm": "alarms.{}",
    "topic": "topic",
    "topic_policy": "topic.policy",
    "topic_kms_key_id": "topic.kms_key_id",
    "receiver": "event_bus.receivers.{}",
}


def _change(kind: str, name: str, before: Any, after: Any, action: str = "update", **details: Any) -> Change:
    """A change named by its path in the diff; details["kind"] picks the writer."""
    return Change(_PATHS[kind].format(name), before, after, action, {"kind": kind, "name": name, **details})


def _rule_settings(rule: Mapping[str, Any]) -> dict[str, Any]:
    return {"event_pattern": canonical_pattern(rule["event_pattern"]), "state": rule["state"], "description": rule["description"]}


def _alarm_settings(alarm: Mapping[str, Any]) -> dict[str, Any]:
    return {k: alarm[k] for k in ALARM_SETTINGS + ("metric_name", "namespace", "actions", "description")}


def _filter_settings(metric_filter: Mapping[str, Any]) -> dict[str, Any]:
    return {k: metric_filter[k] for k in ("pattern", "metric_name", "namespace", "metric_value")}


def compare(desired: Mapping[str, Any], current: Mapping[str, Any]) -> list[Change]:
    """The ordered changes from current to desired (see the module docstring for the order)."""
    creates: list[Change] = []
    deletes: list[Change] = []
    topic = _topic_changes(desired, current)
    creates += [c for c in topic if c.action != "delete"]
    for name, want in desired["rules"].items():
        have = current["rules"].get(name)
        if want is None:
            if have is not None:
                deletes.append(_change("rule", name, rule_view(have), None, "delete", target_ids=sorted(have["targets"])))
            continue
        if have is None or _rule_settings(have) != _rule_settings(want):
            creates.append(_change("rule", name, rule_view(have) if have else None, rule_view(want), "update" if have else "create"))
        have_targets = have["targets"] if have else {}
        put = [t for i, t in sorted(want["targets"].items()) if have_targets.get(i) != t]
        remove = sorted(set(have_targets) - set(want["targets"]))
        if put or remove:
            before = sorted(t["Arn"] for t in have_targets.values()) if have else None
            after = sorted(t["Arn"] for t in want["targets"].values())
            creates.append(_change("rule_targets", name, before, after, "update" if have else "create", put=put, remove=remove))
    for kind, settings in (("metric_filter", _filter_settings), ("alarm", _alarm_settings)):
        plural = f"{kind}s" if kind == "alarm" else "metric_filters"
        for name, want in desired[plural].items():
            have = current[plural].get(name)
            if want is None:
                if have is not None:
                    deletes.append(_change(kind, name, settings(have), None, "delete", log_group_name=have.get("log_group_name")))
            elif have is None or settings(have) != settings(want):
                creates.append(_change(kind, name, settings(have) if have else None, settings(want), "update" if have else "create", desired=want))
    if "receivers" in desired:  # managed only with receive_from (current then holds the module's statements)
        for sid, want in desired["receivers"].items():
            have = current["receivers"].get(sid)
            if have != want:
                creates.append(_change("receiver", sid, have, want, "update" if have else "create", sid=sid))
        deletes += [
            _change("receiver", sid, have, None, "delete", sid=sid) for sid, have in sorted(current["receivers"].items()) if sid not in desired["receivers"]
        ]
    deletes.sort(key=lambda c: ("alarm", "metric_filter", "rule", "receiver").index(c.details["kind"]))
    return creates + deletes + [c for c in topic if c.action == "delete"]


def _topic_changes(desired: Mapping[str, Any], current: Mapping[str, Any]) -> list[Change]:
    want, have = desired["topic"], current["topic"]
    if want is None:
        return []
    if not desired["present"]:
        if created_by_us(have):
            return [_change("topic", have["name"], topic_view(have), None, "delete", arn=have["arn"])]
        return []
    changes: list[Change] = []
    if have is None:
        changes.append(_change("topic", want["name"], None, {"name": want["name"]}, "create", kms_key_id=want.get("kms_key_id")))
        changes.append(_change("topic_policy", want["name"], None, want["policy"], "create"))
        return changes
    if not policies_equal(have["policy"], want["policy"]) or (have["policy"] or {}).get("Id") != want["policy"]["Id"]:
        changes.append(_change("topic_policy", want["name"], have["policy"], want["policy"]))
    if "kms_key_id" in want and want["kms_key_id"] != have["kms_key_id"]:
        action = "delete" if want["kms_key_id"] is None else "update"
        changes.append(_change("topic_kms_key_id", want["name"], have["kms_key_id"], want["kms_key_id"], action))
    return changes


# --- predicted state and views ----------------------------------------------


def predicted(desired: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The state after the run: what is desired, with the ARNs AWS gave to what exists."""
    receivers = {"receivers": desired["receivers"]} if "receivers" in desired else {}
    if not desired["present"]:
        topic = current["topic"] if current["topic"] and not created_by_us(current["topic"]) else None
        return {"rules": {}, "topic": topic, "metric_filters": {}, "alarms": {}, **receivers}
    topic = None
    if desired["topic"]:
        topic = dict(current["topic"] or {}, **desired["topic"])
        topic.setdefault("kms_key_id", None)
    return {
        "rules": {n: r for n, r in desired["rules"].items() if r},
        "topic": topic,
        "metric_filters": {n: f for n, f in desired["metric_filters"].items() if f},
        "alarms": {n: a for n, a in desired["alarms"].items() if a},
        **receivers,
    }


def rule_view(rule: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": rule["name"], **_rule_settings(rule), "targets": sorted(t["Arn"] for t in rule["targets"].values())}


def topic_view(topic: Mapping[str, Any]) -> dict[str, Any]:
    return {k: topic.get(k) for k in ("name", "arn", "policy", "kms_key_id")}


def view(state: Mapping[str, Any] | None) -> dict[str, Any]:
    """The managed settings of a state, as the diff shows them."""
    if not state:
        return {}
    return {
        "rules": {n: rule_view(r) for n, r in sorted(state["rules"].items()) if r},
        "topic": topic_view(state["topic"]) if state.get("topic") else None,
        "metric_filters": {n: _filter_settings(f) for n, f in sorted(state["metric_filters"].items()) if f},
        "alarms": {n: _alarm_settings(a) for n, a in sorted(state["alarms"].items()) if a},
        **({"event_bus": {"receivers": dict(sorted(state["receivers"].items()))}} if "receivers" in state else {}),
    }


def _rule_result(rule: Mapping[str, Any]) -> dict[str, Any]:
    event_names = rule.get("event_names") or (rule["event_pattern"] or {}).get("detail", {}).get("eventName", [])
    targets = sorted(t["Arn"] for t in rule["targets"].values())
    returned = {k: rule[k] for k in ("name", "arn")}
    returned.update(event_names=event_names, event_pattern=rule["event_pattern"], state=rule["state"], targets=targets)
    return returned


def _filter_result(metric_filter: Mapping[str, Any]) -> dict[str, Any]:
    returned = {k: metric_filter[k] for k in ("name", "log_group_name", "pattern", "metric_name")}
    returned["metric_namespace"] = metric_filter["namespace"]
    return returned


def result(state: Mapping[str, Any]) -> dict[str, Any]:
    """The module's return values."""
    return {
        "rules": [_rule_result(state["rules"][name]) for name in sorted(state["rules"])],
        "topic_arn": state["topic"]["arn"] if state.get("topic") else None,
        "metric_filters": [_filter_result(state["metric_filters"][name]) for name in sorted(state["metric_filters"])],
        "alarms": [{k: state["alarms"][name][k] for k in ("name", "arn", "metric_name", "actions")} for name in sorted(state["alarms"])],
        "receivers": [{"statement_id": sid, **r} for sid, r in sorted((state.get("receivers") or {}).items())],
    }
