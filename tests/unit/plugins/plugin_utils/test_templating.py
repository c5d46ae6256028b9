"""Compiled templates kept for one task (plugin_utils/_templating.py): the same results, each text compiled once, errors kept apart."""

from __future__ import annotations

from typing import Any

import pytest
from ansible._internal._datatag._tags import TrustedAsTemplate
from ansible._internal._templating import _engine
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _templating


def trusted(text: str) -> Any:
    return TrustedAsTemplate().tag(text)


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template texts Jinja compiles (below the kept layer that _templating installed)."""
    seen: list[str] = []
    kept = _engine.TemplateEngine._compile_template  # pylint: disable=protected-access
    original = kept.__wrapped__

    def counting(self: Any, template: Any, options: Any) -> Any:
        seen.append(str(template))
        return original(self, template, options)

    counted = _templating._kept(counting, (_engine.AnsibleTemplate,))  # pylint: disable=protected-access
    monkeypatch.setattr(_engine.TemplateEngine, "_compile_template", counted)
    return seen


def test_installed_on_this_ansible_core() -> None:
    assert _templating.INSTALLED
    assert getattr(_engine.TemplateEngine._compile_template, "cloudaudit_kept", False)  # pylint: disable=protected-access


def test_a_nested_variable_is_compiled_once_within_and_every_time_outside(compiles: list[str]) -> None:
    variables = {"state": "present", "present": trusted("{{ state == 'present' }}"), "name": "audit"}
    templar = Templar(loader=DataLoader(), variables=variables)
    options = [trusted("{{ name if present else 'none' }}"), trusted("{{ present }}"), trusted("{{ name ~ '-' ~ present }}")]
    with _templating.compiled_once():
        inside = [templar.template(o) for o in options * 2]
    assert inside == ["audit", True, "audit-True"] * 2
    assert sorted(compiles) == sorted(set(compiles)), compiles  # each text once
    compiles.clear()
    outside = [templar.template(o) for o in options * 2]
    assert outside == inside
    assert compiles.count("{{ state == 'present' }}") == 6  # ansible-core's own behaviour: every time


def test_kept_templates_render_with_the_variables_of_each_call(compiles: list[str]) -> None:
    templar = Templar(loader=DataLoader(), variables={"name": "first"})
    with _templating.compiled_once():
        assert templar.template(trusted("{{ name }}-x")) == "first-x"
        templar.available_variables = {"name": "second"}
        assert templar.template(trusted("{{ name }}-x")) == "second-x"
    assert compiles == ["{{ name }}-x"]


def test_a_compile_error_is_not_kept(compiles: list[str]) -> None:
    templar = Templar(loader=DataLoader(), variables={})
    with _templating.compiled_once():
        for _attempt in range(2):
            with pytest.raises(AnsibleError):
                templar.template(trusted("{{ broken ( }}"))
    assert compiles == ["{{ broken ( }}", "{{ broken ( }}"]
