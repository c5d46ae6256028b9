# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a task of the collection runs: in the controller process, or as the classic module (pure rules).

In-process only when the module would run in the controller's own environment anyway: a local
connection (connection: local, or delegated to a host whose connection is local, as the implicit
localhost), no become, no async, no task environment, boto3/botocore importable by the controller,
and the user did not ask for the module with the variable cloudaudit_execution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VARIABLE = "cloudaudit_execution"
AUTO = "auto"
MODULE = "module"
IN_PROCESS = "in-process"
MODES = (AUTO, MODULE)
# The connection plugin names that run commands in the controller's own environment.
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")


class ExecutionVariableError(ValueError):
    """cloudaudit_execution has a value other than auto or module."""


@dataclass(frozen=True)
class TaskFacts:
    """What the choice depends on, as the action plugin sees the task."""

    transport: str | None
    become: bool = False
    async_val: int = 0
    environment: dict[str, Any] = field(default_factory=dict)
    execution: Any = None
    sdk_available: bool = True


def execution_mode(value: Any) -> str:
    """The value of cloudaudit_execution (unset means auto); anything else than auto/module is an error."""
    if value is None:
        return AUTO
    if isinstance(value, str) and value.strip().lower() in MODES:
        return value.strip().lower()
    raise ExecutionVariableError(f"{VARIABLE} must be one of {', '.join(MODES)} (or unset), got {value!r}")


def select_path(facts: TaskFacts) -> tuple[str, str]:
    """(IN_PROCESS or MODULE, the reason), first matching rule wins; raises ExecutionVariableError."""
    if execution_mode(facts.execution) == MODULE:
        return MODULE, f"{VARIABLE} is {MODULE}"
    if facts.async_val:
        return MODULE, "the task is async"
    if facts.transport not in LOCAL_CONNECTIONS:
        return MODULE, f"the connection is {facts.transport}, not local"
    if facts.become:
        return MODULE, "the task uses become"
    if facts.environment:
        return MODULE, "the task sets environment (the module would see it, the controller process cannot apply it safely)"
    if not facts.sdk_available:
        return MODULE, "boto3/botocore cannot be imported on the controller"
    return IN_PROCESS, "local connection"
