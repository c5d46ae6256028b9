"""Event data store model: validation, guards, selectors, compare, prediction, delete guards."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake import model

ARN = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE = "arn:aws:iam::123456789012:role/federation"
MGMT_AWS = [{"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]


def params(**overrides):
    base = dict(
        name="audit",
        state="present",
        retention_days=None,
        allow_retention_decrease=False,
        billing_mode=None,
        multi_region=None,
        organization_enabled=None,
        advanced_event_selectors=None,
        event_selector_preset=None,
        event_sources=None,
        kms_key_id=None,
        termination_protection=True,
        ingestion=None,
        federation=None,
        tags=None,
        purge_tags=True,
    )
    base.update(overrides)
    return base


def aws_store(**overrides):
    store = {
        "EventDataStoreArn": ARN,
        "Name": "audit",
        "Status": "ENABLED",
        "AdvancedEventSelectors": MGMT_AWS,
        "MultiRegionEnabled": True,
        "OrganizationEnabled": False,
        "RetentionPeriod": 366,
        "TerminationProtectionEnabled": True,
        "BillingMode": "EXTENDABLE_RETENTION_PRICING",
        "FederationStatus": "DISABLED",
        "CreatedTimestamp": datetime(2026, 1, 1, tzinfo=timezone.utc),
    }
    store.update(overrides)
    return store


def current(tags=None, **overrides):
    return model.current_state(aws_store(**overrides), tags)


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": "ab"}, "name"),
        ({"name": "bad name"}, "name"),
        ({"name": "arn:aws:cloudtrail:us-east-1:123456789012:trail/x"}, "name"),
        ({"retention_days": 6}, "retention_days"),
        ({"retention_days": 3654}, "retention_days"),
        ({"retention_days": 3000, "billing_mode": "FIXED_RETENTION_PRICING"}, "retention_days"),
        ({"kms_key_id": "bad key!"}, "kms_key_id"),
        ({"federation": {"enabled": True, "role_arn": None}}, "federation"),
        ({"federation": {"enabled": True, "role_arn": "arn:aws:s3:::bucket"}}, "federation.role_arn"),
        ({"federation": {"enabled": True, "role_arn": "arn:aws:iam::123456789012:role/"}}, "federation.role_arn"),
        ({"federation": {"enabled": True, "role_arn": "arn:aws:iam::123456789012:role/" + "r" * 120}}, "federation"),
        ({"event_selector_preset": "event_sources"}, "event_sources"),
        ({"event_sources": ["iam.amazonaws.com"]}, "event_sources"),
        ({"advanced_event_selectors": [{"name": "x", "field_selectors": []}]}, "advanced_event_selectors"),
        ({"advanced_event_selectors": [{"field_selectors": [{"field": "bad field"}]}]}, "advanced_event_selectors"),
        ({"advanced_event_selectors": [{"field_selectors": [{"field": "eventName"}]}]}, "advanced_event_selectors"),
        ({"advanced_event_selectors": [{"field_selectors": [{"field": "readOnly", "not_equals": ["true"]}]}]}, "advanced_event_selectors"),
        ({"advanced_event_selectors": [{"field_selectors": [{"field": "eventName", "equals": ["x" * 2049]}]}]}, "advanced_event_selectors"),
        ({"advanced_event_selectors": [{"field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}] * 6}, "advanced_event_selectors"),
    ],
)
def test_invalid_params_fail_naming_the_option(overrides, option):
    with pytest.raises(CloudAuditError) as error:
        model.validate_params(params(**overrides))
    assert error.value.option == option
    assert error.value.msg.startswith(f"{option}: ")


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"name": ARN},
        {"retention_days": 3653},
        {"retention_days": 2557, "billing_mode": "FIXED_RETENTION_PRICING"},
        {"kms_key_id": "alias/lake"},
        {"federation": {"enabled": True, "role_arn": ROLE}},
        {"federation": {"enabled": False, "role_arn": None}},
        {"event_selector_preset": "event_sources", "event_sources": ["iam.amazonaws.com"]},
        {"advanced_event_selectors": [{"field_selectors": [{"field": "eventName", "starts_with": ["Delete"], "equals": None}]}]},
    ],
)
def test_valid_params_pass(overrides):
    model.validate_params(params(**overrides))


def test_presets():
    assert model.preset_selectors("all_management", None) == [
        {"name": "Management events", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    ]
    s3 = model.preset_selectors("management_and_s3_data", None)
    assert [s["name"] for s in s3] == ["Management events", "S3 data events"]
    assert {"field": "resources.type", "equals": ["AWS::S3::Object"]} in s3[1]["field_selectors"]
    sources = model.preset_selectors("event_sources", ["sts.amazonaws.com", "iam.amazonaws.com", "iam.amazonaws.com"])
    assert sources[0]["field_selectors"][1] == {"field": "eventSource", "equals": ["iam.amazonaws.com", "sts.amazonaws.com"]}
    assert model.preset_selectors(None, None) is None


def test_selectors_round_trip_and_compare_order_insensitively():
    mine = [
        {"name": "B", "field_selectors": [{"field": "eventName", "equals": ["b", "a"]}, {"field": "eventCategory", "equals": ["Management"]}]},
        {"name": "A", "field_selectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]},
    ]
    aws = model.selectors_to_aws(model.normalize_selectors(mine))
    assert all("Name" in s and s["FieldSelectors"] for s in aws)
    assert model.selectors_from_aws(list(reversed(aws))) == model.normalize_selectors(mine)


def test_current_state_normalises_aws_answer():
    state = current(tags={"a": "1"}, KmsKeyId=KEY_ARN, Status="STOPPED_INGESTION", FederationStatus="ENABLED", FederationRoleArn=ROLE)
    assert state["arn"] == ARN and state["retention_days"] == 366 and state["kms_key_id"] == KEY_ARN
    assert state["ingestion"] == "stopped"
    assert state["federation"] == {"enabled": True, "status": "ENABLED", "role_arn": ROLE}
    assert state["tags"] == {"a": "1"}
    assert state["created"] == "2026-01-01T00:00:00+00:00"
    assert model.current_state(None) is None


def test_no_change_when_everything_matches():
    desired = model.desired_state(
        params(
            retention_days=366,
            multi_region=True,
            organization_enabled=False,
            event_selector_preset="all_management",
            ingestion="enabled",
            federation={"enabled": False, "role_arn": None},
            tags={"a": "1"},
        )
    )
    assert model.compare(desired, current(tags={"a": "1"})) == []


def test_unset_options_are_left_alone():
    desired = model.desired_state(params(termination_protection=None))
    assert model.compare(desired, current(RetentionPeriod=90, MultiRegionEnabled=False, Status="STOPPED_INGESTION")) == []


@pytest.mark.parametrize(
    "overrides, setting, before, after",
    [
        ({"retention_days": 400}, "retention_days", 366, 400),
        ({"multi_region": False}, "multi_region", True, False),
        ({"organization_enabled": True}, "organization_enabled", False, True),
        ({"termination_protection": False}, "termination_protection", True, False),
        ({"billing_mode": "EXTENDABLE_RETENTION_PRICING"}, None, None, None),
        ({"ingestion": "stopped"}, "ingestion", "enabled", "stopped"),
        ({"kms_key_id": KEY_ARN}, "kms_key_id", None, KEY_ARN),
    ],
)
def test_each_setting_change(overrides, setting, before, after):
    changes = model.compare(model.desired_state(params(**overrides)), current())
    if setting is None:
        assert changes == []
    else:
        assert [(c.setting, c.before, c.after) for c in changes] == [(setting, before, after)]


def test_selector_change_is_one_change():
    desired = model.desired_state(params(event_selector_preset="management_and_s3_data"))
    changes = model.compare(desired, current())
    assert [c.setting for c in changes] == ["advanced_event_selectors"]
    request = model.update_request(ARN, changes)
    assert request["EventDataStore"] == ARN and len(request["AdvancedEventSelectors"]) == 2


def test_update_request_holds_every_update_setting_once():
    desired = model.desired_state(params(retention_days=400, multi_region=False, termination_protection=False, ingestion="stopped", tags={"x": "y"}))
    changes = model.compare(desired, current(tags={}))
    assert [c.setting for c in changes] == ["retention_days", "multi_region", "termination_protection", "ingestion", "tags"]
    assert model.update_request(ARN, changes) == {
        "EventDataStore": ARN,
        "RetentionPeriod": 400,
        "MultiRegionEnabled": False,
        "TerminationProtectionEnabled": False,
    }


def test_federation_changes():
    on = {"enabled": True, "role_arn": ROLE}
    changes = model.compare(model.desired_state(params(federation=on)), current())
    assert [(c.setting, c.before, c.after) for c in changes] == [("federation", {"enabled": False, "role_arn": None}, on)]
    federated = current(FederationStatus="ENABLED", FederationRoleArn=ROLE)
    assert model.compare(model.desired_state(params(federation=on)), federated) == []
    other = {"enabled": True, "role_arn": "arn:aws:iam::123456789012:role/other"}
    assert model.compare(model.desired_state(params(federation=other)), federated)[0].after == other
    off = model.compare(model.desired_state(params(federation={"enabled": False, "role_arn": None})), federated)
    assert off[0].after == {"enabled": False, "role_arn": None}


def test_tags_change_with_and_without_purge():
    desired = model.desired_state(params(tags={"a": "1"}))
    change = model.compare(desired, current(tags={"a": "1", "b": "2"}))[0]
    assert change.setting == "tags" and change.details["remove"] == ["b"] and change.after == {"a": "1"}
    assert model.compare(desired, current(tags={"a": "1", "b": "2"}), purge_tags=False) == []


def test_create_uses_aws_defaults_and_desired_values():
    desired = model.desired_state(params(tags={"t": "v"}, ingestion="stopped", federation={"enabled": True, "role_arn": ROLE}))
    changes = model.compare(desired, None)
    assert [c.setting for c in changes] == ["create", "federation"]
    request = model.create_request(changes[0].after)
    assert request == {
        "Name": "audit",
        "RetentionPeriod": 366,
        "BillingMode": "EXTENDABLE_RETENTION_PRICING",
        "MultiRegionEnabled": True,
        "OrganizationEnabled": False,
        "AdvancedEventSelectors": MGMT_AWS,
        "TerminationProtectionEnabled": True,
        "StartIngestion": False,
        "TagsList": [{"Key": "t", "Value": "v"}],
    }
    fixed = model.compare(model.desired_state(params(billing_mode="FIXED_RETENTION_PRICING")), None)[0].after
    assert fixed["retention_days"] == 2557


def test_predicted_state_for_create_has_no_invented_arn():
    desired = model.desired_state(params(retention_days=30))
    changes = model.compare(desired, None)
    state = model.predicted_state(desired, None, changes)
    assert state["arn"] is None and state["retention_days"] == 30 and state["status"] == "ENABLED"
    assert state["federation"]["enabled"] is False


def test_predicted_state_for_update_and_restore():
    desired = model.desired_state(params(retention_days=400, ingestion="stopped", federation={"enabled": True, "role_arn": ROLE}))
    now = current(Status="PENDING_DELETION")
    changes = model.compare(desired, now)
    assert changes[0].setting == "restore"
    state = model.predicted_state(desired, now, changes)
    assert state["arn"] == ARN and state["retention_days"] == 400 and state["status"] == "STOPPED_INGESTION"
    assert state["federation"] == {"enabled": True, "role_arn": ROLE, "status": "ENABLED"}


@pytest.mark.parametrize(
    "desired, have, option",
    [
        ({"billing_mode": "FIXED_RETENTION_PRICING"}, {}, "billing_mode"),
        ({"retention_days": 3000}, {"BillingMode": "FIXED_RETENTION_PRICING", "RetentionPeriod": 2557}, "retention_days"),
        ({"kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/other"}, {"KmsKeyId": KEY_ARN}, "kms_key_id"),
    ],
)
def test_guards_against_current(desired, have, option):
    with pytest.raises(CloudAuditError) as error:
        model.check_against_current(model.desired_state(params(**desired)), current(**have))
    assert error.value.option == option


def test_retention_decrease_is_a_guarded_change_unless_allowed():
    desired = model.desired_state(params(retention_days=90))
    model.check_against_current(desired, current())
    guarded = model.compare(desired, current())
    assert [(c.setting, c.before, c.after) for c in guarded] == [("retention_days", 366, 90)]
    guard = guarded[0].details["guard"]
    assert guard.option == "retention_days" and "DELETES" in guard.message and "allow_retention_decrease" in guard.message
    assert guard.details == {"current_retention_days": 366}
    allowed = model.compare(desired, current(), allow_retention_decrease=True)
    assert [(c.setting, c.after) for c in allowed] == [("retention_days", 90)] and "guard" not in allowed[0].details


@pytest.mark.parametrize(
    "before, after, allowed, guarded",
    [(366, 90, False, True), (366, 90, True, False), (90, 366, False, False), (90, 90, False, False), (None, 90, False, False)],
)
def test_retention_guard(before, after, allowed, guarded):
    assert (model.retention_guard(before, after, allowed) is not None) == guarded


def test_fixed_to_extendable_is_allowed_and_kms_key_id_matches_arn():
    model.check_against_current(
        model.desired_state(params(billing_mode="EXTENDABLE_RETENTION_PRICING", retention_days=3000)), current(BillingMode="FIXED_RETENTION_PRICING")
    )
    model.check_against_current(model.desired_state(params(kms_key_id="1234abcd-12ab-34cd-56ef-1234567890ab")), current(KmsKeyId=KEY_ARN))
    assert model.compare(model.desired_state(params(kms_key_id="1234abcd-12ab-34cd-56ef-1234567890ab")), current(KmsKeyId=KEY_ARN)) == []
    assert model.is_kms_alias("alias/x") and model.is_kms_alias("arn:aws:kms:us-east-1:1:alias/x") and not model.is_kms_alias(KEY_ARN)


def test_absent_guards():
    assert model.compare_absent(None, True) == []
    assert model.compare_absent(current(Status="PENDING_DELETION"), False) == []
    for option in (True, None):
        guarded = model.compare_absent(current(), option)
        assert [c.setting for c in guarded] == ["termination_protection", "delete"]
        guard = guarded[0].details["guard"]
        assert guard.option == "termination_protection" and "termination_protection: false" in guard.message
        assert "guard" not in guarded[1].details
    with pytest.raises(CloudAuditError) as error:
        model.compare_absent(current(FederationStatus="ENABLED", FederationRoleArn=ROLE), False)
    assert error.value.option == "federation" and "federation" in error.value.msg
    changes = model.compare_absent(current(), False)
    assert not any("guard" in c.details for c in changes)
    assert [(c.setting, c.action) for c in changes] == [("termination_protection", "update"), ("delete", "delete")]
    assert [c.setting for c in model.compare_absent(current(TerminationProtectionEnabled=False), True)] == ["delete"]
    assert "7 days" in model.DELETE_NOTICE and "PENDING_DELETION" in model.DELETE_NOTICE


def test_managed_view_only_shows_managed_settings():
    desired = model.desired_state(params(retention_days=400, termination_protection=None))
    assert model.managed_view(current(), desired) == {"name": "audit", "retention_days": 366, "status": "ENABLED"}
    assert model.managed_view(None, desired) == {}


def test_findings():
    ids = [f["id"] for f in model.findings(current(TerminationProtectionEnabled=False, Status="STOPPED_INGESTION"))]
    assert ids == ["no_customer_managed_key", "termination_protection_off", "ingestion_stopped"]
    assert model.findings(current(KmsKeyId=KEY_ARN)) == []
    assert [f["id"] for f in model.findings(current(KmsKeyId=KEY_ARN, Status="PENDING_DELETION"))] == ["pending_deletion"]


def test_desired_holds_only_the_options_set():
    assert model.desired_state(params(termination_protection=None)) == {"name": "audit"}
    assert model.desired_state(params(termination_protection=None, retention_days=30, tags={})) == {"name": "audit", "retention_days": 30, "tags": {}}


@pytest.mark.parametrize(
    "answer, expected",
    [
        ({}, {}),
        ({"EventDataStoreArn": ARN, "Status": "ENABLED"}, {"arn": ARN, "status": "ENABLED", "ingestion": "enabled"}),
        ({"Status": "STOPPED_INGESTION", "KmsKeyId": KEY_ARN}, {"status": "STOPPED_INGESTION", "ingestion": "stopped", "kms_key_id": KEY_ARN}),
        ({"FederationStatus": "ENABLED", "FederationRoleArn": ROLE}, {"federation": {"enabled": True, "status": "ENABLED", "role_arn": ROLE}}),
        ({"FederationStatus": "DISABLED"}, {"federation": {"enabled": False, "status": "DISABLED", "role_arn": None}}),
        ({"TagsList": [{"Key": "a", "Value": "1"}], "RetentionPeriod": 30}, {"tags": {"a": "1"}, "retention_days": 30}),
        (
            {"TerminationProtectionEnabled": False, "UpdatedTimestamp": datetime(2026, 1, 2, tzinfo=timezone.utc)},
            {"termination_protection": False, "updated": "2026-01-02T00:00:00+00:00"},
        ),
    ],
)
def test_answered_holds_only_what_the_answer_holds(answer, expected):
    assert model.answered(answer) == expected


def test_completed_state_takes_the_answers_in_order_and_keeps_a_later_ingestion():
    desired = model.desired_state(params(retention_days=30, ingestion="stopped", kms_key_id="1234abcd-12ab-34cd-56ef-1234567890ab"))
    changes = model.compare(desired, None)
    predicted = model.predicted_state(desired, None, changes)
    created = {"EventDataStoreArn": ARN, "Status": "STOPPED_INGESTION", "KmsKeyId": KEY_ARN, "RetentionPeriod": 30}
    state = model.completed_state(predicted, [created], changes)
    assert state["arn"] == ARN and state["kms_key_id"] == KEY_ARN and state["status"] == "STOPPED_INGESTION"
    now = current()
    changes = model.compare(model.desired_state(params(retention_days=400, ingestion="stopped")), now)
    predicted = model.predicted_state(model.desired_state(params(retention_days=400, ingestion="stopped")), now, changes)
    state = model.completed_state(predicted, [{"RetentionPeriod": 400, "Status": "ENABLED"}], changes)
    assert state["retention_days"] == 400 and state["status"] == "STOPPED_INGESTION" and state["ingestion"] == "stopped"
