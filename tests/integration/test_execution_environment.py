"""The sample execution environment (docs/execution-environment.yml): `ansible-builder create` makes its build context.

No image is built (no container engine here). What the image build would do with the context is replayed where it
needs no container: the galaxy stage's `ansible-galaxy collection install -r requirements.yml` in `_build/` (offline:
amazon.aws resolves from the `ansible` package) and the builder stage's introspection of the installed collections,
which reads the collection-level `meta/execution-environment.yml`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tests.harness import ROOT, clean_environ

BIN = Path(sys.executable).parent
DEFINITION = ROOT / "docs" / "execution-environment.yml"


def _env(tmp_path: Path, collections: Path | None = None) -> dict[str, str]:
    env = {**clean_environ(), "PATH": f"{BIN}:{clean_environ().get('PATH', '')}", "ANSIBLE_HOME": str(tmp_path / "ansible_home")}
    if collections:
        env["ANSIBLE_COLLECTIONS_PATH"] = f"{collections}:{sysconfig.get_paths()['purelib']}"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return proc


def _python_requirement_names(lines: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", line.strip(), maxsplit=1)[0].lower() for line in lines if line.strip() and not line.startswith("#")}


@pytest.mark.integration
def test_sample_execution_environment_build_context(tmp_path: Path, collection_tarball: Path) -> None:
    definition = yaml.safe_load(DEFINITION.read_text())
    assert definition["version"] == 3
    base_image = definition["images"]["base_image"]["name"]

    # A user's checkout: docs/ with the definition and its galaxy requirements, build/ with the built tarball.
    work = tmp_path / "checkout"
    (work / "docs").mkdir(parents=True)
    shutil.copy(DEFINITION, work / "docs")
    shutil.copy(DEFINITION.parent / definition["dependencies"]["galaxy"], work / "docs")
    (work / "build").mkdir()
    shutil.copy(collection_tarball, work / "build")

    context = work / "build" / "ee"
    create = [str(BIN / "ansible-builder"), "create", "-f", "docs/execution-environment.yml", "-c", str(context), "--output-filename", "Containerfile"]
    _run(create, work, _env(tmp_path))

    containerfile = (context / "Containerfile").read_text()
    assert f'ARG EE_BASE_IMAGE="{base_image}"' in containerfile and "FROM $EE_BASE_IMAGE" in containerfile
    install_refs = re.search(r'^ARG ANSIBLE_INSTALL_REFS="(.*)"$', containerfile, re.MULTILINE)
    assert install_refs and "ansible-core" in install_refs.group(1) and "ansible-runner" in install_refs.group(1), containerfile[:1500]

    build = context / "_build"
    packed = build / "collections" / collection_tarball.name
    assert packed.read_bytes() == collection_tarball.read_bytes(), "the build context holds another tarball than the one built"
    python_requirements = (build / "requirements.txt").read_text().splitlines()
    assert {"boto3", "botocore"} <= _python_requirement_names(python_requirements), python_requirements
    galaxy = yaml.safe_load((build / "requirements.yml").read_text())
    names = {c["name"] for c in galaxy["collections"]}
    assert "amazon.aws" in names, galaxy

    # The galaxy stage (WORKDIR /build, the context's _build/): the requirements install this collection from the tarball.
    image_collections = tmp_path / "usr_share_ansible_collections"
    galaxy_cmd = [str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-r", "requirements.yml", "--collections-path", str(image_collections)]
    _run(galaxy_cmd, build, _env(tmp_path, image_collections))
    installed = image_collections / "ansible_collections" / "cloudaudit" / "aws"
    assert (installed / "MANIFEST.json").is_file() and (installed / "meta" / "execution-environment.yml").is_file()

    # The builder stage's introspection finds the collection's own Python requirements (meta/execution-environment.yml).
    introspect = [sys.executable, str(build / "scripts" / "introspect.py"), "introspect", "--user-pip=requirements.txt", str(image_collections)]
    out = _run(introspect, build, _env(tmp_path)).stdout
    from_collection = [line for line in out.splitlines() if "from collection cloudaudit.aws" in line]
    assert {"boto3", "botocore"} <= _python_requirement_names([line.lstrip("- '") for line in from_collection]), out
