"""boto3 for the in-process path (plugin_utils/_sdk.py): client classes made once for its own clients only, the heap frozen."""

from __future__ import annotations

import gc

import boto3

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _sdk

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
