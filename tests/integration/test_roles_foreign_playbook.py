"""A playbook outside the collection includes the `trail` role in its own play, with its own vars: it converges,
and the same play with --check --diff then shows no drift and makes no write call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner

PLAY = Path(__file__).parent / "foreign_playbook" / "play.yml"


@pytest.mark.integration
def test_foreign_play_embeds_trail_role(aws: Any, playbook: PlaybookRunner) -> None:
    start = aws.emulator.settle()
    check_first = playbook.run(PLAY, check=True, diff=True, json_output=True)
    assert check_first.rc == 0, check_first.stdout[-10000:]
    assert check_first.changed_hosts()["localhost"] > 0
    early = [c for c in aws.emulator.calls() if c["seq"] > start and c["mutating"]]
    assert early == [], json.dumps(early, default=str)[:5000]

    converge = playbook.run(PLAY, json_output=True)
    assert converge.rc == 0, converge.stdout[-10000:]
    assert converge.changed_resources()["localhost"] >= 4  # bucket, key, log group, trail

    trail = aws.client("cloudtrail").get_trail(Name="ops-team-trail")["Trail"]
    assert trail["S3BucketName"] == "ops-team-audit-123456789012" and trail["S3KeyPrefix"] == "ops"
    assert trail["CloudWatchLogsLogGroupArn"].startswith("arn:aws:logs:us-east-1:123456789012:log-group:/ops/cloudtrail")
    assert aws.client("logs").describe_log_groups(logGroupNamePrefix="/ops/cloudtrail")["logGroups"][0]["retentionInDays"] == 400

    mark = aws.emulator.settle()
    drift = playbook.run(PLAY, check=True, diff=True, json_output=True)
    assert drift.rc == 0, drift.stdout[-10000:]
    assert drift.changed_hosts() == {"localhost": 0}
    writes = [c for c in aws.emulator.calls() if c["seq"] > mark and c["mutating"]]
    assert writes == [], json.dumps(writes, default=str)[:5000]
