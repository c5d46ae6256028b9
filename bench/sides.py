"""The two sides of the benchmark, each with its own emulator process, accounts and inventory."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import Run, run_playbook
from tests.harness import ROOT, EmulatorProcess, PlaybookRunner

PLAYBOOKS = ROOT / "bench" / "playbooks"
FIRST_ACCOUNT = 210000000001


@dataclass(frozen=True)
class SideSpec:
    name: str
    playbook: str
    # The task (name, without a role prefix) whose check-mode result reports each drifted resource.
    drift_tasks: dict[str, str]


SPECS = (
    SideSpec("amazon.aws", "amazon_aws.yml", {"trail_validation": "Trail", "lifecycle": "Lifecycle to Glacier, expiry after 7 years"}),
    SideSpec("cloudaudit.aws", "cloudaudit.yml", {"trail_validation": "CloudTrail trail", "lifecycle": "CloudTrail audit bucket"}),
)
# Words a diff must contain to show the drifted setting (not only that something changed).
DIFF_WORDS = {"trail_validation": ("validation",), "lifecycle": ("lifecycle", "glacier")}


@dataclass
class Side:
    spec: SideSpec
    workdir: Path
    latency_ms: int
    emulator: EmulatorProcess = field(init=False)
    client: Any = field(init=False)
    runner: PlaybookRunner = field(init=False)
    accounts: dict[str, dict[str, str]] = field(default_factory=dict)
    converged: bool = False
    setup: dict[str, Any] = field(default_factory=dict)  # figures of an untimed converge, if one was needed

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def inventory(self) -> Path:
        return self.workdir / "hosts.ini"

    def start(self) -> "Side":
        from tests.emulator.client import EmulatorClient

        self.workdir.mkdir(parents=True, exist_ok=True)
        # Two emulators boot at once, on a machine that may be busy: more time than the tests' default.
        self.emulator = EmulatorProcess(log_path=self.workdir / "emulator.log", ready_timeout=300).start()
        self.client = EmulatorClient(self.emulator.url)
        self.runner = PlaybookRunner(self.emulator.url, self.workdir)
        return self

    def stop(self) -> None:
        self.emulator.stop()

    def reset(self, count: int) -> None:
        """Empty emulator, the latency fault, fresh credentials for every account (untimed)."""
        import boto3

        self.client.reset()  # also clears the faults
        url = self.emulator.url
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing")
        self.accounts = {}
        for i in range(count):
            account = str(FIRST_ACCOUNT + i)
            role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            self.accounts[account] = sts.assume_role(RoleArn=role, RoleSessionName="bench")["Credentials"]
        lines = ["[accounts]"] + [
            f"acct{a} account_id={a} bench_access_key={c['AccessKeyId']} bench_secret_key={c['SecretAccessKey']} bench_session_token={c['SessionToken']}"
            for a, c in self.accounts.items()
        ]
        self.inventory.write_text("\n".join(lines) + "\n")
        if self.latency_ms:
            self.client.add_fault("latency", operation="*", latency_ms=self.latency_ms)
        self.converged = False

    def command(self, forks: int, check: bool) -> list[str]:
        exe = shutil.which("ansible-playbook", path=str(Path(sys.executable).parent)) or "ansible-playbook"
        cmd = [exe, str(PLAYBOOKS / self.spec.playbook), "-i", str(self.inventory), "-f", str(forks)]
        cmd += ["-e", json.dumps({"emulator_url": self.emulator.url})]
        return cmd + (["--check", "--diff"] if check else [])

    def play(self, forks: int, check: bool = False) -> tuple[Run, dict[str, Any]]:
        """One measured ansible-playbook run and the emulator's count of the calls it made."""
        mark = self.client.mark()
        run = run_playbook(self.command(forks, check), self.runner.env(json_output=True), self.workdir)
        if run.rc != 0 or run.json is None:
            raise RuntimeError(f"{self.name}: {self.spec.playbook} failed (rc {run.rc}):\n{_failures(run.json) or run.stdout[-6000:]}\n{run.stderr[-3000:]}")
        return run, self.client.summary(since=mark)

    def drift_findings(self, run: Run) -> dict[str, dict[str, dict[str, bool]]]:
        """Per drifted resource and host: what the check run reported (changed, a diff, the setting in the diff)."""
        wanted = {task: resource for resource, task in self.spec.drift_tasks.items()}
        found: dict[str, dict[str, dict[str, bool]]] = {r: {} for r in self.spec.drift_tasks}
        for play in (run.json or {}).get("plays", []):
            for task in play.get("tasks", []):
                for host, task_result in task.get("hosts", {}).items():
                    # A cloudaudit.aws.resources task (the roles) returns each resource as a step with its own name.
                    steps = task_result.get("steps") if isinstance(task_result.get("steps"), list) else [dict(task_result, name=task["task"]["name"])]
                    for result in steps:
                        resource = wanted.get(str(result.get("name", "")).rsplit(" : ", maxsplit=1)[-1])
                        if resource:
                            found[resource][host] = _finding(result, resource)
        return found


def _failures(output: dict[str, Any] | None) -> str:
    """host, task and message of every failed host-task of a JSON-callback output (the first 20)."""
    lines = [
        f"{host}: {task['task']['name']}: {str(result.get('msg', ''))[:500]}"
        for play in (output or {}).get("plays", [])
        for task in play.get("tasks", [])
        for host, result in task.get("hosts", {}).items()
        if result.get("failed")
    ]
    return "\n".join(lines[:20] + ([f"... and {len(lines) - 20} more"] if len(lines) > 20 else []))


def _finding(result: dict[str, Any], resource: str) -> dict[str, bool]:
    diffs = result.get("diff") or []
    diffs = [d for d in (diffs if isinstance(diffs, list) else [diffs]) if d]
    return {
        "changed": bool(result.get("changed")),
        "skipped": bool(result.get("skipped")),
        "diff": bool(diffs),
        "setting_in_diff": any(_differs(d, DIFF_WORDS[resource]) for d in diffs),
    }


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flatten(item, f"{path}.{key}").items()}
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return {k: v for i, item in enumerate(value) for k, v in _flatten(item, f"{path}[{i}]").items()}
    return {path.lower(): value}


def _differs(diff: dict[str, Any], words: tuple[str, ...]) -> bool:
    """Whether before and after of the diff differ at a key naming the setting (or the text diff names it)."""
    if not isinstance(diff.get("before"), (dict, list)) or not isinstance(diff.get("after"), (dict, list)):
        return any(word in json.dumps(diff).lower() for word in words)
    before, after = _flatten(diff["before"]), _flatten(diff["after"])
    return any(any(word in key for word in words) and before.get(key) != after.get(key) for key in before.keys() | after.keys())
