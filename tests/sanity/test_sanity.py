"""ansible-test sanity (the tests that need no containers) and ansible-lint, as part of the suite."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

from tests.harness import ROOT, clean_environ, collections_dir, module_names, run_tool

BIN = Path(sys.executable).parent
# Tests that need containers or the network, or check what this repo does not ship.
SKIPPED_SANITY = ["shellcheck", "pslint", "ansible-doc"]


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if f and (ROOT / f).is_file()]


def _collection_copy(tmp_path: Path) -> Path:
    """The collection's files at .../ansible_collections/cloudaudit/aws (where ansible-test wants them)."""
    dest = tmp_path / "ansible_collections" / "cloudaudit" / "aws"
    for rel in _tracked_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return _ready_for_ansible_test(dest)


def _ready_for_ansible_test(dest: Path) -> Path:
    """dest with its dependencies beside it, as ansible-test expects (amazon.aws from the `ansible` package), and a git index."""
    (dest.parent.parent / "amazon").symlink_to(Path(sysconfig.get_paths()["purelib"]) / "ansible_collections" / "amazon")
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    return dest


def _env(tmp_path: Path) -> dict[str, str]:
    env = clean_environ()
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    env["ANSIBLE_HOME"] = str(tmp_path / "ansible_home")
    env["ANSIBLE_LOCAL_TEMP"] = str(tmp_path / "ansible_home" / "tmp")
    return env


def _released_copy(tarball: Path, tmp_path: Path) -> Path:
    """The collection as released (the built tarball, unpacked) at .../ansible_collections/cloudaudit/aws, with its dependencies beside it."""
    dest = tmp_path / "ansible_collections" / "cloudaudit" / "aws"
    dest.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(dest, filter="data")
    return _ready_for_ansible_test(dest)


def _ansible_test_sanity(dest: Path, tmp_path: Path, *options: str) -> None:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    cmd = [str(BIN / "ansible-test"), "sanity", "--color", "no", "--python", python, *options]
    proc = run_tool(cmd, dest, _env(tmp_path), timeout=1500)
    assert proc.returncode == 0, f"ansible-test sanity failed:\n{proc.stdout[-15000:]}\n{proc.stderr[-8000:]}"


@pytest.mark.sanity
def test_ansible_test_sanity(collection_tarball: Path, tmp_path: Path) -> None:
    """Every sanity test on the collection as released: what Galaxy and Automation Hub check, on what they receive."""
    dest = _released_copy(collection_tarball, tmp_path)
    assert (dest / "plugins" / "modules" / "cloudtrail_trail.py").is_file() and (dest / "roles" / "trail" / "tasks" / "main.yml").is_file()
    assert not (dest / "tests").exists() and not (dest / "bench").exists(), "the tarball ships no test code"
    _ansible_test_sanity(dest, tmp_path, *[option for name in SKIPPED_SANITY for option in ("--skip-test", name)])


@pytest.mark.sanity
def test_ansible_test_sanity_style_of_everything_else(tmp_path: Path) -> None:
    """The checkout's other Python (tests, emulator, benchmark) keeps to the same style: pep8 and compile, without pylint's cost."""
    _ansible_test_sanity(_collection_copy(tmp_path), tmp_path, "--test", "pep8", "--test", "compile")


@pytest.mark.sanity
def test_ansible_doc_renders_every_module(tmp_path: Path) -> None:
    modules = module_names()
    if not modules:
        pytest.skip("no modules yet")
    env = _env(tmp_path)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(collections_dir())
    env["ANSIBLE_NOCOLOR"] = "1"
    # One ansible-doc for all the modules (it renders each in turn; its start-up is most of the cost of one).
    names = [f"cloudaudit.aws.{name}" for name in modules]
    proc = run_tool([str(BIN / "ansible-doc"), *names], tmp_path, env)
    assert proc.returncode == 0, f"ansible-doc {' '.join(names)}:\n{proc.stderr}"
    assert "[WARNING]" not in proc.stderr and "[ERROR]" not in proc.stderr, proc.stderr
    pages = re.split(r"^> MODULE ", proc.stdout, flags=re.MULTILINE)[1:]
    assert [page.split(" ", 1)[0] for page in pages] == names, "every module rendered, in order"
    for name, page in zip(names, pages):
        assert "\nEXAMPLES:" in page and "\nRETURN VALUES:" in page, f"{name}: no EXAMPLES or RETURN rendered"


def _lint_env(tmp_path: Path) -> dict[str, str]:
    env = _env(tmp_path)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(collections_dir())
    env["ANSIBLE_LINT_SKIP_GALAXY_INSTALL"] = "1"
    env["ANSIBLE_LINT_NODEPS"] = "0"
    return env


def _ansible_lint(paths: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """ansible-lint with the production profile (what Galaxy / Automation Hub certification expects), offline."""
    cmd = [str(BIN / "ansible-lint"), "--offline", "--nocolor", "--profile", "production", *paths]
    return run_tool(cmd, cwd, env, timeout=900)


def _lint_failures(proc: subprocess.CompletedProcess) -> str:
    return f"ansible-lint --profile production failed:\n{proc.stdout[-15000:]}\n{proc.stderr[-5000:]}"


@pytest.mark.sanity
def test_ansible_lint_production(tmp_path: Path) -> None:
    targets = [p for p in ("roles", "playbooks", "extensions/molecule", "bench/playbooks") if any((ROOT / p).rglob("*.yml"))]
    if not targets:
        pytest.skip("no roles or playbooks yet")
    proc = _ansible_lint(targets, ROOT, _lint_env(tmp_path))
    assert proc.returncode == 0, _lint_failures(proc)
    assert "0 failure(s), 0 warning(s)" in proc.stderr and "Profile 'production' was required, and it passed" in proc.stderr, _lint_failures(proc)


def module_examples() -> dict[str, str]:
    """Each module's EXAMPLES string (plugins/modules/<name>.py, read with ast: the module is not imported)."""
    examples = {}
    for name in module_names():
        tree = ast.parse((ROOT / "plugins" / "modules" / f"{name}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXAMPLES" for t in node.targets):
                examples[name] = ast.literal_eval(node.value)
    return examples


@pytest.mark.sanity
def test_ansible_lint_production_module_examples(tmp_path: Path) -> None:
    """Every module's EXAMPLES, as written (comments and layout kept), as the tasks of a play on localhost."""
    examples = module_examples()
    assert set(examples) == set(module_names()), f"modules without EXAMPLES: {sorted(set(module_names()) - set(examples))}"
    project = tmp_path / "examples"
    (project / "playbooks").mkdir(parents=True)
    for name, text in examples.items():
        body = "\n".join(f"    {line}" if line.strip() else "" for line in text.strip("\n").splitlines() if line.strip() != "---")
        play = f"---\n- name: EXAMPLES of cloudaudit.aws.{name}\n  hosts: localhost\n  gather_facts: false\n  tasks:\n{body}\n"
        (project / "playbooks" / f"{name}.yml").write_text(play)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    proc = _ansible_lint(["playbooks"], project, _lint_env(tmp_path))
    assert proc.returncode == 0, _lint_failures(proc)
    assert f"in {len(examples)} files processed" in proc.stderr, _lint_failures(proc)
    assert "0 failure(s), 0 warning(s)" in proc.stderr, _lint_failures(proc)
