"""cloudtrail_kms_key through the pipeline, with the _aws seam stubbed: the created key is kept on the Resource."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._kms import ensure

from ..seam_stubs import Seam, StubModule, writes
from .test_model import KEY_ARN, params

METADATA = {"KeyId": "k-1", "Arn": KEY_ARN, "KeyState": "Enabled", "Description": "", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT"}
NEW_ARN = "arn:aws:kms:us-east-1:111122223333:key/new"


@pytest.fixture
def seam(monkeypatch):
    calls: list[str] = []
    args: dict[str, tuple] = {}

    def install(metadata=None, rotation=None):
        answers = {
            "describe_key": metadata,
            "get_key_policy": {"Statement": []},
            "get_key_rotation_status": rotation or {"enabled": True, "period_days": 365},
            "create_key": {"KeyId": "new", "Arn": NEW_ARN},
        }
        for name in ("create_alias", "enable_key_rotation", "schedule_key_deletion", "delete_alias"):
            answers[name] = lambda *a, name=name: args.__setitem__(name, a)
        monkeypatch.setattr(ensure, "aws_kms", Seam(calls, answers))
        return calls, args

    return install


def test_check_mode_creation_invents_no_arn(seam) -> None:
    calls, dummy = seam()
    result = ensure.ensure(StubModule(params(), check_mode=True, calls=calls))
    assert result["changed"] and (result["key_arn"], result["key_id"], result["key"]["key_arn"]) == (None, None, None)
    assert result["alias_arn"] == "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail"
    assert calls == ["describe_key", "get_caller_identity"]


def test_creation_keeps_the_new_key_for_the_later_writes(seam) -> None:
    calls, args = seam()
    result = ensure.ensure(StubModule(params(), calls=calls))
    assert writes(calls) == ["create_key", "create_alias", "enable_key_rotation"]
    assert args["create_alias"] == ("kms", "alias/cloudtrail", "new")
    assert args["enable_key_rotation"] == ("kms", "new", None)
    assert (result["key_arn"], result["key_id"], result["key"]["key_arn"]) == (NEW_ARN, "new", NEW_ARN)


def test_existing_key_reads_what_is_managed_only(seam) -> None:
    calls, args = seam(METADATA, rotation={"enabled": False, "period_days": None})
    result = ensure.ensure(StubModule(params(rotation_period_days=180), calls=calls))
    assert sorted(calls[:3]) == ["describe_key", "get_key_policy", "get_key_rotation_status"]
    assert "get_caller_identity" not in calls and "list_resource_tags" not in calls
    assert args["enable_key_rotation"] == ("kms", "k-1", 180)
    assert result["key_arn"] == KEY_ARN


def test_an_aws_managed_key_is_an_error(seam) -> None:
    seam(dict(METADATA, KeyManager="AWS"))
    with pytest.raises(CloudAuditError) as error:
        ensure.ensure(StubModule(params()))
    assert error.value.option == "alias"


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_schedules_the_deletion(seam, check_mode) -> None:
    calls, args = seam(METADATA)
    result = ensure.ensure(StubModule(params(state="absent", pending_window_days=7), check_mode=check_mode))
    assert result["changed"] and [c["setting"] for c in result["changes"]] == ["deletion", "alias"]
    assert result["diff"] == {
        "before": {"key": {"alias": "alias/cloudtrail", "key_state": "Enabled"}},
        "after": {"key": {"alias": None, "key_state": "PendingDeletion"}},
    }
    assert (result["key_arn"], result["key_id"], result["alias_arn"]) == (KEY_ARN, "k-1", None)
    assert writes(calls) == ([] if check_mode else ["schedule_key_deletion", "delete_alias"])
    if not check_mode:
        assert args["schedule_key_deletion"] == ("kms", "k-1", 7)
