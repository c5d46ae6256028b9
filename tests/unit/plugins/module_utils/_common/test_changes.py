"""The change list drives apply, check mode and diff identically for every module."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.changes import MASK, Change, apply_changes, build_result, mask_secrets


def test_apply_runs_each_writer_in_order_and_nothing_in_check_mode():
    calls = []
    changes = [Change("policy", {}, {"a": 1}), Change("tags", {}, {"k": "v"})]
    appliers = {"policy": lambda c: calls.append(c.setting), "tags": lambda c: calls.append(c.setting)}
    apply_changes(changes, appliers, check_mode=True)
    assert calls == []
    apply_changes(changes, appliers, check_mode=False)
    assert calls == ["policy", "tags"]


def test_result_changed_only_with_changes_and_diff_only_when_asked():
    assert build_result([], {"x": 1}, {"x": 1}, diff_mode=False, bucket={"name": "b"}) == {"bucket": {"name": "b"}, "changed": False, "changes": []}
    result = build_result([Change("versioning", "Suspended", "Enabled")], {"versioning": "Suspended"}, {"versioning": "Enabled"}, diff_mode=True)
    assert result["changed"] is True
    assert result["changes"] == [{"setting": "versioning", "action": "update", "before": "Suspended", "after": "Enabled"}]
    assert result["diff"] == {"before": {"versioning": "Suspended"}, "after": {"versioning": "Enabled"}}


def test_secrets_are_masked_in_changes_and_diff():
    before = {"connection": {"access_key": "AKIA", "secret_key": "s3cr3t", "session_token": "T0KEN-VALUE"}}
    result = build_result([Change("connection", before["connection"], {})], before, {}, diff_mode=True)
    assert "s3cr3t" not in repr(result) and "T0KEN-VALUE" not in repr(result)
    assert result["diff"]["before"]["connection"] == {"access_key": "AKIA", "secret_key": MASK, "session_token": MASK}


def test_mask_leaves_empty_secrets_and_other_values_alone():
    assert mask_secrets({"secret_key": None, "nested": [{"SessionToken": "x", "name": "n"}]}) == {
        "secret_key": None,
        "nested": [{"SessionToken": MASK, "name": "n"}],
    }
