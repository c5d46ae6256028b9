"""python -m bench [--accounts N] [--runs N]: API calls and wall time, cloudaudit.aws vs amazon.aws.

For each side, on N accounts of the local emulator: a converging run, then no-op
runs. Counted by the emulator's recorder (AWS_MAX_ATTEMPTS=1, so botocore's own
retries do not hide calls); wall time and CPU time of ansible-playbook measured
around the run. Results: a table on stdout and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from tests.harness import ROOT, EmulatorProcess, PlaybookRunner

PLAYBOOKS = {"cloudaudit.aws": "cloudaudit.yml", "amazon.aws": "amazon_aws.yml"}
FIRST_ACCOUNT = 210000000001


def _inventory(path: Path, emulator_url: str, accounts: int) -> list[str]:
    import boto3

    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=emulator_url, aws_access_key_id="testing", aws_secret_access_key="testing")
    lines = ["[accounts]"]
    ids = []
    for i in range(accounts):
        account = str(FIRST_ACCOUNT + i)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="bench")["Credentials"]
        lines.append(
            f"acct{account} account_id={account} bench_access_key={creds['AccessKeyId']} "
            f"bench_secret_key={creds['SecretAccessKey']} bench_session_token={creds['SessionToken']}"
        )
        ids.append(account)
    path.write_text("\n".join(lines) + "\n")
    return ids


def _measure(runner: PlaybookRunner, client, playbook: Path, inventory: Path, check: bool = False) -> dict:
    mark = client.mark()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = runner.run(playbook, inventory=inventory, check=check, json_output=True)
    wall = time.monotonic() - start
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.rc != 0:
        raise RuntimeError(f"{playbook.name} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    summary = client.summary(since=mark)
    stats = result.stats()
    tasks = sum(len(p.get("tasks", [])) for p in (result.json or {}).get("plays", []))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round((usage_after.ru_utime + usage_after.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime), 2),
        "module_runs": tasks * len(stats),
        "api_calls": summary["total"],
        "writes": summary["writes"],
        "changed": sum(s.get("changed", 0) for s in stats.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--runs", type=int, default=2, help="no-op runs to average")
    args = parser.parse_args(argv)
    results: dict = {"accounts": args.accounts, "sides": {}}
    emulator = EmulatorProcess().start()
    try:
        from tests.emulator.client import EmulatorClient

        client = EmulatorClient(emulator.url)
        for side, name in PLAYBOOKS.items():
            client.reset()
            with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
                runner = PlaybookRunner(emulator.url, Path(tmp))
                inventory = Path(tmp) / "hosts.ini"
                _inventory(inventory, emulator.url, args.accounts)
                playbook = ROOT / "bench" / "playbooks" / name
                converge = _measure(runner, client, playbook, inventory)
                noops = [_measure(runner, client, playbook, inventory) for dummy in range(args.runs)]
                check = _measure(runner, client, playbook, inventory, check=True)
            noop = {k: round(sum(n[k] for n in noops) / len(noops), 2) for k in noops[0]}
            results["sides"][side] = {"converge": converge, "noop": noop, "check": check}
            print(f"{side}: converge {converge}, no-op {noop}, check {check}", file=sys.stderr)
    finally:
        emulator.stop()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    n = args.accounts
    print(f"\nNo-op run on {n} accounts (per account in brackets)")
    print(f"{'side':<16}{'module runs':>14}{'API calls':>14}{'writes':>8}{'wall s':>9}{'CPU s':>8}{'changed':>9}")
    for side, data in results["sides"].items():
        r = data["noop"]
        print(
            f"{side:<16}{r['module_runs']:>8} ({r['module_runs'] / n:.0f}){r['api_calls']:>8} ({r['api_calls'] / n:.0f})"
            f"{r['writes']:>8}{r['wall_s']:>9}{r['cpu_s']:>8}{r['changed']:>9}"
        )
    print(f"\nwritten: {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
