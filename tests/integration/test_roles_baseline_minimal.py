"""baseline_profile: minimal: a validated multi-region trail into the hardened bucket, without KMS, CloudWatch Logs,
data events, Insights or an access-log bucket; with the bucket's object lock and transition minimum size inputs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.demo import INVENTORY, TRAIL_NAME, create_organization
from tests.harness import ROOT, PlaybookRunner


@pytest.mark.integration
def test_minimal_profile(aws: Any, playbook: PlaybookRunner) -> None:
    org = create_organization(aws.url, members=())
    extra = {
        "baseline_profile": "minimal",
        "baseline_object_lock": {"mode": "GOVERNANCE", "days": 1},
        "baseline_transition_default_minimum_object_size": "varies_by_storage_class",
    }

    first = playbook.run(ROOT / "playbooks" / "site.yml", inventory=INVENTORY, extra_vars=extra, json_output=True)
    assert first.rc == 0, first.stdout[-15000:]
    assert first.changed_resources() == {"master": 1, "log-archive": 2}, first.changed_resources()  # trail; bucket + trail

    for account in org.accounts.values():
        trail = aws.client("cloudtrail", account=account).get_trail(Name=TRAIL_NAME)["Trail"]
        assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"] and trail["IncludeGlobalServiceEvents"]
        assert "KmsKeyId" not in trail and "CloudWatchLogsLogGroupArn" not in trail
        assert aws.client("cloudtrail", account=account).get_trail_status(Name=TRAIL_NAME)["IsLogging"]
    s3 = aws.client("s3", account=org.log_archive)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [org.bucket]
    assert s3.get_bucket_versioning(Bucket=org.bucket)["Status"] == "Enabled"
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=org.bucket)
    rule = lifecycle["Rules"][0]
    assert rule["ID"] == "cloudaudit-retention" and rule["Expiration"]["Days"] == 2557
    assert lifecycle["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class", lifecycle
    lock = s3.get_object_lock_configuration(Bucket=org.bucket)["ObjectLockConfiguration"]
    retention = lock["Rule"]["DefaultRetention"]
    assert lock["ObjectLockEnabled"] == "Enabled" and (retention["Mode"], retention["Days"]) == ("GOVERNANCE", 1), lock

    second = playbook.run(ROOT / "playbooks" / "site.yml", inventory=INVENTORY, extra_vars=extra, json_output=True)
    assert second.rc == 0, second.stdout[-15000:]
    assert second.changed_hosts() == {"master": 0, "log-archive": 0}, second.changed_hosts()
