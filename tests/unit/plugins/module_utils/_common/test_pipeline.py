"""The one pipeline: the same changes are applied or only predicted; guards refuse a run, warn a check."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.changes import Change
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import Context, Guard, Resource, execute, run_state


class FakeModule:
    def __init__(self, params: dict[str, Any], check_mode: bool = False, diff: bool = False) -> None:
        self.params, self.check_mode, self._diff, self.region = params, check_mode, diff, "eu-west-1"
        self.warnings: list[str] = []
        self.clients: list[str] = []

    def client(self, service: str) -> str:
        self.clients.append(service)
        return f"client:{service}"

    def warn(self, message: str) -> None:
        self.warnings.append(message)


class Retention(Resource):
    """A setting 'days' on a store {'days': N}; lowering it is guarded."""

    store: dict[str, Any] = {}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.steps: list[str] = []
        self.written: list[Change] = []

    def validate(self) -> None:
        self.steps.append("validate")
        if self.ctx.params["days"] < 1:
            raise CloudAuditError("must be at least 1", "days")

    def desired(self) -> dict[str, Any]:
        self.steps.append("desired")
        return {"days": self.ctx.params["days"]}

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        self.steps.append("read")
        return dict(self.store) if self.store else None

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        self.steps.append("compare")
        before = (current or {}).get("days")
        if before == desired["days"]:
            return []
        details = {}
        if before is not None and desired["days"] < before and not self.ctx.params.get("allow"):
            details["guard"] = Guard("allow", f"lowering {before} -> {desired['days']} deletes data", {"before": before})
        return [Change("days", before, desired["days"], "update" if before else "create", details)]

    def write(self, change: Change) -> None:
        self.written.append(change)
        self.store["days"] = change.after

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        return dict(current or {}, **{c.setting: c.after for c in changes})

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return {"store": after}


@pytest.fixture(autouse=True)
def _empty_store():
    Retention.store = {}


def _run(params: dict[str, Any], check: bool = False, diff: bool = True) -> tuple[dict[str, Any], Retention, FakeModule]:
    module = FakeModule(params, check, diff)
    resource = Retention(Context(module))
    return execute(resource.ctx, resource), resource, module


def test_steps_run_in_order_and_the_change_is_applied():
    result, resource, dummy = _run({"days": 30})
    assert resource.steps == ["validate", "desired", "read", "compare"]
    assert [c.setting for c in resource.written] == ["days"]
    assert result["changed"] and result["store"] == {"days": 30}
    assert result["diff"] == {"before": {}, "after": {"days": 30}}


def test_check_mode_predicts_the_same_result_and_writes_nothing():
    checked, resource, dummy = _run({"days": 30}, check=True)
    assert resource.written == [] and Retention.store == {}
    applied, dummy, dummy = _run({"days": 30})
    assert checked == applied


def test_second_run_is_unchanged_and_writes_nothing():
    _run({"days": 30})
    result, resource, dummy = _run({"days": 30})
    assert not result["changed"] and resource.written == [] and result["changes"] == []


def test_bad_input_fails_before_any_read():
    with pytest.raises(CloudAuditError) as error:
        _run({"days": 0})
    assert error.value.option == "days"


def test_a_guard_refuses_a_real_run_before_any_write():
    Retention.store = {"days": 90}
    with pytest.raises(CloudAuditError) as error:
        _run({"days": 30})
    assert error.value.option == "allow" and error.value.details == {"before": 90}
    assert Retention.store == {"days": 90}


def test_a_guard_reports_the_drift_in_check_mode_with_a_warning():
    Retention.store = {"days": 90}
    result, resource, module = _run({"days": 30}, check=True)
    assert result["changed"] and result["diff"]["after"] == {"days": 30}
    assert module.warnings and "allow: lowering 90 -> 30" in module.warnings[0]
    assert resource.written == []


def test_allowed_guard_applies():
    Retention.store = {"days": 90}
    result, dummy, module = _run({"days": 30, "allow": True})
    assert result["changed"] and Retention.store == {"days": 30} and module.warnings == []


def test_no_diff_unless_asked():
    result, dummy, dummy = _run({"days": 30}, diff=False)
    assert "diff" not in result


def test_run_state_picks_the_resource_of_the_state_and_clients_are_made_once():
    class Absent(Retention):
        def compare(self, desired, current):
            return [Change("days", current["days"], None, "delete")] if current else []

    Retention.store = {"days": 5}
    module = FakeModule({"state": "absent", "days": 5})
    ctx = Context(module)
    assert run_state(ctx, {"present": Retention, "absent": Absent})["changes"][0]["action"] == "delete"
    ctx.client("s3")
    ctx.client("s3")
    assert module.clients == ["s3"]


class Locked(Retention):
    """confirm refuses any change to a store whose lock is on (an AWS read that only a change needs)."""

    def confirm(self, desired, current, changes):
        self.steps.append("confirm")
        if changes and current and current.get("locked"):
            raise CloudAuditError("the store is locked", "days")


@pytest.mark.parametrize("check", [False, True])
def test_confirm_runs_after_compare_and_refuses_before_any_write(check):
    Locked.store = {"days": 5, "locked": True}
    module = FakeModule({"days": 10}, check)
    resource = Locked(Context(module))
    with pytest.raises(CloudAuditError, match="locked"):
        execute(resource.ctx, resource)
    assert resource.steps == ["validate", "desired", "read", "compare", "confirm"] and resource.written == []


def test_confirm_does_not_run_when_a_guard_refuses_a_real_run():
    Locked.store = {"days": 90, "locked": True}
    resource = Locked(Context(FakeModule({"days": 30})))
    with pytest.raises(CloudAuditError) as error:
        execute(resource.ctx, resource)
    assert error.value.option == "allow" and "confirm" not in resource.steps


class Prechecked(Retention):
    """Retention whose precheck records the mode of the module it sees."""

    def precheck(self) -> None:
        self.steps.append(f"precheck:{self.ctx.module.validate_only}")


def test_a_validate_only_run_validates_builds_the_desired_state_prechecks_and_stops_before_any_read() -> None:
    from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import InputValidated

    module = FakeModule({"days": 30})
    module.validate_only = True
    resource = Prechecked(Context(module))
    with pytest.raises(InputValidated):
        execute(resource.ctx, resource)
    assert resource.steps == ["validate", "desired", "precheck:reads"]
    assert not resource.written and Retention.store == {}

    module = FakeModule({"days": 0})
    module.validate_only = True
    resource = Prechecked(Context(module))
    with pytest.raises(CloudAuditError, match="at least 1"):
        execute(resource.ctx, resource)
    assert resource.steps == ["validate"]


def test_a_normal_run_never_prechecks() -> None:
    module = FakeModule({"days": 30})
    resource = Prechecked(Context(module))
    execute(resource.ctx, resource)
    assert resource.steps == ["validate", "desired", "read", "compare"]
