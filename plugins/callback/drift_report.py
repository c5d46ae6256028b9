# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: drift_report
type: aggregate
short_description: Write a drift report (JSON, Markdown, JUnit XML) of the cloudaudit.aws modules' results
version_added: 1.0.0
author: cloudaudit.aws maintainers (@cloudaudit)
description:
  - Records the result of every task that runs a managing module of this collection (any C(cloudaudit.aws.*)
    module whose result carries C(changes), whether called by its FQCN or by a short name resolved to the
    collection), with its host, account, module, resource, task, mode (check or apply) and, when the result is
    C(changed), each entry of its C(changes) list (C(setting), C(action), C(before), C(after)).
  - Run the playbook with C(--check) (and C(--diff)) to get a drift report; a changed result in check mode is drift.
  - "It writes three files to O(report_dir): C(drift.json) (the machine report, JSON schema in
    C(docs/drift_report_schema.json) of the collection), C(drift.md) (per account, per resource, per setting
    before -> after) and C(drift.xml) (JUnit: one testsuite per host, one testcase per resource checked,
    failing when it drifted)."
  - The files are rewritten at the start of every run (empty), before each task and play, and at the end, so a later
    play of the same run (for example the C(cloudaudit.aws.drift_gate) role) reads the report of every task before it.
    It also works when the collection's roles are embedded in other playbooks.
  - Values of secret keys (C(secret_key), C(session_token), ...) and values Ansible hid (C(no_log)) are masked;
    results hidden by C(no_log) are recorded without their details.
  - Enable it with C(ANSIBLE_CALLBACKS_ENABLED=cloudaudit.aws.drift_report) or C(callbacks_enabled) in C(ansible.cfg).
  - The report directory can also be set for one run with the extra variable or play variable C(cloudaudit_drift_report_dir)
    (a plain string), which wins over O(report_dir).
requirements:
  - enable in configuration
options:
  report_dir:
    description: Directory of the report files (created if missing); relative paths are relative to the working directory.
    type: path
    default: ./reports/drift
    env:
      - name: CLOUDAUDIT_DRIFT_REPORT_DIR
    ini:
      - section: cloudaudit_drift_report
        key: report_dir
"""

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.changes import MASK, RESOURCE_KEYS, SECRET_KEYS

SCHEMA_VERSION = "1.0"
COLLECTION_PREFIX = "cloudaudit.aws."
REPORT_DIR_VAR = "cloudaudit_drift_report_dir"
# Modules of the collection that check nothing (their results are not part of the report).
NOT_CHECKED = frozenset(("cloudaudit.aws.assume_role", "cloudaudit.aws.resources"))
# Runs other modules as its steps: each is recorded as a task of its own.
COMPOSITE = "cloudaudit.aws.resources"
HIDDEN_VALUES = frozenset(("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", MASK))
SECRET_KEY_NAMES = frozenset(k.lower() for k in SECRET_KEYS) | {"password", "secret", "token", "credentials"}


# ---------------------------------------------------------------- pure functions (unit-tested)
def is_recorded_module(action: str | None) -> bool:
    return bool(action) and action.startswith(COLLECTION_PREFIX) and action not in NOT_CHECKED


def masked(value: Any) -> Any:
    """A copy of value without secrets: secret keys' values and values Ansible hid become the mask."""
    if isinstance(value, Mapping):
        return {str(k): (MASK if str(k).lower() in SECRET_KEY_NAMES and value[k] not in (None, "") else masked(value[k])) for k in value}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    if isinstance(value, str) and any(hidden in value for hidden in HIDDEN_VALUES):
        return MASK
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def resource_of(args: Mapping[str, Any], result: Mapping[str, Any], task_name: str) -> str:
    """The resource a result is about: the module's name/alias option, else a result identifier, else the task."""
    for source in (args, result):
        for key in RESOURCE_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value:
                return value
    return task_name


def entry_from_result(
    module: str,
    task: str,
    args: Mapping[str, Any],
    result: Mapping[str, Any],
    check_mode: bool,
    failed: bool = False,
) -> dict[str, Any]:
    """One report entry (a resource checked by one task on one host) from a module result."""
    censored = "censored" in result
    changes = [] if censored else [_change(c) for c in result.get("changes") or [] if isinstance(c, Mapping)]
    changed = bool(result.get("changed"))
    if changed and not changes:
        detail = "details hidden by no_log" if censored else "the module reported a change without details"
        changes = [{"setting": "(unspecified)", "action": "update", "before": None, "after": None, "note": detail}]
    if not changed:
        changes = []
    integrity_error = None if censored else validation_error(result)
    failed = failed or integrity_error is not None
    status = "failed" if failed else "drift" if changes else "ok"
    entry: dict[str, Any] = {
        "module": module,
        "resource": _validated_trail(result) or resource_of(args, {} if censored else result, task),
        "task": task,
        "mode": "check" if check_mode else "apply",
        "status": status,
        "changes": masked(changes),
    }
    if failed:
        entry["error"] = masked(str(integrity_error or result.get("msg") or "failed")) if not censored else "hidden by no_log"
    if not censored and isinstance(result.get("coverage"), list):
        # cloudtrail_trail_info: which trails record this account's management events (an organization trail, say).
        entry["covered_by"] = [
            {"trail_arn": str(c.get("trail_arn")), "organization": bool(c.get("organization")), "control_tower": bool(c.get("control_tower"))}
            for c in result["coverage"]
            if isinstance(c, Mapping) and c.get("trail_arn")
        ]
    if not censored and isinstance(result.get("cost_findings"), list):
        # Moved to the report's findings section by build_report().
        entry["cost_findings"] = [
            {k: str(f.get(k, "")) for k in ("kind", "resource", "reason")} for f in result["cost_findings"] if isinstance(f, Mapping)
        ]
    return entry


MAX_LISTED_FILES = 20


def validation_error(result: Mapping[str, Any]) -> str | None:
    """cloudtrail_log_validation_info: None when its files are intact (or the result is another module's), else which files are bad."""
    if result.get("valid") is not False or not isinstance(result.get("digest_files"), list):
        return None
    bad = [
        f"digest {f.get('s3_object')} {f.get('status')}" + (f" ({'; '.join(map(str, f.get('reasons') or []))})" if f.get("reasons") else "")
        for f in result.get("digest_files") or []
        if isinstance(f, Mapping) and f.get("status") != "valid"
    ]
    bad += [
        f"log file {f.get('s3_object')} {f.get('status')}" for f in result.get("log_files") or [] if isinstance(f, Mapping) and f.get("status") != "valid"
    ]
    where = f"trail {result.get('trail_arn')}, account {result.get('account_id')}, {result.get('start_time')} - {result.get('end_time')}"
    if not bad:
        return f"log file validation failed ({where}): no digest file was verified in the window"
    more = f"; and {len(bad) - MAX_LISTED_FILES} more" if len(bad) > MAX_LISTED_FILES else ""
    return f"log file validation failed ({where}): {len(bad)} bad file(s): " + "; ".join(bad[:MAX_LISTED_FILES]) + more


def _validated_trail(result: Mapping[str, Any]) -> str | None:
    """cloudtrail_log_validation_info: the trail, and the member account of an organization trail's files."""
    if "censored" in result or not isinstance(result.get("digest_files"), list) or not result.get("trail_arn"):
        return None
    arn, account = str(result["trail_arn"]), str(result.get("account_id") or "")
    return arn if not account or f":{account}:" in arn else f"{arn} ({account})"


def _change(change: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "setting": str(change.get("setting", "")),
        "action": str(change.get("action", "update")),
        "before": change.get("before"),
        "after": change.get("after"),
    }


def build_report(
    entries: Mapping[str, Iterable[Mapping[str, Any]]], accounts: Mapping[str, str | None], check_mode: bool, generated_at: str | None = None
) -> dict[str, Any]:
    """The JSON report (docs/drift_report_schema.json) from the entries recorded per host."""
    hosts: dict[str, Any] = {}
    findings: list[dict[str, Any]] = []
    drift_count = checked = drifted = failed = 0
    for host in sorted(entries):
        resources = [dict(e) for e in entries[host]]
        for resource in resources:
            for finding in resource.pop("cost_findings", []):
                if not any(f["host"] == host and f["kind"] == finding["kind"] and f["resource"] == finding["resource"] for f in findings):
                    findings.append({"host": host, **({"account_id": accounts[host]} if accounts.get(host) else {}), **finding})
        host_data: dict[str, Any] = {"resources": resources}
        if accounts.get(host):
            host_data["account_id"] = accounts[host]
        host_data["drift_count"] = sum(len(r["changes"]) for r in resources)
        hosts[host] = host_data
        drift_count += host_data["drift_count"]
        checked += len(resources)
        drifted += sum(1 for r in resources if r["status"] == "drift")
        failed += sum(1 for r in resources if r["status"] == "failed")
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "check_mode": bool(check_mode),
        "drift_count": drift_count,
        "resources_checked": checked,
        "resources_drifted": drifted,
        "resources_failed": failed,
        "hosts": hosts,
        **({"findings": findings} if findings else {}),
    }


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else value
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Mapping[str, Any]) -> str:
    mode = "check mode (drift check)" if report["check_mode"] else "apply mode (changes made)"
    lines = [
        "# cloudaudit.aws drift report",
        "",
        f"Generated {report['generated_at']}, {mode}: {report['drift_count']} setting(s) drifted in "
        f"{report['resources_drifted']} of {report['resources_checked']} resource(s) checked"
        + (f", {report['resources_failed']} failed." if report["resources_failed"] else "."),
        "",
    ]
    if not report["hosts"]:
        lines += ["No cloudaudit.aws resource was checked.", ""]
    for host, data in report["hosts"].items():
        account = f" (account {data['account_id']})" if data.get("account_id") else ""
        lines += [f"## {host}{account}", ""]
        in_sync = [r for r in data["resources"] if r["status"] == "ok"]
        for resource in data["resources"]:
            if resource["status"] == "ok":
                continue
            lines += [f"### {resource['module']}: {resource['resource']}", "", f"Task: {resource['task']} ({resource['mode']})", ""]
            if resource["status"] == "failed":
                lines += [f"**Failed**: {_short(resource.get('error', ''))}", ""]
                continue
            lines += ["| Setting | Action | Before | After |", "|---|---|---|---|"]
            for change in resource["changes"]:
                lines.append(f"| {_short(change['setting'])} | {change['action']} | `{_short(change['before'])}` | `{_short(change['after'])}` |")
            lines.append("")
        covering = {c["trail_arn"]: c for r in data["resources"] for c in r.get("covered_by") or []}
        if covering:
            kinds = {
                arn: ", ".join(k for k, on in (("organization trail", c["organization"]), ("Control Tower", c["control_tower"])) if on)
                for arn, c in covering.items()
            }
            lines += ["Management events recorded by: " + ", ".join(f"{arn}" + (f" ({kinds[arn]})" if kinds[arn] else "") for arn in covering), ""]
        if in_sync:
            lines += ["In sync: " + ", ".join(f"{r['module']} {r['resource']}" for r in in_sync), ""]
    if report.get("findings"):
        lines += ["## Cost findings", "", "What costs money without anyone meaning to (cloudtrail_trail_info cost_findings).", ""]
        lines += ["| Account | Kind | Resource | Why |", "|---|---|---|---|"]
        for f in report["findings"]:
            lines.append(f"| {f['host']} | {f['kind']} | {_short(f['resource'])} | {_short(f['reason'])} |")
        lines.append("")
    return "\n".join(lines)


def render_junit(report: Mapping[str, Any]) -> str:
    suites = ET.Element(
        "testsuites",
        name="cloudaudit.aws drift",
        tests=str(report["resources_checked"]),
        failures=str(report["resources_drifted"]),
        errors=str(report["resources_failed"]),
    )
    for host, data in report["hosts"].items():
        resources = data["resources"]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=host,
            tests=str(len(resources)),
            failures=str(sum(1 for r in resources if r["status"] == "drift")),
            errors=str(sum(1 for r in resources if r["status"] == "failed")),
            skipped="0",
            timestamp=report["generated_at"],
        )
        if data.get("account_id"):
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="account_id", value=data["account_id"])
        for resource in resources:
            case = ET.SubElement(suite, "testcase", classname=f"{host}.{resource['module']}", name=f"{resource['resource']} ({resource['task']})")
            if resource["status"] == "drift":
                text = "\n".join(f"{c['setting']} ({c['action']}): {_short(c['before'])} -> {_short(c['after'])}" for c in resource["changes"])
                failure = ET.SubElement(case, "failure", message=f"{len(resource['changes'])} setting(s) drifted", type="drift")
                failure.text = text
            elif resource["status"] == "failed":
                error = ET.SubElement(case, "error", message=str(resource.get("error", "failed"))[:500], type="failed")
                error.text = str(resource.get("error", ""))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_report(report_dir: str, report: Mapping[str, Any]) -> None:
    """Write drift.json, drift.md and drift.xml atomically (readers never see a half-written file)."""
    os.makedirs(report_dir, exist_ok=True)
    files = {
        "drift.json": json.dumps(report, indent=2, sort_keys=False, default=str) + "\n",
        "drift.md": render_markdown(report),
        "drift.xml": render_junit(report),
    }
    for name, content in files.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=report_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, os.path.join(report_dir, name))


# ---------------------------------------------------------------- the callback
def _first(obj: Any, *names: str) -> Any:
    for name in names:
        try:
            return getattr(obj, name)
        except AttributeError:
            continue
    return None


def _checks_something(data: Mapping[str, Any]) -> bool:
    """Whether a result is reported: a managing module's, cloudtrail_trail_info's coverage, a log validation."""
    return any(key in data for key in ("changes", "censored", "coverage", "valid")) or bool(data.get("changed"))


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "cloudaudit.aws.drift_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._accounts: dict[str, str | None] = {}
        self._dirty = False
        self._report_dir: str | None = None

    # Where
    def _dir(self) -> str:
        if self._report_dir is None:
            self._report_dir = os.path.abspath(os.path.expanduser(self.get_option("report_dir")))
        return self._report_dir

    def _dir_from_vars(self, play: Any) -> None:
        candidates = []
        manager = _first(play, "get_variable_manager")
        extra = getattr(manager(), "extra_vars", {}) if callable(manager) else {}
        candidates.append((extra or {}).get(REPORT_DIR_VAR))
        candidates.append((getattr(play, "vars", None) or {}).get(REPORT_DIR_VAR))
        for value in candidates:
            if isinstance(value, str) and value and "{{" not in value:
                new_dir = os.path.abspath(os.path.expanduser(value))
                if new_dir != self._report_dir:
                    self._report_dir = new_dir
                    self._dirty = True
                return

    # When
    def _flush(self, force: bool = False) -> None:
        if not (self._dirty or force):
            return
        # --check, or plays/blocks forced into check mode (as playbooks/drift.yml does).
        entries = [e for host_entries in self._entries.values() for e in host_entries]
        check_mode = bool(context.CLIARGS.get("check", False)) or (bool(entries) and all(e.get("mode") == "check" for e in entries))
        report = build_report(self._entries, self._accounts, check_mode)
        try:
            write_report(self._dir(), report)
        except OSError as e:
            self._display.warning(f"cloudaudit.aws.drift_report: cannot write the report to {self._dir()}: {e}")
        self._dirty = False

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self._flush(force=True)  # a new run starts with an empty report

    def v2_playbook_on_play_start(self, play: Any) -> None:
        self._dir_from_vars(play)
        self._flush()

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._flush()

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._flush()

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._flush(force=True)

    # What
    def v2_runner_on_ok(self, result: Any) -> None:
        if not self._has_loop(result):
            self._record(result, _first(result, "result", "_result") or {})

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        if not self._has_loop(result):
            self._record(result, _first(result, "result", "_result") or {}, failed=True)

    def v2_runner_item_on_ok(self, result: Any) -> None:
        self._record(result, _first(result, "result", "_result") or {})

    def v2_runner_item_on_failed(self, result: Any) -> None:
        self._record(result, _first(result, "result", "_result") or {}, failed=True)

    @staticmethod
    def _has_loop(result: Any) -> bool:
        task = _first(result, "task", "_task")
        return bool(getattr(task, "loop", None) or getattr(task, "loop_with", None))

    def _record(self, result: Any, data: Mapping[str, Any], failed: bool = False) -> None:
        task = _first(result, "task", "_task")
        host = _first(result, "host", "_host")
        if task is None or host is None:
            return
        action = self._action(task)
        if action == COMPOSITE:
            self._record_steps(task, host, data)
            return
        if not is_recorded_module(action):
            return
        if not failed and not _checks_something(data):
            return  # info modules and the like check nothing (cloudtrail_trail_info's coverage and log validation are reported)
        args = (data.get("invocation") or {}).get("module_args") or getattr(task, "args", None) or {}
        self._add(host, entry_from_result(action, task.get_name(), args, data, self._check_mode(task), failed=failed))

    def _record_steps(self, task: Any, host: Any, data: Mapping[str, Any]) -> None:
        """A cloudaudit.aws.resources task: each step is reported as the task of its module would be."""
        prefix = task.get_name().rpartition(" : ")[0]
        for step in data.get("steps") or []:
            if not isinstance(step, Mapping) or step.get("skipped") or not is_recorded_module(step.get("action")):
                continue
            failed = bool(step.get("failed"))
            if not failed and not _checks_something(step):
                continue
            name = f"{prefix} : {step.get('name')}" if prefix else str(step.get("name"))
            args = (step.get("invocation") or {}).get("module_args") or step.get("resource_args") or {}
            self._add(host, entry_from_result(str(step["action"]), name, args, step, self._check_mode(task), failed=failed))

    @staticmethod
    def _check_mode(task: Any) -> bool:
        task_check_mode = getattr(task, "check_mode", None)
        return task_check_mode if isinstance(task_check_mode, bool) else bool(context.CLIARGS.get("check", False))

    def _add(self, host: Any, entry: dict[str, Any]) -> None:
        name = host.get_name()
        self._entries.setdefault(name, []).append(entry)
        self._accounts.setdefault(name, self._account_of(host))
        self._dirty = True

    @staticmethod
    def _action(task: Any) -> str | None:
        return getattr(task, "resolved_action", None) or getattr(task, "action", None)

    @staticmethod
    def _account_of(host: Any) -> str | None:
        value = (getattr(host, "vars", None) or {}).get("account_id")
        return str(value) if value not in (None, "") else None
