"""Findings of s3_audit_bucket_info: pure."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._s3 import info, model, policy


def test_hardened_bucket_has_no_finding():
    state = {
        "public_access_block": dict.fromkeys(model.PAB_FLAGS, True),
        "encryption": {"sse_algorithm": "AES256"},
        "versioning": "Enabled",
        "lifecycle_rules": [{"id": "r"}],
        "access_logging": {"target_bucket": "x"},
        "object_ownership": "BucketOwnerEnforced",
        "requester_pays": False,
        "policy": {"Version": "2012-10-17", "Statement": policy.cloudtrail_statements("b", {"account_ids": ["111111111111"], "key_prefix": "p"})},
    }
    assert info.findings(state, "b", ["111111111111"], "p") == []
    assert [f["id"] for f in info.findings(state, "b", ["111111111111", "222222222222"], "p")] == ["cloudtrail_not_allowed"]


def test_bare_bucket_has_every_finding():
    ids = [f["id"] for f in info.findings({"versioning": "Disabled", "requester_pays": True}, "b", ["111111111111"], None)]
    assert ids == [
        "public_access_not_blocked",
        "no_encryption",
        "versioning_off",
        "no_lifecycle",
        "no_access_logging",
        "acls_enabled",
        "requester_pays",
        "cloudtrail_not_allowed",
    ]
