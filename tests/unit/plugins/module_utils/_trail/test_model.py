"""Pure tests of the cloudtrail_trail model: validation, desired state, compare, prediction."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import model
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import selectors as sel

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:topic"
GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"
ROLE_ARN = "arn:aws:iam::123456789012:role/cwl"
IDENTITY = {"account_id": "123456789012", "partition": "aws"}


def params(**kw):
    base = {
        "name": "audit",
        "state": "present",
        "s3_bucket_name": None,
        "s3_key_prefix": None,
        "sns_topic": None,
        "is_multi_region_trail": None,
        "include_global_service_events": None,
        "enable_log_file_validation": None,
        "kms_key_id": None,
        "cloudwatch_logs": None,
        "is_organization_trail": None,
        "enable_logging": True,
        "event_selectors": None,
        "advanced_event_selectors": None,
        "event_presets": None,
        "insight_selectors": None,
        "tags": None,
        "purge_tags": True,
    }
    base.update(kw)
    return base


def current(**kw):
    state = {
        "s3_bucket_name": "bucket",
        "s3_key_prefix": "logs",
        "sns_topic": TOPIC_ARN,
        "include_global_service_events": True,
        "is_multi_region_trail": True,
        "enable_log_file_validation": True,
        "cloudwatch_logs": {"log_group_arn": GROUP_ARN, "role_arn": ROLE_ARN},
        "kms_key_id": KEY_ARN,
        "is_organization_trail": False,
        "event_selectors": sel.DEFAULT_EVENT_SELECTORS,
        "advanced_event_selectors": None,
        "insight_selectors": [],
        "tags": {"a": "1"},
        "enable_logging": True,
    }
    state.update(kw)
    return state


@pytest.mark.parametrize("name", ["abc", "my-trail_1.x", "A" * 128, "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit"])
def test_valid_names(name):
    model.validate(params(name=name))


@pytest.mark.parametrize(
    "name",
    ["ab", "A" * 129, "-audit", "audit-", "au--dit", "a._b", "audit!", "10.0.0.1", "arn:aws:s3:::bucket", "arn:aws:cloudtrail:us-east-1:123456789012:trail/a"],
)
def test_invalid_names(name):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(name=name))
    assert e.value.option == "name"


@pytest.mark.parametrize(
    "kw, option",
    [
        ({"s3_key_prefix": "p" * 201}, "s3_key_prefix"),
        ({"sns_topic": "t" * 257}, "sns_topic"),
        ({"sns_topic": "arn:aws:sqs:us-east-1:123456789012:q"}, "sns_topic"),
        ({"kms_key_id": "arn:aws:s3:::x"}, "kms_key_id"),
        ({"cloudwatch_logs": {"log_group_arn": GROUP_ARN, "role_arn": None}}, "cloudwatch_logs"),
        ({"cloudwatch_logs": {"log_group_arn": None, "role_arn": ROLE_ARN}}, "cloudwatch_logs"),
        ({"cloudwatch_logs": {"log_group_arn": GROUP_ARN[:-2], "role_arn": ROLE_ARN}}, "cloudwatch_logs.log_group_arn"),
        ({"cloudwatch_logs": {"log_group_arn": GROUP_ARN, "role_arn": "arn:aws:iam::123456789012:user/x"}}, "cloudwatch_logs.role_arn"),
        ({"is_multi_region_trail": True, "include_global_service_events": False}, "is_multi_region_trail"),
        ({"tags": {str(i): "v" for i in range(51)}}, "tags"),
        ({"tags": {"k" * 129: "v"}}, "tags"),
        ({"tags": {"k": "v" * 257}}, "tags"),
        ({"event_selectors": [{}] * 6}, "event_selectors"),
        ({"advanced_event_selectors": []}, "advanced_event_selectors"),
        ({"insight_selectors": [{"insight_type": "x"}]}, "insight_selectors[0]"),
    ],
)
def test_bad_input_names_the_option(kw, option):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(**kw))
    assert e.value.option == option
    assert e.value.msg.startswith(option + ": ")


def test_prefix_of_200_is_fine_and_absent_skips_checks():
    model.validate(params(s3_key_prefix="p" * 200))
    model.validate(params(state="absent", s3_key_prefix="p" * 500))


def test_desired_unset_is_absent_and_empty_is_removal():
    d = model.desired_state(params(s3_key_prefix="", sns_topic="", kms_key_id="", cloudwatch_logs={"log_group_arn": None, "role_arn": None}), "us-east-1")
    assert d == {"s3_key_prefix": None, "sns_topic": None, "kms_key_id": None, "cloudwatch_logs": None, "enable_logging": True}
    assert "is_multi_region_trail" not in model.desired_state(params(), "us-east-1")


def test_no_change():
    d = model.desired_state(params(s3_bucket_name="bucket", s3_key_prefix="logs", sns_topic="topic", kms_key_id=KEY_ARN, tags={"a": "1"}), "us-east-1")
    assert model.compare(d, current()) == []


def test_sns_topic_arn_or_name():
    assert model.compare(model.desired_state(params(sns_topic=TOPIC_ARN), "us-east-1"), current()) == []
    changes = model.compare(model.desired_state(params(sns_topic="other"), "us-east-1"), current())
    assert changes[0].details["params"] == {"SnsTopicName": "other"}


def test_removals_send_empty_strings():
    d = model.desired_state(params(s3_key_prefix="", sns_topic="", kms_key_id="", cloudwatch_logs={}), "us-east-1")
    changes = model.compare(d, current())
    assert [c.setting for c in changes] == ["trail"]
    assert changes[0].details["params"] == {
        "S3KeyPrefix": "",
        "SnsTopicName": "",
        "KmsKeyId": "",
        "CloudWatchLogsLogGroupArn": "",
        "CloudWatchLogsRoleArn": "",
    }
    after = model.predict(current(), changes, IDENTITY, "us-east-1")
    assert after["s3_key_prefix"] is None and after["kms_key_id"] is None and after["cloudwatch_logs"] is None


def resolved(desired, kms_arn):
    """desired with kms_key_id resolved to a key ARN, as the Resource folds it in."""
    return dict(desired, kms_key_id=kms_arn)


def test_kms_resolved_in_desired_is_no_change_but_other_key_updates_with_its_arn():
    assert model.compare(resolved(model.desired_state(params(kms_key_id="alias/k"), "us-east-1"), KEY_ARN), current()) == []
    other = KEY_ARN.replace("1234abcd", "9999abcd")
    changes = model.compare(resolved(model.desired_state(params(kms_key_id="alias/new"), "us-east-1"), other), current())
    assert changes[0].details["params"] == {"KmsKeyId": other}
    assert changes[0].after == {"kms_key_id": other}


@pytest.mark.parametrize(
    "after, expected",
    [
        ({"s3_bucket_name": "b", "is_organization_trail": False}, {"S3BucketName": "b", "IsOrganizationTrail": False}),
        ({"s3_bucket_name": "b", "s3_key_prefix": None, "kms_key_id": KEY_ARN}, {"S3BucketName": "b", "KmsKeyId": KEY_ARN}),
        ({"s3_bucket_name": "b", "sns_topic": "topic"}, {"S3BucketName": "b", "SnsTopicName": "topic"}),
        (
            {"s3_bucket_name": "b", "cloudwatch_logs": {"log_group_arn": GROUP_ARN, "role_arn": ROLE_ARN}},
            {"S3BucketName": "b", "CloudWatchLogsLogGroupArn": GROUP_ARN, "CloudWatchLogsRoleArn": ROLE_ARN},
        ),
        ({"s3_bucket_name": "b", "cloudwatch_logs": None, "is_multi_region_trail": True}, {"S3BucketName": "b", "IsMultiRegionTrail": True}),
    ],
)
def test_create_params(after, expected):
    assert model.create_params(after) == expected


def test_omitted_multi_region_never_downgrades():
    changes = model.compare(model.desired_state(params(s3_key_prefix="new"), "us-east-1"), current())
    assert changes[0].details["params"] == {"S3KeyPrefix": "new"}


def test_multi_region_needs_global_events_on_merged_state():
    with pytest.raises(CloudAuditError) as e:
        model.compare(
            model.desired_state(params(is_multi_region_trail=True), "us-east-1"), current(is_multi_region_trail=False, include_global_service_events=False)
        )
    assert e.value.option == "is_multi_region_trail"


def test_create_defaults_and_order():
    d = model.desired_state(
        params(s3_bucket_name="bucket", sns_topic="topic", tags={"a": "1"}, insight_selectors=[{"insight_type": "ApiCallRateInsight"}]), "us-east-1"
    )
    changes = model.compare(d, None)
    assert [c.setting for c in changes] == ["trail", "insight_selectors", "tags", "logging"]
    assert changes[0].action == "create"
    assert changes[0].details["params"] == {
        "S3BucketName": "bucket",
        "SnsTopicName": "topic",
        "IncludeGlobalServiceEvents": True,
        "IsMultiRegionTrail": True,
        "EnableLogFileValidation": True,
        "IsOrganizationTrail": False,
    }
    after = model.predict(None, changes, IDENTITY, "us-east-1")
    assert after["sns_topic"] == "arn:aws:sns:us-east-1:123456789012:topic"
    assert after["enable_logging"] is True
    view = model.trail_view(after, "audit", "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit", "us-east-1", False)
    assert view["has_insight_selectors"] and not view["has_custom_event_selectors"]


def test_create_needs_bucket_and_can_stay_stopped():
    with pytest.raises(CloudAuditError) as e:
        model.compare(model.desired_state(params(), "us-east-1"), None)
    assert e.value.option == "s3_bucket_name"
    changes = model.compare(model.desired_state(params(s3_bucket_name="b", enable_logging=False), "us-east-1"), None)
    assert [c.setting for c in changes] == ["trail"]


def test_selectors_switch_both_ways():
    advanced = [{"field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}]
    d = model.desired_state(params(advanced_event_selectors=advanced), "us-east-1")
    change = model.compare(d, current())[0]
    assert change.setting == "event_selectors"
    assert change.after["event_selectors"] is None and change.after["advanced_event_selectors"][0]["field_selectors"][0]["field"] == "eventCategory"
    now = current(event_selectors=None, advanced_event_selectors=d["advanced_event_selectors"])
    assert model.compare(d, now) == []
    back = model.desired_state(params(event_selectors=[{"read_write_type": "All"}]), "us-east-1")
    assert model.compare(back, now)[0].details["params"] == {"EventSelectors": sel.DEFAULT_EVENT_SELECTORS}
    assert model.compare(back, current()) == []


def test_insights_on_off_and_tags_and_logging():
    on = model.desired_state(params(insight_selectors=[{"insight_type": "ApiCallRateInsight"}]), "us-east-1")
    assert model.compare(on, current())[0].action == "update"
    off = model.desired_state(params(insight_selectors=[]), "us-east-1")
    assert model.compare(off, current(insight_selectors=[{"InsightType": "ApiCallRateInsight"}]))[0].action == "delete"
    assert model.compare(off, current()) == []
    tags = model.compare(model.desired_state(params(tags={"b": "2"}), "us-east-1"), current())[0]
    assert tags.details == {"set": {"b": "2"}, "remove": ["a"]}
    assert model.compare(model.desired_state(params(tags={"a": "1", "b": "2"}, purge_tags=False), "us-east-1"), current())[0].details["remove"] == []
    stop = model.compare(model.desired_state(params(enable_logging=False), "us-east-1"), current())
    assert [(c.setting, c.before, c.after) for c in stop] == [("logging", True, False)]


def test_managed_view_only_holds_managed_settings():
    d = model.desired_state(params(s3_key_prefix="", tags={"a": "1"}), "us-east-1")
    assert model.managed_view(current(), d, "audit") == {"name": "audit", "s3_key_prefix": "logs", "tags": {"a": "1"}, "enable_logging": True}


def test_status_view():
    import datetime

    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    view = model.status_view({"IsLogging": False, "LatestDeliveryTime": when, "LatestDigestDeliveryError": "x"}, True)
    assert view == {"is_logging": True, "latest_delivery_time": "2026-01-01T00:00:00+00:00", "latest_digest_delivery_error": "x"}


def test_api_call_rate_insight_needs_write_management_events():
    insights = [{"insight_type": "ApiCallRateInsight"}]
    read_only = [{"read_write_type": "ReadOnly"}]
    with pytest.raises(CloudAuditError) as e:
        model.compare(model.desired_state(params(insight_selectors=insights, event_selectors=read_only), "us-east-1"), current())
    assert e.value.option == "insight_selectors"
    with pytest.raises(CloudAuditError):
        model.compare(model.desired_state(params(insight_selectors=insights), "us-east-1"), current(event_selectors=sel.basic_to_aws(read_only)))
    # error-rate Insights and write-logging selectors are fine; a new trail gets AWS's default selector
    model.compare(model.desired_state(params(insight_selectors=[{"insight_type": "ApiErrorRateInsight"}], event_selectors=read_only), "us-east-1"), current())
    model.compare(model.desired_state(params(insight_selectors=insights, event_presets={"management_events": "write"}), "us-east-1"), current())
    model.compare(model.desired_state(params(s3_bucket_name="b", insight_selectors=insights), "us-east-1"), None)
