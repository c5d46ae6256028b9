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

    def install(metadata=None, rotation=None, orphans=None, unreadable=()):
        orphans = orphans or {}
        answers = {
            "describe_key": (lambda client, key_id: orphans.get(key_id, metadata if key_id.startswith("alias/") else None)),
            "list_alias_targets": set(),
            "list_key_ids": list(orphans),
            "list_resource_tags": lambda client, key_id: {"cloudaudit:alias": "alias/cloudtrail"} if key_id in orphans else {},
            # the orphan scan's read: None for a key whose tags the caller may not read (or that is gone)
            "list_resource_tags_if_readable": lambda client, key_id: (
                None if key_id in unreadable else {"cloudaudit:alias": "alias/cloudtrail"} if key_id in orphans else {}
            ),
            "get_key_policy": {"Statement": []},
            "get_key_rotation_status": rotation or {"enabled": True, "period_days": 365},
            "create_key": {"KeyId": "new", "Arn": NEW_ARN},
        }
        for name in ("create_key", "create_alias", "enable_key_rotation", "schedule_key_deletion", "delete_alias"):
            if name == "create_key":
                answers[name] = lambda *a: args.__setitem__("create_key", a) or {"KeyId": "new", "Arn": NEW_ARN}
                continue
            answers[name] = lambda *a, name=name: args.__setitem__(name, a)
        monkeypatch.setattr(ensure, "aws_kms", Seam(calls, answers))
        return calls, args

    return install


def test_check_mode_creation_invents_no_arn(seam) -> None:
    calls, dummy = seam()
    result = ensure.ensure(StubModule(params(), check_mode=True, calls=calls))
    assert result["changed"] and (result["key_arn"], result["key_id"], result["key"]["key_arn"]) == (None, None, None)
    assert result["alias_arn"] == "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail"
    assert calls == ["describe_key", "list_alias_targets", "list_key_ids", "get_caller_identity"]


def test_creation_keeps_the_new_key_for_the_later_writes(seam) -> None:
    calls, args = seam()
    result = ensure.ensure(StubModule(params(), calls=calls))
    assert writes(calls) == ["create_key", "create_alias", "enable_key_rotation"]
    assert args["create_alias"] == ("kms", "alias/cloudtrail", "new")
    assert args["create_key"][3] == {"cloudaudit:alias": "alias/cloudtrail"}  # findable before its alias exists
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


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_key_left_without_its_alias_is_adopted_not_created_again(seam, check_mode) -> None:
    orphan = dict(METADATA, KeyId="orphan", Arn="arn:aws:kms:us-east-1:111122223333:key/orphan")
    calls, args = seam(orphans={"orphan": orphan, "other": None})
    result = ensure.ensure(StubModule(params(), check_mode=check_mode, calls=calls))
    first = result["changes"][0]
    assert result["changed"] and (first["setting"], first["action"], first["before"], first["after"]) == ("alias", "create", None, "alias/cloudtrail")
    assert "create_key" not in calls and "get_caller_identity" not in calls
    assert writes(calls) == ([] if check_mode else ["create_alias", "put_key_policy"])
    assert result["key_id"] == "orphan" and result["diff"]["before"]["key"]["alias"] is None
    if not check_mode:
        assert args["create_alias"] == ("kms", "alias/cloudtrail", "orphan")


def test_a_key_whose_tags_cannot_be_read_is_not_adopted_and_does_not_fail(seam) -> None:
    calls, args = seam(orphans={"theirs": None}, unreadable=("theirs",))
    result = ensure.ensure(StubModule(params(), check_mode=False, calls=calls))
    assert result["changed"] and result["key_id"] == "new"
    assert "list_resource_tags_if_readable" in calls and "create_key" in calls
