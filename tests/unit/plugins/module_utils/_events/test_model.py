"""Event history search: time parsing, 90-day window, request, paging, normalisation, rate limiter."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._events import model
from ansible_collections.cloudaudit.aws.plugins.module_utils._events.ratelimit import RateLimiter
from ansible_collections.cloudaudit.aws.plugins.module_utils._events.search import lookup_region

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def params(**overrides):
    base = dict(lookup_attribute=None, lookup_value=None, start_time=None, end_time=None, event_category="management", regions=None, max_results=None)
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "value, expected",
    [
        ("-7d", NOW - timedelta(days=7)),
        ("-12h", NOW - timedelta(hours=12)),
        ("-30m", NOW - timedelta(minutes=30)),
        ("-45s", NOW - timedelta(seconds=45)),
        ("now", NOW),
        ("2026-11-01T10:00:00Z", datetime(2026, 11, 1, 10, tzinfo=timezone.utc)),
        ("2026-11-01T12:00:00+02:00", datetime(2026, 11, 1, 10, tzinfo=timezone.utc)),
        ("2026-11-01T10:00:00", datetime(2026, 11, 1, 10, tzinfo=timezone.utc)),
        (None, None),
    ],
)
def test_parse_time(value, expected):
    assert model.parse_time(value, "start_time", NOW) == expected


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"start_time": "-91d"}, "start_time"),
        ({"end_time": "2026-01-01T00:00:00Z"}, "end_time"),
        ({"start_time": "last week"}, "start_time"),
        ({"start_time": "-1d", "end_time": "-2d"}, "start_time"),
        ({"end_time": "2027-01-01T00:00:00Z"}, "end_time"),
        ({"lookup_attribute": "Color", "lookup_value": "x"}, "lookup_attribute"),
        ({"lookup_attribute": "EventName"}, "lookup_value"),
        ({"lookup_value": "x"}, "lookup_attribute"),
        ({"lookup_attribute": "EventName", "lookup_value": "x" * 2001}, "lookup_value"),
        ({"lookup_attribute": "ReadOnly", "lookup_value": "yes"}, "lookup_value"),
        ({"max_results": 0}, "max_results"),
        ({"regions": ["all", "us-east-1"]}, "regions"),
        ({"regions": ["Moon"]}, "regions"),
    ],
)
def test_invalid(overrides, option):
    with pytest.raises(CloudAuditError) as error:
        model.validate(params(**overrides), NOW)
    assert error.value.option == option


def test_older_than_90_days_says_where_older_events_are():
    with pytest.raises(CloudAuditError, match="90 days") as error:
        model.validate(params(start_time="-100d"), NOW)
    assert error.value.msg.startswith("start_time: ")


def test_request():
    search = model.validate(
        params(lookup_attribute="EventName", lookup_value="StopLogging", start_time="-7d", event_category="insight", regions=["us-east-1", "eu-west-1"]), NOW
    )
    assert model.lookup_request(search) == {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "StopLogging"}],
        "StartTime": NOW - timedelta(days=7),
        "EventCategory": "insight",
    }
    assert model.lookup_request(model.validate(params(), NOW)) == {}


def test_page_size():
    assert model.page_size(0, None) == 50
    assert model.page_size(0, 10) == 10
    assert model.page_size(40, 120) == 50
    assert model.page_size(100, 120) == 20


def test_normalize_event_parses_json():
    record = {"eventVersion": "1.09", "awsRegion": "eu-west-1", "recipientAccountId": "123456789012", "userIdentity": {"accountId": "123456789012"}}
    event = model.normalize_event(
        {
            "EventId": "e1",
            "EventName": "StopLogging",
            "EventTime": NOW,
            "Username": "alice",
            "Resources": [{"ResourceType": "AWS::CloudTrail::Trail", "ResourceName": "main"}],
            "CloudTrailEvent": json.dumps(record),
        },
        "us-east-1",
    )
    assert event["cloud_trail_event"] == record
    assert event["region"] == "eu-west-1" and event["account"] == "123456789012"
    assert event["event_time"] == NOW.isoformat()
    assert event["resources"] == [{"resource_type": "AWS::CloudTrail::Trail", "resource_name": "main"}]
    assert model.normalize_event({"CloudTrailEvent": "not json"}, "us-east-1")["cloud_trail_event"] == "not json"


def test_merge_sorts_newest_first_and_counts():
    events, counts = model.merge({"a": [{"event_time": "2026-01-01"}], "b": [{"event_time": "2026-02-01"}, {"event_time": "2025-01-01"}], "c": []})
    assert [e["event_time"] for e in events] == ["2026-02-01", "2026-01-01", "2025-01-01"]
    assert counts == {"a": 1, "b": 2, "c": 0}


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_calls_half_a_second():
    fake = FakeClock()
    limiter = RateLimiter(2.0, clock=fake.clock, sleep=fake.sleep)
    for dummy in range(5):
        limiter.acquire()
    assert fake.slept == [0.5, 0.5, 0.5, 0.5]
    fake.now += 10
    assert limiter.acquire() == 0


def test_rate_limiter_counts_the_interval_from_a_slow_answer():
    fake = FakeClock()
    limiter = RateLimiter(2.0, clock=fake.clock, sleep=fake.sleep)
    with limiter:
        fake.now += 0.3  # the answer took 0.3 s
    with limiter:
        pass
    assert fake.slept == [0.5]


class FakeClient:
    """LookupEvents with three pages; records each request."""

    def __init__(self, pages):
        self.pages = pages
        self.requests = []

    def lookup_events(self, **request):
        self.requests.append(request)
        index = int(request.get("NextToken", "0"))
        page = {"Events": self.pages[index]}
        if index + 1 < len(self.pages):
            page["NextToken"] = str(index + 1)
        return page


def _events(n, prefix):
    return [{"EventId": f"{prefix}{i}", "EventTime": NOW, "CloudTrailEvent": "{}"} for i in range(n)]


def test_lookup_region_pages_within_rate_and_stops_at_max_results():
    fake = FakeClock()
    client = FakeClient([_events(50, "a"), _events(50, "b"), _events(7, "c")])
    search = model.validate(params(lookup_attribute="Username", lookup_value="alice"), NOW)
    events, more = lookup_region(client, "us-east-1", search, RateLimiter(2.0, clock=fake.clock, sleep=fake.sleep))
    assert len(events) == 107 and more is False
    assert len(client.requests) == 3 and fake.slept == [0.5, 0.5]  # the fake answers instantly
    assert all(r["LookupAttributes"] == [{"AttributeKey": "Username", "AttributeValue": "alice"}] for r in client.requests)

    client = FakeClient([_events(50, "a"), _events(50, "b"), _events(7, "c")])
    search = model.validate(params(max_results=60), NOW)
    events, more = lookup_region(client, "us-east-1", search, RateLimiter(2.0, clock=fake.clock, sleep=fake.sleep))
    assert len(events) == 60 and more is True
    assert [r["MaxResults"] for r in client.requests] == [50, 10]


def test_enabled_regions_skip_regions_not_opted_in():
    regions = [
        {"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"},
        {"RegionName": "ap-east-1", "OptInStatus": "not-opted-in"},
        {"RegionName": "af-south-1", "OptInStatus": "opted-in"},
        {"RegionName": "eu-west-1"},
    ]
    assert model.enabled_region_names(regions) == ["af-south-1", "eu-west-1", "us-east-1"]
