"""Fixtures for every test: the collection loader, the emulator, boto3 and ansible-playbook."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.harness import DEFAULT_REGION, ROOT, EmulatorProcess, PlaybookRunner, aws_env, build_collection, clean_environ, collections_dir, s3control_endpoint

# Make `ansible_collections.cloudaudit.aws` (this checkout) and amazon.aws importable in unit tests.
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[str(collections_dir())])._install()
# The collection's compile cache (plugin_utils/_compile_cache.py): one per test session, not in the user's ANSIBLE_HOME,
# shared by the playbook runs of the session (they inherit the variable): its entries are keyed by content, safe to
# share, and each run that starts the resources plugin then skips about 0.8 CPU-s of compiling. The default location
# (ANSIBLE_HOME) and a cold start are tested in tests/unit/plugins/plugin_utils/test_compile_cache.py.
if "CLOUDAUDIT_AWS_COMPILE_CACHE" not in os.environ:
    os.environ["CLOUDAUDIT_AWS_COMPILE_CACHE"] = tempfile.mkdtemp(prefix="cloudaudit-compile-cache-")
    atexit.register(shutil.rmtree, os.environ["CLOUDAUDIT_AWS_COMPILE_CACHE"], ignore_errors=True)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One emulator process per test session (per xdist worker)."""
    from tests.emulator.client import EmulatorClient

    log = tmp_path_factory.mktemp("emulator") / "emulator.log"
    proc = EmulatorProcess(log_path=log).start()
    client = EmulatorClient(proc.url)
    client.log_path = log
    try:
        yield client
    finally:
        proc.stop()


@pytest.fixture
def aws(emulator: Any, monkeypatch: pytest.MonkeyPatch, record_property: Any) -> Any:
    """A freshly reset emulator; boto3 in this process points at it. Counts the faults that fired in the test."""
    emulator.reset()
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    for key, value in aws_env(emulator.url).items():
        monkeypatch.setenv(key, value)
    yield AwsSession(emulator)
    fired = emulator.faults_fired()
    if fired:
        record_property(COUNTER_PROPERTY, ("faults injected", fired))


class AwsSession:
    """boto3 clients against the emulator, in the default account or any other one."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.url = emulator.url

    def client(self, service: str, region: str = DEFAULT_REGION, account: str | None = None, **kwargs: Any) -> Any:
        import boto3
        from botocore.config import Config

        config = Config(retries={"total_max_attempts": 1, "mode": "standard"})
        if account:
            kwargs.update(self.credentials(account))
        url = s3control_endpoint(self.url) if service == "s3control" else self.url
        return boto3.client(service, region_name=region, endpoint_url=url, config=config, **kwargs)

    def credentials(self, account: str, role: str = "OrganizationAccountAccessRole", session: str = "tests") -> dict[str, str]:
        """Keys that act in another account (sts:AssumeRole, as in AWS)."""
        import boto3

        sts = boto3.client("sts", region_name=DEFAULT_REGION, endpoint_url=self.url)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName=session)["Credentials"]
        return {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }


GUARD_REPORT = re.compile(r"check mode: ([^\n\"]+?) \(a real run refuses this change\)")


@pytest.fixture
def playbook(aws: Any, tmp_path: Path, record_property: Any) -> Iterator[PlaybookRunner]:
    """Run ansible-playbook against the (reset) emulator: playbook.run(path, ...).

    Counts the guards tested: the distinct guarded changes check mode reported in each run.
    """
    runner = PlaybookRunner(aws.url, tmp_path)
    yield runner
    guards = sum(len(set(GUARD_REPORT.findall(output))) for output in runner.outputs)
    if guards:
        record_property(COUNTER_PROPERTY, ("guards tested", guards))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as `ansible-galaxy collection build` packs it (built once per session)."""
    work = tmp_path_factory.mktemp("collection-build")
    env = {**clean_environ(), "ANSIBLE_HOME": str(work / "ansible_home")}
    return build_collection(work / "build", env=env)


# --- counters of issue 11, printed once at the end of the session --------------------------------
# A test counts what it really did with the `count` fixture: count("bad inputs tried"). The counts travel
# in the reports' user_properties, so they add up across pytest-xdist workers too. Only counters that
# some test counted are printed (faults injected, interruptions survived, guards tested and secrets
# scanned print once tests count them).
COUNTER_PROPERTY = "cloudaudit_counter"
COUNTERS = ("bad inputs tried", "faults injected", "interruptions survived", "guards tested", "secrets scanned")


@pytest.fixture
def count(record_property: Any) -> Any:
    """count(name, n=1): add n to one of the COUNTERS of the session summary line."""

    def add(name: str, n: int = 1) -> None:
        assert name in COUNTERS, f"unknown counter {name!r}"
        record_property(COUNTER_PROPERTY, (name, n))

    return add


def pytest_terminal_summary(terminalreporter: Any) -> None:
    totals: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            # The teardown report carries every property of its test (those of fixtures' teardowns too).
            if getattr(report, "when", None) != "teardown":
                continue
            for key, value in getattr(report, "user_properties", ()):
                if key == COUNTER_PROPERTY:
                    name, n = value
                    totals[name] = totals.get(name, 0) + n
    if totals:
        terminalreporter.write_line(", ".join(f"{name}: {totals[name]}" for name in COUNTERS if name in totals))


# The tests that take longest on 2 cores (measured in CI, slowest first), run first: with -n 2 the rest of the
# suite then fills in beside them instead of one of these starting last while the other worker sits idle.
LONG_RUNNING = (
    "tests/sanity/test_sanity.py::test_ansible_test_sanity",
    "tests/integration/test_bench_smoke.py",
    "tests/integration/test_roles_organization.py",
    "tests/integration/test_execution_paths.py",
    "tests/integration/test_roles_landing_zone.py",
    "tests/integration/test_roles_slicing.py",
    "tests/integration/test_awx_runner.py",
    "tests/integration/test_interruptions.py",
    "tests/integration/test_targets.py",
)


def pytest_collection_modifyitems(items: list[Any]) -> None:
    def rank(item: Any) -> int:
        return next((i for i, prefix in enumerate(LONG_RUNNING) if item.nodeid.startswith(prefix)), len(LONG_RUNNING))

    items.sort(key=rank)  # stable: the order within each rank is the collection's
