"""boto3 for the in-process path (plugin_utils/_sdk.py): client classes made once for its own clients only, model files parsed once, the heap frozen."""

from __future__ import annotations

import copy
import gc
import json
import marshal
from collections import OrderedDict
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.exceptions
import botocore.hooks
import botocore.loaders
import pytest

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _compile_cache, _sdk

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "not-a-secret"}


def test_clients_share_one_class_per_service_and_keep_their_own_settings() -> None:
    first = _sdk.create_client("cloudtrail", "us-east-1", None, **KEYS)
    second = _sdk.create_client("cloudtrail", "eu-west-1", "http://127.0.0.1:1", **KEYS)
    assert type(first) is type(second)
    assert first.meta.region_name == "us-east-1" and second.meta.region_name == "eu-west-1"
    assert second.meta.endpoint_url == "http://127.0.0.1:1"
    assert first.meta.service_model is second.meta.service_model
    assert type(_sdk.create_client("kms", "us-east-1", None, **KEYS)) is not type(first)
    # What boto3 does for everyone else in the process is unchanged: a class of its own per client.
    others = [boto3.session.Session().client("cloudtrail", region_name="us-east-1", **KEYS) for _attempt in range(2)]
    assert type(others[0]) is not type(others[1]) and type(others[0]) is not type(first)


def test_a_named_profile_session_gets_classes_of_its_own(tmp_path, monkeypatch) -> None:
    config = tmp_path / "config"
    config.write_text("[profile audit]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delitem(_sdk._SESSIONS, "audit", raising=False)  # pylint: disable=protected-access  # a new session, removed after
    default = _sdk.create_client("sts", "us-east-1", None, **KEYS)
    profiled = _sdk.create_client("sts", "us-east-1", None, profile_name="audit", **KEYS)
    assert type(default) is not type(profiled)  # another session, another event emitter: not shared
    assert type(profiled) is type(_sdk.create_client("sts", "us-east-1", None, profile_name="audit", **KEYS))


def test_the_preloaded_heap_is_frozen() -> None:
    assert gc.get_freeze_count() > 0


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts botocore's JSON parses of model files (json.loads with the loader's OrderedDict hook)."""
    parsed: list[int] = []
    original = json.loads

    def counting(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("object_pairs_hook") is not None:
            parsed.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(botocore.loaders.json, "loads", counting)
    return parsed


def test_the_warm_up_parses_a_model_file_once_then_reads_it_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_compile_cache.ENV, str(tmp_path))
    parsed = _parses(monkeypatch)
    expected = botocore.loaders.Loader().load_service_model("sts", "service-2")
    parsed.clear()

    first_loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(first_loader):  # pylint: disable=protected-access
        first = first_loader.load_service_model("sts", "service-2")
    assert parsed and first == expected and type(first) is dict  # pylint: disable=unidiomatic-typecheck
    assert "_load_file" not in vars(first_loader.file_loader)  # replaced within only
    assert list(tmp_path.glob("models-*.marshal"))
    first["metadata"]["changed"] = "by botocore after the load"  # e.g. the SDK extras merged in

    parsed.clear()
    second_loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(second_loader):  # pylint: disable=protected-access
        second = second_loader.load_service_model("sts", "service-2")
    assert not parsed  # from the cache
    assert second == expected and list(second["operations"]) == list(expected["operations"])  # the same data, in order
    assert "changed" not in second["metadata"]  # what the first run changed in its copy was not kept


def test_a_damaged_model_entry_is_parsed_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_compile_cache.ENV, str(tmp_path))
    parsed = _parses(monkeypatch)
    expected = botocore.loaders.Loader().load_service_model("sts", "service-2")
    loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(loader):  # pylint: disable=protected-access
        loader.load_service_model("sts", "service-2")
    (path,) = tmp_path.glob("models-*.marshal")
    entries = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({key: value[: len(value) // 2] for key, value in entries.items()}))  # every entry cut short

    parsed.clear()
    loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(loader):  # pylint: disable=protected-access
        assert loader.load_service_model("sts", "service-2") == expected
    assert parsed  # parsed again
    parsed.clear()
    loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(loader):  # pylint: disable=protected-access
        assert loader.load_service_model("sts", "service-2") == expected
    assert not parsed  # the entry was replaced


def test_without_a_cache_directory_the_model_files_are_parsed_as_botocore_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_compile_cache.ENV, "")
    parsed = _parses(monkeypatch)
    loader = botocore.loaders.Loader()
    with _sdk._cached_model_files(loader):  # pylint: disable=protected-access
        model = loader.load_service_model("sts", "service-2")
    assert parsed and isinstance(model, OrderedDict)


# botocore's own method, behind the fast path _sdk installed at import.
BOTOCORE_ALIAS = botocore.hooks.EventAliaser._alias_event_name.__wrapped__  # pylint: disable=protected-access


def _botocore_alias(aliaser: Any, name: str) -> str:
    """What botocore's own EventAliaser._alias_event_name answers for name (on a fresh aliaser with the same aliases)."""
    fresh = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter(), dict(aliaser._event_aliases))  # pylint: disable=protected-access
    return BOTOCORE_ALIAS(fresh, name)


def _event_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every event name a client of each warmed service registers or emits while it is made and makes a call."""
    seen: list[str] = []
    fast = botocore.hooks.EventAliaser._alias_event_name  # pylint: disable=protected-access

    def recording(self: Any, name: str) -> str:
        seen.append(name)
        return fast(self, name)

    monkeypatch.setattr(botocore.hooks.EventAliaser, "_alias_event_name", recording)
    for service in _sdk.SERVICES:
        client = _sdk.create_client(service, "us-east-1", "http://127.0.0.1:9", **KEYS, config={"retries": {"total_max_attempts": 1}})
        model = client.meta.service_model
        # An operation without required input, so that the call gets past validation to the request's events.
        operation = next((name for name in model.operation_names if not getattr(model.operation_model(name).input_shape, "required_members", None)), None)
        if operation is None:  # s3control: every operation needs an account id
            continue
        with pytest.raises(botocore.exceptions.EndpointConnectionError):  # nothing listens on port 9
            getattr(client, botocore.xform_name(operation))()
    return seen


def test_event_names_no_alias_applies_to_are_answered_at_once_and_as_botocore_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert getattr(botocore.hooks.EventAliaser._alias_event_name, "cloudaudit_fast", False)  # pylint: disable=protected-access
    names = _event_names(monkeypatch)
    assert len(set(names)) > 150 and any(name.startswith("before-call.") for name in names)
    aliases = botocore.hooks.EVENT_ALIASES
    # Names some alias applies to, with and without dots, and names that only contain an alias's text.
    names += [f"before-call.{old}.Operation" for old in aliases] + [f"service-created.x{old}x" for old in aliases]
    names += [f"creating-client-class.{old.replace('.', '-')}" for old in aliases] + ["before-call.api.sagemaker", "a.runtime.sagemakerx.b"]
    session = _sdk.boto3_session(None)._session  # pylint: disable=protected-access
    emitter = session.get_component("event_emitter")
    for name in dict.fromkeys(names):
        copied = copy.copy(emitter)  # as every client's: same aliases, an empty cache
        assert copied._alias_event_name(name) == _botocore_alias(copied, name), name  # pylint: disable=protected-access
        assert copied._alias_name_cache == {name: _botocore_alias(copied, name)}  # pylint: disable=protected-access


def test_an_emitter_with_other_aliases_is_left_to_botocore() -> None:
    aliaser = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter(), {"cloudtrail": "audit-trail"})
    assert aliaser._alias_event_name("before-call.cloudtrail.GetTrail") == "before-call.audit-trail.GetTrail"  # pylint: disable=protected-access
    assert aliaser._alias_event_name("before-call.s3.GetObject") == "before-call.s3.GetObject"  # pylint: disable=protected-access
    more = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter(), {**botocore.hooks.EVENT_ALIASES, "s3": "simple-storage"})
    assert more._alias_event_name("before-call.s3.GetObject") == "before-call.simple-storage.GetObject"  # pylint: disable=protected-access
    renamed = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    assert renamed._alias_event_name("before-call.autoscaling.Describe") == "before-call.auto-scaling.Describe"  # pylint: disable=protected-access


def test_botocore_aliases_changed_after_the_import_are_left_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(botocore.hooks.EVENT_ALIASES, "s3", "simple-storage")
    aliaser = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    assert aliaser._alias_event_name("before-call.s3.GetObject") == "before-call.simple-storage.GetObject"  # pylint: disable=protected-access
