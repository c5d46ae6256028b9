"""The collection's documentation as antsibull-docs (the Ansible docs site's tool) checks it."""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path

import pytest

from tests.harness import run_tool
from tests.sanity.test_sanity import BIN, _collection_copy, _env

FINDING = re.compile(r"^\S+:\d+:\d+: ", re.MULTILINE)


@pytest.mark.sanity
def test_antsibull_docs_lint(tmp_path: Path) -> None:
    """`antsibull-docs lint-collection-docs --plugin-docs`: every module, plugin and role doc against the docs schema, its markup and
    references (O(), M(), seealso) and docs/docsite; zero findings. rstcheck of the generated RST is skipped here (14 of its 37 CPU-s):
    `make docs` renders that RST with Sphinx in strict mode (-W, nitpicky), which checks more (the full lint passes too).

    Set up as the amazon.aws / community.aws docs CI does it: the collection at ansible_collections/cloudaudit/aws with amazon.aws
    (its doc fragments) beside it. antsibull-docs copies the dependency found by `ansible-galaxy collection list` with `git ls-files`
    when it lies in a git work tree; the venv's site-packages lies in this checkout (.venv, ignored by git), so git is told not to
    look above site-packages, or the copy of amazon.aws would be empty and every module doc fail on its fragments.
    """
    dest = _collection_copy(tmp_path)
    env = _env(tmp_path)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(tmp_path)
    env["GIT_CEILING_DIRECTORIES"] = sysconfig.get_paths()["purelib"]
    proc = run_tool([str(BIN / "antsibull-docs"), "lint-collection-docs", "--plugin-docs", "--skip-rstcheck", "."], dest, env)
    output = f"{proc.stdout}\n{proc.stderr}".strip()
    findings = FINDING.findall(output)
    assert proc.returncode == 0 and not findings, f"antsibull-docs lint-collection-docs: {len(findings)} findings (rc {proc.returncode}):\n{output[-15000:]}"
