"""The in-process module refuses bad input exactly as the module does (plugin_utils/_inprocess.py).

For every module, each bad input runs through the module's main() (AnsibleAWSModule, in this process
as Ansible runs it, from its arguments) and through the in-process module of the action plugin; both
fail during argument validation, before any AWS call, and must return the same result: the same
message, the same keys, and the same invocation with no_log values masked.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from tests.harness import module_names

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _inprocess

MODULES = module_names(with_core=True)
SECRET = "hunter2-not-a-real-secret"


def _definition(name: str) -> Any:
    return importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}").DEFINITION


def _bad_inputs(name: str) -> dict[str, dict[str, Any]]:
    definition = _definition(name)
    spec = definition.argument_spec()
    required = {k: "audit" for k, o in spec.items() if o.get("required")}
    cases = {
        "unsupported option": dict(required, bogus_option=1),
        "secret in an unsupported option's company": dict(required, secret_key=SECRET, session_token=SECRET + "-token", bogus=SECRET),
        "wrong type": dict(required, validate_certs="maybe"),
        "invalid aws_config": dict(required, aws_config="not-a-dict"),
    }
    if required:
        cases["missing required"] = {}
    for option, o in spec.items():
        if o.get("choices"):
            cases["invalid choice"] = dict(required, **{option: "no-such-choice"})
            break
    for group in definition.rules.get("mutually_exclusive", []):
        cases["mutually exclusive"] = dict(required, **{k: _sample(spec[k]) for k in group[:2]})
    for group in definition.rules.get("required_together", []):
        cases["required together"] = dict(required, **{group[0]: _sample(spec[group[0]])})
    return cases


def _sample(option: dict[str, Any]) -> Any:
    if option.get("choices"):
        return option["choices"][0]
    return {"list": ["audit"], "dict": {}, "int": 1, "bool": True}.get(option.get("type", "str"), "audit")


def _classic(name: str, args: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from ansible.module_utils.testing import patch_module_args

    module = importlib.import_module(f"ansible_collections.cloudaudit.aws.plugins.modules.{name}")
    capsys.readouterr()
    with patch_module_args(dict(args, _ansible_inject_invocation=True, _ansible_module_name=f"cloudaudit.aws.{name}")), pytest.raises(SystemExit):
        module.main()
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])


def _in_process(name: str, args: dict[str, Any]) -> dict[str, Any]:
    module = _inprocess.InProcessModule(_definition(name), f"cloudaudit.aws.{name}", json.loads(json.dumps(args)), inject_invocation=True)
    with pytest.raises(_inprocess._ModuleExit) as ended:  # pylint: disable=protected-access
        module.start()
    return json.loads(json.dumps(ended.value.result))


@pytest.fixture(autouse=True)
def _no_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET + "-from-env")


@pytest.mark.parametrize("name", MODULES)
def test_bad_input_fails_the_same_way(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _bad_inputs(name)
    assert len(cases) >= 4
    for case, args in cases.items():
        classic, in_process = _classic(name, args, capsys), _in_process(name, args)
        classic.pop("exception", None)  # the traceback of the module's own frames, when tracebacks are enabled
        assert classic["failed"] is True, f"{name} {case}: {classic}"
        assert in_process == classic, f"{name}: {case}"
        assert SECRET not in json.dumps(in_process), f"{name}: {case}"


def test_no_log_values_masked_as_ansible_module_does() -> None:
    module = _inprocess.InProcessModule(_definition("cloudtrail_log_group"), "cloudaudit.aws.cloudtrail_log_group", {"name": "audit"}, inject_invocation=True)
    module.start()
    with pytest.raises(_inprocess._ModuleExit) as ended:  # pylint: disable=protected-access
        module.exit_json(changed=False, note=f"key {SECRET}-from-env used", flag=True, nothing=None)
    result = ended.value.result
    assert result["note"] == "key ******** used"
    assert result["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["flag"] is True and result["nothing"] is None and result["changed"] is False


def test_warnings_and_deprecations_are_returned() -> None:
    module = _inprocess.InProcessModule(_definition("cloudtrail_log_group"), "cloudaudit.aws.cloudtrail_log_group", {"name": "audit"})
    module.start()
    module.warn("first")
    module.warn("first")
    module.deprecate("old", version="12.0.0", collection_name="cloudaudit.aws")
    with pytest.raises(_inprocess._ModuleExit) as ended:  # pylint: disable=protected-access
        module.fail_json(msg="boom", option="name")
    result = ended.value.result
    assert result["warnings"] == ["first"]
    assert result["deprecations"] == [{"msg": "old", "version": "12.0.0", "date": None, "collection_name": "cloudaudit.aws"}]
    assert result["failed"] is True and result["msg"] == "boom" and result["option"] == "name"
    assert "invocation" not in result  # ansible-core's INJECT_INVOCATION defaults to false


def test_clients_are_made_once_per_connection_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    monkeypatch.setattr(_inprocess._sdk, "create_client", lambda service, region, endpoint, **kw: made.append((service, region)) or object())
    module = _inprocess.InProcessModule(_definition("cloudtrail_log_group"), "cloudaudit.aws.cloudtrail_log_group", {"name": "audit", "region": "eu-west-1"})
    module.start()
    assert module.client("logs") is module.client("logs")
    assert module.client("logs", region="us-east-1") is not module.client("logs")
    module.client("iam")
    assert made == [("logs", "eu-west-1"), ("logs", "us-east-1"), ("iam", "eu-west-1")]
    assert module.region == "eu-west-1"


# --- validate-only runs (the pre-flight of cloudaudit.aws.resources) -------------------------------


class _NoAws:
    """Any AWS client creation fails the test: a validate-only run must end before it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[str] = []

        def refuse(service: str, *args: Any, **kwargs: Any) -> Any:
            self.made.append(service)
            raise AssertionError(f"a validate-only run made a {service} client")

        monkeypatch.setattr(_inprocess._sdk, "create_client", refuse)  # pylint: disable=protected-access


def test_validate_only_passes_good_input_without_any_client(monkeypatch: pytest.MonkeyPatch) -> None:
    no_aws = _NoAws(monkeypatch)
    args = {"name": "audit-trail", "s3_bucket_name": "audit-bucket-123456789012", "kms_key_id": "alias/audit-trail", "region": "us-east-1"}
    assert _inprocess.validate_in_process(_definition("cloudtrail_trail"), "cloudaudit.aws.cloudtrail_trail", args) is None
    assert not no_aws.made


@pytest.mark.parametrize(
    ("name", "args", "option"),
    [
        (
            "cloudtrail_trail",
            {"name": "audit-trail", "s3_bucket_name": "b" * 3, "event_selectors": [{"data_resources": [{"type": "AWS::S3::Object", "values": []}]}]},
            "event_selectors",
        ),
        ("cloudtrail_trail", {"name": "audit-trail", "s3_bucket_name": "audit-bucket", "sns_topic": "arn:aws-cn:sns:cn-north-1:123456789012:x"}, "sns_topic"),
        ("cloudtrail_trail", {"name": "audit trail", "s3_bucket_name": "audit-bucket"}, "name"),
        ("cloudtrail_log_group", {"name": "audit", "retention_days": 100}, "retention_days"),
    ],
)
def test_validate_only_fails_bad_input_naming_the_option_without_any_client(
    monkeypatch: pytest.MonkeyPatch, name: str, args: dict[str, Any], option: str
) -> None:
    no_aws = _NoAws(monkeypatch)
    failure = _inprocess.validate_in_process(_definition(name), f"cloudaudit.aws.{name}", dict(args, region="us-east-1"))
    assert failure and failure["failed"] and option in failure["msg"], failure
    assert not no_aws.made
