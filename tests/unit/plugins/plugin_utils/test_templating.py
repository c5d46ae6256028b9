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


def _count_compiles(monkeypatch: pytest.MonkeyPatch, name: str, compiled_type: type) -> list[str]:
    """The texts TemplateEngine.<name> compiles with Jinja (below the kept layer that _templating installed)."""
    seen: list[str] = []
    original = getattr(_engine.TemplateEngine, name).__wrapped__

    def counting(self: Any, text: Any, options: Any) -> Any:
        seen.append(str(text))
        return original(self, text, options)

    monkeypatch.setattr(_engine.TemplateEngine, name, _templating._kept(counting, (compiled_type,), name))  # pylint: disable=protected-access
    return seen


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template texts Jinja compiles."""
    return _count_compiles(monkeypatch, "_compile_template", _engine.AnsibleTemplate)


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


def test_the_roles_texts_are_found_and_none_has_a_statement() -> None:
    texts = _templating.role_texts([_templating.ROLES])
    assert ("{{ __trail_present and trail_cloudwatch_logs }}", False) in texts
    assert ("__trail_manage_key | bool", True) in texts  # a step's when: an expression
    assert all("{%" not in text for text, _expression in texts)
    assert len(texts) > 100


def test_a_precompiled_role_text_is_not_compiled_again_and_renders_as_compiled_anew(compiles: list[str], tmp_path: Any) -> None:
    role = tmp_path / "demo" / "vars"
    role.mkdir(parents=True)
    (role / "main.yml").write_text("__demo_present: \"{{ demo_state == 'present' }}\"\n__demo_name: \"{{ demo_prefix ~ '-' ~ __demo_present }}\"\n")
    assert _templating.precompile_roles([tmp_path]) >= 2
    compiles.clear()
    variables = {"demo_state": "present", "demo_prefix": "audit", "__demo_present": trusted("{{ demo_state == 'present' }}")}
    templar = Templar(loader=DataLoader(), variables=variables)
    with _templating.compiled_once():
        assert templar.template(trusted("{{ demo_prefix ~ '-' ~ __demo_present }}")) == "audit-True"
    assert compiles == []
    assert templar.template(trusted("{{ demo_prefix ~ '-' ~ __demo_present }}")) == "audit-True"  # outside: compiled as ansible-core does
    assert len(compiles) == 2


@pytest.fixture
def expression_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The expressions (conditionals) Jinja compiles."""
    return _count_compiles(monkeypatch, "_compile_expression", _engine.AnsibleTemplateExpression)


def test_a_precompiled_when_is_not_compiled_again_by_the_conditional(expression_compiles: list[str], tmp_path: Any) -> None:
    # A when is evaluated with its own options (no backslash escaping): precompiled with the defaults, it was compiled again.
    role = tmp_path / "demo" / "tasks"
    role.mkdir(parents=True)
    (role / "main.yml").write_text("- name: Step\n  ansible.builtin.debug: {}\n  when: demo_count | int > 2\n")
    _templating.precompile_roles([tmp_path])
    expression_compiles.clear()
    templar = Templar(loader=DataLoader(), variables={"demo_count": "3"})
    with _templating.compiled_once():
        assert templar.evaluate_conditional(trusted("demo_count | int > 2")) is True
        templar.available_variables = {"demo_count": "1"}
        assert templar.evaluate_conditional(trusted("demo_count | int > 2")) is False
    assert expression_compiles == []
    assert templar.evaluate_conditional(trusted("demo_count | int > 2")) is False  # outside: compiled, as ansible-core does
    assert expression_compiles == ["demo_count | int > 2"]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template texts the engine renders (top level and nested)."""
    seen: list[str] = []
    original = _engine.TemplateEngine.template

    def counting(self: Any, variable: Any, **kwargs: Any) -> Any:
        if isinstance(variable, str):
            seen.append(str(variable))
        return original(self, variable, **kwargs)

    monkeypatch.setattr(_engine.TemplateEngine, "template", counting)
    return seen


def test_lazy_variables_render_each_variable_once_for_all_templates(renders: list[str]) -> None:
    present = "{{ state == 'present' }}"
    variables = {"state": "present", "present": trusted(present), "name": "audit", "names": [trusted("{{ name }}-a"), "b"]}
    templar = Templar(loader=DataLoader(), variables=variables)
    options = [trusted("{{ name if present else 'none' }}"), trusted("{{ present }}"), trusted("{{ names if present else [] }}")]
    expected = ["audit", True, ["audit-a", "b"]]
    assert [templar.template(o) for o in options] == expected
    assert renders.count(present) == 3  # ansible-core's own behaviour: once per template that uses it
    renders.clear()
    templar.available_variables = _templating.lazy_variables(templar, variables)
    assert [templar.template(o) for o in options] == expected
    assert renders.count(present) == 1
    assert variables["present"] == present  # the variables given are not changed


def test_lazy_variables_made_again_see_changed_variables() -> None:
    variables: dict[str, Any] = {"arn": trusted("{{ result.arn | default('none') }}")}
    templar = Templar(loader=DataLoader(), variables=variables)
    templar.available_variables = _templating.lazy_variables(templar, variables)
    assert templar.template(trusted("{{ arn }}")) == "none"
    variables["result"] = {"arn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit"}  # an earlier step registered
    templar.available_variables = _templating.lazy_variables(templar, variables)
    assert templar.template(trusted("{{ arn }}")) == "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit"


def test_lazy_variables_keep_omit_and_undefined_as_ansible_core_does() -> None:
    variables = {"unset": trusted("{{ omit }}"), "missing": trusted("{{ not_defined_anywhere }}")}
    templar = Templar(loader=DataLoader(), variables=variables)
    templar.available_variables = _templating.lazy_variables(templar, variables)
    assert templar.template({"a": trusted("{{ unset }}"), "b": 1}) == {"b": 1}
    for _attempt in range(2):  # a failed render is not kept
        with pytest.raises(AnsibleError, match="not_defined_anywhere"):
            templar.template(trusted("{{ missing }}"))
