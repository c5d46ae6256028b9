"""Pure model of cloudtrail_alerts: validation, event patterns, desired state, compare, catalog."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts import catalog
from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts import compare as alerts_compare
from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts import model
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError

ACCOUNT = "111122223333"


def params(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "state": "present",
        "prefix": "cloudaudit-tamper",
        "presets": ["trail"],
        "event_names": None,
        "trail_names": None,
        "bucket_names": None,
        "kms_key_ids": None,
        "event_data_store_arns": None,
        "topic": {"name": "alerts", "kms_key_id": None},
        "target_arns": None,
        "target_role_arn": None,
        "log_group_name": None,
        "cis_metrics": None,
        "metric_namespace": "CloudAudit",
    }
    base.update(overrides)
    return base


def desired(**overrides: Any) -> dict[str, Any]:
    return model.desired_state(params(**overrides), "aws", "us-east-1", ACCOUNT)


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"prefix": "bad prefix"}, "prefix"),
        ({"presets": ["s3"]}, "presets"),
        ({"event_names": ["stop-logging"]}, "event_names"),
        ({"bucket_names": ["audit"]}, "bucket_names"),
        ({"presets": ["bucket"], "bucket_names": ["Audit_Bucket"]}, "bucket_names"),
        ({"trail_names": ["arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/t"]}, "trail_names"),
        ({"trail_names": ["arn:aws:s3:::bucket"]}, "trail_names"),
        ({"presets": ["kms"], "kms_key_ids": ["alias/x"]}, "kms_key_ids"),
        ({"presets": ["lake"], "event_data_store_arns": ["store"]}, "event_data_store_arns"),
        ({"target_arns": ["arn:aws:s3:::bucket"]}, "target_arns"),
        ({"target_arns": ["arn:aws:lambda:us-east-1:111122223333:layer:x"]}, "target_arns"),
        ({"target_role_arn": "arn:aws:iam::111122223333:role/r"}, "target_role_arn"),
        ({"topic": None}, "topic"),
        ({"topic": {"name": "bad name"}}, "topic.name"),
        ({"cis_metrics": ["root_usage"]}, "cis_metrics"),
        ({"log_group_name": "/t", "cis_metrics": ["4.5"]}, "cis_metrics"),
        ({"topic": None, "presets": [], "log_group_name": "/t", "target_arns": ["arn:aws:sqs:us-east-1:111122223333:q"]}, "cis_metrics"),
        ({"metric_namespace": "AWS/CloudTrail"}, "metric_namespace"),
        ({"presets": []}, "topic"),
        ({"log_group_name": "bad group!"}, "log_group_name"),
    ],
)
def test_validate_names_the_option(overrides, option):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(**overrides), "us-east-1")
    assert e.value.option == option


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {
            "presets": ["all"],
            "trail_names": ["trail1", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t2"],
            "bucket_names": ["audit-logs"],
        },
        {
            "presets": ["kms", "lake"],
            "kms_key_ids": ["1234abcd-12ab-34cd-56ef-1234567890ab"],
            "event_data_store_arns": ["arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/abc"],
        },
        {"topic": None, "target_arns": ["arn:aws:events:us-east-1:999988887777:event-bus/default"], "target_role_arn": "arn:aws:iam::111122223333:role/r"},
        {"log_group_name": "/aws/cloudtrail", "cis_metrics": ["all"]},
        {"state": "absent", "presets": ["nonsense"], "topic": None},
    ],
)
def test_validate_accepts(overrides):
    model.validate(params(**overrides), "us-east-1")


def test_patterns_are_narrowed_to_arn_and_name():
    pattern = model.event_pattern(params(trail_names=["arn:aws:cloudtrail:us-east-1:111122223333:trail/audit"]), "trail")
    assert pattern["source"] == ["aws.cloudtrail"]
    assert pattern["detail-type"] == ["AWS API Call via CloudTrail"]
    assert pattern["detail"]["$or"] == [
        {"requestParameters": {"name": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/audit", "audit"]}},
        {"requestParameters": {"trailName": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/audit", "audit"]}},
    ]
    bucket = model.event_pattern(params(bucket_names=["audit-logs"]), "bucket")
    assert bucket["detail"]["requestParameters"] == {"bucketName": ["audit-logs"]}
    assert "requestParameters" not in model.event_pattern(params(), "kms")["detail"]
    custom = model.event_pattern(params(event_names=["B", "A", "A"]), "custom")
    assert custom == {"detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": ["A", "B"]}}


def test_desired_owns_every_name_and_wants_the_selected():
    state = desired(presets=["trail", "kms"], log_group_name="/t")
    assert sorted(n for n, r in state["rules"].items() if r) == ["cloudaudit-tamper-kms", "cloudaudit-tamper-trail"]
    assert set(state["rules"]) == set(model.owned_rule_names("cloudaudit-tamper"))
    assert [n for n, a in state["alarms"].items() if a] == ["cloudaudit-tamper-cloudtrail_changes"]
    alarm = state["alarms"]["cloudaudit-tamper-cloudtrail_changes"]
    assert alarm["actions"] == [f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"]
    assert alarm["Threshold"] == 1 and alarm["Period"] == 300
    policy = state["topic"]["policy"]
    assert policy["Id"] == model.TOPIC_POLICY_ID
    events, alarms = policy["Statement"]
    assert events["Condition"]["ArnEquals"]["aws:SourceArn"] == [
        f"arn:aws:events:us-east-1:{ACCOUNT}:rule/cloudaudit-tamper-kms",
        f"arn:aws:events:us-east-1:{ACCOUNT}:rule/cloudaudit-tamper-trail",
    ]
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}


def test_without_log_group_metrics_are_left_alone_and_absent_removes_alarms():
    assert desired()["alarms"] == {} and desired()["metric_filters"] == {}
    absent = desired(state="absent")
    assert set(absent["alarms"]) == set(model.owned_metric_names("cloudaudit-tamper")) and not any(absent["alarms"].values())
    assert absent["metric_filters"] == {}
    assert not any(absent["rules"].values())


def current_of(state: dict[str, Any]) -> dict[str, Any]:
    """What AWS would answer after state was applied (normalised)."""
    return json.loads(json.dumps(alerts_compare.predicted(state, {"topic": None})))


def test_converged_state_has_no_change():
    want = desired(presets=["all"], log_group_name="/t", cis_metrics=["all"])
    assert alerts_compare.compare(want, current_of(want)) == []


def test_changes_are_ordered_and_drift_is_found():
    want = desired(presets=["trail", "bucket"], log_group_name="/t")
    have = current_of(want)
    have["rules"]["cloudaudit-tamper-trail"]["state"] = "DISABLED"
    del have["rules"]["cloudaudit-tamper-bucket"]["targets"]["cloudaudit-topic"]
    del have["alarms"]["cloudaudit-tamper-cloudtrail_changes"]
    have["rules"]["cloudaudit-tamper-kms"] = dict(have["rules"]["cloudaudit-tamper-trail"], name="cloudaudit-tamper-kms")
    changes = alerts_compare.compare(want, have)
    assert [(c.setting, c.action) for c in changes] == [
        ("rules.cloudaudit-tamper-trail", "update"),
        ("rules.cloudaudit-tamper-bucket.targets", "update"),
        ("alarms.cloudaudit-tamper-cloudtrail_changes", "create"),
        ("rules.cloudaudit-tamper-kms", "delete"),
    ]
    assert changes[-1].details["target_ids"] == ["cloudaudit-topic"]


def test_absent_deletes_in_reverse_and_the_topic_only_when_ours():
    want = desired(presets=["trail"], log_group_name="/t")
    have = current_of(want)
    have["topic"]["created_by_us"] = True
    absent = model.desired_state(params(state="absent", log_group_name="/t"), "aws", "us-east-1", ACCOUNT)
    changes = alerts_compare.compare(absent, have)
    assert [c.details["kind"] for c in changes] == ["alarm", "metric_filter", "rule", "topic"]
    have["topic"]["created_by_us"] = False
    assert [c.details["kind"] for c in alerts_compare.compare(absent, have)] == ["alarm", "metric_filter", "rule"]


def test_a_topic_is_ours_only_with_our_tag():
    attributes = {"Policy": "{}", "KmsMasterKeyId": ""}
    assert alerts_compare.current_topic("arn", "t", attributes, dict(model.CREATED_BY_TAG))["created_by_us"] is True
    assert alerts_compare.current_topic("arn", "t", attributes, {})["created_by_us"] is False
    assert "created_by_us" not in alerts_compare.current_topic("arn", "t", attributes)


def test_pattern_order_does_not_matter():
    a = {"detail": {"eventName": ["B", "A"]}, "source": ["x"]}
    b = {"source": ["x"], "detail": {"eventName": ["A", "B"]}}
    assert alerts_compare.canonical_pattern(a) == alerts_compare.canonical_pattern(b)


def test_catalog_is_complete():
    assert [m["cis"] for m in catalog.CIS_METRICS.values()] == [f"4.{n}" for n in range(1, 16)]
    for name, spec in catalog.CIS_METRICS.items():
        assert spec["pattern"].startswith("{") and spec["pattern"].endswith("}"), name
        assert spec["pattern"].count("(") == spec["pattern"].count(")"), name
        assert len("x" * 48 + "-" + name) <= 255
    for preset in catalog.PRESETS.values():
        assert all(catalog.EVENT_NAME_RE.fullmatch(n) for n in preset["event_names"])
    assert set(catalog.RESOURCE_FILTERS) == set(catalog.PRESETS)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]{1,64}", n) for n in model.owned_rule_names("x" * 48))


# --- receive_from: the default bus statements of the security account ---------------------------


def test_receivers_desired_only_when_asked_and_removed_by_absent() -> None:
    base = {"prefix": "p", "state": "present"}
    assert model.desired_receivers(base) is None
    wanted = model.desired_receivers(dict(base, receive_from={"organization_id": "o-abcdefghij", "account_ids": ["210987654321", "210987654321"]}))
    assert wanted == {
        "p-receive-org": {"principal": "*", "organization_id": "o-abcdefghij"},
        "p-receive-210987654321": {"principal": "210987654321", "organization_id": None},
    }
    assert model.desired_receivers(dict(base, state="absent", receive_from={})) == {}


def test_receivers_compare_owns_its_statements_only() -> None:
    policy = {
        "Statement": [
            {"Sid": "p-receive-org", "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-old0000000"}}},
            {"Sid": "p-receive-111111111111", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}},
            {"Sid": "theirs", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}},
        ]
    }
    current = {"rules": {}, "metric_filters": {}, "alarms": {}, "topic": None, "receivers": alerts_compare.current_receivers(policy, "p")}
    assert set(current["receivers"]) == {"p-receive-org", "p-receive-111111111111"}
    desired = {"rules": {}, "metric_filters": {}, "alarms": {}, "topic": None, "present": True}
    desired["receivers"] = {"p-receive-org": {"principal": "*", "organization_id": "o-new0000000"}}
    changes = {c.setting: c.action for c in alerts_compare.compare(desired, current)}
    assert changes == {"event_bus.receivers.p-receive-org": "update", "event_bus.receivers.p-receive-111111111111": "delete"}
    current["receivers"] = {"p-receive-org": desired["receivers"]["p-receive-org"]}
    assert alerts_compare.compare(desired, current) == []


@pytest.mark.parametrize(
    ("receive_from", "option"),
    [({}, "receive_from"), ({"organization_id": "org-1"}, "receive_from.organization_id"), ({"account_ids": ["1234"]}, "receive_from.account_ids")],
)
def test_receivers_bad_input_names_the_option(receive_from: dict[str, Any], option: str) -> None:
    params = {"prefix": "p", "state": "present", "presets": ["trail"], "topic": {"name": "t"}, "metric_namespace": "CloudAudit", "receive_from": receive_from}
    with pytest.raises(CloudAuditError) as e:
        model.validate(params, "us-east-1")
    assert e.value.option == option
