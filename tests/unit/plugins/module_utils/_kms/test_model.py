"""Pure model of cloudtrail_kms_key: validation, compare, prediction."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._kms import model

ACCT = "111122223333"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCT}:key/k-1"


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "alias": "cloudtrail",
        "state": "present",
        "description": None,
        "enable_rotation": True,
        "rotation_period_days": None,
        "pending_window_days": 30,
        "admin_principals": None,
        "account_ids": None,
        "organization_id": None,
        "trail_arns": None,
        "reader_principals": None,
        "allow_cloudwatch_logs": False,
        "allow_alert_services": False,
        "policy_statements": None,
        "tags": None,
        "purge_tags": True,
    }
    base.update(overrides)
    return base


def desired(**overrides: Any) -> dict[str, Any]:
    return model.desired_key(params(**overrides), "aws", "us-east-1", ACCT)


def current(**overrides: Any) -> dict[str, Any]:
    base = {
        "key_id": "k-1",
        "key_arn": KEY_ARN,
        "key_state": "Enabled",
        "deletion_date": None,
        "description": "d",
        "enable_rotation": True,
        "rotation_period_days": 365,
        "policy": desired()["policy"],
        "tags": {"a": "1"},
        "alias": "alias/cloudtrail",
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"alias": "alias/aws/cloudtrail"}, "alias"),
        ({"alias": "bad alias"}, "alias"),
        ({"alias": ""}, "alias"),
        ({"rotation_period_days": 89}, "rotation_period_days"),
        ({"rotation_period_days": 2561}, "rotation_period_days"),
        ({"rotation_period_days": 180, "enable_rotation": False}, "rotation_period_days"),
        ({"tags": {f"k{i}": "v" for i in range(50)}}, "tags"),  # 50 + the module's cloudaudit:alias tag: 51
        ({"pending_window_days": 6}, "pending_window_days"),
        ({"pending_window_days": 31}, "pending_window_days"),
        ({"admin_principals": ["root"]}, "admin_principals"),
        ({"admin_principals": []}, "admin_principals"),
        ({"admin_principals": ["arn:aws:s3:::bucket"]}, "admin_principals"),
        ({"reader_principals": ["arn:aws:iam:1:role/x"]}, "reader_principals"),
        ({"account_ids": ["12345"]}, "account_ids"),
        ({"organization_id": "org-1"}, "organization_id"),
        ({"trail_arns": ["arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x"]}, "trail_arns"),
        ({"policy_statements": ["text"]}, "policy_statements"),
        ({"policy_statements": [{"Effect": "Maybe", "Action": "kms:*", "Principal": "*"}]}, "policy_statements"),
        ({"policy_statements": [{"Effect": "Allow", "Principal": "*"}]}, "policy_statements"),
        ({"policy_statements": [{"Effect": "Allow", "Action": "kms:*"}]}, "policy_statements"),
        ({"policy_statements": [{"Sid": "KeyAdministration", "Effect": "Allow", "Action": "kms:*", "Principal": "*"}]}, "policy_statements"),
    ],
)
def test_validate_rejects_bad_input_naming_the_option(overrides, option) -> None:
    with pytest.raises(CloudAuditError) as error:
        model.validate(params(**overrides))
    assert error.value.option == option


def test_validate_accepts_49_user_tags() -> None:
    model.validate(params(tags={f"k{i}": "v" for i in range(49)}))


@pytest.mark.parametrize("days", [90, 365, 2560, None])
def test_validate_accepts(days) -> None:
    model.validate(
        params(
            alias="alias/ct/logs",
            rotation_period_days=days,
            admin_principals=["arn:aws:iam::111122223333:role/Admin", "arn:aws:sts::111122223333:assumed-role/A/s"],
            account_ids=["111122223333"],
            organization_id="o-abcdefghij",
            trail_arns=["arn:aws:cloudtrail:us-east-1:111122223333:trail/t"],
            policy_statements=[{"Sid": "Mine", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Describe*", "Resource": "*"}],
        )
    )


@pytest.mark.parametrize("alias, expected", [("ct", "alias/ct"), ("alias/ct", "alias/ct")])
def test_alias_name(alias, expected) -> None:
    assert model.alias_name(alias) == expected


@pytest.mark.parametrize(
    "metadata",
    [
        {"KeyManager": "AWS", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"},
        {"KeyManager": "CUSTOMER", "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"},
        {"KeyManager": "CUSTOMER", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"},
    ],
)
def test_unusable_keys_are_refused(metadata) -> None:
    with pytest.raises(CloudAuditError) as error:
        model.check_usable(metadata, "alias/x")
    assert error.value.option == "alias"


def changes_of(wanted, now):
    return [(c.setting, c.before, c.after) for c in model.compare_present(wanted, now)]


def test_no_op() -> None:
    assert model.compare_present(desired(description="d", tags={"a": "1"}), current()) == []


@pytest.mark.parametrize(
    "wanted, now, expected",
    [
        ({"description": "new"}, {}, [("description", "d", "new")]),
        (
            {},
            {"enable_rotation": False, "rotation_period_days": None},
            [("rotation", {"enabled": False, "period_days": None}, {"enabled": True, "period_days": 365})],
        ),
        ({"rotation_period_days": 180}, {}, [("rotation", {"enabled": True, "period_days": 365}, {"enabled": True, "period_days": 180})]),
        ({"rotation_period_days": 365}, {}, []),
        ({"enable_rotation": False}, {}, [("rotation", {"enabled": True, "period_days": 365}, {"enabled": False, "period_days": None})]),
        ({"enable_rotation": False}, {"enable_rotation": False, "rotation_period_days": None}, []),
        ({"tags": {"b": "2"}}, {}, [("tags", {"a": "1"}, {"b": "2"})]),
    ],
)
def test_compare_present(wanted, now, expected) -> None:
    assert changes_of(desired(**wanted), current(**now)) == expected


@pytest.mark.parametrize(
    "overrides, managed",
    [
        ({}, {"alias", "enable_rotation", "policy"}),
        ({"rotation_period_days": 180}, {"alias", "enable_rotation", "policy", "rotation_period_days"}),
        ({"description": ""}, {"alias", "enable_rotation", "policy", "description"}),
        ({"tags": {}}, {"alias", "enable_rotation", "policy", "tags", "purge_tags"}),
    ],
)
def test_desired_key_holds_only_managed_settings(overrides, managed) -> None:
    assert set(desired(**overrides)) == managed


@pytest.mark.parametrize(
    "wanted, now, requested",
    [
        ({}, {"enable_rotation": False, "rotation_period_days": None}, None),
        ({"rotation_period_days": 180}, {}, 180),
        ({"rotation_period_days": 180}, {"enable_rotation": False, "rotation_period_days": None}, 180),
        ({"enable_rotation": False}, {}, None),
    ],
)
def test_rotation_change_carries_the_requested_period(wanted, now, requested) -> None:
    (change,) = model.compare_present(desired(**wanted), current(**now))
    assert change.setting == "rotation"
    assert dict(change.details) == {"rotation_period_days": requested}


def test_policy_compared_as_document() -> None:
    wanted = desired(reader_principals=["arn:aws:iam::1:role/r"])
    shuffled = dict(wanted["policy"], Statement=list(reversed(wanted["policy"]["Statement"])))
    assert model.compare_present(wanted, current(policy=shuffled)) == []
    removed = dict(wanted["policy"], Statement=wanted["policy"]["Statement"][:-1])
    assert [c.setting for c in model.compare_present(wanted, current(policy=removed))] == ["key_policy"]


def test_pending_deletion_is_restored() -> None:
    changes = model.compare_present(desired(), current(key_state="PendingDeletion"))
    assert [(c.setting, c.before, c.after) for c in changes] == [("key_state", "PendingDeletion", "Enabled")]
    assert model.predicted_key(desired(), current(key_state="PendingDeletion"), changes)["key_state"] == "Enabled"


def test_creation() -> None:
    wanted = desired(description="x", tags={"t": "v"}, rotation_period_days=180)
    changes = model.compare_present(wanted, None)
    assert [(c.setting, c.action) for c in changes] == [("key", "create"), ("alias", "create"), ("rotation", "update")]
    assert changes[0].after == {"description": "x", "policy": wanted["policy"], "tags": {"t": "v"}}
    assert changes[2].after == {"enabled": True, "period_days": 180}
    assert dict(changes[2].details) == {"rotation_period_days": 180}
    predicted = model.predicted_key(wanted, None, changes)
    assert predicted["key_arn"] is None and predicted["alias"] == "alias/cloudtrail"
    assert (predicted["enable_rotation"], predicted["rotation_period_days"], predicted["tags"]) == (True, 180, {"t": "v"})
    no_rotation = model.compare_present(desired(enable_rotation=False), None)
    assert [c.setting for c in no_rotation] == ["key", "alias"]
    assert model.predicted_key(desired(enable_rotation=False), None, no_rotation)["enable_rotation"] is False


@pytest.mark.parametrize(
    "now, expected",
    [
        (None, []),
        ({"key_state": "PendingDeletion"}, []),
        ({}, [("deletion", "delete"), ("alias", "delete")]),
        ({"key_state": "Disabled"}, [("deletion", "delete"), ("alias", "delete")]),
    ],
)
def test_compare_absent(now, expected) -> None:
    key = None if now is None else current(**now)
    changes = model.compare_absent(key, "alias/cloudtrail", 7)
    assert [(c.setting, c.action) for c in changes] == expected
    if changes:
        assert changes[0].after == {"key_state": "PendingDeletion", "pending_window_days": 7}


def test_current_key_from_aws() -> None:
    meta = {"KeyId": "k-1", "Arn": KEY_ARN, "KeyState": "Enabled", "Description": ""}
    key = model.current_key(meta, {"Statement": []}, {"enabled": True, "period_days": None}, None)
    assert key["enable_rotation"] is True and key["rotation_period_days"] is None and key["tags"] is None
    assert model.parse_arn(KEY_ARN) == {"partition": "aws", "region": "us-east-1", "account_id": ACCT}


def test_diff_view_managed_only() -> None:
    view = model.diff_view(current(), desired())
    assert sorted(view["key"]) == ["alias", "enable_rotation", "key_state", "policy", "rotation_period_days"]
    assert "tags" in model.diff_view(current(), desired(tags={}))["key"]
