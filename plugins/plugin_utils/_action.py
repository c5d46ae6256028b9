# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin of every module: the module's core in the controller process, or the classic module.

plugins/action/<module>.py is a subclass naming the module's DEFINITION. The rules of _execution decide
the path; -vvv shows the choice and its reason. module_defaults are already merged into the task's
args when an action runs (ansible-core applies them while it finalizes the task args, before the
action plugin is called), so both paths receive the same arguments.
"""

from __future__ import annotations

from typing import Any

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition

from . import _execution, _inprocess, _sdk
from ._templating import compiled_once

display = Display()


class CloudAuditAction(ActionBase):
    """Runs DEFINITION's core in-process when the task runs on the controller; the module otherwise."""

    DEFINITION: ModuleDefinition
    # Mark a successful result no_log (assume_role: the result is credentials).
    HIDE_SUCCESSFUL_RESULT = False

    _supports_check_mode = True
    _supports_async = True

    @classmethod
    def finalize_task_arg(cls, name: str, value: Any, templar: Any, context: Any) -> Any:
        with compiled_once():  # a role variable used in several options is compiled once for the task
            return super().finalize_task_arg(name, value, templar, context)

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        with compiled_once():
            return self._run(tmp, task_vars)

    def _run(self, tmp: Any, task_vars: dict[str, Any] | None) -> dict[str, Any]:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        try:
            path, reason = _execution.select_path(self._task_facts(task_vars))
        except _execution.ExecutionVariableError as e:
            result.update(failed=True, msg=str(e))
            return result
        display.vvv(f"{self._task.action}: runs {path} ({reason})", host=task_vars.get("inventory_hostname"))
        if path == _execution.IN_PROCESS:
            result.update(self._run_in_process(task_vars))
        else:
            wrap_async = bool(self._task.async_val)
            result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        if self.HIDE_SUCCESSFUL_RESULT and not result.get("failed"):
            result["_ansible_no_log"] = True
        return result

    def _task_facts(self, task_vars: dict[str, Any]) -> _execution.TaskFacts:
        environment: dict[str, Any] = {}
        self._compute_environment_string(raw_environment_out=environment)
        execution = task_vars.get(_execution.VARIABLE)
        if execution is not None:
            execution = self._templar.template(execution)
        return _execution.TaskFacts(
            transport=getattr(self._connection, "transport", None),
            become=bool(getattr(self._play_context, "become", False)),
            async_val=self._task.async_val or 0,
            environment=environment,
            execution=execution,
            sdk_available=_sdk.HAS_SDK and _inprocess.CORE_SUPPORTED,
        )

    def validate_input(self, task_vars: dict[str, Any]) -> dict[str, Any] | None:
        """The failure of the task's input before any AWS call, or None (also None when the task would run the
        classic module: only the in-process path can stop a module before its first call)."""
        try:
            path, _reason = _execution.select_path(self._task_facts(task_vars))
        except _execution.ExecutionVariableError as e:
            return {"failed": True, "msg": str(e)}
        if path != _execution.IN_PROCESS:
            return None
        return _inprocess.validate_in_process(self.DEFINITION, self._task.action, self._task.args, **self._module_settings(task_vars))

    def _module_settings(self, task_vars: dict[str, Any]) -> dict[str, Any]:
        """What _execute_module() passes to a module besides its arguments."""
        try:
            no_target_syslog = C.config.get_config_value("DEFAULT_NO_TARGET_SYSLOG", variables=task_vars)
            inject_invocation = C.config.get_config_value("INJECT_INVOCATION", variables=task_vars)
        except AnsibleError:  # a core without these settings: no syslog choice, invocation always returned
            no_target_syslog, inject_invocation = False, True
        return dict(
            check_mode=bool(self._task.check_mode),
            diff=bool(self._task.diff),
            no_log=bool(self._task.no_log or no_target_syslog),
            inject_invocation=bool(inject_invocation),
            tracebacks=_inprocess.tracebacks_enabled(),
        )

    def _run_in_process(self, task_vars: dict[str, Any]) -> dict[str, Any]:
        """The module's core in this process, given what the module would be given."""
        return _inprocess.run_in_process(self.DEFINITION, self._task.action, self._task.args, **self._module_settings(task_vars))
