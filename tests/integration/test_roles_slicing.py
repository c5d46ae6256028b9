"""A run over part of the organization (``--limit``, AWX job slices) never takes another account's access away.

The audit bucket policy lists the accounts whose trails deliver into it. A run that sees only some
accounts (an AWX slice job holds only its slice's hosts; ``--limit`` restricts the play) must not
rewrite that list with its own accounts: every other account's trail would stop delivering, and the
run would report success.

The slices are built as AWX builds them: the synced inventory (``ansible-inventory --list --export``
of the organization inventory, group variables included) with only the slice's hosts kept.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.demo import INVENTORY, TRAIL_NAME, DemoOrg, create_organization
from tests.harness import ROOT, PlaybookResult, PlaybookRunner, plain

MEMBERS = ("member-a", "member-b")


def _export_inventory(playbook: PlaybookRunner) -> dict[str, Any]:
    """The organization inventory as AWX stores it after a sync: groups, group vars, host vars."""
    cmd = [str(Path(playbook.env()["PATH"].split(":")[0]) / "ansible-inventory"), "-i", str(INVENTORY), "--list", "--export"]
    proc = subprocess.run(cmd, cwd=playbook.workdir, env=playbook.env(), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # Untrusted strings come as {"__ansible_unsafe": ...}; a static inventory's strings are untrusted anyway.
    return plain(json.loads(proc.stdout))


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _slice_inventory(exported: dict[str, Any], hosts: set[str], path: Path) -> Path:
    """A YAML inventory holding only the slice's hosts, with every group and variable of the full one."""
    hostvars = exported.get("_meta", {}).get("hostvars", {})

    def group(name: str) -> dict[str, Any]:
        data = exported.get(name, {})
        out: dict[str, Any] = {}
        if data.get("vars"):
            out["vars"] = data["vars"]
        members = [h for h in data.get("hosts", []) if h in hosts]
        if members:
            out["hosts"] = {h: hostvars.get(h, {}) for h in members}
        children = {c: group(c) for c in data.get("children", []) if c != "ungrouped"}
        if children:
            out["children"] = children
        return out

    path.write_text(yaml.dump({"all": group("all")}, Dumper=_NoAliases, sort_keys=True))
    return path


def _run(playbook: PlaybookRunner, inventory: Path, args: list[str] | None = None) -> PlaybookResult:
    # No baseline_log_archive_account here: the demo's group_vars find it in the organization's account list (group
    # all), also in a slice without the log-archive host.
    result = playbook.run(ROOT / "playbooks" / "site.yml", inventory=inventory, json_output=True, args=args)
    assert result.rc == 0, f"site.yml failed:\n{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
    return result


def _bucket_policy(aws: Any, org: DemoOrg) -> dict[str, Any]:
    return json.loads(aws.client("s3", account=org.log_archive).get_bucket_policy(Bucket=org.bucket)["Policy"])


def _write_statement(policy: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in policy["Statement"] if s.get("Sid") == "CloudAuditCloudTrailWrite")


def _writers(aws: Any, org: DemoOrg) -> list[str]:
    """The object ARNs the bucket policy lets CloudTrail write (one AWSLogs/<account>/* per account)."""
    resources = _write_statement(_bucket_policy(aws, org))["Resource"]
    return sorted([resources] if isinstance(resources, str) else resources)


def _expected_writers(org: DemoOrg) -> list[str]:
    return sorted(f"arn:aws:s3:::{org.bucket}/AWSLogs/{account}/*" for account in org.accounts.values())


def _deliver(aws: Any, org: DemoOrg) -> dict[str, dict[str, Any]]:
    """A call in every account (an event its trail records), then a delivery: per account, its trail's status and log files."""
    for account in org.accounts.values():
        aws.client("cloudtrail", account=account).describe_trails()
    aws.emulator.flush_delivery()
    s3 = aws.client("s3", account=org.log_archive)
    delivered = {}
    for name, account in org.accounts.items():
        listed = s3.list_objects_v2(Bucket=org.bucket, Prefix=f"AWSLogs/{account}/CloudTrail/").get("Contents", [])
        status = aws.client("cloudtrail", account=account).get_trail_status(Name=TRAIL_NAME)
        delivered[name] = {"logging": status["IsLogging"], "error": status.get("LatestDeliveryError", ""), "log_files": len(listed)}
    return delivered


def _assert_every_trail_delivers(aws: Any, org: DemoOrg) -> None:
    """Every account's trail delivers a log file into the audit bucket (the emulator checks the bucket policy at each PutObject)."""
    delivered = _deliver(aws, org)
    for name, state in delivered.items():
        assert state["logging"] and not state["error"] and state["log_files"] > 0, (name, delivered)


@pytest.mark.integration
def test_a_limited_run_and_job_slices_keep_every_accounts_delivery(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    org = create_organization(aws.url, members=MEMBERS)
    exported = _export_inventory(playbook)
    full = _slice_inventory(exported, set(org.accounts), tmp_path / "full.yml")

    _run(playbook, full)
    converged = _bucket_policy(aws, org)
    assert _writers(aws, org) == _expected_writers(org), converged

    assert exported["all"]["vars"]["cloudaudit_organization_account_ids"] == sorted(org.accounts.values())
    assert exported["all"]["vars"]["cloudaudit_organization_accounts"] == org.accounts

    # --limit to two accounts, then two AWX slices one after the other: nothing changes anywhere. The first
    # slice comes from an inventory without the organization's account list (a static inventory, another
    # source): the audit bucket module itself keeps the accounts already allowed.
    mark = aws.emulator.mark()
    limited = _run(playbook, full, args=["--limit", "log-archive,member-a"])
    assert limited.changed_hosts() == {"log-archive": 0, "member-a": 0}, limited.changed_hosts()
    group_vars = {k: v for k, v in exported["all"]["vars"].items() if k != "cloudaudit_organization_account_ids"}
    without_list = {**exported, "all": {**exported["all"], "vars": group_vars}}
    for number, (source, hosts) in enumerate(((without_list, {"log-archive", "member-a"}), (exported, {"master", "member-b"}))):
        result = _run(playbook, _slice_inventory(source, hosts, tmp_path / f"slice{number}.yml"))
        assert result.changed_hosts() == {h: 0 for h in hosts}, (hosts, result.changed_hosts())
    assert aws.emulator.summary(since=mark)["write_operations"] == []
    assert _bucket_policy(aws, org) == converged
    assert _writers(aws, org) == _expected_writers(org)

    _assert_every_trail_delivers(aws, org)

    # The check can fail: with one account taken out of the policy, that account's trail no longer delivers.
    dropped = org.accounts["member-b"]
    narrowed = json.loads(json.dumps(converged))
    statement = _write_statement(narrowed)
    statement["Resource"] = [r for r in _expected_writers(org) if f"/AWSLogs/{dropped}/" not in r]
    aws.client("s3", account=org.log_archive).put_bucket_policy(Bucket=org.bucket, Policy=json.dumps(narrowed))
    delivered = _deliver(aws, org)
    assert delivered["member-b"]["error"], delivered
    assert all(not state["error"] for name, state in delivered.items() if name != "member-b"), delivered
