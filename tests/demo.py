"""`make demo`: an AWS Organization on the local emulator, converged, drift-checked and searched.

Steps (each printed with its elapsed time):
 1. start the emulator on a free loopback port (stopped at the end, also on failure);
 2. create an organization: the management account (the emulator's default account), a log-archive
    account and three member accounts (Organizations CreateAccount), in the OUs Security and Workloads;
 3. converge `playbooks/site.yml` (profile cis) from the `cloudaudit.aws.organization` inventory in
    `inventories/demo/`; converge again: every host must report changed=0;
 4. run `playbooks/drift.yml` with the drift report callback on the converged organization: no drift,
    no write call (the emulator's recorder);
 5. make two changes "by someone else" (an assumed role with the session name `mallory-console`):
    stop logging in one member account, delete the audit bucket's lifecycle;
 6. run `playbooks/drift.yml` again: exactly those two drifts, with before/after, no write call;
 7. run `playbooks/events.yml`: the report names mallory-console for both changes;
 8. CloudTrail delivers the log files and digests (the emulator's `/_emulator/delivery/flush`), `playbooks/history.yml`
    makes the audit bucket searchable with Athena in the log-archive account, and `tests/demo_history.yml` finds
    mallory-console's StopLogging there (account, region, day: the same event as the event history's) and verifies the
    log-archive trail's delivered files with their digests;
 9. converge `site.yml` once more: it repairs exactly the two drifted accounts;
10. print where the reports are (`reports/demo/`).
Exit status 0 only when every check holds.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness import DEFAULT_REGION, ROOT, EmulatorProcess, PlaybookResult, PlaybookRunner

REPORTS = ROOT / "reports" / "demo"
INVENTORY = ROOT / "inventories" / "demo" / "demo.aws_organization.yml"
TRAIL_NAME = "cloudaudit"
INTRUDER = "mallory-console"
MEMBERS = ("member-a", "member-b", "member-c")
DRIFT_MEMBER = "member-b"
HISTORY_SEARCH = ROOT / "tests" / "demo_history.yml"
# The demo's calls are all in the inventory's region; the Athena table covers it (a real organization: every region it uses).
HISTORY_VARS = {"cloudaudit_history_regions": [DEFAULT_REGION]}


class DemoError(RuntimeError):
    """A check of the demo failed."""


@dataclass
class DemoOrg:
    """The accounts of the demo organization: host name (account name) -> account id."""

    organization_id: str
    accounts: dict[str, str] = field(default_factory=dict)

    @property
    def log_archive(self) -> str:
        return self.accounts["log-archive"]

    @property
    def bucket(self) -> str:
        return f"cloudaudit-audit-logs-{self.log_archive}"


def boto_client(url: str, service: str, account: str | None = None, session: str = "cloudaudit-demo-setup") -> Any:
    """A boto3 client against the emulator, in the default account or (AssumeRole) in another one."""
    import boto3
    from botocore.config import Config

    kwargs: dict[str, Any] = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    if account:
        sts = boto3.client("sts", region_name=DEFAULT_REGION, endpoint_url=url, **kwargs)
        role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        creds = sts.assume_role(RoleArn=role, RoleSessionName=session)["Credentials"]
        kwargs = {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return boto3.client(service, region_name=DEFAULT_REGION, endpoint_url=url, config=config, **kwargs)


def create_organization(url: str, members: tuple[str, ...] = MEMBERS) -> DemoOrg:
    """The management account creates the organization, OUs, a log-archive account and the members."""
    org = boto_client(url, "organizations")
    organization = org.create_organization(FeatureSet="ALL")["Organization"]
    org.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {name: org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"] for name in ("Security", "Workloads")}
    demo = DemoOrg(organization_id=organization["Id"], accounts={"master": organization["MasterAccountId"]})
    for name, ou in [("log-archive", "Security")] + [(m, "Workloads") for m in members]:
        status = org.create_account(Email=f"{name}@example.com", AccountName=name, Tags=[{"Key": "demo", "Value": "true"}])
        account_id = status["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ous[ou])
        demo.accounts[name] = account_id
    return demo


def inject_drift(url: str, demo: DemoOrg, member: str = DRIFT_MEMBER) -> None:
    """Someone else (session mallory-console) stops logging in one member and deletes the bucket's lifecycle."""
    boto_client(url, "cloudtrail", account=demo.accounts[member], session=INTRUDER).stop_logging(Name=TRAIL_NAME)
    boto_client(url, "s3", account=demo.log_archive, session=INTRUDER).delete_bucket_lifecycle(Bucket=demo.bucket)


def drifted_resources(report: dict[str, Any]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """(host, module short name, resource) -> changes, for every resource with drift in a drift.json report."""
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for host, data in (report.get("hosts") or {}).items():
        for resource in data.get("resources") or []:
            changes = resource.get("changes") or []
            if changes:
                module = str(resource.get("module", "")).rsplit(".", maxsplit=1)[-1]
                found[(host, module, str(resource.get("resource", "")))] = changes
    return found


def check_drift(report: dict[str, Any], demo: DemoOrg, member: str = DRIFT_MEMBER) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Exactly two drifted resources: the member's trail (logging) and the audit bucket (lifecycle)."""
    found = drifted_resources(report)
    expected = {
        (member, "cloudtrail_trail", TRAIL_NAME): "logging",
        ("log-archive", "s3_audit_bucket", demo.bucket): "lifecycle",
    }
    if set(found) != set(expected):
        raise DemoError(f"drift report lists {sorted(found)}, expected {sorted(expected)}")
    for key, word in expected.items():
        settings = " ".join(str(c.get("setting", "")) for c in found[key])
        if word not in settings:
            raise DemoError(f"drift of {key} does not mention {word}: {found[key]}")
    return found


def check_events(report: dict[str, Any], demo: DemoOrg, member: str = DRIFT_MEMBER) -> list[dict[str, Any]]:
    """The events report names the intruder for StopLogging (member) and DeleteBucketLifecycle (log archive)."""
    wanted = {("StopLogging", demo.accounts[member]), ("DeleteBucketLifecycle", demo.log_archive)}
    hits = [e for e in report.get("events", []) if (_event_name(e), str(e.get("account"))) in wanted and INTRUDER in str(e.get("who", ""))]
    if {(_event_name(e), str(e["account"])) for e in hits} != wanted:
        raise DemoError(f"events report does not name {INTRUDER} for {sorted(wanted)}: {report.get('events', [])[:10]}")
    return hits


def check_history(found: dict[str, Any], events: list[dict[str, Any]], demo: DemoOrg, member: str = DRIFT_MEMBER) -> dict[str, Any]:
    """The Athena search of the S3 logs found the intruder's StopLogging in the member's account, region and day: the same
    event (event id) the event history found; the log-archive trail's delivered files are intact."""
    account = demo.accounts[member]
    seen = [e for e in events if _event_name(e) == "StopLogging" and str(e.get("account")) == account]
    hits = [e for e in found["search"]["events"] if e["account"] == account and e["username"] == INTRUDER]
    if len(hits) != 1 or len(seen) != 1:
        raise DemoError(f"StopLogging of {INTRUDER} in {member}: {hits} in the S3 logs (Athena), {seen} in the event history")
    hit, event = hits[0], seen[0]
    if (hit["event_id"], hit["region"], hit["event_time"][:10]) != (event.get("event_id"), event["region"], event["time"][:10]):
        raise DemoError(f"the S3 logs (Athena) and the event history disagree: {hit} / {event}")
    validation = found["validation"]
    if not validation.get("valid") or validation["counts"]["log_files"]["valid"] < 1:
        raise DemoError(f"log file validation of the log-archive trail: {validation.get('counts')} {validation.get('digest_files')}")
    return hit


def _short(value: Any, limit: int = 90) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _event_name(event: dict[str, Any]) -> str:
    return str(event.get("event", ""))


def changed_per_host(result: PlaybookResult) -> dict[str, int]:
    stats = result.stats()
    if result.rc != 0 or not stats:
        raise DemoError(f"ansible-playbook failed (rc={result.rc}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return {host: s.get("changed", 0) for host, s in sorted(stats.items())}


def failure_summary(result: PlaybookResult) -> str:
    return f"rc={result.rc}\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}"


class Demo:
    def __init__(self, reports: Path = REPORTS) -> None:
        self.reports = reports
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", flush=True)

    def run(self) -> None:
        shutil.rmtree(self.reports, ignore_errors=True)
        self.reports.mkdir(parents=True)
        emulator = EmulatorProcess(log_path=self.reports / "emulator.log")
        self.say(f"starting the emulator on {emulator.url}")
        emulator.start()
        try:
            self.scenario(emulator.url)
        finally:
            emulator.stop()
            self.say("emulator stopped")

    def playbook(self, runner: PlaybookRunner, name: str, log: str, **kwargs: Any) -> PlaybookResult:
        result = runner.run(ROOT / "playbooks" / name, inventory=INVENTORY, json_output=True, **kwargs)
        (self.reports / log).write_text(result.stdout + ("\n--- stderr ---\n" + result.stderr if result.stderr else ""))
        return result

    def drift(self, runner: PlaybookRunner, client: Any, report_dir: Path, log: str) -> dict[str, Any]:
        """drift.yml with the report callback; fails the demo if it made any write call (AssumeRole aside)."""
        mark = client.mark()
        env = {"ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(report_dir)}
        result = self.playbook(runner, "drift.yml", log, env=env)
        if result.rc != 0:
            raise DemoError(f"drift.yml failed: {failure_summary(result)}")
        writes = [w for w in client.summary(since=mark)["write_operations"] if not w.startswith("sts:")]
        if writes:
            raise DemoError(f"drift.yml made write calls: {writes}")
        return json.loads((report_dir / "drift.json").read_text())

    def history(self, runner: PlaybookRunner, client: Any, demo: DemoOrg, events: list[dict[str, Any]]) -> None:
        """Delivery, the Athena table (history.yml), a search of the S3 logs and digest validation (demo_history.yml)."""
        delivered = client.flush_delivery()["trails"]
        errors = [t for t in delivered if t["errors"]]
        if errors:
            raise DemoError(f"CloudTrail could not deliver: {errors}")
        self.say(
            f"CloudTrail delivered {sum(len(t['log_files']) for t in delivered)} log files and "
            f"{sum(len(t['digest_files']) for t in delivered)} digests of {len(delivered)} trails to s3://{demo.bucket}"
        )
        result = self.playbook(runner, "history.yml", "history.log", extra_vars=HISTORY_VARS)
        self.say(f"history.yml: Athena over s3://{demo.bucket} in log-archive, changed per host {changed_per_host(result)}")
        out = self.reports / "history.json"
        result = runner.run(HISTORY_SEARCH, inventory=INVENTORY, json_output=True, extra_vars={"history_out": str(out)})
        (self.reports / "history-search.log").write_text(result.stdout + ("\n--- stderr ---\n" + result.stderr if result.stderr else ""))
        if result.rc != 0:
            raise DemoError(f"demo_history.yml failed: {failure_summary(result)}")
        found = json.loads(out.read_text())
        hit = check_history(found, events, demo)
        search, validation = found["search"], found["validation"]
        self.say(
            f"history search (Athena, S3 logs): {hit['event_time']} {hit['username']} {hit['event_name']} in {DRIFT_MEMBER} ({hit['account']}) "
            f"{hit['region']}, event {hit['event_id']} (the event history's too); {search['bytes_scanned']} bytes scanned"
        )
        self.say(
            f"log file validation of {validation['trail_arn']}: valid={validation['valid']}, digests {validation['counts']['digest_files']}, "
            f"log files {validation['counts']['log_files']}"
        )

    def scenario(self, url: str) -> None:
        from tests.emulator.client import EmulatorClient

        client = EmulatorClient(url)
        demo = create_organization(url)
        self.say(f"organization {demo.organization_id}: " + ", ".join(f"{n}={a}" for n, a in demo.accounts.items()))
        runner = PlaybookRunner(url, self.reports / "work")

        result = self.playbook(runner, "site.yml", "site-1.log")
        self.say(f"site.yml converged: changed per host {changed_per_host(result)}")
        result = self.playbook(runner, "site.yml", "site-2.log")
        changed = changed_per_host(result)
        self.say(f"site.yml again: changed per host {changed}")
        if any(changed.values()):
            raise DemoError(f"second converge is not idempotent: {changed} (see {self.reports / 'site-2.log'})")

        report = self.drift(runner, client, self.reports / "drift-clean", "drift-clean.log")
        if drifted_resources(report) or report.get("drift_count"):
            raise DemoError(f"drift.yml found drift on the converged organization: {drifted_resources(report)}")
        self.say(f"drift.yml on the converged organization: no drift in {report.get('resources_checked')} resources, 0 write calls")

        inject_drift(url, demo)
        self.say(f"{INTRUDER} stopped logging in {DRIFT_MEMBER} and deleted the lifecycle of s3://{demo.bucket}")

        drift_dir = self.reports / "drift"
        report = self.drift(runner, client, drift_dir, "drift.log")
        found = check_drift(report, demo)
        for (host, module, resource), changes in sorted(found.items()):
            settings = ", ".join(f"{c.get('setting')}: {_short(c.get('before'))} -> {_short(c.get('after'))}" for c in changes)
            self.say(f"drift.yml: {host} {module} {resource}: {settings}")
        self.say(f"drift.yml: {report.get('drift_count')} drift(s) in {len(found)} resources, 0 write calls")

        events_dir = self.reports / "events"
        result = self.playbook(runner, "events.yml", "events.log", extra_vars={"cloudaudit_events_report_dir": str(events_dir), "cloudaudit_events_days": 1})
        if result.rc != 0:
            raise DemoError(f"events.yml failed: {failure_summary(result)}")
        events = json.loads((events_dir / "events.json").read_text())
        for event in check_events(events, demo):
            self.say(f"events.yml: {event['time']} {event['who']} {event['event']} in {event['account_name']} ({event['account']}) {event['region']}")

        self.history(runner, client, demo, events["events"])

        result = self.playbook(runner, "site.yml", "site-3.log")
        changed = changed_per_host(result)
        repaired = {host for host, count in changed.items() if count}
        if repaired != {DRIFT_MEMBER, "log-archive"}:
            raise DemoError(f"site.yml repaired {changed}, expected changes in {DRIFT_MEMBER} and log-archive only")
        self.say(f"site.yml repaired the drift: changed per host {changed}")

        self.say("reports:")
        for path in (drift_dir / "drift.md", drift_dir / "drift.json", drift_dir / "drift.xml", events_dir / "events.json", events_dir / "events.csv",
                     self.reports / "history.json"):
            print(f"  {path.relative_to(ROOT)}")
        print(f"  playbook logs: {self.reports.relative_to(ROOT)}/*.log")


def main() -> int:
    demo = Demo()
    try:
        demo.run()
    except DemoError as error:
        demo.say(f"DEMO FAILED: {error}")
        return 1
    demo.say("demo finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
