"""_aws.cloudtrail and _aws.organizations: not-found answers and pages (stub client, no AWS)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import cloudtrail, organizations

from .test_s3 import StubClient, _error


@pytest.mark.parametrize("code", cloudtrail.TRAIL_NOT_FOUND)
def test_trail_status_of_a_missing_trail_is_none(code):
    assert cloudtrail.get_trail_status(StubClient(get_trail_status=_error(code)), "arn") is None


def test_insight_selectors_not_enabled_is_none():
    assert cloudtrail.get_insight_selectors(StubClient(get_insight_selectors=_error("InsightNotEnabledException")), "arn") is None
    assert cloudtrail.get_insight_selectors(StubClient(get_insight_selectors={"InsightSelectors": None}), "arn") == []


@pytest.mark.parametrize("code", cloudtrail.EVENT_DATA_STORE_NOT_FOUND)
def test_missing_event_data_store_is_none(code):
    assert cloudtrail.get_event_data_store(StubClient(get_event_data_store=_error(code)), "store") is None


def test_event_data_store_without_response_metadata():
    client = StubClient(get_event_data_store={"Name": "s", "ResponseMetadata": {}})
    assert cloudtrail.get_event_data_store(client, "s") == {"Name": "s"}


class Stores:
    """ListEventDataStores answers ARN and name only (as AWS does now); GetEventDataStore the settings, 'gone' deleted meanwhile."""

    def __init__(self):
        self.calls = []

    def list_event_data_stores(self, **kwargs):
        self.calls.append(("list", kwargs))
        return {"EventDataStores": [{"EventDataStoreArn": "arn:a", "Name": "a"}, {"EventDataStoreArn": "arn:gone", "Name": "gone"}]}

    def get_event_data_store(self, EventDataStore):
        self.calls.append(("get", EventDataStore))
        if EventDataStore == "arn:gone":
            raise _error("EventDataStoreNotFoundException")
        return {"EventDataStoreArn": EventDataStore, "Name": "a", "BillingMode": "FIXED_RETENTION_PRICING", "RetentionPeriod": 2557}


def test_describe_event_data_stores_reads_each_listed_store():
    client = Stores()
    stores = cloudtrail.describe_event_data_stores(client)
    assert stores == [{"EventDataStoreArn": "arn:a", "Name": "a", "BillingMode": "FIXED_RETENTION_PRICING", "RetentionPeriod": 2557}]
    assert client.calls == [("list", {}), ("get", "arn:a"), ("get", "arn:gone")]


class PagedTags:
    def __init__(self):
        self.calls = []

    def list_tags(self, **kwargs):
        self.calls.append(kwargs)
        if "NextToken" not in kwargs:
            return {"ResourceTagList": [{"TagsList": [{"Key": "a", "Value": "1"}]}], "NextToken": "t"}
        return {"ResourceTagList": [{"TagsList": [{"Key": "b"}]}]}


def test_list_tags_reads_every_page():
    client = PagedTags()
    assert cloudtrail.list_tags(client, "arn") == {"a": "1", "b": ""}
    assert client.calls == [{"ResourceIdList": ["arn"]}, {"ResourceIdList": ["arn"], "NextToken": "t"}]


def test_account_outside_an_organization():
    assert organizations.describe_organization(StubClient(describe_organization=_error("AWSOrganizationsNotInUseException"))) is None
    with pytest.raises(ClientError):
        organizations.describe_organization(StubClient(describe_organization=_error("AccessDeniedException")))
