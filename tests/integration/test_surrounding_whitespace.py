"""Every string option of every module, given with a trailing newline or space, fails before any AWS call.

A YAML block scalar (`name: |`) ends in a newline; a value copied from a console may end in a
space. Such a value used to pass the name checks (`^...$` with re.match accepts a final newline)
and was created as a bucket, trail, log group, alias, store or role under the wrong name, or
written into a bucket policy where AWS never matches it.

Each module's main() runs here in-process (as Ansible runs it, from its arguments) against the
emulator; the options are read from the argument spec the module builds, so an option added later
is covered without touching this test.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, Iterator

import pytest

from tests.harness import module_names, run_module_main

MODULES = module_names(with_core=True)

# The least each module needs besides the option under test (valid values).
BASE_ARGS: dict[str, dict[str, Any]] = {
    "assume_role": {"role_arn": "arn:aws:iam::123456789012:role/Audit"},
    "cloudtrail_alerts": {"topic": {"name": "alerts"}},
    "cloudtrail_athena": {"bucket": "audit-bucket-123456789012"},
    "cloudtrail_events_info": {},
    "cloudtrail_history_info": {},
    "cloudtrail_kms_key": {"alias": "alias/cloudtrail"},
    "cloudtrail_lake_import": {
        "destination": "audit-store",
        "source": "s3://audit-bucket-123456789012/AWSLogs",
        "access_role_arn": "arn:aws:iam::123456789012:role/Import",
    },
    "cloudtrail_lake_store": {"name": "audit-store"},
    "cloudtrail_lake_store_info": {},
    "cloudtrail_log_group": {"name": "audit-trail"},
    "cloudtrail_log_validation_info": {"trail": "audit-trail", "start_time": "-1h"},
    "cloudtrail_organization": {},
    "cloudtrail_trail": {"name": "audit-trail", "s3_bucket_name": "audit-bucket-123456789012"},
    "cloudtrail_trail_info": {},
    "s3_account_public_access_block": {},
    "s3_audit_bucket": {"name": "audit-bucket-123456789012"},
    "s3_audit_bucket_info": {},
}
SAMPLE = {"str": "audit", "int": 1, "bool": True, "dict": {}, "list": [], "raw": "audit", "path": "audit"}


class _SpecCaptured(Exception):
    def __init__(self, spec: dict[str, Any], kwargs: dict[str, Any]) -> None:
        super().__init__("spec captured")
        self.spec, self.kwargs = spec, kwargs


def _module_spec(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """(the module, its own argument spec, the other AnsibleModule arguments), without running it."""
    module = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}")

    def capture(spec: dict[str, Any], **kwargs: Any) -> None:
        raise _SpecCaptured(spec, kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(module, "new_module", capture)
        with pytest.raises(_SpecCaptured) as captured:
            module.main()
    return module, captured.value.spec, captured.value.kwargs


def _sample(option: dict[str, Any]) -> Any:
    if option.get("choices"):
        return option["choices"][0]
    return SAMPLE.get(option.get("type", "str"), "audit")


def _filled(suboptions: dict[str, Any]) -> dict[str, Any]:
    """The required sub-options of a dictionary, with valid values."""
    return {k: _sample(o) for k, o in suboptions.items() if o.get("required")}


def _string_paths(spec: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, list[Any], dict[str, Any]]]:
    """(option path as in the error, path of keys/indexes into the params, option spec) of every string value."""
    for name, option in spec.items():
        kind, elements, subs = option.get("type", "str"), option.get("elements"), option.get("options")
        if kind == "str":
            yield f"{prefix}{name}", [(name, None)], option
        elif kind == "list" and elements == "str":
            yield f"{prefix}{name}[0]", [(name, "liststr")], option
        elif kind == "dict" and subs:
            for path, keys, sub in _string_paths(subs, f"{prefix}{name}."):
                yield path, [(name, ("dict", subs))] + keys, sub
        elif kind == "list" and elements == "dict" and subs:
            for path, keys, sub in _string_paths(subs, f"{prefix}{name}[0]."):
                yield path, [(name, ("listdict", subs))] + keys, sub


def _params_with(base: dict[str, Any], keys: list[Any], value: Any) -> dict[str, Any]:
    params = json.loads(json.dumps(base))
    node = params
    for name, how in keys[:-1]:
        kind, subs = how
        child = _filled(subs)
        if kind == "dict":
            node[name] = child
        else:
            node[name] = [child]
        node = child
    name, how = keys[-1]
    node[name] = [value] if how == "liststr" else value
    return params


def _run(module: Any, params: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return run_module_main(module, params, capsys)


@pytest.mark.integration
@pytest.mark.parametrize("name", MODULES)
def test_trailing_whitespace_fails_before_any_call(name: str, aws: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    module, spec, dummy = _module_spec(name, monkeypatch)
    base = BASE_ARGS[name]
    cases = 0
    for path, keys, option in _string_paths(spec):
        if option.get("no_log") is True or path.split(".")[-1].split("[")[0] == "description":
            continue
        for suffix in ("\n", " "):
            value = (option["choices"][0] if option.get("choices") else "audit") + suffix
            mark = aws.emulator.mark()
            result = _run(module, _params_with(base, keys, value), capsys)
            where = f"{name}: {path}={value!r}"
            assert result.get("failed"), f"{where} was accepted: {result}"
            leaf = path.split(".")[-1].split("[")[0]
            assert leaf in result["msg"], f"{where}: the message does not name the option: {result['msg']}"
            assert "Traceback" not in json.dumps(result), where
            assert aws.emulator.summary(since=mark)["total"] == 0, f"{where}: AWS was called before the input was refused"
            cases += 1
    assert cases >= 2, f"{name}: no string option found in its argument spec"


# The AWS connection options (and their aliases, as AnsibleAWSModule defines them): a value with white space used to
# reach the HTTP client, which refused it as "Invalid header value b'...\n'", printing the value (a session token too).
SECRET = "FwoGZXIvYXdzEXAMPLEnotarealtoken"
CONNECTION_CASES = [
    ("region", "us-east-1\n", False),
    ("aws_region", " us-east-1", False),
    ("profile", "audit\n", False),
    ("endpoint_url", None, False),  # the emulator's own URL with a final newline
    ("access_key", "AKIAEXAMPLE" + SECRET[:8] + "\n", True),
    ("secret_key", SECRET + "-secret\n", True),
    ("aws_secret_access_key", SECRET + "-secret ", True),
    ("session_token", SECRET + "\n", True),
    ("aws_session_token", " " + SECRET, True),
]


def _in_process(name: str, params: dict[str, Any]) -> dict[str, Any]:
    from ansible_collections.cloudaudit.aws.plugins.plugin_utils._inprocess import run_in_process

    definition = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}").DEFINITION
    return run_in_process(definition, f"cloudaudit.aws.{name}", params)


@pytest.mark.integration
@pytest.mark.parametrize("path", ["module", "in-process"])
def test_connection_option_with_whitespace_fails_before_any_client(path: str, aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    module = importlib.import_module("ansible_collections.cloudaudit.aws.plugins.modules.cloudtrail_trail_info")
    for option, value, secret in CONNECTION_CASES:
        value = value if value is not None else aws.url + "\n"
        mark = aws.emulator.mark()
        params = {option: value}
        result = _run(module, params, capsys) if path == "module" else _in_process("cloudtrail_trail_info", params)
        where = f"{path}: {option}={'<secret>' if secret else repr(value)}"
        assert result.get("failed"), f"{where} was accepted: {result}"
        assert result["msg"].startswith(f"{option}: "), f"{where}: the message does not name the option: {result['msg']}"
        assert "white space" in result["msg"], where
        assert "Traceback" not in json.dumps(result) and "Invalid header" not in json.dumps(result), where
        if secret:
            assert value.strip() not in json.dumps(result), f"{where}: the secret is in the result"
            assert SECRET[:16] not in json.dumps(result), f"{where}: the secret is in the result"
        assert aws.emulator.summary(since=mark)["total"] == 0, f"{where}: AWS was called"
