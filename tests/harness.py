"""Shared test plumbing: the emulator process, AWS environment, ansible-playbook runner.

Used by tests/conftest.py (fixtures), the demo and the benchmark, so all run
the collection the same way: from this checkout, linked as cloudaudit.aws,
against the emulator on loopback, never against AWS.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


def collections_dir() -> Path:
    """A directory holding ansible_collections/cloudaudit/aws -> this checkout."""
    venv_dir = ROOT / ".venv" / "collections"
    link = venv_dir / "ansible_collections" / "cloudaudit" / "aws"
    if link.exists() and link.resolve() == ROOT:
        return venv_dir
    tmp = Path(tempfile.mkdtemp(prefix="cloudaudit-collections-"))
    (tmp / "ansible_collections" / "cloudaudit").mkdir(parents=True)
    (tmp / "ansible_collections" / "cloudaudit" / "aws").symlink_to(ROOT)
    return tmp


# Action-only plugins documented by a module stub: no core of their own (resources runs other modules as its steps).
ACTION_ONLY_MODULES = frozenset(("resources",))


def module_names(with_core: bool = False) -> list[str]:
    """The collection's modules (plugins/modules/*.py); with_core: only those with a core of their own (a DEFINITION)."""
    names = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if not p.name.startswith("_"))
    return [n for n in names if not (with_core and n in ACTION_ONLY_MODULES)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmulatorProcess:
    """The emulator as a subprocess on a free loopback port."""

    def __init__(self, port: int | None = None, log_path: Path | None = None, ready_timeout: float = 60) -> None:
        self.port = port or free_port()
        self.ready_timeout = ready_timeout
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._proc: subprocess.Popen | None = None

    def start(self) -> "EmulatorProcess":
        from tests.emulator.client import EmulatorClient

        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.emulator", "--port", str(self.port)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        client = EmulatorClient(self.url)
        try:
            client.wait_ready(self.ready_timeout)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._proc = None


def process_tree(pid: int) -> list[int]:
    """pid and every live descendant, found through /proc (Linux).

    ansible-core starts each worker in a session of its own (WorkerProcess._detach calls setsid), so
    killing ansible-playbook's process group leaves the workers and the module processes they launched
    running: a "killed" run would go on making AWS calls into later tests.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def kill_tree(pid: int) -> list[int]:
    """SIGKILL pid and all its descendants, whatever session they are in; the pids signalled.

    Each round stops what it finds (SIGSTOP: nothing forks or calls AWS meanwhile) until no new
    descendant shows up, then kills them all.
    """
    import signal

    found: list[int] = []
    while True:
        new = [p for p in process_tree(pid) if p not in found]
        if not new:
            break
        for p in new:
            try:
                os.kill(p, signal.SIGSTOP)
            except ProcessLookupError:
                pass
        found.extend(new)
    for p in found:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return found


def s3control_endpoint(url: str) -> str:
    """The emulator's URL for S3 Control clients.

    The SDK sends every account call of S3 Control to <AccountId>.<endpoint host> (its endpoint rules
    prefix the host, custom endpoints included), a name no resolver knows for 127.0.0.1. With user
    info in the URL the prefix lands there (<AccountId>.s3-control@127.0.0.1) and the request still
    reaches the emulator, which finds the account in the x-amz-account-id header as AWS does.
    """
    return url.replace("://", "://s3-control@", 1)


def aws_env(url: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """Environment that points boto3 (and so every module) at the emulator with dummy keys."""
    env = {
        "AWS_ENDPOINT_URL": url,
        "AWS_ENDPOINT_URL_S3_CONTROL": s3control_endpoint(url),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_MAX_ATTEMPTS": "1",
        "EMULATOR_URL": url,
        "NO_PROXY": "*",
        "no_proxy": "*",
    }
    return env


def run_tool(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """A command-line tool run as the sanity and tool tests run one: its output captured as text, its exit code not raised."""
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def clean_environ() -> dict[str, str]:
    """os.environ without AWS settings or proxies that could send traffic elsewhere."""
    drop = ("AWS_", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ANSIBLE_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@dataclass
class PlaybookResult:
    rc: int
    stdout: str
    stderr: str
    json: dict[str, Any] | None

    def stats(self) -> dict[str, dict[str, int]]:
        return (self.json or {}).get("stats", {})

    def changed_hosts(self) -> dict[str, int]:
        return {h: s.get("changed", 0) for h, s in self.stats().items()}

    def changed_resources(self) -> dict[str, int]:
        """Per host, the changed tasks, counting each changed step of a cloudaudit.aws.resources task (a role's resources) as one."""
        counts = {h: 0 for h in self.stats()}
        for play in (self.json or {}).get("plays", []):
            for task in play.get("tasks", []):
                for host, result in task.get("hosts", {}).items():
                    steps = result.get("steps") if result.get("action") == "cloudaudit.aws.resources" else None
                    if isinstance(steps, list):
                        counts[host] = counts.get(host, 0) + sum(1 for step in steps if step.get("changed"))
                    elif result.get("changed"):
                        counts[host] = counts.get(host, 0) + 1
        return counts


class PlaybookRunner:
    """ansible-playbook with this checkout as cloudaudit.aws, against the emulator."""

    def __init__(self, emulator_url: str, workdir: Path) -> None:
        self.emulator_url = emulator_url
        self.workdir = Path(workdir)
        self.collections = collections_dir()
        self.outputs: list[str] = []  # stdout + stderr of every run (the tests' counters read them)

    def env(self, json_output: bool = False, extra: dict[str, str] | None = None) -> dict[str, str]:
        home = self.workdir / "ansible_home"
        home.mkdir(parents=True, exist_ok=True)
        env = clean_environ()
        env.update(aws_env(self.emulator_url))
        env.update(
            {
                "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
                "ANSIBLE_HOME": str(home),
                "ANSIBLE_LOCAL_TEMP": str(home / "tmp"),
                "ANSIBLE_REMOTE_TEMP": str(home / "remote_tmp"),
                "ANSIBLE_LIBRARY": str(ROOT / "tests" / "integration" / "library"),
                "ANSIBLE_ROLES_PATH": str(ROOT / "tests" / "integration" / "targets"),
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_RETRY_FILES_ENABLED": "0",
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
                "ANSIBLE_LOCALHOST_WARNING": "0",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
                "ANSIBLE_DEPRECATION_WARNINGS": "0",
                "PYTHONPATH": str(ROOT),
                "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            }
        )
        if json_output:
            env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
        env.update(extra or {})
        return env

    def run(
        self,
        playbook: str | Path,
        inventory: str | Path | None = None,
        extra_vars: dict[str, Any] | None = None,
        check: bool = False,
        diff: bool = False,
        json_output: bool = False,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        timeout: int = 900,
    ) -> PlaybookResult:
        ansible_playbook = shutil.which("ansible-playbook", path=str(Path(sys.executable).parent)) or "ansible-playbook"
        cmd = [ansible_playbook, str(playbook)]
        cmd += ["-i", str(inventory) if inventory else "localhost,"]
        all_vars = {"emulator_url": self.emulator_url, **(extra_vars or {})}
        cmd += ["-e", json.dumps(all_vars)]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        cmd += args or []
        proc = subprocess.run(cmd, cwd=self.workdir, env=self.env(json_output, env), capture_output=True, text=True, timeout=timeout, check=False)
        self.outputs.append(proc.stdout + proc.stderr)
        parsed = None
        if json_output:
            start = proc.stdout.find("{")
            try:
                parsed = json.loads(proc.stdout[start:]) if start >= 0 else None
            except ValueError:
                parsed = None
        return PlaybookResult(proc.returncode, proc.stdout, proc.stderr, parsed)


def build_collection(output_dir: Path, env: dict[str, str] | None = None) -> Path:
    """`ansible-galaxy collection build` of this checkout into output_dir; the tarball's path."""
    import yaml

    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    output_dir.mkdir(parents=True, exist_ok=True)
    ansible_galaxy = Path(sys.executable).parent / "ansible-galaxy"
    cmd = [str(ansible_galaxy), "collection", "build", "--force", "--output-path", str(output_dir), str(ROOT)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    tarball = output_dir / f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    if proc.returncode != 0 or not tarball.is_file():
        raise RuntimeError(f"ansible-galaxy collection build failed (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return tarball


def plain(value: Any) -> Any:
    """ansible-inventory --list wraps inventory strings as {"__ansible_unsafe": value}: unwrap them."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def run_module_main(module: Any, params: dict[str, Any], capsys: Any) -> dict[str, Any]:
    """A module's main() in this process with params (ansible-core's test helper); the result it exits with."""
    import pytest
    from ansible.module_utils.testing import patch_module_args

    from ansible.module_utils import _internal as core_internal
    from ansible.module_utils.common import warnings as core_warnings

    # A module process starts with no warnings or deprecations recorded: so does each run here (ansible-core keeps them
    # in module-level dicts, which would otherwise carry one module run's warnings into, or out of, the next).
    core_warnings._global_warnings.clear()  # pylint: disable=protected-access
    core_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    # A module process is not the controller. Importing any controller code (ansible._internal, which an earlier test
    # in this pytest process may have done) sets is_controller, and module warnings then go to the controller's
    # display instead of into the result: the module runs with it off, as it would in its own process.
    was_controller = core_internal.is_controller
    core_internal.is_controller = False
    capsys.readouterr()
    try:
        with patch_module_args(params), pytest.raises(SystemExit):
            module.main()
    finally:
        core_internal.is_controller = was_controller
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])
