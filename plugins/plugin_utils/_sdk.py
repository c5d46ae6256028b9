# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""boto3 for the in-process path: imported and warmed once per controller process, clients made from it.

The linear and free strategies load an action plugin class in the controller's main process before
they fork the worker that runs the task, so what this file loads at import (boto3, botocore and the
service models, endpoint rules and partitions of the services the collection calls) is inherited by
every worker instead of being read again for every task. Clients are made as amazon.aws's
boto3_conn() makes them (same user agent, aws_config merged into the same Config, placebo hooks),
from one boto3 session per profile and process (the default one made and warmed at import).

The client classes are made once too. botocore builds a new class for every client it creates: a method
with a docstring object for each operation of the service (IAM has about 170), measured at about 40 ms
of CPU per client, several times what the reads of a no-op resource cost. For the clients made here
(and only those: see _cached_by_session), the service model and the class are kept per session and
service, in the controller's main process by the warm-up, so the workers inherit them. A class is what
botocore would build again from the same model and the same session's event handlers; each client
still gets its own endpoint, credentials, config and per-client event registrations.

The model files the warm-up reads (service models, endpoint rules, partitions: JSON, most of them
compressed) are kept parsed in the compile cache (see _compile_cache and _cached_model_files): parsing
them is the same work in every run, about 0.1-0.3 CPU-s of the main process for the services below.

Each client's event emitter is a copy of the session's, with an empty cache of botocore's event-name
aliases; the names no alias applies to (nearly all) are answered without botocore's loop over its 65
aliases (see _unaliased_fast), for every botocore user of the process, with the same answers.

Without boto3/botocore HAS_SDK is False and the action plugins run the classic module instead.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import marshal
import os
import threading
from collections.abc import Iterator
from typing import Any

try:
    import boto3
    import botocore.client
    import botocore.config
    import botocore.hooks
    import botocore.session
except ImportError:
    HAS_SDK = False
else:
    HAS_SDK = True

from ansible.module_utils.ansible_release import __version__ as _ANSIBLE_VERSION

from ansible_collections.amazon.aws.plugins.module_utils.botocore import enable_placebo
from ansible_collections.amazon.aws.plugins.module_utils.common import get_collection_info

from . import _compile_cache

# Every service the collection's modules call (the event history search also calls ec2 when regions: all).
SERVICES = ("cloudtrail", "s3", "s3control", "kms", "logs", "iam", "organizations", "sts", "events", "sns", "cloudwatch")
_WARM_REGION = "us-east-1"


_SESSIONS: dict[str | None, Any] = {}
_SESSIONS_LOCK = threading.Lock()
# Set only while create_client() below makes a client: other botocore users of the controller process are untouched.
_CACHING = contextvars.ContextVar("cloudaudit_client_class_cache", default=False)
_BY_SESSION: dict[tuple[Any, ...], Any] = {}


def _cached_by_session(method: Any) -> Any:
    """A ClientCreator method whose answer is kept per (loader, event emitter, arguments) while _CACHING is set.

    The loader and the event emitter are the session's own (one per session), held by the key so that their ids
    cannot be reused; the arguments are the service name and the API version, or the service model that
    the cached _load_service_model returned (the same object for the same service).
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any) -> Any:
        if not _CACHING.get():
            return method(self, *args)
        key = (method.__name__, self._loader, self._event_emitter, *args)  # pylint: disable=protected-access
        found = _BY_SESSION.get(key)
        if found is None:
            found = _BY_SESSION.setdefault(key, method(self, *args))
        return found

    wrapper.cloudaudit_cached = True  # type: ignore[attr-defined]
    return wrapper


def _install_class_cache() -> None:
    creator = botocore.client.ClientCreator
    for name in ("_load_service_model", "_create_client_class"):
        method = getattr(creator, name, None)
        if method is not None and not getattr(method, "cloudaudit_cached", False):
            setattr(creator, name, _cached_by_session(method))


def _unaliased_fast(method: Any, aliases: dict[str, str]) -> Any:
    """EventAliaser._alias_event_name answering at once for an event name that none of botocore's aliases applies to.

    Why: botocore renames the old service names of event names (EVENT_ALIASES, 65 entries) on every emit and
    register, and keeps the answers on the emitter - but every client gets a copy of the session's emitter
    with an empty cache, and a miss splits the name once per alias: about 0.1 ms, for each event name of
    each API call of each new client (a fifth of the CPU of an API call, measured). The in-process path
    makes new clients in every worker, so nearly every lookup misses. botocore's loop returns the name as
    it is when no alias without a dot is one of its parts and no alias with a dot is in it: this answers
    that case with one set test (same answer, kept in the same cache), and leaves every other name, and
    an emitter given other aliases, to botocore.
    """
    aliases = dict(aliases)  # as they are now: an emitter whose aliases differ from these (even botocore's, changed) is botocore's
    plain = frozenset(old for old in aliases if "." not in old)
    dotted = tuple(old for old in aliases if "." in old)

    @functools.wraps(method)
    def wrapper(self: Any, event_name: str) -> str:
        cache = self._alias_name_cache  # pylint: disable=protected-access
        found = cache.get(event_name)
        if found is not None:
            return found
        mapping = self._event_aliases  # pylint: disable=protected-access
        if mapping == aliases and plain.isdisjoint(event_name.split(".")) and not any(old in event_name for old in dotted):
            cache[event_name] = event_name
            return event_name
        return method(self, event_name)

    wrapper.cloudaudit_fast = True  # type: ignore[attr-defined]
    return wrapper


def _install_alias_fast_path() -> None:
    aliaser = getattr(botocore.hooks, "EventAliaser", None)
    method = getattr(aliaser, "_alias_event_name", None)
    aliases = getattr(botocore.hooks, "EVENT_ALIASES", None)
    if method is None or not isinstance(aliases, dict) or getattr(method, "cloudaudit_fast", False):
        return
    probe = aliaser(botocore.hooks.HierarchicalEmitter())  # the attributes the fast path reads, as this botocore names them
    if isinstance(getattr(probe, "_alias_name_cache", None), dict) and getattr(probe, "_event_aliases", None) is aliases:
        setattr(aliaser, "_alias_event_name", _unaliased_fast(method, aliases))


def _warm_up() -> None:
    """The default session, with a client of each of SERVICES made once (their models are then loaded)."""
    try:
        session = boto3_session(None)
        with _cached_model_files(session._session.get_component("data_loader")):  # pylint: disable=protected-access
            for service in SERVICES:
                # No request is made: creating a client only reads the models, endpoint rules and partitions.
                create_client(service, _WARM_REGION, None, aws_access_key_id="warm-up", aws_secret_access_key="warm-up")
    except Exception:  # pylint: disable=broad-except  # e.g. a broken AWS config file: the task will say so, unwarmed
        _SESSIONS.clear()


def _plain(value: Any) -> Any:
    """value with plain dicts for botocore's OrderedDicts (a dict keeps its order; marshal stores dicts, lists, str, numbers)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@contextlib.contextmanager
def _cached_model_files(loader: Any) -> Iterator[None]:
    """Within: the JSON files loader reads come parsed from the compile cache, each kept by path, size and mtime.

    Only the file loader's parse step is replaced, and only within (the warm-up in the controller's main process).
    An entry holds the file's data marshalled and is unmarshalled anew at every read, so that what botocore then
    changes in a loaded model (it merges the SDK extras into it) is never written back; an entry that does not
    unmarshal is parsed again and replaced. Hit or miss, botocore gets the same plain dicts and lists; without a
    cache directory, or with a loader without the method, nothing is replaced.
    """
    file_loader = getattr(loader, "file_loader", None)
    original = getattr(file_loader, "_load_file", None)
    if original is None or not _compile_cache.cache_dir():
        yield
        return
    cache = _compile_cache.CodeCache("models", ("botocore-json", botocore.__version__))

    def load_file(full_path: str, open_method: Any) -> Any:
        try:
            st = os.stat(full_path)
        except OSError:
            return original(full_path, open_method)
        key = _compile_cache.text_key(full_path, st.st_size, st.st_mtime_ns)

        def parse() -> bytes:
            return marshal.dumps(_plain(original(full_path, open_method)))

        try:
            return marshal.loads(cache.get(key, parse, _is_bytes))
        except (EOFError, ValueError, TypeError):  # a damaged entry: parsed again, and replaced
            return marshal.loads(cache.get(key, parse, _never))

    file_loader._load_file = load_file  # pylint: disable=protected-access  # this loader only, for the warm-up
    try:
        yield
    finally:
        del file_loader._load_file  # pylint: disable=protected-access
        cache.save()


def _is_bytes(value: Any) -> bool:
    return isinstance(value, bytes)


def _never(value: Any) -> bool:
    del value
    return False


def user_agent() -> str:
    """The user agent amazon.aws's boto3_conn() sets (APN/1.0 Ansible/<core> amazon.aws/<version>)."""
    info = get_collection_info()
    agent = f"APN/1.0 Ansible/{_ANSIBLE_VERSION}"
    if info["name"]:
        agent += f" {info['name']}/{info['version']}" if info["version"] is not None else f" {info['name']}"
    return agent


def _merged_config(config: Any, extra: Any) -> Any:
    if not extra:
        return config
    if not isinstance(extra, botocore.config.Config):
        extra = botocore.config.Config(**extra)
    return config.merge(extra)


def boto3_session(profile: str | None) -> Any:
    """The boto3 session of this process for profile (botocore sessions are costly to make: one per profile).

    Clients get explicit credentials when the task gives them; otherwise the session resolves them
    (environment, profile, instance role) as a new session would, once per worker process: the warm-up
    in the controller's main process makes clients with explicit dummy keys and resolves none.
    """
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(profile)
        if session is None:
            session = _SESSIONS[profile] = _new_session(profile)
        return session


def _new_session(profile: str | None) -> Any:
    """A session for profile; a named profile's session shares the data loader the default session warmed."""
    default = _SESSIONS.get(None)
    if profile is None or default is None:
        return boto3.session.Session(profile_name=profile)
    loader = default._session.get_component("data_loader")  # pylint: disable=protected-access
    core = botocore.session.Session(profile=profile)
    core.register_component("data_loader", loader)
    session = boto3.session.Session(botocore_session=core)
    loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))  # boto3 appends its data path once per session
    return session


def create_client(service: str, region: str | None, endpoint: str | None, **params: Any) -> Any:
    """A boto3 client as amazon.aws's _boto3_conn(conn_type="client") makes it (raises as it does)."""
    profile = params.pop("profile_name", None)
    config = botocore.config.Config(user_agent=user_agent())
    for name in ("config", "aws_config"):
        config = _merged_config(config, params.pop(name, None))
    session = boto3_session(profile)
    enable_placebo(session)
    token = _CACHING.set(True)
    try:
        return session.client(service, config=config, region_name=region, endpoint_url=endpoint, **params)
    finally:
        _CACHING.reset(token)


def _freeze_heap() -> None:
    """Take everything the process holds now (ansible-core, boto3, the service models) out of the garbage collector's scans.

    Why: the controller's heap is then over a million objects that live until the run ends, and every full
    collection walks all of them again, in the controller and, after each fork, in the worker, whose walk
    also writes to every page it inherited (copy-on-write). Measured on the benchmark's no-op at ten
    accounts: 12.3 instead of 15.5 CPU-s. gc.freeze() is what Python documents for a process that forks
    without exec. No collection before it: measured, a full one finds a handful of unreachable objects
    at this point and costs 0.16 CPU-s, once per run.
    """
    gc.freeze()


if HAS_SDK:
    _install_class_cache()
    _install_alias_fast_path()
    _warm_up()
    _freeze_heap()
