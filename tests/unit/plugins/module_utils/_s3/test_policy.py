"""The CloudTrail bucket policy builder and merge: pure, table-driven."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.policy import policies_equal
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3 import policy

BUCKET = "logs"
ARN = "arn:aws:s3:::logs"


@pytest.mark.parametrize(
    "access, resources, condition",
    [
        ({"account_ids": ["111111111111"]}, f"{ARN}/AWSLogs/111111111111/*", {"aws:SourceAccount": "111111111111"}),
        (
            {"account_ids": ["222222222222", "111111111111"], "key_prefix": "org"},
            [f"{ARN}/org/AWSLogs/111111111111/*", f"{ARN}/org/AWSLogs/222222222222/*"],
            {"aws:SourceAccount": ["111111111111", "222222222222"]},
        ),
        ({"organization_id": "o-abcdefghij"}, f"{ARN}/AWSLogs/o-abcdefghij/*", {"aws:SourceOrgID": "o-abcdefghij"}),
        (
            {"account_ids": ["111111111111"], "organization_id": "o-abcdefghij", "trail_arns": ["arn:aws:cloudtrail:us-east-1:111111111111:trail/t"]},
            [f"{ARN}/AWSLogs/111111111111/*", f"{ARN}/AWSLogs/o-abcdefghij/*"],
            {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"},
        ),
    ],
)
def test_cloudtrail_statements_follow_the_aws_documentation(access, resources, condition):
    acl, write = policy.cloudtrail_statements(BUCKET, access)
    assert acl["Sid"] == "CloudAuditCloudTrailAclCheck"
    assert acl["Action"] == "s3:GetBucketAcl" and acl["Resource"] == ARN
    assert acl["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert acl["Condition"] == {"StringEquals": condition}
    assert write["Sid"] == "CloudAuditCloudTrailWrite" and write["Action"] == "s3:PutObject"
    assert write["Resource"] == resources
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **condition}}


def test_deny_insecure_transport_covers_bucket_and_objects():
    statement = policy.deny_insecure_transport_statement(BUCKET, "aws-cn")
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*"
    assert statement["Resource"] == ["arn:aws-cn:s3:::logs", "arn:aws-cn:s3:::logs/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


FOREIGN = {"Sid": "Foreign", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": ARN}
UNNAMED = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "s3:ListBucket", "Resource": ARN}
MINE = {"Sid": "Mine", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "s3:GetObject", "Resource": f"{ARN}/*"}


def _sids(document):
    return [s.get("Sid") for s in document["Statement"]]


def test_merge_keeps_unknown_statements_unless_purged_and_regenerates_ours():
    generated = policy.generated_statements(BUCKET, {"account_ids": ["111111111111"]}, True)
    stale_ours = dict(generated[1], Resource=f"{ARN}/AWSLogs/999999999999/*")
    current = {"Version": "2012-10-17", "Id": "keep-me", "Statement": [stale_ours, FOREIGN, UNNAMED, dict(MINE, Action="s3:*")]}
    merged = policy.merge_policy(current, generated, [MINE], purge=False)
    assert _sids(merged) == ["CloudAuditCloudTrailAclCheck", "CloudAuditCloudTrailWrite", "CloudAuditDenyInsecureTransport", "Mine", "Foreign", None]
    assert merged["Id"] == "keep-me"
    assert merged["Statement"][1]["Resource"] == f"{ARN}/AWSLogs/111111111111/*"
    assert merged["Statement"][3] == MINE
    purged = policy.merge_policy(current, generated, [MINE], purge=True)
    assert _sids(purged) == ["CloudAuditCloudTrailAclCheck", "CloudAuditCloudTrailWrite", "CloudAuditDenyInsecureTransport", "Mine"]


def test_merge_drops_our_statements_no_longer_wanted_and_returns_none_when_empty():
    current = {"Version": "2012-10-17", "Statement": policy.generated_statements(BUCKET, None, True)}
    assert policy.merge_policy(current, [], None, purge=False) is None
    assert policy.merge_policy(None, [], None, purge=True) is None


HAND_WRITTEN = {
    "Sid": "AWSCloudTrailWrite",
    "Effect": "Allow",
    "Principal": {"Service": "cloudtrail.amazonaws.com"},
    "Action": "s3:PutObject",
    "Resource": f"{ARN}/AWSLogs/222222222222/*",
}


@pytest.mark.parametrize("purge", [False, True])
def test_merge_keeps_every_cloudtrail_statement_when_access_is_not_managed(purge):
    ours = policy.generated_statements(BUCKET, {"account_ids": ["111111111111"]}, False)
    current = {"Version": "2012-10-17", "Statement": ours + [HAND_WRITTEN, FOREIGN]}
    merged = policy.merge_policy(current, policy.generated_statements(BUCKET, None, True), None, purge=purge, keep_cloudtrail=True)
    kept = [s for s in merged["Statement"] if policy.grants_cloudtrail(s)]
    assert kept == ours + [HAND_WRITTEN]
    assert ("Foreign" in _sids(merged)) is not purge
    assert policy.removed_cloudtrail_statements(current, merged) == []


def test_removing_access_lists_the_cloudtrail_statements_it_drops():
    ours = policy.generated_statements(BUCKET, {"account_ids": ["111111111111"]}, False)
    current = {"Version": "2012-10-17", "Statement": ours + [HAND_WRITTEN]}
    merged = policy.merge_policy(current, [], None, purge=False)
    assert merged["Statement"] == [HAND_WRITTEN]
    assert [s["Sid"] for s in policy.removed_cloudtrail_statements(current, merged)] == ["CloudAuditCloudTrailAclCheck", "CloudAuditCloudTrailWrite"]
    assert len(policy.removed_cloudtrail_statements(current, policy.merge_policy(current, [], None, purge=True))) == 3


def test_merge_does_not_duplicate_an_unnamed_statement_the_task_names():
    current = {"Version": "2012-10-17", "Statement": [UNNAMED]}
    merged = policy.merge_policy(current, [], [dict(UNNAMED, Action=["s3:ListBucket"])], purge=False)
    assert len(merged["Statement"]) == 1


def test_merged_policy_compares_as_a_document_whatever_the_order():
    generated = policy.generated_statements(BUCKET, {"account_ids": ["111111111111"]}, True)
    merged = policy.merge_policy(None, generated, [MINE], purge=False)
    reordered = {"Version": "2012-10-17", "Statement": list(reversed(merged["Statement"]))}
    assert policies_equal(reordered, policy.merge_policy(reordered, generated, [MINE], purge=False))


@pytest.mark.parametrize(
    "statement, message",
    [
        ("not a dict", "statement 0 is not a dictionary"),
        ({"Effect": "Permit", "Principal": "*", "Action": "s3:*", "Resource": "*"}, "needs Effect Allow or Deny"),
        ({"Effect": "Allow", "Principal": "*", "Resource": "*"}, "exactly one of Action and NotAction"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:*"}, "exactly one of Resource and NotResource"),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, "exactly one of Principal and NotPrincipal"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": "x"}, "Condition must be a dictionary"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Sid": "has space"}, "only letters and digits"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Sid": "CloudAuditX"}, "reserved prefix"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Actions": "x"}, "unknown keys Actions"),
    ],
)
def test_malformed_statements_fail_naming_the_option(statement, message):
    with pytest.raises(CloudAuditError) as e:
        policy.validate_statements([statement])
    assert e.value.option == "policy_statements"
    assert message in e.value.msg


def test_duplicate_sids_fail():
    with pytest.raises(CloudAuditError, match="used twice"):
        policy.validate_statements([MINE, MINE])


@pytest.mark.parametrize(
    "account, prefix, expected",
    [("111111111111", None, True), ("222222222222", None, False), ("111111111111", "other", False)],
)
def test_allows_cloudtrail(account, prefix, expected):
    generated = policy.generated_statements(BUCKET, {"account_ids": ["111111111111"]}, True)
    document = {"Version": "2012-10-17", "Statement": generated}
    assert policy.allows_cloudtrail(document, BUCKET, account, prefix) is expected
    assert policy.allows_cloudtrail(None, BUCKET, account) is False
