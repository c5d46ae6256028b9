"""Pure builders of the CloudTrail -> CloudWatch Logs delivery role policies."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._logs import policy


def test_log_group_arn_ends_with_star() -> None:
    assert policy.log_group_arn("aws", "eu-west-1", "111122223333", "/ct/g") == "arn:aws:logs:eu-west-1:111122223333:log-group:/ct/g:*"


@pytest.mark.parametrize(
    "org, expected",
    [
        (None, ["arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:111122223333_CloudTrail_us-east-1*"]),
        (
            "o-abcdefghij",
            [
                "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:111122223333_CloudTrail_us-east-1*",
                "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:o-abcdefghij_*",
            ],
        ),
    ],
)
def test_stream_resources(org, expected) -> None:
    assert policy.stream_resources("aws", "us-east-1", "111122223333", "g", org) == expected


def test_delivery_policy_allows_only_create_stream_and_put_events() -> None:
    doc = policy.delivery_policy(["r1"])
    actions = sorted(a for s in doc["Statement"] for a in s["Action"])
    assert actions == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert all(s["Effect"] == "Allow" and s["Resource"] == ["r1"] for s in doc["Statement"])


@pytest.mark.parametrize(
    "trails, condition",
    [
        (None, None),
        ([], None),
        (
            ["arn:aws:cloudtrail:us-east-1:111122223333:trail/b", "arn:aws:cloudtrail:us-east-1:111122223333:trail/a"],
            {"StringEquals": {"aws:SourceArn": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/a", "arn:aws:cloudtrail:us-east-1:111122223333:trail/b"]}},
        ),
        (["arn:aws:cloudtrail:*:111122223333:trail/*"], {"ArnLike": {"aws:SourceArn": ["arn:aws:cloudtrail:*:111122223333:trail/*"]}}),
    ],
)
def test_trust_policy(trails, condition) -> None:
    statement = policy.trust_policy(trails)["Statement"][0]
    assert statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement.get("Condition") == condition
