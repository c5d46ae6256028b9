"""cloudtrail_organization's pure model: input checks, the changes and their order, the guard, the registration rules."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import Guard, guard_refusal
from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations import cloudtrail_access_model as model

MANAGEMENT = "111122223333"
A, B, C, D = "210987654321", "310987654321", "410987654321", "510987654321"
ORG = {"Id": "o-a1b2c3d4e5", "MasterAccountId": MANAGEMENT}


def params(**kw: Any) -> dict[str, Any]:
    base = {"trusted_access": None, "delegated_administrators": None, "purge_delegated_administrators": False, "force_stop_delivery": False}
    base.update(kw)
    return base


def current(**kw: Any) -> dict[str, Any]:
    state = {"organization_id": ORG["Id"], "management_account_id": MANAGEMENT}
    state.update(kw)
    return state


def members(*ids: str) -> dict[str, Any]:
    return {"accounts": {i: {"Id": i} for i in ids}}


@pytest.mark.parametrize(
    ("kw", "option", "words"),
    [
        ({"delegated_administrators": ["12345"]}, "delegated_administrators", "is not a 12-digit AWS account id"),
        ({"delegated_administrators": [A, B, C, D]}, "delegated_administrators", "4 accounts given; AWS allows at most 3"),
        ({"purge_delegated_administrators": True}, "purge_delegated_administrators", "only applies with delegated_administrators"),
        ({"trusted_access": False, "delegated_administrators": [A]}, "trusted_access", "need trusted access"),
    ],
)
def test_bad_input_names_the_option(kw, option, words) -> None:
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(**kw))
    assert e.value.option == option and words in e.value.msg


def test_valid_input() -> None:
    model.validate(params(trusted_access=False, delegated_administrators=[], purge_delegated_administrators=True))
    model.validate(params(delegated_administrators=[A, A, B, C]))  # duplicates count once


def test_desired_holds_the_managed_settings_only() -> None:
    assert model.desired_state(params()) == {}
    assert model.desired_state(params(trusted_access=True)) == {"trusted_access": True}
    assert model.desired_state(params(delegated_administrators=[B, A, B])) == {"delegated_administrators": [A, B], "purge": False}


def test_only_the_management_account_goes_on() -> None:
    assert model.locate(ORG, MANAGEMENT) == {"organization_id": ORG["Id"], "management_account_id": MANAGEMENT, "feature_set": "ALL"}
    assert model.locate(ORG) == model.locate(ORG, MANAGEMENT)
    with pytest.raises(CloudAuditError) as e:
        model.locate(ORG, A)
    assert f"account {A} is not the management account {MANAGEMENT}" in e.value.msg and "management account only" in e.value.msg
    assert e.value.details == {"management_account_id": MANAGEMENT, "account_id": A}
    with pytest.raises(CloudAuditError) as e:
        model.locate(None, A)
    assert "not in an AWS Organization" in e.value.msg


@pytest.mark.parametrize(
    ("wanted", "purge", "before", "register", "deregister"),
    [
        ([A], False, [], [A], []),
        ([A], False, [B], [A], []),  # B is kept
        ([A], True, [B], [A], [B]),
        ([], True, [A, B], [], [A, B]),
        ([A, B], False, [A, B], None, None),  # nothing to do
    ],
)
def test_delegated_administrators(wanted, purge, before, register, deregister) -> None:
    desired = {"delegated_administrators": wanted, "purge": purge}
    changes = model.compare(desired, current(delegated_administrators=before, trusted_access=True, **members(*wanted)), False)
    if register is None:
        assert changes == []
        return
    (change,) = changes
    assert (change.setting, change.before) == ("delegated_administrators", before)
    assert (change.details["register"], change.details["deregister"]) == (register, deregister)
    assert change.after == model.wanted_admins(desired, before)


@pytest.mark.parametrize(
    ("desired", "state", "words"),
    [
        ({"delegated_administrators": [MANAGEMENT], "purge": False}, {}, "is the organization's management account"),
        ({"delegated_administrators": [A], "purge": False}, {"accounts": {A: None}}, f"{A} is not in organization o-a1b2c3d4e5"),
        (
            {"delegated_administrators": [D], "purge": False},
            {"delegated_administrators": [A, B, C], **members(D)},
            "4 CloudTrail delegated administrators after this run",
        ),
        ({"delegated_administrators": [A], "purge": False}, {"trusted_access": False, **members(A)}, "needs trusted access"),
    ],
)
def test_what_aws_would_refuse_is_refused_first(desired, state, words) -> None:
    base = {"delegated_administrators": [], "trusted_access": True}
    base.update(state)
    with pytest.raises(CloudAuditError) as e:
        model.compare(desired, current(**base), False)
    assert e.value.option == "delegated_administrators" and words in e.value.msg


def test_a_fourth_one_fits_when_purging() -> None:
    desired = {"delegated_administrators": [D], "purge": True}
    (change,) = model.compare(desired, current(delegated_administrators=[A, B, C], trusted_access=True, **members(D)), False)
    assert change.after == [D] and change.details["deregister"] == [A, B, C]


def test_trusted_access_enabled_in_the_same_task_allows_registering_and_comes_first() -> None:
    desired = {"trusted_access": True, "delegated_administrators": [A], "purge": False}
    changes = model.compare(desired, current(trusted_access=False, delegated_administrators=[], **members(A)), False)
    assert [c.setting for c in changes] == ["trusted_access", "delegated_administrators"]


def test_deregistering_comes_before_disabling() -> None:
    desired = {"trusted_access": False, "delegated_administrators": [], "purge": True}
    changes = model.compare(desired, current(trusted_access=True, delegated_administrators=[A], organization_resources={}), False)
    assert [c.setting for c in changes] == ["delegated_administrators", "trusted_access"]
    assert guard_refusal(changes) is None  # no organization trail or store: nothing stops


def test_disabling_with_organization_trails_is_guarded() -> None:
    found = {"trails": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/org"], "event_data_stores": []}
    state = current(trusted_access=True, organization_resources=found)
    (change,) = model.compare({"trusted_access": False}, state, False)
    guard = change.details["guard"]
    assert isinstance(guard, Guard) and guard.option == "trusted_access"
    assert "trail/org" in guard.message and "force_stop_delivery=true" in guard.message
    assert guard.details["organization_trails"] == found["trails"]
    (forced,) = model.compare({"trusted_access": False}, state, True)
    assert "guard" not in forced.details


def test_trusted_access_unchanged_is_no_change() -> None:
    assert model.compare({"trusted_access": True}, current(trusted_access=True), False) == []


def test_predicted_and_diff_show_the_managed_settings() -> None:
    desired = {"delegated_administrators": [A], "purge": False}
    state = current(trusted_access=True, delegated_administrators=[B])
    after = model.predicted(desired, state)
    assert after == {"trusted_access": True, "delegated_administrators": [A, B]}
    assert model.diff_view(after, desired) == {"delegated_administrators": [A, B]}
    assert model.diff_view(state, desired) == {"delegated_administrators": [B]}
    assert model.to_register(desired, [B]) == [A] and model.to_register({}, None) == []


def test_consolidated_billing_only_has_no_trusted_access() -> None:
    state = current(feature_set="CONSOLIDATED_BILLING", trusted_access=False, delegated_administrators=[], **members(A))
    for desired, option in (({"trusted_access": True}, "trusted_access"), ({"delegated_administrators": [A], "purge": False}, "delegated_administrators")):
        with pytest.raises(CloudAuditError) as e:
            model.compare(desired, state, False)
        assert e.value.option == option and "need all features enabled" in e.value.msg
    assert model.compare({"trusted_access": False}, state, False) == []  # nothing to change there
