# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Compiled templates kept for the length of one task of the collection (ansible-core 2.19+ compiles them anew each time).

Why: ansible-core compiles a template string with Jinja every time it renders it, nested variables
included: a role variable such as ``__trail_present`` used in fifteen options is compiled fifteen
times, for every account. Compiling is most of the cost (measured: 0.85 ms for ``{{ x }}``, 2.3 ms
for ``{{ x if y else omit }}`` with y a template; 0.14 and 0.3 ms when compiled once), and a role's
task templated its options for about 0.1 CPU-s per account, more than the AWS work of a no-op.

What: while ``compiled_once()`` is active (the collection's action plugins template their own task
arguments and steps inside it), TemplateEngine._compile_template and _compile_expression keep what
they compiled on the Jinja environment that compiled it, keyed by the template text and the
options. A compiled template is a pure function of those (variables are given at render time), so
rendering it again is what compiling it again would give. Compile errors are not kept (each keeps
its own origin for the message). Outside the context, and for every other task, ansible-core is
untouched; on an ansible-core without these methods nothing is installed and templating is as slow
as before, not different.

The template texts of the collection's own roles are compiled once more upstream: at import, in the
controller's main process before it forks the workers (see _sdk.py), so that every worker inherits
them instead of compiling the same texts again for every account. Environments differ only by the
directory their loader searches for ``{% include %}`` and the like; the roles' texts have no
statements (checked), so one compiled text serves every environment.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from . import _compile_cache

_ACTIVE = contextvars.ContextVar("cloudaudit_compiled_once", default=False)
_ATTRIBUTE = "_cloudaudit_compiled"
_METHODS = ("_compile_template", "_compile_expression")
# (method, text, options) -> compiled, for the collection's roles' texts, made by precompile_roles().
_SHARED: dict[tuple[str, str, Any], Any] = {}
ROLES = Path(__file__).resolve().parents[2] / "roles"


def _kept(method: Any, compiled_types: tuple[type, ...], name: str | None = None) -> Any:
    name = name or method.__name__

    @functools.wraps(method)
    def wrapper(self: Any, template: Any, options: Any) -> Any:
        if not _ACTIVE.get():
            return method(self, template, options)
        key = (name, str(template), options)
        compiled = _SHARED.get(key)
        if compiled is not None:
            return compiled
        kept = self.environment.__dict__.setdefault(_ATTRIBUTE, {})
        compiled = kept.get(key)
        if compiled is None:
            compiled = method(self, template, options)
            if isinstance(compiled, compiled_types):
                kept[key] = compiled
        return compiled

    wrapper.cloudaudit_kept = True  # type: ignore[attr-defined]
    return wrapper


def _install() -> bool:
    try:
        from ansible._internal._templating import _engine, _jinja_bits
    except ImportError:
        return False
    global _COMPILED_TYPES  # pylint: disable=global-statement
    compiled_types = tuple(getattr(_jinja_bits, name) for name in ("AnsibleTemplate", "AnsibleTemplateExpression") if hasattr(_jinja_bits, name))
    engine = getattr(_engine, "TemplateEngine", None)
    if engine is None or len(compiled_types) != 2 or not all(callable(getattr(engine, name, None)) for name in _METHODS):
        return False
    for name in _METHODS:
        method = getattr(engine, name)
        if not getattr(method, "cloudaudit_kept", False):
            setattr(engine, name, _kept(method, compiled_types))
    _COMPILED_TYPES = compiled_types
    return True


def role_texts(roots: Iterable[Path]) -> set[tuple[str, bool]]:
    """(text, is an expression) of every template in the roles' task, vars and defaults files (a step's when: an expression)."""
    found: set[tuple[str, bool]] = set()

    def walk(value: Any, expression: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, key == "when")
        elif isinstance(value, list):
            for item in value:
                walk(item, expression)
        elif isinstance(value, str) and (expression or "{{" in value) and "{%" not in value:
            found.add((value, expression))

    for root in roots:
        for path in sorted(root.glob("*/[tvd]*/*.yml")):
            if path.parent.name in ("tasks", "vars", "defaults"):
                walk(yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), False)
    return found


def _conditional_options() -> Any:
    try:
        from ansible._internal._templating._engine import TemplateOptions
    except ImportError:
        return None
    return TemplateOptions(escape_backslashes=False, preserve_trailing_newlines=False)


CONDITIONAL_OPTIONS = _conditional_options()


def precompile_roles(roots: Iterable[Path] = (ROLES,), cache_directory: str | None = None) -> int:
    """Compile the roles' template texts once in this process (the controller's main process: the workers inherit them).

    Jinja's part of the work (the Python code it generates and compiles from a text) is kept on disk between runs
    (see _compile_cache; cache_directory: another directory than the configured one)."""
    if not INSTALLED:
        return 0
    import jinja2.nodes
    from ansible._internal._templating._engine import TemplateEngine, TemplateOptions

    engine = TemplateEngine()
    environment = engine.environment
    cache = _compile_cache.CodeCache("templates", _environment_fingerprint(environment), cache_directory)
    compile_jinja = environment.compile
    current: list[str | None] = [None]  # the key of the text being compiled

    def compile_cached(source: Any, name: Any = None, filename: Any = None, raw: bool = False, defer_init: bool = False) -> Any:
        key, current[0] = current[0], None
        if key is None or raw or defer_init or name is not None or filename is not None:
            return compile_jinja(source, name, filename, raw, defer_init)

        def compile_now() -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
            code = compile_jinja(source)
            tree = source if isinstance(source, jinja2.nodes.Node) else environment.parse(source)
            return code, _names(tree, jinja2.nodes.Filter), _names(tree, jinja2.nodes.Test)

        code, filters, tests = cache.get(key, compile_now, _is_entry)
        # Compiling looks up the filters and tests a text uses, which loads their plugins here (so that the workers
        # inherit them): code from the cache looks them up the same way.
        for plugins, names in ((environment.filters, filters), (environment.tests, tests)):
            for plugin in names:
                plugins.get(plugin)
        return code

    environment.compile = compile_cached  # this engine's own environment only, for this loop
    try:
        for text, expression in role_texts(roots):
            name = "_compile_expression" if expression else "_compile_template"
            # A conditional (when) is evaluated with these options (TemplateEngine.evaluate_conditional); a template with the defaults.
            options = CONDITIONAL_OPTIONS if expression else TemplateOptions.DEFAULT
            current[0] = _compile_cache.text_key(name, text, repr(options))
            try:
                compiled = getattr(engine, name).__wrapped__(engine, text, options)
            except Exception:  # pylint: disable=broad-except  # not compiled: the task rendering it reports the error, as ansible-core does
                continue
            if isinstance(compiled, _COMPILED_TYPES):
                _SHARED[(name, text, options)] = compiled
    finally:
        current[0] = None
        del environment.compile
    cache.save()
    gc.freeze()  # long-lived, as the rest of the preloaded heap (see _sdk._freeze_heap)
    return len(_SHARED)


def _names(tree: Any, node_type: type) -> tuple[str, ...]:
    return tuple(sorted({node.name for node in tree.find_all(node_type)}))


def _is_entry(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 3 and hasattr(value[0], "co_code")


def _environment_fingerprint(environment: Any) -> tuple[Any, ...]:
    """What the code Jinja generates for a text depends on besides the text: versions and the environment's settings."""
    import jinja2
    from ansible.release import __version__ as ansible_version

    def name(value: Any) -> str:
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    settings = sorted((k, v) for k, v in vars(environment).items() if isinstance(v, (str, bool, int, type(None))))
    parts = tuple(name(getattr(environment, attribute, None)) for attribute in ("finalize", "undefined", "code_generator_class", "concat"))
    return (jinja2.__version__, ansible_version, name(type(environment)), tuple(settings), parts, tuple(sorted(environment.extensions)))


_COMPILED_TYPES: tuple[type, ...] = ()
INSTALLED = _install()


def _lazy_factory() -> Any:
    try:
        from ansible._internal._templating._engine import TemplateOptions
        from ansible._internal._templating._lazy_containers import _AnsibleLazyTemplateMixin
        from ansible._internal._templating._utils import TemplateContext
    except ImportError:
        return None
    create = getattr(_AnsibleLazyTemplateMixin, "_try_create", None)
    return (create, TemplateContext, TemplateOptions.DEFAULT) if callable(create) else None


_LAZY = _lazy_factory()


def lazy_variables(templar: Any, variables: dict[str, Any]) -> Any:
    """variables as one lazy container of templar's engine: each variable is rendered once for all the templates given it.

    Why: ansible-core wraps a plain dict of variables in a new lazy container for every template it renders,
    nested variables included, which walks every variable of the host each time (about 40 % of the CPU of a
    role's task, measured), and renders a role variable again for each option that uses it. A lazy container
    given as the variables is used as it is, and keeps each value it rendered: what one template render does
    with its variables, kept for as long as the variables do not change. So give a new one whenever they do
    (an earlier step's result registered). Without the internals this needs, the variables are returned as they are.
    """
    if _LAZY is None or not isinstance(variables, dict):
        return variables
    create, context, options = _LAZY
    engine = getattr(templar, "_engine", templar)
    with context(template_value=None, templar=engine, options=options):
        return create(variables)


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Within: a template text compiled by an environment is compiled by it once."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
