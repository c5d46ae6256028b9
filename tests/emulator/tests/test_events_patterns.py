"""EventBridge TestEventPattern: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

PATTERN = {
    "source": ["aws.cloudtrail"],
    "detail-type": ["AWS API Call via CloudTrail"],
    "detail": {
        "eventSource": ["cloudtrail.amazonaws.com"],
        "eventName": ["StopLogging", "DeleteTrail"],
        "$or": [{"requestParameters": {"name": ["org-trail"]}}, {"requestParameters": {"trailName": ["org-trail"]}}],
    },
}


def event(**detail) -> dict:
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cloudtrail",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging", "requestParameters": {"name": "org-trail"}, **detail},
    }


def matches(events, pattern, evt) -> bool:
    return events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(evt))["Result"]


@pytest.fixture
def events(aws):
    return aws.client("events")


def test_result_true_for_a_matching_event(events):
    assert matches(events, PATTERN, event()) is True
    assert matches(events, PATTERN, event(requestParameters={"trailName": "org-trail"})) is True


@pytest.mark.parametrize(
    "change",
    [
        {"eventName": "StartLogging"},
        {"eventSource": "s3.amazonaws.com"},
        {"requestParameters": {"name": "other-trail"}},
        {"requestParameters": {}},
    ],
)
def test_result_false_when_a_detail_key_differs(events, change):
    assert matches(events, PATTERN, event(**change)) is False


def test_source_and_detail_type_are_honoured(events):
    evt = event()
    evt["source"] = "aws.s3"
    assert matches(events, PATTERN, evt) is False
    evt = event()
    evt["detail-type"] = "AWS Console Sign In via CloudTrail"
    assert matches(events, PATTERN, evt) is False


def test_an_event_without_its_envelope_is_invalid(events):
    evt = event()
    del evt["id"]
    with pytest.raises(ClientError) as e:
        matches(events, PATTERN, evt)
    assert e.value.response["Error"]["Code"] == "InvalidEventPatternException"
    assert "Event is not valid" in e.value.response["Error"]["Message"]


@pytest.mark.parametrize("pattern", ['{"source": "aws.s3"}', '{"source": []}', "{"])
def test_an_invalid_pattern_is_refused(events, pattern):
    with pytest.raises(ClientError) as e:
        events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event()))
    assert e.value.response["Error"]["Code"] == "InvalidEventPatternException"
