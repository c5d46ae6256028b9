"""drift_report callback: report building (pure), rendering, masking and recording of results."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest

from ansible_collections.cloudaudit.aws.plugins.callback import drift_report as dr

SCHEMA = json.loads((Path(__file__).resolve().parents[4] / "docs" / "drift_report_schema.json").read_text())
RETENTION = {"setting": "retention_days", "action": "update", "before": 30, "after": 365}
LIFECYCLE = {"setting": "lifecycle", "action": "update", "before": [{"id": "a"}], "after": [{"id": "a"}, {"id": "b|c"}]}


def entry(**overrides):
    base = dict(module="cloudaudit.aws.cloudtrail_log_group", task="t", args={"name": "/g"}, result={"changed": False, "changes": []}, check_mode=True)
    base.update(overrides)
    return dr.entry_from_result(**base)


@pytest.mark.parametrize(
    "action, recorded",
    [
        ("cloudaudit.aws.s3_audit_bucket", True),
        ("cloudaudit.aws.cloudtrail_trail", True),
        ("cloudaudit.aws.assume_role", False),
        ("amazon.aws.s3_bucket", False),
        ("s3_audit_bucket", False),  # unresolved short names are never recorded (the callback resolves them first)
        (None, False),
    ],
)
def test_is_recorded_module(action, recorded):
    assert dr.is_recorded_module(action) is recorded


def test_unchanged_result_is_ok_without_changes():
    e = entry()
    assert e == {"module": "cloudaudit.aws.cloudtrail_log_group", "resource": "/g", "task": "t", "mode": "check", "status": "ok", "changes": []}


def test_changed_result_lists_its_changes():
    e = entry(result={"changed": True, "changes": [RETENTION, LIFECYCLE]})
    assert e["status"] == "drift"
    assert e["changes"] == [RETENTION, LIFECYCLE]


def test_changes_of_an_unchanged_result_are_ignored():
    assert entry(result={"changed": False, "changes": [RETENTION]})["changes"] == []


def test_changed_without_details_gets_one_unspecified_change():
    e = entry(result={"changed": True})
    assert [c["setting"] for c in e["changes"]] == ["(unspecified)"]


def test_censored_result_keeps_no_details():
    e = entry(args={}, result={"changed": True, "censored": "hidden", "changes": [RETENTION]}, task="hidden task")
    assert e["resource"] == "hidden task"
    assert e["changes"][0]["setting"] == "(unspecified)"
    assert "no_log" in e["changes"][0]["note"]


def test_apply_mode_and_failure():
    e = entry(result={"failed": True, "msg": "AWS refused PutRetentionPolicy"}, check_mode=False, failed=True)
    assert (e["mode"], e["status"], e["error"]) == ("apply", "failed", "AWS refused PutRetentionPolicy")


@pytest.mark.parametrize(
    "args, result, expected",
    [
        ({"name": "trail-a", "bucket": "b"}, {}, "trail-a"),
        ({"alias": "alias/cloudtrail"}, {}, "alias/cloudtrail"),
        ({"bucket": "logs"}, {}, "logs"),
        ({}, {"arn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x"}, "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x"),
        ({}, {}, "t"),
    ],
)
def test_resource_of(args, result, expected):
    assert dr.resource_of(args, result, "t") == expected


def test_secrets_and_hidden_values_are_masked():
    change = {
        "setting": "connection",
        "action": "update",
        "before": {"secret_key": "abc", "SessionToken": "tok", "nested": [{"password": "p"}], "note": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"},
        "after": "x-VALUE_SPECIFIED_IN_NO_LOG_PARAMETER-y",
    }
    e = entry(result={"changed": True, "changes": [change]})
    text = json.dumps(e)
    for secret in ("abc", "tok", '"p"', "VALUE_SPECIFIED"):
        assert secret not in text
    assert e["changes"][0]["before"]["secret_key"] == dr.MASK


def report_of(entries, accounts=None, check_mode=True):
    return dr.build_report(entries, accounts or {}, check_mode, generated_at="2026-11-23T20:00:00Z")


def sample_report():
    return report_of(
        {
            "log-archive": [entry(result={"changed": True, "changes": [RETENTION, LIFECYCLE]}), entry(args={"name": "/other"})],
            "member": [entry(), entry(result={"failed": True, "msg": "boom"}, failed=True)],
        },
        {"log-archive": "222222222222", "member": None},
    )


def test_report_counts_and_schema():
    report = sample_report()
    jsonschema.validate(report, SCHEMA)
    assert (report["drift_count"], report["resources_checked"], report["resources_drifted"], report["resources_failed"]) == (2, 4, 1, 1)
    assert report["hosts"]["log-archive"]["account_id"] == "222222222222"
    assert "account_id" not in report["hosts"]["member"]
    assert report["hosts"]["member"]["drift_count"] == 0


def test_empty_report_is_valid():
    report = report_of({})
    jsonschema.validate(report, SCHEMA)
    assert report["drift_count"] == 0
    assert "No cloudaudit.aws resource was checked" in dr.render_markdown(report)


def test_markdown_lists_each_setting_before_after():
    md = dr.render_markdown(sample_report())
    assert "## log-archive (account 222222222222)" in md
    assert "### cloudaudit.aws.cloudtrail_log_group: /g" in md
    assert "| retention_days | update | `30` | `365` |" in md
    assert "b\\|c" in md  # pipes escaped inside the table
    assert "In sync: cloudaudit.aws.cloudtrail_log_group /other" in md
    assert "**Failed**: boom" in md


def test_junit_one_suite_per_host_and_failures_for_drift():
    root = ET.fromstring(dr.render_junit(sample_report()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"log-archive", "member"}
    cases = suites["log-archive"].findall("testcase")
    assert len(cases) == 2
    failure = cases[0].find("failure")
    assert failure is not None and "retention_days (update): 30 -> 365" in failure.text
    assert cases[1].find("failure") is None
    assert suites["member"].findall("testcase")[1].find("error") is not None
    assert suites["log-archive"].find("properties/property").get("value") == "222222222222"


def test_write_report_writes_three_parseable_files(tmp_path):
    dr.write_report(str(tmp_path / "out"), sample_report())
    assert json.loads((tmp_path / "out" / "drift.json").read_text())["drift_count"] == 2
    ET.parse(tmp_path / "out" / "drift.xml")
    assert (tmp_path / "out" / "drift.md").read_text().startswith("# cloudaudit.aws drift report")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["drift.json", "drift.md", "drift.xml"]


# ---------------------------------------------------------------- the callback object with fake results
class FakeTask:
    def __init__(self, action, name="task", args=None, check_mode=None, loop=None):
        self.resolved_action = action
        self.action = action
        self.args = args or {}
        self.check_mode = check_mode
        self.loop = loop
        self.loop_with = None
        self._name = name

    def get_name(self):
        return self._name


class FakeHost:
    def __init__(self, name, account_id=None):
        self._name = name
        self.vars = {"account_id": account_id} if account_id else {}

    def get_name(self):
        return self._name


def fake_result(task, host, data):
    return SimpleNamespace(task=task, host=host, result=data)


@pytest.fixture
def callback(tmp_path):
    cb = dr.CallbackModule()
    cb._report_dir = str(tmp_path)
    return cb


def read(tmp_path):
    return json.loads((tmp_path / "drift.json").read_text())


def test_callback_records_collection_modules_and_writes_before_next_task(callback, tmp_path):
    host = FakeHost("acct", "111122223333")
    callback.v2_playbook_on_start(None)
    assert read(tmp_path)["resources_checked"] == 0
    drifted = {"changed": True, "changes": [RETENTION], "invocation": {"module_args": {"name": "/g"}}}
    callback.v2_runner_on_ok(fake_result(FakeTask("cloudaudit.aws.cloudtrail_log_group", check_mode=True), host, drifted))
    callback.v2_runner_on_ok(fake_result(FakeTask("cloudaudit.aws.cloudtrail_trail", args={"name": "t"}), host, {"changed": False, "changes": []}))
    callback.v2_runner_on_ok(fake_result(FakeTask("amazon.aws.s3_bucket", args={"name": "b"}), host, {"changed": True}))
    callback.v2_runner_on_ok(fake_result(FakeTask("cloudaudit.aws.assume_role"), host, {"changed": False, "credentials": {"secret_key": "s"}}))
    callback.v2_runner_on_ok(fake_result(FakeTask("cloudaudit.aws.cloudtrail_trail_info"), host, {"changed": False, "trails": []}))
    callback.v2_playbook_on_task_start(FakeTask("ansible.builtin.debug"), False)
    report = read(tmp_path)
    jsonschema.validate(report, SCHEMA)
    resources = report["hosts"]["acct"]["resources"]
    assert [(r["module"], r["resource"], r["status"], r["mode"]) for r in resources] == [
        ("cloudaudit.aws.cloudtrail_log_group", "/g", "drift", "check"),
        ("cloudaudit.aws.cloudtrail_trail", "t", "ok", "apply"),
    ]
    assert report["hosts"]["acct"]["account_id"] == "111122223333"
    assert report["drift_count"] == 1


def test_callback_loops_are_recorded_per_item(callback, tmp_path):
    task = FakeTask("cloudaudit.aws.cloudtrail_log_group", loop=["/a", "/b"])
    host = FakeHost("h")
    callback.v2_runner_item_on_ok(fake_result(task, host, {"changed": False, "changes": [], "invocation": {"module_args": {"name": "/a"}}}))
    callback.v2_runner_item_on_ok(fake_result(task, host, {"changed": True, "changes": [RETENTION], "invocation": {"module_args": {"name": "/b"}}}))
    callback.v2_runner_on_ok(fake_result(task, host, {"changed": True, "results": []}))  # the loop's summary: not recorded again
    callback.v2_playbook_on_stats(None)
    resources = read(tmp_path)["hosts"]["h"]["resources"]
    assert [(r["resource"], r["status"]) for r in resources] == [("/a", "ok"), ("/b", "drift")]


def test_callback_records_failures(callback, tmp_path):
    callback.v2_runner_on_failed(
        fake_result(FakeTask("cloudaudit.aws.s3_audit_bucket", args={"name": "b"}), FakeHost("h"), {"failed": True, "msg": "denied"}), ignore_errors=True
    )
    callback.v2_playbook_on_stats(None)
    report = read(tmp_path)
    assert report["resources_failed"] == 1
    assert report["hosts"]["h"]["resources"][0]["error"] == "denied"


def test_report_dir_from_extra_vars(callback, tmp_path):
    target = tmp_path / "from-vars"
    play = SimpleNamespace(vars={}, get_variable_manager=lambda: SimpleNamespace(extra_vars={"cloudaudit_drift_report_dir": str(target)}))
    callback.v2_playbook_on_play_start(play)
    assert (target / "drift.json").exists()


def test_coverage_of_trail_info_says_which_trail_covers_the_account():
    org_arn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail"
    coverage = [{"trail_arn": org_arn, "organization": True, "control_tower": True, "name": "aws-controltower-BaselineCloudTrail"}]
    covered = entry(module="cloudaudit.aws.cloudtrail_trail_info", args={"organization_trails_only": True}, result={"changed": False, "coverage": coverage})
    assert covered["covered_by"] == [{"trail_arn": org_arn, "organization": True, "control_tower": True}]
    assert "covered_by" not in entry()
    report = report_of({"member": [covered]})
    jsonschema.validate(report, SCHEMA)
    assert f"Management events recorded by: {org_arn} (organization trail, Control Tower)" in dr.render_markdown(report)


def test_cost_findings_go_to_their_own_section_once_per_host():
    finding = {"kind": "log_group_never_expires", "resource": "g", "reason": "keeps every event forever"}
    info = entry(module="cloudaudit.aws.cloudtrail_trail_info", args={}, result={"changed": False, "coverage": [], "cost_findings": [finding]})
    report = report_of({"member": [info, dict(info)]}, {"member": "123456789012"})
    jsonschema.validate(report, SCHEMA)
    assert report["findings"] == [{"host": "member", "account_id": "123456789012", **finding}]
    assert all("cost_findings" not in r for r in report["hosts"]["member"]["resources"])
    assert "| member | log_group_never_expires | g | keeps every event forever |" in dr.render_markdown(report)
    assert "findings" not in report_of({"member": [entry()]})


def _validation(valid: bool, digests: list[dict], logs: list[dict]) -> dict:
    return {
        "changed": False, "valid": valid, "digest_files": digests, "log_files": logs, "trail_arn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
        "account_id": "111122223333", "start_time": "2026-11-30T00:00:00Z", "end_time": "2026-12-01T00:00:00Z",
    }


def test_log_validation_intact_is_ok():
    result = _validation(True, [{"s3_object": "d", "status": "valid"}], [])
    entry = dr.entry_from_result("cloudaudit.aws.cloudtrail_log_validation_info", "t", {"trail": "t"}, result, True)
    assert entry["status"] == "ok" and "error" not in entry and entry["resource"] == "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"


def test_log_validation_names_the_bad_files():
    digests = [{"s3_object": "d1", "status": "valid"}, {"s3_object": "d2", "status": "invalid", "reasons": ["signature does not verify"]}]
    logs = [{"s3_object": "l1", "status": "valid"}, {"s3_object": "l2", "status": "modified"}, {"s3_object": "l3", "status": "missing"}]
    entry = dr.entry_from_result("cloudaudit.aws.cloudtrail_log_validation_info", "t", {"trail": "t"}, _validation(False, digests, logs), True, failed=True)
    assert entry["status"] == "failed"
    assert "3 bad file(s)" in entry["error"] and "digest d2 invalid (signature does not verify)" in entry["error"]
    assert "log file l2 modified" in entry["error"] and "log file l3 missing" in entry["error"] and "l1 " not in entry["error"]
    assert "111122223333" in entry["error"]


def test_log_validation_without_any_digest_fails_even_when_the_task_did_not():
    entry = dr.entry_from_result("cloudaudit.aws.cloudtrail_log_validation_info", "t", {"trail": "t"}, _validation(False, [], []), True)
    assert entry["status"] == "failed" and "no digest file was verified" in entry["error"]


def test_other_results_are_not_validations():
    assert dr.validation_error({"valid": False}) is None and dr.validation_error({"changes": []}) is None


def test_log_validation_resource_is_the_trail_and_the_member_account():
    result = _validation(True, [], [])
    assert dr.entry_from_result("cloudaudit.aws.cloudtrail_log_validation_info", "t", {}, result, True)["resource"] == result["trail_arn"]
    result["account_id"] = "444455556666"
    entry = dr.entry_from_result("cloudaudit.aws.cloudtrail_log_validation_info", "t", {}, result, True)
    assert entry["resource"] == result["trail_arn"] + " (444455556666)"
