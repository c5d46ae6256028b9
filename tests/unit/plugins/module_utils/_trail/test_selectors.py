"""Pure tests of the trail selectors: validation limits, canonical comparison, presets."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import selectors as sel


@pytest.mark.parametrize(
    "selectors, option_prefix",
    [
        ([{}] * 6, "event_selectors"),
        ([{"data_resources": [{"type": "AWS::S3::Object", "values": [str(i) for i in range(251)]}]}], "event_selectors"),
        ([{"read_write_type": "Sometimes"}], "event_selectors[0]"),
        ([{"exclude_management_event_sources": ["s3.amazonaws.com"]}], "event_selectors[0]"),
        ([{"data_resources": [{"type": "AWS::EC2::Instance", "values": ["x"]}]}], "event_selectors[0]"),
    ],
)
def test_basic_limits(selectors, option_prefix):
    with pytest.raises(CloudAuditError) as e:
        sel.basic_to_aws(selectors)
    assert e.value.option == option_prefix


def test_basic_at_the_limits_is_accepted():
    five = [{"data_resources": [{"type": "AWS::S3::Object", "values": [str(i) for i in range(50)]}]}] * 5
    assert len(sel.basic_to_aws(five)) == 5


@pytest.mark.parametrize(
    "field, operator",
    [("readOnly", "not_equals"), ("eventCategory", "starts_with"), ("resources.type", "ends_with")],
)
def test_equals_only_fields(field, operator):
    with pytest.raises(CloudAuditError) as e:
        sel.advanced_to_aws([{"field_selectors": [{"field": field, operator: ["x"]}]}])
    assert e.value.option == "advanced_event_selectors[0].field_selectors[0]"
    assert "only supports the equals operator" in e.value.msg


@pytest.mark.parametrize(
    "fields, message",
    [
        ([{"field": "bad field", "equals": ["x"]}], "letters, digits"),
        ([{"field": "eventName"}], "at least one operator"),
        ([{"field": "eventName", "equals": ["x" * 2049]}], "1-2048"),
        ([], "at least one field selector"),
    ],
)
def test_advanced_bad_fields(fields, message):
    with pytest.raises(CloudAuditError) as e:
        sel.advanced_to_aws([{"field_selectors": fields}])
    assert message in e.value.msg


def test_advanced_value_limit_and_open_field_names():
    ok = sel.advanced_to_aws([{"field_selectors": [{"field": "some.future.field", "equals": [str(i) for i in range(500)]}]}])
    assert ok[0]["FieldSelectors"][0]["Field"] == "some.future.field"
    with pytest.raises(CloudAuditError) as e:
        sel.advanced_to_aws([{"field_selectors": [{"field": "resources.ARN", "starts_with": [str(i) for i in range(501)]}]}])
    assert e.value.option == "advanced_event_selectors"


def test_canonical_forms_ignore_order():
    a = [{"Name": "x", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.ARN", "StartsWith": ["b", "a"]}]}]
    b = [{"Name": "x", "FieldSelectors": [{"Field": "resources.ARN", "StartsWith": ["a", "b"]}, {"Field": "eventCategory", "Equals": ["Data"]}]}]
    assert sel.canonical_advanced(a) == sel.canonical_advanced(b)
    assert sel.canonical_advanced(a) != sel.canonical_advanced([{**a[0], "Name": "y"}])
    basic = sel.basic_to_aws([{"read_write_type": "All", "include_management_events": True}])
    assert sel.canonical_basic(basic) == sel.canonical_basic(sel.DEFAULT_EVENT_SELECTORS)
    assert sel.canonical_insights([{"InsightType": "ApiCallRateInsight"}]) == sel.canonical_insights(
        [{"InsightType": "ApiCallRateInsight", "EventCategories": ["Management"]}]
    )


@pytest.mark.parametrize(
    "presets, region, expected",
    [
        (
            {"management_events": "all"},
            "us-east-1",
            [{"name": "Management events (all)", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}],
        ),
        (
            {"management_events": "write", "exclude_management_event_sources": ["rdsdata.amazonaws.com", "kms.amazonaws.com"]},
            "us-east-1",
            [
                {
                    "name": "Management events (write)",
                    "field_selectors": [
                        {"field": "eventCategory", "equals": ["Management"]},
                        {"field": "readOnly", "equals": ["false"]},
                        {"field": "eventSource", "not_equals": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]},
                    ],
                }
            ],
        ),
        (
            {"management_events": "none", "s3_data_buckets": ["logs", "arn:aws-cn:s3:::other"]},
            "cn-north-1",
            [
                {
                    "name": "S3 data events",
                    "field_selectors": [
                        {"field": "eventCategory", "equals": ["Data"]},
                        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                        {"field": "resources.ARN", "starts_with": ["arn:aws-cn:s3:::logs/", "arn:aws-cn:s3:::other/"]},
                    ],
                }
            ],
        ),
        (
            {"management_events": "none", "lambda_data_functions": ["*"]},
            "us-east-1",
            [
                {
                    "name": "Lambda data events",
                    "field_selectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::Lambda::Function"]}],
                }
            ],
        ),
    ],
)
def test_presets(presets, region, expected):
    assert sel.presets_to_advanced(presets, region) == expected
    sel.advanced_to_aws(expected)  # presets are valid advanced selectors


def test_presets_selecting_nothing_fail():
    with pytest.raises(CloudAuditError) as e:
        sel.presets_to_advanced({"management_events": "none"}, "us-east-1")
    assert e.value.option == "event_presets"


def test_insights():
    assert sel.insights_to_aws([{"insight_type": "ApiErrorRateInsight", "event_categories": ["Management"]}]) == [
        {"InsightType": "ApiErrorRateInsight", "EventCategories": ["Management"]}
    ]
    for bad in ([{"insight_type": "Nope"}], [{"insight_type": "ApiCallRateInsight"}] * 2):
        with pytest.raises(CloudAuditError):
            sel.insights_to_aws(bad)
