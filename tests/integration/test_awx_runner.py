"""site.yml and drift.yml as AWX / Automation Platform run them: ansible-runner, one private data directory per job.

AWX runs a job template with `ansible-runner` (inside the execution environment) in a fresh private data directory,
laid out as in docs/scaling.md:

    inventory/                  the inventory source: the organization inventory config and its group_vars/
    env/extravars               the job template's extra variables
    env/envvars                 the environment the credentials and the job settings inject
    env/cmdline                 further ansible-playbook options (forks)
    project/                    the project checkout holding the playbooks
    requirements_collections/   the collections of the job (here: this checkout's tarball, installed offline)
    artifacts/<job id>/         written by ansible-runner: stdout, rc, status, command, job_events/

One organization (management, log archive, one member); the converge job, then the drift job with the drift report
callback. ansible-runner runs without process isolation, in an environment without AWS or Ansible settings: only the
private data directory points the jobs at the emulator and at the installed collection.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.demo import INVENTORY, TRAIL_NAME, create_organization
from tests.harness import ROOT, aws_env, clean_environ

BIN = Path(sys.executable).parent
SCHEMA = json.loads((ROOT / "docs" / "drift_report_schema.json").read_text())
MEMBERS = ("member-b",)
ACCOUNT_HOSTS = {"master", "log-archive", *MEMBERS}
# Where the drift job keeps its report (docs/scaling.md): a directory of the execution node exposed to jobs
# ("Paths to expose to isolated jobs"), outside the private data directory that AWX deletes after the job.
EXPOSED_DRIFT_DIR = Path("var/lib/cloudaudit/drift")
FORKS = 5
# A project's playbook that runs the collection's own (the other form docs/scaling.md gives).
DRIFT_WRAPPER = """---
- name: Drift check of every account
  ansible.builtin.import_playbook: cloudaudit.aws.drift
"""


def _node_env(home: Path) -> dict[str, str]:
    """The execution node's environment: no AWS, Ansible or emulator settings leak in from the test process."""
    env = {k: v for k, v in clean_environ().items() if k not in ("EMULATOR_URL", "PYTHONPATH")}
    env.update({"HOME": str(home), "PATH": f"{BIN}:{env.get('PATH', '')}"})
    home.mkdir(parents=True, exist_ok=True)
    return env


def _install_collection(tarball: Path, collections: Path, env: dict[str, str]) -> None:
    """What AWX's project sync does with collections/requirements.yml, offline: amazon.aws resolves from the `ansible` package."""
    cmd = [str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p", str(collections), str(tarball)]
    env = {**env, "ANSIBLE_COLLECTIONS_PATH": f"{collections}:{sysconfig.get_paths()['purelib']}"}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"ansible-galaxy collection install failed:\n{proc.stdout}\n{proc.stderr}"
    assert "amazon.aws" in proc.stdout, f"the dependency amazon.aws was not resolved:\n{proc.stdout}"


def private_data_dir(
    pdd: Path, tarball: Path, project: dict[str, str], envvars: dict[str, str], extravars: dict[str, Any], node_env: dict[str, str]
) -> Path:
    """A private data directory as AWX lays it out for one job; project maps file names to their text."""
    (pdd / "inventory").mkdir(parents=True)
    shutil.copy(INVENTORY, pdd / "inventory" / INVENTORY.name)
    shutil.copytree(INVENTORY.parent / "group_vars", pdd / "inventory" / "group_vars")
    (pdd / "project").mkdir()
    for name, text in project.items():
        (pdd / "project" / name).write_text(text)
    collections = pdd / "requirements_collections"
    _install_collection(tarball, collections, node_env)
    (pdd / "env").mkdir()
    all_envvars = {
        **envvars,
        "ANSIBLE_COLLECTIONS_PATH": f"{collections}:{sysconfig.get_paths()['purelib']}",
        # The execution environment's Python (the one with boto3).
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    }
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(all_envvars))
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    (pdd / "env" / "cmdline").write_text(f"--forks {FORKS}")
    return pdd


class Job:
    """One ansible-runner job: its artifacts and events."""

    def __init__(self, pdd: Path, ident: str, proc: subprocess.CompletedProcess) -> None:
        self.pdd = pdd
        self.ident = ident
        self.proc = proc
        self.artifacts = pdd / "artifacts" / ident
        self.events = [json.loads(p.read_text()) for p in sorted((self.artifacts / "job_events").glob("*.json"), key=lambda p: int(p.name.split("-")[0]))]

    def describe(self) -> str:
        stdout = (self.artifacts / "stdout").read_text() if (self.artifacts / "stdout").exists() else self.proc.stdout
        return f"job {self.ident} (rc={self.proc.returncode}):\n{stdout[-12000:]}\n{self.proc.stderr[-3000:]}"

    def of(self, event: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == event]


def run_job(pdd: Path, ident: str, playbook: str, node_env: dict[str, str]) -> Job:
    cmd = [str(BIN / "ansible-runner"), "run", str(pdd), "--playbook", playbook, "--ident", ident]
    proc = subprocess.run(cmd, cwd=pdd, env=node_env, capture_output=True, text=True, timeout=600, check=False)
    return Job(pdd, ident, proc)


def assert_job_artifacts(job: Job) -> None:
    """The job succeeded, as AWX reads it, and ran from this private data directory."""
    assert job.proc.returncode == 0, job.describe()
    assert (job.artifacts / "status").read_text().strip() == "successful", job.describe()
    assert (job.artifacts / "rc").read_text().strip() == "0", job.describe()
    assert "PLAY RECAP" in (job.artifacts / "stdout").read_text()
    assert job.events and job.of("playbook_on_stats"), "no job events"
    command = json.loads((job.artifacts / "command").read_text())["command"]
    assert command[command.index("-i") + 1] == str(job.pdd / "inventory"), command
    assert f"@{job.pdd / 'env' / 'extravars'}" in command, command
    assert command[command.index("--forks") + 1] == str(FORKS), command
    assert not job.of("runner_on_failed") and not job.of("runner_on_unreachable"), job.describe()


def installed_collection(pdd: Path) -> Path:
    return pdd / "requirements_collections" / "ansible_collections" / "cloudaudit" / "aws"


def assert_ran_from(job: Job, playbook: Path) -> None:
    """The plays' own tasks came from playbook; every task of the collection's roles from the installed collection."""
    installed = installed_collection(job.pdd)
    play_tasks = {e["event_data"]["task_path"].rsplit(":", 1)[0] for e in job.of("runner_on_ok") if not e["event_data"].get("role")}
    assert play_tasks == {str(playbook)}, play_tasks
    # (The implicit argument spec validation of a role is reported at the play's line.)
    implicit = "ansible.builtin.validate_argument_spec"
    role_tasks = [e for e in job.of("runner_on_ok") if e["event_data"].get("role") and e["event_data"]["task_action"] != implicit]
    assert any(e["event_data"]["task_action"].startswith("cloudaudit.aws.") for e in role_tasks), "no module of the collection ran"
    outside = {e["event_data"]["task_path"] for e in role_tasks if not e["event_data"]["task_path"].startswith(f"{installed}{os.sep}")}
    assert not outside, f"role tasks ran from elsewhere: {sorted(outside)[:5]}"


def ok_hosts(job: Job, changed: bool | None = None) -> set[str]:
    return {e["event_data"]["host"] for e in job.of("runner_on_ok") if changed is None or bool(e["event_data"]["res"].get("changed")) is changed}


@pytest.mark.integration
def test_awx_jobs_converge_then_drift_check_through_ansible_runner_with_the_collection_tarball(
    aws: Any, tmp_path: Path, collection_tarball: Path
) -> None:
    org = create_organization(aws.url, members=MEMBERS)
    node_env = _node_env(tmp_path / "home")
    # The "Amazon Web Services" credential (keys), plus the region and the emulator's endpoint.
    credentials = {k: v for k, v in aws_env(aws.url).items() if k != "EMULATOR_URL"}
    installed_version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]

    # Job 1: the site.yml job template; the project holds a copy of the collection's playbook.
    site = (ROOT / "playbooks" / "site.yml").read_text()
    pdd = private_data_dir(tmp_path / "awx_1", collection_tarball, {"site.yml": site}, credentials, {}, node_env)
    manifest = json.loads((installed_collection(pdd) / "MANIFEST.json").read_text())
    assert manifest["collection_info"]["version"] == installed_version
    converge = run_job(pdd, "1", "site.yml", node_env)
    assert_job_artifacts(converge)
    assert_ran_from(converge, pdd / "project" / "site.yml")
    assert ok_hosts(converge) >= ACCOUNT_HOSTS, ok_hosts(converge)
    assert ok_hosts(converge, changed=True) == ACCOUNT_HOSTS, "every account changes in the first converge"
    trail = aws.client("cloudtrail", account=org.accounts["member-b"])
    assert trail.get_trail(Name=TRAIL_NAME)["Trail"]["S3BucketName"] == org.bucket
    assert trail.get_trail_status(Name=TRAIL_NAME)["IsLogging"]

    # Job 2: the drift.yml job template; the project's playbook imports the collection's; the report callback is
    # enabled and the report kept outside the private data directory.
    exposed = tmp_path / "node" / EXPOSED_DRIFT_DIR
    drift_env = {**credentials, "ANSIBLE_CALLBACKS_ENABLED": "cloudaudit.aws.drift_report", "CLOUDAUDIT_DRIFT_REPORT_DIR": str(exposed)}
    pdd = private_data_dir(tmp_path / "awx_2", collection_tarball, {"drift.yml": DRIFT_WRAPPER}, drift_env, {"cloudaudit_fail_on_drift": True}, node_env)
    mark = aws.emulator.mark()
    drift = run_job(pdd, "2", "drift.yml", node_env)
    assert_job_artifacts(drift)
    assert_ran_from(drift, installed_collection(pdd) / "playbooks" / "drift.yml")
    assert ok_hosts(drift) >= ACCOUNT_HOSTS | {"localhost"}, ok_hosts(drift)
    assert ok_hosts(drift, changed=True) == set(), [e["event_data"]["task"] for e in drift.of("runner_on_ok") if e["event_data"]["res"].get("changed")]
    assert aws.emulator.summary(since=mark)["write_operations"] == []

    # The drift report of the callback, where the docs say AWX jobs keep it.
    report = json.loads((exposed / "drift.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["check_mode"] is True and report["drift_count"] == 0
    assert set(report["hosts"]) == ACCOUNT_HOSTS
    assert report["resources_checked"] >= 3 * len(ACCOUNT_HOSTS)
    cases = list(ET.parse(exposed / "drift.xml").getroot().iter("testcase"))
    assert len(cases) == report["resources_checked"] and not [c for c in cases if c.find("failure") is not None]
    markdown = (exposed / "drift.md").read_text()
    assert all(host in markdown for host in ACCOUNT_HOSTS), markdown[:2000]
    assert not (pdd / "project" / "reports").exists(), "the report went to the default directory, not CLOUDAUDIT_DRIFT_REPORT_DIR"
