"""The same tasks in-process and as the classic module give the same registered results, and no secret.

execution_paths/play.yml runs once with the action plugins' default (in-process on this local
connection) and once with -e cloudaudit_execution=module, each against a freshly reset emulator,
at -vvv, with ANSIBLE_INJECT_INVOCATION on (so `invocation` is compared too). Every registered result
is compared key by key. Nothing is ignored; only values that differ between any two runs are replaced
before the comparison (VOLATILE, with the reason). Neither run may show the dummy secret key or the
credentials assume_role returned in its output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

PLAY = Path(__file__).parent / "execution_paths" / "play.yml"
SECRET = "dummy-secret-key-7f3c9e"
# Values that differ between any two runs, whichever the path; replaced by a placeholder before comparing.
VOLATILE = {
    "<uuid>": (r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "event ids and request ids are random"),
    "<time>": (r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "event times, logging start and delivery times, credential expiry"),
    "<http-date>": (r"\b\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\b", "the Date header of an AWS error response"),
}
# Values of these keys are random per call (the emulator's request id, the assumed credentials).
VOLATILE_KEYS = {
    "request_id": "random per AWS request",
    "x-amzn-requestid": "random per AWS request",
}


def _credentials(results: dict[str, Any]) -> list[str]:
    creds = results["assumed"]["credentials"]
    return [creds["access_key"], creds["secret_key"], creds["session_token"]]


def _normalised(value: Any, credentials: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: "<random>" if k in VOLATILE_KEYS else _normalised(v, credentials) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v, credentials) for v in value]
    if isinstance(value, str):
        for secret in credentials:  # a new AssumeRole gives new keys: compare where they appear, not what they are
            value = value.replace(secret, "<assumed-credential>")
        for placeholder, (pattern, _reason) in VOLATILE.items():
            value = re.sub(pattern, placeholder, value)
    return value


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only {'in-process' if k in a else 'module'}" for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += _differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: in-process {a!r} != module {b!r}"]


def _run(playbook: Any, aws: Any, tmp_path: Path, execution: str) -> tuple[dict[str, Any], str]:
    aws.emulator.reset()
    results_file = tmp_path / f"results-{execution}.json"
    result = playbook.run(
        PLAY,
        extra_vars={"cloudaudit_execution": execution, "results_file": str(results_file)},
        args=["-vvv"],
        env={"ANSIBLE_INJECT_INVOCATION": "1", "AWS_SECRET_ACCESS_KEY": SECRET},
    )
    output = result.stdout + result.stderr
    assert result.rc == 0, f"{execution}:\n{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
    return json.loads(results_file.read_text()), output


@pytest.mark.integration
def test_same_results_both_ways_and_no_secret(playbook: Any, aws: Any, tmp_path: Path, count: Any) -> None:
    in_process, in_process_output = _run(playbook, aws, tmp_path, "auto")
    module, module_output = _run(playbook, aws, tmp_path, "module")

    # Every module task prints its path, and so does each step of a cloudaudit.aws.resources task (not the task itself).
    tasks = len(re.findall(r"^ +cloudaudit\.aws\.(?!resources:)\w+:", PLAY.read_text(), flags=re.M))
    assert in_process_output.count(": runs in-process (local connection)") == tasks
    assert module_output.count(": runs module (cloudaudit_execution is module)") == tasks

    assert set(in_process) == set(module)
    differences = []
    for name in sorted(in_process):
        a = _normalised(in_process[name], _credentials(in_process))
        b = _normalised(module[name], _credentials(module))
        differences += [f"{name}{d}" for d in _differences(a, b)]
    assert not differences, "\n".join(differences)

    # What the tasks returned is what the modules promise (not just equal on both sides).
    r = in_process
    assert r["bad_input"]["failed"] and r["bad_input"]["option"] == "retention_days"
    assert r["unsupported"]["msg"].startswith("Unsupported parameters for (cloudaudit.aws.cloudtrail_log_group) module: bogus.")
    assert r["missing_required"]["msg"] == "missing required arguments: name"
    assert r["mutually_exclusive"]["msg"] == "parameters are mutually exclusive: name|name_prefix"
    assert r["lg_check"]["changed"] and r["lg_check"]["diff"]["before"] == {} and r["lg_create"]["changed"]
    assert not r["lg_again"]["changed"] and r["lg_guard"]["failed"] and r["lg_guard"]["option"] == "retention_days"
    assert r["trail_aws_error"]["msg"].startswith("AWS refused CreateTrail") and r["trail_aws_error"]["error"]["code"] == "S3BucketDoesNotExistException"
    assert r["lg_create"]["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert r["lg_assumed"]["log_group"]["arn"].startswith("arn:aws:logs:us-east-1:111122223333:")
    assert r["alerts_check"]["changed"] and r["alerts_check"]["diff"] and r["alerts_bad"]["failed"] and "presets" in r["alerts_bad"]["msg"]
    assert r["organization"]["failed"] and "organization" in r["organization"]["msg"]
    assert r["pab_check"]["changed"] and r["pab_check"]["diff"] and r["athena_check"]["changed"] and r["athena_check"]["diff"]
    assert r["bucket_guard"]["failed"] and "force_delete_logs" in r["bucket_guard"]["msg"]
    assert r["steps_check"]["changed"] and [step["changed"] for step in r["steps_check"]["steps"]] == [True, True]

    for output, results in ((in_process_output, in_process), (module_output, module)):
        for secret in [SECRET] + _credentials(results)[1:]:
            assert secret not in output
            count("secrets scanned")


@pytest.mark.integration
def test_fallbacks_and_a_bad_variable(playbook: Any, tmp_path: Path) -> None:
    play = tmp_path / "play.yml"
    play.write_text(
        "- hosts: localhost\n"
        "  connection: local\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Task environment\n"
        "      cloudaudit.aws.cloudtrail_trail_info: {}\n"
        "      environment: {AWS_MAX_ATTEMPTS: '2'}\n"
        "    - name: Async\n"
        "      cloudaudit.aws.cloudtrail_trail_info: {}\n"
        "      async: 60\n"
        "      poll: 1\n"
        "    - name: Host variable asks for the module\n"
        "      cloudaudit.aws.cloudtrail_trail_info: {}\n"
        "      vars: {cloudaudit_execution: module}\n"
        "    - name: A value that is neither auto nor module\n"
        "      cloudaudit.aws.cloudtrail_trail_info: {}\n"
        "      vars: {cloudaudit_execution: fast}\n"
        "      register: bad\n"
        "      ignore_errors: true\n"
        "    - name: The error names the variable\n"
        "      ansible.builtin.assert:\n"
        "        that: bad is failed and bad.msg == \"cloudaudit_execution must be one of auto, module (or unset), got 'fast'\"\n"
    )
    result = playbook.run(play, args=["-vvv"])
    assert result.rc == 0, result.stdout[-8000:]
    assert "runs module (the task sets environment" in result.stdout
    assert "runs module (the task is async)" in result.stdout
    assert "runs module (cloudaudit_execution is module)" in result.stdout
