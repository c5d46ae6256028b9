"""CloudWatch Logs TestMetricFilter: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._alerts.catalog import CIS_METRICS


@pytest.fixture
def logs(aws):
    return aws.client("logs")


def matched(logs, pattern: str, *events: dict) -> list[int]:
    answer = logs.test_metric_filter(filterPattern=pattern, logEventMessages=[json.dumps(e) for e in events])
    return [m["eventNumber"] for m in answer["matches"]]


def test_or_of_equalities_with_bare_words(logs):
    pattern = CIS_METRICS["cloudtrail_changes"]["pattern"]
    assert matched(logs, pattern, {"eventName": "StopLogging"}, {"eventName": "StartLogging"}, {"eventName": "LookupEvents"}) == [1, 2]


def test_wildcards_and_not_equal(logs):
    pattern = CIS_METRICS["unauthorized_api_calls"]["pattern"]
    events = [
        {"errorCode": "Client.UnauthorizedOperation", "sourceIPAddress": "198.51.100.1", "eventName": "RunInstances"},
        {"errorCode": "AccessDeniedException", "sourceIPAddress": "198.51.100.1", "eventName": "GetKeyPolicy"},
        {"errorCode": "AccessDenied", "sourceIPAddress": "198.51.100.1", "eventName": "HeadBucket"},
        {"errorCode": "AccessDenied", "sourceIPAddress": "delivery.logs.amazonaws.com", "eventName": "PutObject"},
        {"errorCode": "NoSuchBucket", "sourceIPAddress": "198.51.100.1", "eventName": "GetBucketPolicy"},
        {"sourceIPAddress": "198.51.100.1", "eventName": "ListBuckets"},
    ]
    assert matched(logs, pattern, *events) == [1, 2]


def test_not_exists_and_nested_fields(logs):
    pattern = CIS_METRICS["root_usage"]["pattern"]
    events = [
        {"userIdentity": {"type": "Root"}, "eventType": "AwsApiCall"},
        {"userIdentity": {"type": "Root", "invokedBy": "support.amazonaws.com"}, "eventType": "AwsApiCall"},
        {"userIdentity": {"type": "Root"}, "eventType": "AwsServiceEvent"},
        {"userIdentity": {"type": "IAMUser"}, "eventType": "AwsApiCall"},
    ]
    assert matched(logs, pattern, *events) == [1]


def test_and_with_a_parenthesised_or(logs):
    pattern = CIS_METRICS["cmk_disable_or_deletion"]["pattern"]
    events = [
        {"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion"},
        {"eventSource": "kms.amazonaws.com", "eventName": "EnableKey"},
        {"eventSource": "ec2.amazonaws.com", "eventName": "DisableKey"},
    ]
    assert matched(logs, pattern, *events) == [1]


def test_quoted_strings_with_spaces(logs):
    pattern = CIS_METRICS["console_auth_failures"]["pattern"]
    events = [{"eventName": "ConsoleLogin", "errorMessage": "Failed authentication"}, {"eventName": "ConsoleLogin"}]
    assert matched(logs, pattern, *events) == [1]


def test_a_missing_field_matches_no_comparison(logs):
    assert matched(logs, '{ $.a != "x" }', {"b": 1}, {"a": "y"}) == [2]
    assert matched(logs, "{ $.a EXISTS }", {"b": 1}, {"a": None}) == [2]
    assert matched(logs, "{ $.a IS NULL }", {"a": None}, {"a": 0}) == [1]


def test_numbers_and_array_indexes(logs):
    assert matched(logs, "{ $.n > 2 }", {"n": 3}, {"n": 2}, {"n": "3"}) == [1]
    assert matched(logs, "{ $.r[1].id = b }", {"r": [{"id": "a"}, {"id": "b"}]}, {"r": [{"id": "b"}]}) == [1]


def test_every_cis_pattern_parses(logs):
    for spec in CIS_METRICS.values():
        assert matched(logs, spec["pattern"], {"eventName": "Nothing"}) == []


def test_non_json_messages_and_terms(logs):
    answer = logs.test_metric_filter(filterPattern="{ $.a = 1 }", logEventMessages=["not json", '{"a": 1}'])
    assert [m["eventNumber"] for m in answer["matches"]] == [2]
    answer = logs.test_metric_filter(filterPattern='ERROR "disk full"', logEventMessages=["ERROR: disk full", "ERROR: ok"])
    assert [m["eventMessage"] for m in answer["matches"]] == ["ERROR: disk full"]
    assert len(logs.test_metric_filter(filterPattern="", logEventMessages=["a", "b"])["matches"]) == 2


@pytest.mark.parametrize("pattern", ["{ $.a = }", "{ ($.a = 1 }", "{ $.a = 1 } x", "{ a = 1 }"])
def test_a_malformed_pattern_is_refused(logs, pattern):
    with pytest.raises(ClientError) as e:
        logs.test_metric_filter(filterPattern=pattern, logEventMessages=["{}"])
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
