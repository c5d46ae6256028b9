"""galaxy-importer on the built tarball: the collection imports into Galaxy / Automation Hub with no warning and no error.

The importer extracts the tarball, checks MANIFEST.json / FILES.json, the role metadata, meta/runtime.yml,
meta/execution-environment.yml and the changelog, and renders every plugin's docs with ansible-doc. amazon.aws
(whose doc fragments and module_utils ours use) resolves the way the importer expects: ansible-doc runs with
ANSIBLE_COLLECTIONS_PATH set to the extracted tree only, and ansible-core also finds the collections installed in
its Python's site-packages (the `ansible` package's amazon.aws, as on a Galaxy import worker that installs it).

Its ansible-test step is off (it needs a container engine). Its ansible-lint step (production profile on the
extracted tree, ~60 s here) is off in the suite, where test_ansible_lint_production lints the same roles and
playbooks with the production profile and no skipped rule; `make galaxy-import` runs the importer with it on.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from tests.harness import ROOT, clean_environ, module_names, run_tool

BIN = Path(sys.executable).parent
# What the importer logs as a problem: its own warnings and errors, ansible-lint's findings (logged as warnings),
# and the "<tool> not found, skipping" of a step whose tool is not on PATH (a warning too).
PROBLEM_PREFIXES = ("WARNING:", "ERROR:", "CRITICAL:")


def _config(tmp_path: Path, lint: bool) -> Path:
    cfg = tmp_path / "galaxy-importer.cfg"
    cfg.write_text(
        "[galaxy-importer]\n"
        "RUN_ANSIBLE_TEST = False\n"
        f"RUN_ANSIBLE_LINT = {lint}\n"
        "OFFLINE_ANSIBLE_LINT = True\n"
        "RUN_ANSIBLE_DOC = True\n"
        "RUN_FLAKE8 = False\n"
        "CHECK_CHANGELOG = True\n"
        "LOG_LEVEL_MAIN = INFO\n"
        f"TMP_ROOT_DIR = {tmp_path}\n"
        f"ANSIBLE_LOCAL_TMP = {tmp_path / 'ansible-tmp'}\n"
    )
    return cfg


@pytest.mark.sanity
def test_galaxy_importer_imports_the_tarball(collection_tarball: Path, tmp_path: Path) -> None:
    lint = os.environ.get("CLOUDAUDIT_IMPORTER_LINT") == "1"
    env = clean_environ()
    # The venv's bin/ first: the importer runs ansible-doc and ansible-lint from PATH and skips a step it cannot find.
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    env["ANSIBLE_HOME"] = str(tmp_path / "ansible_home")
    env["GALAXY_IMPORTER_CONFIG"] = str(_config(tmp_path, lint))
    proc = run_tool([sys.executable, "-m", "galaxy_importer.main", str(collection_tarball)], tmp_path, env)
    output = proc.stdout + proc.stderr
    problems = [line for line in output.splitlines() if line.lstrip().startswith(PROBLEM_PREFIXES) or "Traceback" in line]
    assert proc.returncode == 0 and "Importer processing completed successfully" in proc.stdout, f"galaxy-importer failed:\n{output[-15000:]}"
    assert not problems, "galaxy-importer reported:\n" + "\n".join(problems) + f"\n\nwhole output:\n{output[-15000:]}"
    if lint:
        assert "...ansible-lint run complete" in proc.stdout, output[-5000:]

    result = json.loads((tmp_path / "importer_result.json").read_text())
    contents = {(c["content_type"], c["name"]): c for c in result["contents"]}
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    for role in roles:
        assert contents.get(("role", role), {}).get("description"), f"role {role} has no description in the import:\n{contents.get(('role', role))}"
    # ansible-doc rendered every module (amazon.aws's doc fragments resolved: their options are in the docs).
    docs = {(d["content_type"], d["content_name"]): d for d in result["docs_blob"]["contents"]}
    for name in module_names():
        doc = (docs.get(("module", name)) or {}).get("doc_strings") or {}
        assert doc.get("doc", {}).get("options"), f"no docs for module {name} in the import"
    trail_options = {option["name"] for option in docs[("module", "cloudtrail_trail")]["doc_strings"]["doc"]["options"]}
    assert {"access_key", "region", "endpoint_url"} <= trail_options, f"amazon.aws's doc fragments did not resolve: {sorted(trail_options)}"
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    assert result["requires_ansible"] == runtime["requires_ansible"]
