"""Pure model of s3_account_public_access_block: validation, desired flags, compare, guards."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import Guard
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3control import model

ACCOUNT = "123456789012"
ON = {"block_public_acls": True, "ignore_public_acls": True, "block_public_policy": True, "restrict_public_buckets": True}
OFF = {k: False for k in ON}


def params(**overrides: Any) -> dict[str, Any]:
    base = {"account_id": None, "state": "present", "force_public_access": False, **{k: None for k in ON}}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "option"),
    [
        ({"account_id": "12345678901"}, "account_id"),
        ({"account_id": "12345678901a"}, "account_id"),
        ({"state": "absent", "block_public_acls": True}, "block_public_acls"),
        ({"state": "absent", "restrict_public_buckets": False}, "restrict_public_buckets"),
    ],
)
def test_bad_input_names_the_option(overrides, option):
    with pytest.raises(CloudAuditError) as excinfo:
        model.validate(params(**overrides))
    assert excinfo.value.option == option


def test_valid_input_passes():
    model.validate(params(account_id=ACCOUNT, block_public_acls=False))
    model.validate(params(state="absent", force_public_access=True))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ON),
        ({"block_public_acls": True}, {"block_public_acls": True}),
        ({"ignore_public_acls": False, "block_public_policy": True}, {"ignore_public_acls": False, "block_public_policy": True}),
    ],
)
def test_desired_flags_are_the_given_ones_or_all_on(overrides, expected):
    assert model.desired_flags(params(**overrides)) == expected


def test_current_flags_normalises_aws_and_none():
    assert model.current_flags(None) is None
    assert model.current_flags({"BlockPublicAcls": True}) == dict(OFF, block_public_acls=True)
    assert model.aws_configuration(dict(OFF, block_public_policy=True)) == {
        "BlockPublicAcls": False,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": False,
    }


@pytest.mark.parametrize(
    ("desired", "current", "after", "action"),
    [
        (ON, None, ON, "create"),
        ({"block_public_acls": True}, None, dict(OFF, block_public_acls=True), "create"),
        ({"block_public_acls": True}, OFF, dict(OFF, block_public_acls=True), "update"),
        (ON, dict(ON, ignore_public_acls=False), ON, "update"),
        ({"ignore_public_acls": False}, OFF, None, None),  # no-op: already off
        (ON, ON, None, None),
        ({"block_public_acls": True}, ON, None, None),  # unset flags stay on
    ],
)
def test_compare_present(desired, current, after, action):
    changes = model.compare_present(ACCOUNT, desired, current, force=False)
    if after is None:
        assert changes == []
        return
    assert [(c.setting, c.action, c.before, c.after) for c in changes] == [("public_access_block", action, current, after)]
    assert "guard" not in changes[0].details


def test_turning_a_flag_off_is_guarded_unless_forced():
    changes = model.compare_present(ACCOUNT, {"block_public_policy": False}, ON, force=False)
    guard = changes[0].details["guard"]
    assert isinstance(guard, Guard) and guard.option == "force_public_access"
    assert "block_public_policy" in guard.message and guard.details["weakened"] == ["block_public_policy"]
    assert changes[0].after == dict(ON, block_public_policy=False)
    assert "guard" not in model.compare_present(ACCOUNT, {"block_public_policy": False}, ON, force=True)[0].details


def test_absent_deletes_a_configuration_guarded_while_a_flag_is_on():
    assert model.compare_absent(ACCOUNT, None, force=False) == []
    unguarded = model.compare_absent(ACCOUNT, OFF, force=False)
    assert [(c.action, c.after) for c in unguarded] == [("delete", None)] and "guard" not in unguarded[0].details
    guarded = model.compare_absent(ACCOUNT, dict(OFF, ignore_public_acls=True), force=False)
    assert guarded[0].details["guard"].details["weakened"] == ["ignore_public_acls"]
    assert "guard" not in model.compare_absent(ACCOUNT, ON, force=True)[0].details
