# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Code the controller compiles at every start, kept on disk between runs: the collection's Python and its roles' templates.

Why: in the controller's main process, before it forks the workers, the resources action plugin imports
the collection's plugins (the step modules' cores) and compiles its roles' template texts (see
_templating.precompile_roles), so that every worker inherits them. ansible-core's collection loader
compiles a collection's Python source on every import (it writes no bytecode, unlike Python's own
importer), and Jinja compiles every template text: measured on the benchmark's ten-account run, about
0.3 and 0.45 CPU-s of the main process, the same work in every run, for code that had not changed.

What: the code objects, marshalled, in two files (Python, templates) of the directory
``$CLOUDAUDIT_AWS_COMPILE_CACHE`` or else ``<ANSIBLE_HOME>/cloudaudit_aws_cache``; an empty
``CLOUDAUDIT_AWS_COMPILE_CACHE`` turns the cache off. A file's name is a hash of everything the compiled
code depends on besides its own text (Python's bytecode format, the Jinja and ansible-core versions, the
Jinja environment's settings), and each entry's key holds the text itself (its hash) and its file name
or its compile options: a code object is only ever reused for the exact text, by the same compilers,
that made it. A file holds the entries used by the run that wrote it (so edited sources do not pile up)
and is replaced atomically. The cache is used only if its directory and files belong to this user (or to
root) and nobody else can write to them: whoever can write there can change the code that runs, as with
Python's __pycache__. Any failure to read or write it only means compiling as before.
The same directory keeps the botocore model files the warm-up parses (a third file, see
_sdk._cached_model_files: data, not code, under the same rules).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

ENV = "CLOUDAUDIT_AWS_COMPILE_CACHE"
_FORMAT = 1


def cache_dir() -> str | None:
    """The cache directory, or None when the cache is turned off or ANSIBLE_HOME is unknown."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return os.path.expanduser(configured) or None
    try:
        from ansible import constants as C

        home = C.config.get_config_value("ANSIBLE_HOME")
    except Exception:  # pylint: disable=broad-except  # no configuration: no cache
        return None
    return os.path.join(os.path.expanduser(str(home)), "cloudaudit_aws_cache") if home else None


def _private(st: os.stat_result) -> bool:
    """Owned by this user (or root, as a cache built into an image) and writable by nobody else."""
    return st.st_uid in (os.getuid(), 0) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _is_code(value: Any) -> bool:
    return hasattr(value, "co_code")


class CodeCache:
    """One file of entries (code objects, or tuples holding them) by key, for one set of compilers (named by fingerprint)."""

    def __init__(self, kind: str, fingerprint: tuple[Any, ...], directory: str | None = None) -> None:
        self.directory = directory if directory is not None else cache_dir()
        digest = hashlib.sha256(repr((_FORMAT, importlib.util.MAGIC_NUMBER, sys.version, fingerprint)).encode()).hexdigest()[:20]
        self.path = os.path.join(self.directory, f"{kind}-{digest}.marshal") if self.directory else None
        self._stored = self._load()
        self.used: dict[str, Any] = {}
        self.misses = 0

    def _load(self) -> dict[str, Any]:
        if not self.path:
            return {}
        try:
            with open(self.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                if not (_private(st) and _private(os.stat(self.directory or "."))):
                    return {}
                stored = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return stored if isinstance(stored, dict) else {}

    def get(self, key: str, make: Callable[[], Any], valid: Callable[[Any], bool] = _is_code) -> Any:
        """The entry of key: from the file, or made now (and kept for save())."""
        value = self._stored.get(key)
        if value is None or not valid(value):
            self.misses += 1
            value = make()
        self.used[key] = value
        return value

    def save(self) -> None:
        """Write the entries used since the cache was opened, if they differ from the file's (atomically)."""
        if not self.path or not self.used or (self.misses == 0 and self.used.keys() == self._stored.keys()):
            return
        try:
            os.makedirs(self.directory or "", mode=0o700, exist_ok=True)
            if not _private(os.stat(self.directory or ".")):
                return
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump(self.used, handle)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except (OSError, ValueError):
            return


def text_key(*parts: Any) -> str:
    """A key made of the parts (hashed, so that keys stay short)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def collection_code() -> Iterator[CodeCache | None]:
    """Within: the Python files ansible-core's collection loader imports are compiled once, then read from the cache.

    Only the loader's compile step is replaced, and only for a module it has not compiled yet; the module is
    then executed, named and found as ansible-core does. Without the loader's method nothing is replaced.
    """
    try:
        from ansible.utils.collection_loader import _collection_finder
    except ImportError:
        yield None
        return
    loader = getattr(_collection_finder, "_AnsibleCollectionPkgLoaderBase", None)
    original = getattr(loader, "get_code", None)
    if original is None or not cache_dir():
        yield None
        return
    cache = CodeCache("python", ("collection-loader",))

    def get_code(self: Any, fullname: str) -> Any:
        if getattr(self, "_compiled_code", None) or not hasattr(self, "_compiled_code"):
            return original(self, fullname)
        source = self.get_source(fullname)
        if source is None:
            return original(self, fullname)
        filename = self.get_filename(fullname) or "<string>"
        data = source if isinstance(source, bytes) else str(source).encode("utf-8", "surrogateescape")
        key = text_key(filename, hashlib.sha256(data).hexdigest())
        self._compiled_code = cache.get(key, lambda: original(self, fullname))  # pylint: disable=protected-access
        return self._compiled_code  # pylint: disable=protected-access

    loader.get_code = get_code
    try:
        yield cache
    finally:
        loader.get_code = original
        cache.save()
