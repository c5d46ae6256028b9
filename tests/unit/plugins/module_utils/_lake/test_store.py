"""cloudtrail_lake_store on the pipeline, with stub AWS wrappers: guards, one update call, no read after the writes."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import cloudtrail, kms
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake import store

from ..conftest import StubModule
from .test_model import ARN, KEY_ARN, aws_store, params


@pytest.fixture
def aws(stub_aws):
    """GetEventDataStore answers aws.store (a test may set it to None); writes answer the store they made."""
    stub_aws.store = aws_store()
    stub_aws.answer(cloudtrail, "get_event_data_store", lambda client, ref: stub_aws.store)
    stub_aws.answer(cloudtrail, "list_tags", {})
    stub_aws.answer(cloudtrail, "create_event_data_store", lambda client, request: dict(aws_store(), Name=request["Name"], KmsKeyId=request.get("KmsKeyId")))
    stub_aws.answer(cloudtrail, "update_event_data_store", lambda client, request: dict(aws_store(), RetentionPeriod=request.get("RetentionPeriod", 366)))
    stub_aws.answer(cloudtrail, "stop_event_data_store_ingestion")
    stub_aws.answer(cloudtrail, "delete_event_data_store")
    stub_aws.answer(kms, "describe_key", {"Arn": KEY_ARN})
    return stub_aws


def test_retention_decrease_in_check_mode_is_a_change_with_a_warning(aws):
    module = StubModule(params(retention_days=30), check_mode=True)
    result = store.ensure(module)
    assert result["changed"] and result["diff"]["after"]["retention_days"] == 30 and aws.names() == ["get_event_data_store"]
    assert len(module.warnings) == 1 and "allow_retention_decrease" in module.warnings[0] and "DELETES" in module.warnings[0]


def test_retention_decrease_in_a_real_run_is_refused_before_any_write(aws):
    with pytest.raises(CloudAuditError, match="allow_retention_decrease") as error:
        store.ensure(StubModule(params(retention_days=30, ingestion="stopped")))
    assert error.value.option == "retention_days" and error.value.details == {"current_retention_days": 366}
    assert aws.names() == ["get_event_data_store"]


def test_update_settings_are_one_call_and_the_answers_complete_the_result(aws):
    result = store.ensure(StubModule(params(retention_days=400, multi_region=False, ingestion="stopped")))
    assert aws.names() == ["get_event_data_store", "update_event_data_store", "stop_event_data_store_ingestion"]
    assert aws.calls[1][1][0] == {"EventDataStore": ARN, "RetentionPeriod": 400, "MultiRegionEnabled": False}
    assert result["event_data_store"]["retention_days"] == 400 and result["event_data_store"]["status"] == "STOPPED_INGESTION"


def test_create_resolves_the_alias_first_and_keeps_the_arn_aws_returns(aws):
    aws.store = None
    result = store.ensure(StubModule(params(name="new-store", kms_key_id="alias/lake")))
    assert aws.names() == ["describe_key", "get_event_data_store", "create_event_data_store"]
    assert aws.calls[2][1][0]["KmsKeyId"] == KEY_ARN
    assert result["event_data_store"]["arn"] == ARN and result["event_data_store"]["kms_key_id"] == KEY_ARN


def test_protected_delete_warns_in_check_mode_and_is_refused_in_a_real_run(aws):
    module = StubModule(params(state="absent"), check_mode=True)
    result = store.ensure(module)
    assert result["changed"] and [c["setting"] for c in result["changes"]] == ["termination_protection", "delete"]
    assert "termination_protection: false" in module.warnings[0]
    with pytest.raises(CloudAuditError, match="termination_protection: false"):
        store.ensure(StubModule(params(state="absent")))
    assert "delete_event_data_store" not in aws.names() and "update_event_data_store" not in aws.names()
