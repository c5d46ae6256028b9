"""cloudtrail_log_group through the pipeline, with the _aws seam stubbed: reads, guards, writes."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._logs import ensure

from ..seam_stubs import Seam, StubModule, writes
from .test_model import params

GROUP = {"logGroupName": "g", "arn": "arn:aws:logs:us-east-1:111122223333:log-group:g:*", "retentionInDays": 365, "storedBytes": 0}
STREAM = {"logStreamName": "111122223333_CloudTrail_us-east-1", "lastEventTimestamp": 1}


@pytest.fixture
def seam(monkeypatch):
    calls: list[str] = []

    def install(group=None, stream=None, role=None, role_policy=None, **answers):
        page = {"logGroups": [group] if group else []}
        logs = {"describe_log_groups_page": page, "latest_log_stream": stream, "list_tags_for_resource": {}, **answers}
        monkeypatch.setattr(ensure, "aws_logs", Seam(calls, logs))
        monkeypatch.setattr(ensure, "aws_iam", Seam(calls, {"get_role": role, "get_role_policy": role_policy}))
        return calls

    return install


@pytest.mark.parametrize("check_mode", [True, False])
def test_lowering_the_retention_of_a_group_holding_a_stream_is_a_guard(seam, check_mode) -> None:
    calls = seam(group=GROUP, stream=STREAM)
    module = StubModule(params(retention_days=90), check_mode=check_mode)
    if check_mode:
        result = ensure.ensure(module)
        assert result["changed"] and result["changes"] == [{"setting": "retention_days", "action": "update", "before": 365, "after": 90}]
        assert result["diff"]["after"]["log_group"]["retention_days"] == 90
        assert len(module.warnings) == 1 and "allow_retention_decrease=true" in module.warnings[0]
    else:
        with pytest.raises(CloudAuditError) as error:
            ensure.ensure(module)
        assert error.value.option == "retention_days"
        assert error.value.details == {"retention_before": 365, "retention_after": 90}
    assert calls == ["describe_log_groups_page", "latest_log_stream"]


def test_a_group_without_stream_is_lowered_with_one_more_read(seam) -> None:
    calls = seam(group=GROUP, stream=None)
    result = ensure.ensure(StubModule(params(retention_days=90)))
    assert result["changed"] and result["log_group"]["retention_days"] == 90
    assert calls == ["describe_log_groups_page", "latest_log_stream", "put_retention_policy"]


@pytest.mark.parametrize("overrides", [{"retention_days": 90, "allow_retention_decrease": True}, {"retention_days": 400}, {}])
def test_the_streams_are_read_only_for_a_guarded_decrease(seam, overrides) -> None:
    calls = seam(group=GROUP)
    ensure.ensure(StubModule(params(**overrides)))
    assert "latest_log_stream" not in calls


def test_creation_passes_the_class_only_when_managed(seam) -> None:
    created = []
    calls = seam(create_log_group=lambda *args: created.append(args))
    result = ensure.ensure(StubModule(params(retention_days=30), calls=calls))
    assert created == [("logs", "g", None, None, {})]
    assert calls == ["describe_log_groups_page", "get_caller_identity", "create_log_group", "put_retention_policy"]
    assert result["log_group_arn"] == "arn:aws:logs:us-east-1:111122223333:log-group:g:*"


@pytest.mark.parametrize("check_mode", [True, False])
def test_deleting_a_group_holding_events_is_a_guard(seam, check_mode) -> None:
    calls = seam(group=GROUP, stream=STREAM)
    module = StubModule(params(state="absent"), check_mode=check_mode)
    if check_mode:
        result = ensure.ensure(module)
        assert result["changed"] and [c["setting"] for c in result["changes"]] == ["log_group"]
        assert result["diff"] == {"before": {"log_group": {"name": "g"}}, "after": {}}
        assert "force_delete_logs=true" in module.warnings[0]
    else:
        with pytest.raises(CloudAuditError) as error:
            ensure.ensure(module)
        assert error.value.option == "force_delete_logs"
    assert writes(calls) == []


def test_delete_with_force_reads_the_stream_and_deletes(seam) -> None:
    calls = seam(group=GROUP, stream=STREAM)
    result = ensure.ensure(StubModule(params(state="absent", force_delete_logs=True)))
    assert result["changed"] and result["log_group"] is None
    assert calls == ["describe_log_groups_page", "latest_log_stream", "delete_log_group"]
