"""Compiled code kept on disk between controller runs (plugin_utils/_compile_cache.py): reused only for the same text, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2.compiler
import pytest
from ansible._internal._datatag._tags import TrustedAsTemplate
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _compile_cache, _templating
from tests.harness import ROOT, clean_environ, collections_dir


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template texts Jinja generates Python code for (what the cache saves)."""
    seen: list[str] = []
    original = jinja2.compiler.CodeGenerator.visit_Template

    def counting(self: Any, node: Any, frame: Any = None) -> Any:
        seen.append(repr(node))
        return original(self, node, frame)

    monkeypatch.setattr(jinja2.compiler.CodeGenerator, "visit_Template", counting)
    return seen


def _role(root: Path, text: str) -> Path:
    vars_dir = root / "demo" / "vars"
    vars_dir.mkdir(parents=True, exist_ok=True)
    (vars_dir / "main.yml").write_text(text)
    return root


ROLE_VARS = "__demo_present: \"{{ demo_state == 'present' }}\"\n__demo_name: \"{{ demo_prefix | upper ~ '-' ~ __demo_present }}\"\n"
DEMO_VARIABLES = {"demo_state": "present", "demo_prefix": "audit", "__demo_present": TrustedAsTemplate().tag("{{ demo_state == 'present' }}")}


def _render(text: str) -> Any:
    templar = Templar(loader=DataLoader(), variables=DEMO_VARIABLES)
    with _templating.compiled_once():
        return templar.template(TrustedAsTemplate().tag(text))


def test_a_second_run_generates_no_code_and_renders_the_same(tmp_path: Path, generated: list[str]) -> None:
    roles, cache = _role(tmp_path / "roles", ROLE_VARS), str(tmp_path / "cache")
    _templating.precompile_roles([roles], cache_directory=cache)
    assert len(generated) == 2
    first = _render("{{ demo_prefix | upper ~ '-' ~ __demo_present }}")
    files = list(Path(cache).glob("templates-*.marshal"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0  # private to this user
    generated.clear()
    _templating.precompile_roles([roles], cache_directory=cache)
    assert generated == []
    assert _render("{{ demo_prefix | upper ~ '-' ~ __demo_present }}") == first == "AUDIT-True"


def test_only_a_changed_text_is_compiled_again_and_unused_entries_are_dropped(tmp_path: Path, generated: list[str]) -> None:
    roles, cache = _role(tmp_path / "roles", ROLE_VARS), str(tmp_path / "cache")
    _templating.precompile_roles([roles], cache_directory=cache)
    _role(roles, ROLE_VARS.replace("upper", "lower"))
    generated.clear()
    _templating.precompile_roles([roles], cache_directory=cache)
    assert len(generated) == 1 and "lower" in generated[0]
    assert _render("{{ demo_prefix | lower ~ '-' ~ __demo_present }}") == "audit-True"
    stored = _compile_cache.CodeCache("templates", _templating._environment_fingerprint(_engine_environment()), cache)  # pylint: disable=protected-access
    assert len(stored._stored) == 2  # pylint: disable=protected-access  # the texts of the last run, not the old one


def _engine_environment() -> Any:
    from ansible._internal._templating._engine import TemplateEngine

    return TemplateEngine().environment


def test_a_damaged_or_foreign_writable_cache_is_not_used(tmp_path: Path, generated: list[str]) -> None:
    roles, cache = _role(tmp_path / "roles", ROLE_VARS), tmp_path / "cache"
    _templating.precompile_roles([roles], cache_directory=str(cache))
    (path,) = cache.glob("templates-*.marshal")
    path.write_bytes(b"\x00not marshal data")
    generated.clear()
    _templating.precompile_roles([roles], cache_directory=str(cache))  # no error: compiled, file written again
    assert len(generated) == 2
    path.chmod(0o666)  # others may write it: whatever it holds is not run
    generated.clear()
    _templating.precompile_roles([roles], cache_directory=str(cache))
    assert len(generated) == 2
    assert _render("{{ demo_state == 'present' }}") is True


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_compile_cache.ENV, "")
    assert _compile_cache.cache_dir() is None
    monkeypatch.setenv(_compile_cache.ENV, str(tmp_path / "elsewhere"))
    assert _compile_cache.cache_dir() == str(tmp_path / "elsewhere")
    monkeypatch.delenv(_compile_cache.ENV)
    monkeypatch.setenv("ANSIBLE_HOME", str(tmp_path / "home"))
    assert _compile_cache.cache_dir() == str(tmp_path / "home" / "cloudaudit_aws_cache")


def test_a_compile_error_is_not_kept(tmp_path: Path) -> None:
    roles, cache = _role(tmp_path / "roles", "__demo_broken: \"{{ broken ( }}\"\n"), tmp_path / "cache"
    _templating.precompile_roles([roles], cache_directory=str(cache))
    assert not list(cache.glob("templates-*.marshal"))


# What the controller's main process loads when the strategy imports the resources action plugin, in a new process.
_PRELOAD = """
import builtins, json, re, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
import ansible.constants, ansible.executor.module_common, ansible.plugins.action, ansible.template  # loaded by then in the controller
compiled = []
original = builtins.compile
def counting(source, filename, mode, *args, **kwargs):
    if mode == "exec" and "/cloudaudit/aws/" in str(filename):
        compiled.append(str(filename))
    return original(source, filename, mode, *args, **kwargs)
builtins.compile = counting
parsed = []
parse = json.loads
json.loads = lambda *args, **kwargs: (parsed.append(1) if kwargs.get("object_pairs_hook") else None) or parse(*args, **kwargs)  # botocore's model files
import jinja2.compiler
generated = []
visit = jinja2.compiler.CodeGenerator.visit_Template
jinja2.compiler.CodeGenerator.visit_Template = lambda self, node, frame=None: generated.append(1) or visit(self, node, frame)
import importlib
importlib.import_module("ansible_collections.cloudaudit.aws.plugins.action.resources")
modules = sorted({re.sub(r"_[0-9]+$", "", name) for name in sys.modules})  # ansible-core names filter plugin modules with a random suffix
print(json.dumps({"compiled": len(compiled), "generated": len(generated), "parsed": len(parsed), "modules": modules}))
"""


def _preload(cache: Path) -> dict[str, Any]:
    env = clean_environ()
    env.update({_compile_cache.ENV: str(cache), "PYTHONPATH": str(ROOT), "ANSIBLE_HOME": str(cache.parent / "home")})
    done = subprocess.run([sys.executable, "-c", _PRELOAD, str(collections_dir())], env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_controller_preload_compiles_nothing_the_second_time_and_loads_the_same_modules(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _preload(cache)
    assert first["compiled"] > 50 and first["generated"] > 100  # the collection's plugins, the roles' texts
    assert first["parsed"] > 10  # the warmed services' models, endpoint rules, partitions
    assert {p.name.split("-")[0] for p in cache.iterdir()} == {"python", "templates", "models"}
    second = _preload(cache)
    # resources.py and the few files it imports before the preload are compiled by ansible-core, as before.
    assert second["compiled"] <= 10 and second["generated"] == 0 and second["parsed"] == 0, second
    # The filter and test plugins the roles' texts use are loaded as when they were compiled (the workers inherit them).
    assert second["modules"] == first["modules"]
    assert any(name.startswith("ansible.plugins.filter.core") for name in second["modules"])
    for path in cache.iterdir():
        assert path.stat().st_mode & 0o077 == 0
    assert os.stat(cache).st_mode & 0o077 == 0
