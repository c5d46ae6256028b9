"""Pure model of cloudtrail_log_group: validation, compare, guards, prediction."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import Guard
from ansible_collections.cloudaudit.aws.plugins.module_utils._logs import model
from ansible_collections.cloudaudit.aws.plugins.module_utils._logs import policy

ARN = "arn:aws:logs:us-east-1:111122223333:log-group:g:*"


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "g",
        "state": "present",
        "retention_days": None,
        "allow_retention_decrease": False,
        "kms_key_id": None,
        "log_group_class": None,
        "delivery_role_name": None,
        "trail_arns": None,
        "organization_id": None,
        "force_delete_logs": False,
        "tags": None,
        "purge_tags": True,
    }
    base.update(overrides)
    return base


def group(**overrides: Any) -> dict[str, Any]:
    base = {"name": "g", "arn": ARN, "retention_days": 30, "kms_key_id": None, "log_group_class": "STANDARD", "stored_bytes": 0, "tags": {"a": "1"}}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": ""}, "name"),
        ({"name": "bad name"}, "name"),
        ({"retention_days": 8}, "retention_days"),
        ({"retention_days": -1}, "retention_days"),
        ({"retention_days": 3650}, "retention_days"),
        ({"log_group_class": "GLACIER"}, "log_group_class"),
        ({"kms_key_id": "alias/x"}, "kms_key_id"),
        ({"kms_key_id": "arn:aws:kms:us-east-1:111122223333:alias/x"}, "kms_key_id"),
        ({"delivery_role_name": "bad role!"}, "delivery_role_name"),
        ({"delivery_role_name": "r", "trail_arns": ["arn:aws:s3:::bucket"]}, "trail_arns"),
        ({"delivery_role_name": "r", "trail_arns": ["not-an-arn"]}, "trail_arns"),
        ({"delivery_role_name": "r", "organization_id": "o-1"}, "organization_id"),
        ({"trail_arns": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/t"]}, "trail_arns"),
        ({"organization_id": "o-abcdefghij"}, "organization_id"),
    ],
)
def test_validate_rejects_bad_input_naming_the_option(overrides, option) -> None:
    with pytest.raises(CloudAuditError) as error:
        model.validate(params(**overrides))
    assert error.value.option == option
    assert error.value.msg.startswith(f"{option}: ")


@pytest.mark.parametrize("days", [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, None])
def test_validate_accepts_every_aws_retention(days) -> None:
    model.validate(params(retention_days=days))


def test_validate_accepts_full_input() -> None:
    model.validate(
        params(
            kms_key_id="arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            log_group_class="INFREQUENT_ACCESS",
            delivery_role_name="CloudTrail_CWL-role",
            trail_arns=["arn:aws:cloudtrail:us-east-1:111122223333:trail/t"],
            organization_id="o-abcdefghij",
        )
    )


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, {"name": "g"}),
        ({"retention_days": 0}, {"name": "g", "retention_days": None}),
        ({"retention_days": 7}, {"name": "g", "retention_days": 7}),
        ({"kms_key_id": ""}, {"name": "g", "kms_key_id": None}),
        ({"tags": {}, "purge_tags": False}, {"name": "g", "tags": {}, "purge_tags": False}),
    ],
)
def test_desired_group_holds_only_managed_settings(overrides, expected) -> None:
    assert model.desired_group(params(**overrides)) == expected


def test_current_group_normalises_aws_answer() -> None:
    aws = {"logGroupName": "g", "arn": ARN, "logGroupArn": ARN[:-2], "storedBytes": 5}
    assert model.current_group(aws) == {
        "name": "g",
        "arn": ARN,
        "retention_days": None,
        "kms_key_id": None,
        "log_group_class": "STANDARD",
        "stored_bytes": 5,
        "tags": None,
    }
    assert model.current_group(None) is None


@pytest.mark.parametrize(
    "current, desired, decrease",
    [(30, 7, True), (None, 3653, True), (7, 30, False), (30, None, False), (None, None, False), (30, 30, False)],
)
def test_is_retention_decrease(current, desired, decrease) -> None:
    assert model.is_retention_decrease(current, desired) is decrease


def settings(changes) -> list[tuple[str, Any, Any, str]]:
    return [(c.setting, c.before, c.after, c.action) for c in changes]


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, []),
        ({"retention_days": 30}, []),
        ({"retention_days": 60}, [("retention_days", 30, 60, "update")]),
        ({"retention_days": 0}, [("retention_days", 30, None, "delete")]),
        ({"kms_key_id": ""}, []),
        ({"kms_key_id": "arn:aws:kms:us-east-1:1:key/k"}, [("kms_key_id", None, "arn:aws:kms:us-east-1:1:key/k", "update")]),
        ({"log_group_class": "STANDARD"}, []),
        ({"tags": {"a": "1"}}, []),
        ({"tags": {"b": "2"}}, [("tags", {"a": "1"}, {"b": "2"}, "update")]),
        ({"tags": {"b": "2"}, "purge_tags": False}, [("tags", {"a": "1"}, {"a": "1", "b": "2"}, "update")]),
    ],
)
def test_compare_group_existing(overrides, expected) -> None:
    assert settings(model.compare_group(model.desired_group(params(**overrides)), group(), False)) == expected


def test_compare_group_disassociates_key() -> None:
    changes = model.compare_group(model.desired_group(params(kms_key_id="")), group(kms_key_id="arn:aws:kms:us-east-1:1:key/k"), False)
    assert settings(changes) == [("kms_key_id", "arn:aws:kms:us-east-1:1:key/k", None, "delete")]


def guards(changes) -> list[Guard | None]:
    return [c.details.get("guard") for c in changes]


@pytest.mark.parametrize("current, desired", [(30, 7), (None, 365)])
def test_retention_decrease_is_guarded(current, desired) -> None:
    wanted = model.desired_group(params(retention_days=desired))
    changes = model.compare_group(wanted, group(retention_days=current), False)
    assert settings(changes) == [("retention_days", current, desired, "update")]
    guard = changes[0].details["guard"]
    assert guard.option == "retention_days"
    assert "allow_retention_decrease=true" in guard.message
    assert dict(guard.details) == {"retention_before": current, "retention_after": desired}
    assert guards(model.compare_group(wanted, group(retention_days=current), True)) == [None]


@pytest.mark.parametrize(
    "current, desired, allow, checked",
    [
        (30, 7, False, True),
        (None, 365, False, True),
        (30, 7, True, False),
        (7, 30, False, False),
        (30, None, False, False),
        (30, 30, False, False),
    ],
)
def test_needs_stream_check(current, desired, allow, checked) -> None:
    wanted = model.desired_group(params(retention_days=0 if desired is None else desired))
    assert model.needs_stream_check(wanted, group(retention_days=current), allow) is checked
    assert model.needs_stream_check(model.desired_group(params()), group(retention_days=current), allow) is False
    assert model.needs_stream_check(wanted, None, allow) is False


@pytest.mark.parametrize(
    "newest_stream, guarded",
    [
        (None, False),
        ({"logStreamName": "123456789012_CloudTrail_us-east-1"}, True),
    ],
)
def test_retention_decrease_of_a_group_without_stream_is_not_guarded(newest_stream, guarded) -> None:
    wanted = model.desired_group(params(retention_days=365))
    changes = model.compare_group(wanted, group(retention_days=None, newest_stream=newest_stream), False)
    assert settings(changes) == [("retention_days", None, 365, "update")]
    assert (changes[0].details.get("guard") is not None) is guarded


def test_log_group_class_cannot_change() -> None:
    with pytest.raises(CloudAuditError) as error:
        model.compare_group(model.desired_group(params(log_group_class="INFREQUENT_ACCESS")), group(), False)
    assert error.value.option == "log_group_class"


def test_compare_group_creation() -> None:
    wanted = model.desired_group(params(retention_days=90, tags={"x": "y"}, log_group_class="DELIVERY"))
    changes = model.compare_group(wanted, None, False)
    assert [(c.setting, c.action) for c in changes] == [("log_group", "create"), ("retention_days", "create")]
    assert dict(changes[0].details) == {"log_group_class": "DELIVERY"}
    assert changes[0].after == {"name": "g", "retention_days": 90, "kms_key_id": None, "log_group_class": "DELIVERY", "tags": {"x": "y"}}
    assert settings(model.compare_group(model.desired_group(params(retention_days=0)), None, False))[1:] == []


def test_predicted_group_after_changes() -> None:
    wanted = model.desired_group(params(retention_days=60, tags={"b": "2"}, purge_tags=False))
    current = model.public_group(group())
    changes = model.compare_group(wanted, group(), False)
    assert model.predicted_group(wanted, current, changes, arn=ARN) == {
        "name": "g",
        "arn": ARN,
        "retention_days": 60,
        "kms_key_id": None,
        "log_group_class": "STANDARD",
        "tags": {"a": "1", "b": "2"},
    }


def role_params(**overrides: Any) -> dict[str, Any]:
    return params(delivery_role_name="r", **overrides)


def test_compare_role_create_and_noop() -> None:
    wanted = model.desired_role(role_params(), "aws", "us-east-1", "111122223333")
    assert wanted["arn"] == "arn:aws:iam::111122223333:role/r"
    assert [(c.setting, c.action) for c in model.compare_role(wanted, None)] == [("role", "create"), ("role_policy", "create")]
    same = {"name": "r", "arn": wanted["arn"], "trust_policy": wanted["trust_policy"], "policy": wanted["policy"]}
    assert model.compare_role(wanted, same) == []
    assert model.compare_role(None, same) == []


def test_compare_role_policies_as_documents() -> None:
    wanted = model.desired_role(role_params(), "aws", "us-east-1", "111122223333")
    reordered = dict(wanted["policy"], Statement=list(reversed(wanted["policy"]["Statement"])))
    current = {"name": "r", "arn": wanted["arn"], "trust_policy": wanted["trust_policy"], "policy": reordered}
    assert model.compare_role(wanted, current) == []
    weakened = dict(wanted["policy"], Statement=wanted["policy"]["Statement"][:1])
    drifted = dict(current, policy=weakened, trust_policy=policy.trust_policy(["arn:aws:cloudtrail:us-east-1:1:trail/x"]))
    assert [c.setting for c in model.compare_role(wanted, drifted)] == ["role_trust_policy", "role_policy"]


def test_current_role_reads_policy_strings() -> None:
    role = {"RoleName": "r", "Arn": "arn:aws:iam::1:role/r", "AssumeRolePolicyDocument": '{"Version": "2012-10-17", "Statement": []}'}
    assert model.current_role(role, None) == {
        "name": "r",
        "arn": "arn:aws:iam::1:role/r",
        "trust_policy": {"Version": "2012-10-17", "Statement": []},
        "policy": None,
    }
    assert model.current_role(None, None) is None


@pytest.mark.parametrize(
    "stored, stream, force, guarded",
    [
        (0, None, False, False),
        (10, None, False, True),
        (0, {"logStreamName": "s", "lastEventTimestamp": 1}, False, True),
        (10, {"logStreamName": "s"}, True, False),
    ],
)
def test_delete_guard(stored, stream, force, guarded) -> None:
    guard = model.delete_guard(group(stored_bytes=stored), stream, force)
    if guarded:
        assert guard.option == "force_delete_logs"
        assert guard.message.startswith("log group g holds log events")
        assert guard.message.endswith("set force_delete_logs=true to do it")
    else:
        assert guard is None


def test_delete_guard_names_the_newest_stream() -> None:
    guard = model.delete_guard(group(stored_bytes=5), {"logStreamName": "s", "lastEventTimestamp": 7}, False)
    assert "(5 stored bytes, log streams such as s (last event at 7 ms since epoch))" in guard.message


def test_compare_absent() -> None:
    role = {"name": "r", "arn": "a", "trust_policy": {"t": 1}, "policy": {"p": 1}}
    changes = model.compare_absent(group(newest_stream=None), role, True, False)
    assert [(c.setting, c.action) for c in changes] == [
        ("log_group", "delete"),
        ("role_policy", "delete"),
        ("role", "delete"),
    ]
    assert changes[0].before == model.public_group(group())
    assert guards(changes) == [None, None, None]
    assert [c.setting for c in model.compare_absent(group(newest_stream=None), role, False, False)] == ["log_group"]
    assert model.compare_absent(None, None, True, False) == []


@pytest.mark.parametrize("force, guarded", [(False, True), (True, False)])
def test_compare_absent_guards_a_group_holding_events(force, guarded) -> None:
    changes = model.compare_absent(group(newest_stream={"logStreamName": "s"}), None, False, force)
    assert [c.setting for c in changes] == ["log_group"]
    assert (changes[0].details.get("guard") is not None) is guarded


def test_diff_view_shows_managed_settings_only() -> None:
    wanted = model.desired_group(params(retention_days=30))
    assert model.diff_view(model.public_group(group()), None, wanted, False) == {"log_group": {"name": "g", "retention_days": 30}}
