"""Pure tests of the CIS / Security Hub findings of cloudtrail_trail_info."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import findings

ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit"


def trail(**kw):
    base = {
        "trail_arn": ARN,
        "shadow": False,
        "is_multi_region_trail": True,
        "status": {"is_logging": True},
        "log_file_validation_enabled": True,
        "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k",
        "cloud_watch_logs_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:g:*",
        "event_selectors": [{"read_write_type": "All", "include_management_events": True, "data_resources": []}],
        "advanced_event_selectors": None,
        "tags": {"a": "1"},
    }
    base.update(kw)
    return base


def by_control(result):
    return {(f["control"], f["resource"]): f["status"] for f in result}


def test_compliant_trail():
    result = by_control(findings.evaluate([trail()], "123456789012"))
    assert result[("CIS 3.1 / CloudTrail.1", "123456789012")] == "PASSED"
    assert result[("CIS 3.2 / CloudTrail.4", ARN)] == "PASSED"
    assert result[("CIS 3.5 / CloudTrail.2", ARN)] == "PASSED"
    assert result[("CloudTrail.5", ARN)] == "PASSED"
    assert result[("CloudTrail.9", ARN)] == "PASSED"
    assert result[("CIS 3.8", "123456789012")] == "FAILED"


def test_coverage_control_tower_from_the_log_group_too():
    """A trail named and delivering like the user's own, but into Control Tower's log group, is Control Tower's."""
    log_group = "arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs:*"
    (covering,) = findings.coverage([trail(name="audit", s3_bucket_name="audit-logs", cloud_watch_logs_log_group_arn=log_group)])
    assert covering["control_tower"] and covering["cloud_watch_logs_log_group_arn"] == log_group
    (own,) = findings.coverage(
        [trail(name="audit", s3_bucket_name="audit-logs", cloud_watch_logs_log_group_arn=log_group.replace("aws-controltower/", "audit/"))]
    )
    assert not own["control_tower"]


@pytest.mark.parametrize(
    "kw",
    [
        {"is_multi_region_trail": False},
        {"status": {"is_logging": False}},
        {"event_selectors": [{"read_write_type": "WriteOnly", "include_management_events": True}]},
        {
            "event_selectors": None,
            "advanced_event_selectors": [
                {"field_selectors": [{"field": "eventCategory", "equals": ["Management"]}, {"field": "readOnly", "equals": ["false"]}]}
            ],
        },
    ],
)
def test_cis_3_1_fails(kw):
    assert by_control(findings.evaluate([trail(**kw)], "1"))[("CIS 3.1 / CloudTrail.1", "1")] == "FAILED"


@pytest.mark.parametrize(
    "kw, write, read",
    [
        ({"event_selectors": [{"read_write_type": "All", "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]}, "PASSED", "PASSED"),
        (
            {"event_selectors": [{"read_write_type": "WriteOnly", "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::"]}]}]},
            "PASSED",
            "FAILED",
        ),
        (
            {"event_selectors": [{"read_write_type": "All", "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::one/"]}]}]},
            "FAILED",
            "FAILED",
        ),
        (
            {
                "event_selectors": None,
                "advanced_event_selectors": [
                    {"field_selectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}
                ],
            },
            "PASSED",
            "PASSED",
        ),
        (
            {
                "event_selectors": None,
                "advanced_event_selectors": [
                    {
                        "field_selectors": [
                            {"field": "eventCategory", "equals": ["Data"]},
                            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                            {"field": "readOnly", "equals": ["true"]},
                        ]
                    }
                ],
            },
            "FAILED",
            "PASSED",
        ),
    ],
)
def test_s3_data_events(kw, write, read):
    result = by_control(findings.evaluate([trail(**kw)], "1"))
    assert (result[("CIS 3.8", "1")], result[("CIS 3.9", "1")]) == (write, read)


def test_shadows_evaluated_once_and_untagged_fails():
    result = findings.evaluate([trail(tags={}), trail(shadow=True)], "1")
    assert sum(1 for f in result if f["control"] == "CloudTrail.9") == 1
    assert by_control(result)[("CloudTrail.9", ARN)] == "FAILED"


CT_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail"


def test_coverage_lists_covering_trails_organization_first_once_each():
    org = trail(trail_arn=CT_ARN, name="aws-controltower-BaselineCloudTrail", is_organization_trail=True, s3_bucket_name="aws-controltower-logs-4-us-east-1")
    own = trail(name="audit")
    shadow = trail(trail_arn=CT_ARN, name="aws-controltower-BaselineCloudTrail", is_organization_trail=True, shadow=True)
    covering = findings.coverage([own, org, shadow])
    assert [c["trail_arn"] for c in covering] == [CT_ARN, ARN]
    assert covering[0]["organization"] and covering[0]["control_tower"] and covering[0]["owner_account_id"] == "111122223333"
    assert not covering[1]["organization"] and not covering[1]["control_tower"]


@pytest.mark.parametrize(
    "kw",
    [
        {"is_multi_region_trail": False},
        {"status": {"is_logging": False}},
        {"event_selectors": [{"read_write_type": "WriteOnly", "include_management_events": True}]},
        {"event_selectors": [{"read_write_type": "All", "include_management_events": False}]},
    ],
)
def test_coverage_needs_a_logging_multi_region_trail_with_all_management_events(kw):
    assert findings.coverage([trail(**kw)]) == []


def test_control_tower_names():
    assert findings.control_tower_owned("aws-controltower-logs-123456789012-us-east-1")
    assert findings.control_tower_owned("arn:aws:logs:us-east-1:1:log-group:aws-controltower/CloudTrailLogs:*")
    assert findings.control_tower_owned("aws-controltower/CloudTrailLogs")
    assert findings.control_tower_owned("arn:aws:cloudtrail:us-east-1:1:trail/aws-controltower-BaselineCloudTrail")
    assert not findings.control_tower_owned("cloudaudit-audit-logs") and not findings.control_tower_owned(None)
