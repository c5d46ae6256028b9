"""Pure builder of the CloudTrail key policy."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.policy import statements_by_sid
from ansible_collections.cloudaudit.aws.plugins.module_utils._kms import policy

ACCT = "111122223333"
CTX = "kms:EncryptionContext:aws:cloudtrail:arn"


def build(**kwargs):
    return statements_by_sid(policy.key_policy("aws", "us-east-1", ACCT, **kwargs))


def test_default_policy_is_for_own_account() -> None:
    s = build()
    assert sorted(s) == sorted([policy.SID_ADMIN, policy.SID_ACCOUNTS, policy.SID_DESCRIBE])
    assert s[policy.SID_ADMIN]["Principal"] == {"AWS": f"arn:aws:iam::{ACCT}:root"}
    assert s[policy.SID_ADMIN]["Action"] == "kms:*"
    encrypt = s[policy.SID_ACCOUNTS]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"] == {"StringLike": {CTX: f"arn:aws:cloudtrail:*:{ACCT}:trail/*"}}
    assert s[policy.SID_DESCRIBE]["Action"] == "kms:DescribeKey"


def test_admin_principals_replace_root() -> None:
    s = build(admin_principals=["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a"])
    assert s[policy.SID_ADMIN]["Principal"] == {"AWS": ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]}


def test_every_scope_and_readers_share_contexts() -> None:
    trail = "arn:aws:cloudtrail:us-east-1:444455556666:trail/t"
    s = build(account_ids=["444455556666", ACCT], organization_id="o-abcdefghij", trail_arns=[trail], reader_principals=["arn:aws:iam::1:role/r"])
    accounts = [f"arn:aws:cloudtrail:*:{ACCT}:trail/*", "arn:aws:cloudtrail:*:444455556666:trail/*"]
    assert s[policy.SID_ACCOUNTS]["Condition"] == {"StringLike": {CTX: accounts}}
    assert s[policy.SID_TRAILS]["Condition"] == {"StringEquals": {"aws:SourceArn": trail}, "StringLike": {CTX: trail}}
    assert s[policy.SID_ORGANIZATION]["Condition"] == {
        "StringEquals": {"aws:SourceOrgID": "o-abcdefghij"},
        "StringLike": {CTX: "arn:aws:cloudtrail:*:*:trail/*"},
    }
    readers = s[policy.SID_READERS]
    assert readers["Action"] == "kms:Decrypt"
    assert readers["Principal"] == {"AWS": "arn:aws:iam::1:role/r"}
    assert readers["Condition"] == {"StringLike": {CTX: sorted(accounts + [trail, "arn:aws:cloudtrail:*:*:trail/*"])}}


def test_trails_only_has_no_account_wide_statement() -> None:
    s = build(trail_arns=["arn:aws:cloudtrail:us-east-1:1:trail/t"])
    assert policy.SID_ACCOUNTS not in s and policy.SID_TRAILS in s


def test_cloudwatch_logs_statement() -> None:
    logs = build(allow_cloudwatch_logs=True)[policy.SID_LOGS]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCT}:log-group:*"}}
    assert policy.SID_LOGS not in build()


def test_alert_services_statement() -> None:
    alerts = build(allow_alert_services=True)[policy.SID_ALERTS]
    assert alerts["Principal"] == {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]}
    assert alerts["Action"] == ["kms:GenerateDataKey*", "kms:Decrypt"]
    assert alerts["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCT}}
    assert policy.SID_ALERTS not in build()


def test_user_statements_are_appended() -> None:
    own = {"Sid": "Mine", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
    doc = policy.key_policy("aws", "us-east-1", ACCT, policy_statements=[own])
    assert doc["Statement"][-1] == own
