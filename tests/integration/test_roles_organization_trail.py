"""baseline_trail_mode: organization: one organization trail from the management account, none in the members."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.demo import INVENTORY, create_organization
from tests.harness import ROOT, PlaybookRunner


@pytest.mark.integration
def test_organization_trail_from_the_management_account(aws: Any, playbook: PlaybookRunner) -> None:
    org = create_organization(aws.url, members=("member-a",))
    extra = {"baseline_trail_mode": "organization", "baseline_organization_id": org.organization_id, "baseline_data_events_exclude_audit_bucket": True}

    first = playbook.run(ROOT / "playbooks" / "site.yml", inventory=INVENTORY, extra_vars=extra, json_output=True)
    assert first.rc == 0, first.stdout[-15000:]
    # master: key, log group, trail, tampering alerts; log archive: bucket key, access-log bucket, audit bucket, its tampering alerts;
    # and account-level S3 Block Public Access in every account.
    assert first.changed_resources() == {"master": 5, "log-archive": 5, "member-a": 1}, first.changed_resources()
    for account in org.accounts.values():
        block = aws.client("s3control", account=account).get_public_access_block(AccountId=account)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4, (account, block)

    trail = aws.client("cloudtrail").get_trail(Name="cloudaudit-org")["Trail"]
    assert trail["IsOrganizationTrail"] and trail["IsMultiRegionTrail"] and trail["S3BucketName"] == org.bucket
    assert trail["KmsKeyId"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    # baseline_data_events_exclude_audit_bucket: S3 data events of every bucket but the audit bucket (its own writes).
    selectors = aws.client("cloudtrail").get_event_selectors(TrailName="cloudaudit-org")["AdvancedEventSelectors"]
    s3_fields = next(s["FieldSelectors"] for s in selectors if {"Field": "eventCategory", "Equals": ["Data"]} in s["FieldSelectors"])
    assert {"Field": "resources.ARN", "NotStartsWith": [f"arn:aws:s3:::{org.bucket}/"]} in s3_fields, selectors
    for name in ("log-archive", "member-a"):
        own = aws.client("cloudtrail", account=org.accounts[name]).describe_trails(includeShadowTrails=False)["trailList"]
        assert own == [], f"{name} has its own trail: {own}"
    policy = aws.client("s3", account=org.log_archive).get_bucket_policy(Bucket=org.bucket)["Policy"]
    assert f"AWSLogs/{org.organization_id}/" in policy
    # cis: the audit bucket is SSE-KMS with the log archive's key; tampering rules and CIS 4.x alarms in the management account.
    encryption = aws.client("s3", account=org.log_archive).get_bucket_encryption(Bucket=org.bucket)["ServerSideEncryptionConfiguration"]
    default = encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert default["SSEAlgorithm"] == "aws:kms" and f":{org.log_archive}:key/" in default["KMSMasterKeyID"], default
    rules = [r["Name"] for r in aws.client("events").list_rules()["Rules"]]
    assert "cloudaudit-tamper-trail" in rules, rules
    alarms = aws.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert len(alarms) == 15, [a["AlarmName"] for a in alarms]
    # The log-archive account has no trail, but owns the bucket and its key: its own bucket and kms rules, narrowed to them.
    archive_events = aws.client("events", account=org.log_archive)
    archive_rules = {r["Name"]: json.loads(r["EventPattern"]) for r in archive_events.list_rules(NamePrefix="cloudaudit-tamper")["Rules"]}
    assert set(archive_rules) == {"cloudaudit-tamper-bucket", "cloudaudit-tamper-kms"}, archive_rules
    assert archive_rules["cloudaudit-tamper-bucket"]["detail"]["requestParameters"] == {"bucketName": [org.bucket]}
    bucket_key = default["KMSMasterKeyID"]
    assert bucket_key in json.dumps(archive_rules["cloudaudit-tamper-kms"]["detail"]["requestParameters"]), archive_rules["cloudaudit-tamper-kms"]
    for rule in archive_rules:
        targets = archive_events.list_targets_by_rule(Rule=rule)["Targets"]
        assert [t["Arn"].split(":")[-1] for t in targets] == [f"cloudaudit-tamper-{org.bucket}"], targets

    second = playbook.run(ROOT / "playbooks" / "site.yml", inventory=INVENTORY, extra_vars=extra, json_output=True)
    assert second.rc == 0, second.stdout[-15000:]
    assert second.changed_hosts() == {"master": 0, "log-archive": 0, "member-a": 0}, second.changed_hosts()
