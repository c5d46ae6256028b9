"""boto3 for the in-process path (plugin_utils/_sdk.py): client classes made once for its own clients only, model files parsed once, the heap frozen."""

from __future__ import annotations

import gc
import json
import marshal
from collections import OrderedDict
from pathlib import Path
from typing import Any

import boto3
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
