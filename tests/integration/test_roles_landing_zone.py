"""The baseline in organizations that already have CloudTrail set up, and from a delegated administrator.

- A Control Tower-like landing zone: an organization trail ``aws-controltower-BaselineCloudTrail`` from the
  management account into an ``aws-controltower-logs-*`` bucket in the log archive. The baseline (account
  mode) creates no second management-event trail anywhere (the duplicate is charged), touches nothing
  Control Tower owns (also when told to use its bucket: then it only reports), and the drift report says
  which trail covers each account.
- Organization mode from the CloudTrail delegated administrator: the organization trail is created and
  kept from that account (the management account owns it), organization event data stores only there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.demo import INVENTORY, TRAIL_NAME, DemoOrg, create_organization
from tests.harness import ROOT, PlaybookResult, PlaybookRunner

CT_TRAIL = "aws-controltower-BaselineCloudTrail"
CT_LOG_GROUP = "aws-controltower/CloudTrailLogs"
SCHEMA = json.loads((ROOT / "docs" / "drift_report_schema.json").read_text())


def _site(playbook: PlaybookRunner, **extra_vars: Any) -> PlaybookResult:
    result = playbook.run(ROOT / "playbooks" / "site.yml", inventory=INVENTORY, json_output=True, extra_vars=extra_vars)
    assert result.rc == 0, f"site.yml failed:\n{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
    return result


def _landing_zone(aws: Any, org: DemoOrg) -> tuple[str, str]:
    """What Control Tower sets up for CloudTrail: the bucket in the log archive, the organization trail."""
    bucket = f"aws-controltower-logs-{org.log_archive}-us-east-1"
    s3 = aws.client("s3", account=org.log_archive)
    s3.create_bucket(Bucket=bucket)
    arn = f"arn:aws:s3:::{bucket}"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSBucketPermissionsCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": arn,
            },
            {
                "Sid": "AWSBucketDeliveryForOrganizationTrail",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{arn}/{org.organization_id}/AWSLogs/*/*",
            },
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    cloudtrail = aws.client("cloudtrail")
    trail = cloudtrail.create_trail(
        Name=CT_TRAIL, S3BucketName=bucket, S3KeyPrefix=org.organization_id, IsMultiRegionTrail=True, IsOrganizationTrail=True, EnableLogFileValidation=True
    )
    cloudtrail.start_logging(Name=trail["TrailARN"])
    aws.client("logs").create_log_group(logGroupName=CT_LOG_GROUP)
    return bucket, trail["TrailARN"]


def _bucket_state(aws: Any, org: DemoOrg, bucket: str) -> dict[str, Any]:
    s3 = aws.client("s3", account=org.log_archive)
    return {
        "policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
        "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
        "tags": s3.get_bucket_tagging(Bucket=bucket)["TagSet"] if _has_tags(s3, bucket) else [],
    }


def _has_tags(s3: Any, bucket: str) -> bool:
    try:
        s3.get_bucket_tagging(Bucket=bucket)
    except s3.exceptions.ClientError:
        return False
    return True


def _ct_log_group_retention(aws: Any) -> Any:
    (group,) = aws.client("logs").describe_log_groups(logGroupNamePrefix=CT_LOG_GROUP)["logGroups"]
    return group.get("retentionInDays")


def _task_results(result: PlaybookResult, name: str) -> dict[str, dict[str, Any]]:
    """Per host, the result of the task of that name (the json callback prefixes a role's task with the role)."""
    tasks = [t for play in (result.json or {}).get("plays", []) for t in play.get("tasks", []) if t["task"]["name"].endswith(name)]
    return {h: r for t in tasks for h, r in t["hosts"].items()}


def _own_trails(aws: Any, account: str) -> list[str]:
    trails = aws.client("cloudtrail", account=account).describe_trails(includeShadowTrails=False)["trailList"]
    return sorted(t["Name"] for t in trails if t["TrailARN"].split(":")[4] == account)


@pytest.mark.integration
def test_control_tower_landing_zone_gets_no_duplicate_trail_and_nothing_it_owns_changes(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    org = create_organization(aws.url, members=("member-a",))
    ct_bucket, ct_trail = _landing_zone(aws, org)
    before = _bucket_state(aws, org, ct_bucket)
    ct_before = aws.client("cloudtrail").get_trail(Name=CT_TRAIL)["Trail"]

    # An organization event data store without a delegated administrator: only the management account has it.
    org_store = [{"name": "org-store", "organization_enabled": True, "retention_days": 400, "termination_protection": False}]
    _site(playbook, baseline_lake_event_data_stores=org_store)
    second = _site(playbook, baseline_lake_event_data_stores=org_store)
    assert set(second.changed_hosts().values()) == {0}, second.changed_hosts()
    for name, account in org.accounts.items():
        listed = [s["Name"] for s in aws.client("cloudtrail", account=account).list_event_data_stores()["EventDataStores"]]
        assert listed == (["org-store"] if name == "master" else []), (name, listed)
    for name, account in org.accounts.items():
        assert _own_trails(aws, account) == ([CT_TRAIL] if name == "master" else []), name
    assert aws.client("cloudtrail").get_trail(Name=CT_TRAIL)["Trail"] == ct_before
    assert aws.client("cloudtrail").get_trail_status(Name=ct_trail)["IsLogging"]
    assert _bucket_state(aws, org, ct_bucket) == before
    assert _ct_log_group_retention(aws) is None

    # The drift report names the organization trail that covers each account.
    report_dir = tmp_path / "drift"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(report_dir)}
    drift = playbook.run(ROOT / "playbooks" / "drift.yml", inventory=INVENTORY, json_output=True, env=env)
    assert drift.rc == 0, drift.stdout[-10000:]
    report = json.loads((report_dir / "drift.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["drift_count"] == 0
    for host in org.accounts:
        covering = [c for r in report["hosts"][host]["resources"] for c in r.get("covered_by", [])]
        assert covering == [{"trail_arn": ct_trail, "organization": True, "control_tower": True}], (host, report["hosts"][host])
    assert f"Management events recorded by: {ct_trail} (organization trail, Control Tower)" in (report_dir / "drift.md").read_text()

    # Told to use Control Tower's bucket as the audit bucket, and a trail named like Control Tower's in every account:
    # their drift is reported (the bucket in the log archive, the trail to create everywhere), nothing is written.
    mark = aws.emulator.mark()
    told = _site(playbook, baseline_bucket_name=ct_bucket, baseline_trail_name="aws-controltower-Custom", baseline_duplicate_organization_trail=True)
    assert told.changed_hosts()["log-archive"] > 0, "the drift of the Control Tower bucket is reported (check mode)"
    assert told.changed_hosts()["member-a"] > 0, "the Control Tower-named trail to create is reported (check mode)"
    assert aws.emulator.summary(since=mark)["write_operations"] == []
    assert _bucket_state(aws, org, ct_bucket) == before
    assert all(_own_trails(aws, account) == ([CT_TRAIL] if name == "master" else []) for name, account in org.accounts.items())

    # Opted in: the Control Tower bucket is managed like any audit bucket (Control Tower's own statement kept).
    mark = aws.emulator.mark()
    opted = _site(playbook, baseline_bucket_name=ct_bucket, baseline_manage_control_tower_resources=True)
    assert opted.changed_hosts()["log-archive"] > 0
    assert "s3:PutBucketPolicy" in aws.emulator.summary(since=mark, account=org.log_archive)["write_operations"]
    written = _bucket_state(aws, org, ct_bucket)
    assert written != before and written["versioning"] == "Enabled"
    assert [s for s in written["policy"]["Statement"] if s.get("Sid") == "AWSBucketDeliveryForOrganizationTrail"] == before["policy"]["Statement"][1:]

    # Asking for the duplicate creates the account's own trail beside the organization trail; pointed at Control Tower's
    # log group, the baseline only checks it (reported where it differs, nothing written to CloudWatch Logs).
    mark = aws.emulator.mark()
    duplicate = _site(playbook, baseline_duplicate_organization_trail=True, baseline_log_group_name=CT_LOG_GROUP)
    assert duplicate.changed_hosts()["member-a"] > 0
    assert _own_trails(aws, org.accounts["member-a"]) == [TRAIL_NAME]
    assert [w for w in aws.emulator.summary(since=mark)["write_operations"] if w.startswith("logs:")] == []
    assert _ct_log_group_retention(aws) is None
    checked = _task_results(duplicate, "Log group of a Control Tower landing zone (only checked, its drift reported; nothing is changed)")
    assert checked.get("master", {}).get("changed"), checked  # no retention on Control Tower's group, 365 asked: reported
    assert set(checked) == set(org.accounts), checked


@pytest.mark.integration
def test_organization_mode_from_the_delegated_administrator(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    org = create_organization(aws.url, members=("security", "member-a"))
    admin = org.accounts["security"]
    aws.client("cloudtrail").register_organization_delegated_admin(MemberAccountId=admin)
    stores = [
        {"name": "org-store", "organization_enabled": True, "retention_days": 400, "termination_protection": False},
        {"name": "account-store", "retention_days": 90, "termination_protection": False},
    ]
    extra = {
        "baseline_trail_mode": "organization",
        "baseline_organization_id": org.organization_id,
        "baseline_delegated_admin_account": admin,
        "baseline_lake_event_data_stores": stores,
    }

    first = _site(playbook, **extra)
    assert first.changed_hosts()["security"] > 0
    trail_arn = f"arn:aws:cloudtrail:us-east-1:{org.accounts['master']}:trail/cloudaudit-org"
    trail = aws.client("cloudtrail", account=admin).get_trail(Name=trail_arn)["Trail"]
    assert trail["IsOrganizationTrail"] and trail["S3BucketName"] == org.bucket and trail["LogFileValidationEnabled"]
    assert aws.client("cloudtrail", account=admin).get_trail_status(Name=trail_arn)["IsLogging"]
    for name, account in org.accounts.items():
        assert _own_trails(aws, account) == (["cloudaudit-org"] if name == "master" else []), name

    # Organization stores only from the delegated administrator; account stores in every account.
    for name, account in org.accounts.items():
        listed = sorted(s["Name"] for s in aws.client("cloudtrail", account=account).list_event_data_stores()["EventDataStores"])
        if account == admin:
            assert listed == ["account-store", "org-store"], (name, listed)
        elif name != "master":  # the management account owns what its delegated administrator creates
            assert listed == ["account-store"], (name, listed)

    second = _site(playbook, **extra)
    assert set(second.changed_hosts().values()) == {0}, second.changed_hosts()

    # A member's own trail of the same name as the organization trail it sees is its own, not the organization's.
    play = tmp_path / "member_trail.yml"
    play.write_text(MEMBER_TRAIL_PLAY)
    own = playbook.run(play, inventory=INVENTORY, json_output=True, args=["--limit", "member-a"])
    assert own.rc == 0, own.stdout[-10000:]
    assert _own_trails(aws, org.accounts["member-a"]) == ["cloudaudit-org"]
    assert aws.client("cloudtrail").get_trail(Name="cloudaudit-org")["Trail"]["S3BucketName"] == org.bucket


MEMBER_TRAIL_PLAY = """
- name: A trail of the member's own, named like the organization trail
  hosts: all
  gather_facts: false
  roles:
    - role: cloudaudit.aws.account
  tasks:
    - name: With the account's connection
      module_defaults:
        group/cloudaudit.aws.aws: "{{ cloudaudit_aws_connection }}"
      block:
        - name: A bucket of its own
          cloudaudit.aws.s3_audit_bucket:
            name: "own-trail-{{ account_id }}"
            cloudtrail_access: {}
        - name: The trail
          cloudaudit.aws.cloudtrail_trail:
            name: cloudaudit-org
            s3_bucket_name: "own-trail-{{ account_id }}"
"""
