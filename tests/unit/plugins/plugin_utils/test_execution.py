"""Which path a task takes: in the controller process, or the classic module (plugin_utils/_execution.py)."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.plugin_utils._execution import (
    IN_PROCESS,
    MODULE,
    ExecutionVariableError,
    TaskFacts,
    execution_mode,
    select_path,
)


@pytest.mark.parametrize("transport", ["local", "ansible.builtin.local", "ansible.legacy.local"])
def test_local_connection_runs_in_process(transport: str) -> None:
    assert select_path(TaskFacts(transport=transport)) == (IN_PROCESS, "local connection")


@pytest.mark.parametrize("execution", [None, "auto", "AUTO", " auto "])
def test_auto_or_unset_runs_in_process(execution: str | None) -> None:
    assert select_path(TaskFacts(transport="local", execution=execution))[0] == IN_PROCESS


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (TaskFacts(transport="local", execution="module"), "cloudaudit_execution is module"),
        (TaskFacts(transport="local", execution="Module"), "cloudaudit_execution is module"),
        (TaskFacts(transport="local", async_val=60), "the task is async"),
        (TaskFacts(transport="ssh"), "the connection is ssh, not local"),
        (TaskFacts(transport="ansible.builtin.ssh"), "the connection is ansible.builtin.ssh, not local"),
        (TaskFacts(transport="paramiko_ssh"), "the connection is paramiko_ssh, not local"),
        (TaskFacts(transport=None), "the connection is None, not local"),
        (TaskFacts(transport="local", become=True), "the task uses become"),
        (TaskFacts(transport="local", sdk_available=False), "boto3/botocore cannot be imported on the controller"),
    ],
)
def test_classic_module_when(facts: TaskFacts, reason: str) -> None:
    assert select_path(facts) == (MODULE, reason)


def test_task_environment_runs_the_module() -> None:
    path, reason = select_path(TaskFacts(transport="local", environment={"AWS_PROFILE": "audit"}))
    assert path == MODULE
    assert reason.startswith("the task sets environment")


def test_empty_environment_is_no_environment() -> None:
    assert select_path(TaskFacts(transport="local", environment={}))[0] == IN_PROCESS


def test_module_wins_over_everything_else() -> None:
    facts = TaskFacts(transport="ssh", become=True, async_val=10, environment={"A": "1"}, execution="module", sdk_available=False)
    assert select_path(facts) == (MODULE, "cloudaudit_execution is module")


@pytest.mark.parametrize("value", ["inprocess", "in-process", "", "local", 1, True, ["module"], {"mode": "module"}])
def test_any_other_value_is_an_error_naming_the_variable(value: object) -> None:
    with pytest.raises(ExecutionVariableError, match=r"^cloudaudit_execution must be one of auto, module \(or unset\), got "):
        execution_mode(value)
    # The error comes before any other rule: a remote host does not hide a typo.
    with pytest.raises(ExecutionVariableError):
        select_path(TaskFacts(transport="ssh", execution=value))


@pytest.mark.parametrize(("value", "mode"), [(None, "auto"), ("auto", "auto"), ("module", "module"), ("MODULE", "module")])
def test_execution_mode(value: str | None, mode: str) -> None:
    assert execution_mode(value) == mode
