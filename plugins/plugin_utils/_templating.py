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
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator
from typing import Any

_ACTIVE = contextvars.ContextVar("cloudaudit_compiled_once", default=False)
_ATTRIBUTE = "_cloudaudit_compiled"
_METHODS = ("_compile_template", "_compile_expression")


def _kept(method: Any, compiled_types: tuple[type, ...]) -> Any:
    @functools.wraps(method)
    def wrapper(self: Any, template: Any, options: Any) -> Any:
        if not _ACTIVE.get():
            return method(self, template, options)
        environment = self.environment
        kept = environment.__dict__.setdefault(_ATTRIBUTE, {})
        key = (method.__name__, str(template), options)
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
    compiled_types = tuple(getattr(_jinja_bits, name) for name in ("AnsibleTemplate", "AnsibleTemplateExpression") if hasattr(_jinja_bits, name))
    engine = getattr(_engine, "TemplateEngine", None)
    if engine is None or len(compiled_types) != 2 or not all(callable(getattr(engine, name, None)) for name in _METHODS):
        return False
    for name in _METHODS:
        method = getattr(engine, name)
        if not getattr(method, "cloudaudit_kept", False):
            setattr(engine, name, _kept(method, compiled_types))
    return True


INSTALLED = _install()


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Within: a template text compiled by an environment is compiled by it once."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
