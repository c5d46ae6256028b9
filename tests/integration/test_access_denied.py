"""AccessDenied: a read the task does not need is never made (so a denied one cannot fail it); a denied
write fails naming the IAM permission and the resource, and once granted the next run converges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner, run_module_main

PLAY = """
- name: Bucket, key, log group and trail without tags (tags not managed)
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Bucket
      cloudaudit.aws.s3_audit_bucket:
        name: denied-reads-123456789012
        cloudtrail_access: {}
    - name: Trail with a key and CloudWatch Logs
      ansible.builtin.include_role:
        name: cloudaudit.aws.trail
      vars:
        trail_name: denied-reads
        trail_s3_bucket_name: denied-reads-123456789012
        trail_kms_key_alias: denied-reads
        trail_cloudwatch_logs: true
"""
# Reads of what the play does not manage: tags, Insights, the bucket's logging, replication, notifications.
UNNEEDED_READS = (
    "s3:GetBucketTagging",
    "s3:GetBucketLogging",
    "s3:GetBucketReplication",
    "s3:GetBucketNotification*",
    "cloudtrail:ListTags",
    "cloudtrail:GetInsightSelectors",
    "kms:ListResourceTags",
    "logs:ListTagsForResource",
    "logs:ListTagsLogGroup",
    "iam:ListRoleTags",
)


@pytest.mark.integration
def test_denied_reads_of_unmanaged_settings_do_not_fail_the_run(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    for operation in UNNEEDED_READS:
        aws.emulator.add_fault("access_denied", operation=operation)

    first = playbook.run(play, json_output=True)
    assert first.rc == 0, first.stdout[-10000:]
    again = playbook.run(play, json_output=True)
    assert again.rc == 0 and again.changed_hosts() == {"localhost": 0}, again.stdout[-10000:]
    denied = [c for c in aws.emulator.calls() if c["error_code"] in ("AccessDenied", "AccessDeniedException")]
    assert denied == [], [f"{c['service']}:{c['operation']}" for c in denied]


def _module(name: str) -> Any:
    import importlib

    return importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}")


@pytest.mark.integration
def test_denied_bucket_encryption_names_the_iam_permission_s3_needs(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """PutBucketEncryption is authorised by s3:PutEncryptionConfiguration (not s3:PutBucketEncryption); once granted, it converges."""
    params = {"name": "denied-encryption-123456789012", "encryption": "aws:kms"}
    aws.emulator.add_fault("access_denied", operation="s3:PutBucketEncryption")
    denied = run_module_main(_module("s3_audit_bucket"), params, capsys)
    assert denied.get("failed"), denied
    assert "s3:PutEncryptionConfiguration" in denied["msg"] and "denied-encryption-123456789012" in denied["msg"], denied["msg"]
    assert "s3:PutBucketEncryption" not in denied["msg"], denied["msg"]
    aws.emulator.clear_faults()
    granted = run_module_main(_module("s3_audit_bucket"), params, capsys)
    assert not granted.get("failed") and granted["changed"], granted
    again = run_module_main(_module("s3_audit_bucket"), params, capsys)
    assert not again.get("failed") and not again["changed"], again


@pytest.mark.integration
def test_a_key_whose_tags_are_denied_is_skipped_by_the_orphan_scan(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Someone else's key without an alias, whose tags the caller may not read: the key task still creates its key and converges."""
    kms = aws.client("kms")
    theirs = kms.create_key(Description="someone else's key")["KeyMetadata"]["KeyId"]
    aws.emulator.add_fault("access_denied", operation="kms:ListResourceTags")
    params = {"alias": "alias/denied-tags"}
    first = run_module_main(_module("cloudtrail_kms_key"), params, capsys)
    assert not first.get("failed") and first["changed"], first
    assert first["key_id"] != theirs, first
    again = run_module_main(_module("cloudtrail_kms_key"), params, capsys)
    assert not again.get("failed") and not again["changed"], again
    assert again["key_id"] == first["key_id"]
    assert {a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/denied-tags"} == {first["key_id"]}
    fired = [c for c in aws.emulator.calls() if c["error_code"] in ("AccessDenied", "AccessDeniedException")]
    assert fired, "the orphan scan never read the other key's tags"
