# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudaudit.aws.resources: several of the collection's module steps as one task (see the module's documentation).

Why: every host-task costs the controller about as much as the AWS work of a no-op account (the strategy
computes the host's variables, forks a worker, templates and validates the task, sends the result back),
even a skipped one. A role that manages four resources in four tasks pays that four times per account;
as steps of one task it pays once, while each step still runs through its module's own action plugin
(in-process core or classic module, check mode, diff, module_defaults) and keeps its own result.

The steps are templated here, one after the other, with the results of the earlier steps registered as
variables (ansible-core templates the other options before the action runs; finalize_task_arg keeps
``steps`` and ``outputs`` for this plugin). That needs ansible-core 2.19 or later.

Before the first step of a real run, every step's input is validated (the pre-flight): a role must not create
a key and a log group, then fail on an input of its trail. Each option of each step is templated with the
earlier steps' results not yet known (a value that needs one raises, so the option is left to the step's own
run); the step's in-process module then validates what is known (arguments, shapes, white space, tags, its
Resource.validate) and stops before its first AWS call. A failure that names an option left for later is not
reported by the pre-flight (the step reports it, if it still fails, when it runs). The options templated
here are reused by the step's run, so nothing is templated twice. Check mode needs no pre-flight: it writes
nothing, and each step validates its input when it runs.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from ansible.errors import AnsibleError
from ansible.executor import module_common
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.changes import RESOURCE_KEYS
from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _compile_cache, _input_checks
from ansible_collections.cloudaudit.aws.plugins.plugin_utils._templating import compiled_once, lazy_variables, precompile_roles

display = Display()

COLLECTION = "cloudaudit.aws."
# Step keys besides the module; what a task would also allow (loops, delegation, ...) is refused by name.
STEP_KEYS = frozenset(("name", "register", "when"))
LATE_OPTIONS = frozenset(("steps", "outputs"))
RESERVED_OUTPUTS = frozenset(("changed", "failed", "skipped", "msg", "steps", "results", "diff", "warnings", "deprecations", "failed_step", "invocation"))
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _preload_step_plugins() -> None:
    """Import the action plugins of the collection's modules (and so boto3, the warmed service models, the module cores).

    The strategy imports this plugin in the controller's main process before it forks the worker that runs the
    task; what is imported here is inherited by every worker, as the imports of a task of the module itself are.
    Without it each worker would import boto3 and warm the models again for its first step (about 1 CPU-s).
    """
    package = importlib.import_module(__name__.rpartition(".")[0])
    with _compile_cache.collection_code():  # compiled once, then read from the cache (see _compile_cache)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_") and info.name != __name__.rpartition(".")[2]:
                importlib.import_module(f"{package.__name__}.{info.name}")


_preload_step_plugins()
# The template texts of the collection's roles, compiled once here and inherited by every worker (see _templating).
precompile_roles()


class StepError(Exception):
    """A step the task cannot run as written (named in the message)."""


class _NotYetKnown:
    """The value of an earlier step's register during the pre-flight: any use of it fails the template."""

    def __getattr__(self, name: str) -> Any:
        raise AnsibleError("the result of an earlier step is not known before the steps run")

    def __getitem__(self, key: Any) -> Any:
        raise AnsibleError("the result of an earlier step is not known before the steps run")


_NOT_YET_KNOWN = _NotYetKnown()


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False
    _requires_connection = False

    @classmethod
    def finalize_task_arg(cls, name: str, value: Any, templar: Any, context: Any) -> Any:
        if name in LATE_OPTIONS:
            return value  # templated step by step in run(), with the earlier steps' results
        with compiled_once():
            return super().finalize_task_arg(name, value, templar, context)

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        with compiled_once():
            return self._run(tmp, task_vars)

    def _run(self, tmp: Any, task_vars: dict[str, Any] | None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        del tmp
        variables = dict(task_vars or {})
        args = self._task.args
        unknown = sorted(set(args) - {"steps", "outputs", "input_errors", "input_checks"})
        if unknown:
            return {**result, "failed": True, "msg": f"Unsupported parameters for cloudaudit.aws.resources: {', '.join(unknown)}"}
        # One templar (so one Jinja environment, which keeps what it compiled) for the checks and every step, given
        # the variables with the earlier steps' results each time.
        templar = self._templar.copy_with_new_env(available_variables=variables)
        templar.available_variables = lazy_variables(templar, variables)
        errors = args.get("input_errors") or []
        errors = errors if isinstance(errors, list) else [errors]
        if not all(isinstance(e, str) for e in errors):
            return {**result, "failed": True, "changed": False, "msg": "input_errors: expected a message or a list of messages (strings)"}
        if args.get("input_checks") is not None:
            try:
                errors = errors + _input_check_errors(args["input_checks"], templar, variables)
            except (_input_checks.InputCheckError, AnsibleError) as e:
                return {**result, "failed": True, "changed": False, "msg": f"{e}"}
        if errors:
            # The role's checks of what its argument spec cannot express: before any step, so before any change.
            return {**result, "failed": True, "changed": False, "msg": "; ".join(str(e) for e in errors)}
        try:
            steps = [_parse_step(i, step) for i, step in enumerate(_as_list(args.get("steps"), "steps"))]
        except StepError as e:
            return {**result, "failed": True, "msg": str(e)}

        if not self._task.check_mode:
            refused = self._preflight(steps, templar, variables)
            if refused is not None:
                return {**result, **refused, "changed": False}

        done: list[dict[str, Any]] = []
        registered: dict[str, Any] = {}
        for step in steps:
            templar.available_variables = lazy_variables(templar, variables)  # new: the earlier steps' results
            try:
                step_result = self._run_step(step, templar, variables)
            except (AnsibleError, StepError) as e:
                step_result = {"failed": True, "msg": f"{e}"}
            step_result.setdefault("changed", False)
            done.append({"name": step["name"], "action": step["action"], **step_result})
            if step["register"]:
                variables[step["register"]] = registered[step["register"]] = step_result
            if step_result.get("failed"):
                summary = _summary(done, registered)
                return {**result, **summary, "failed": True, "failed_step": step["name"], "msg": f"{step['name']}: {step_result.get('msg', 'failed')}"}

        summary = _summary(done, registered)
        outputs = args.get("outputs")
        if outputs is not None:
            templar.available_variables = lazy_variables(templar, {**variables, "resources_changed": summary["changed"]})
            try:
                templated = templar.template(outputs)
            except AnsibleError as e:
                return {**result, **summary, "failed": True, "msg": f"outputs: {e}"}
            if not isinstance(templated, dict) or RESERVED_OUTPUTS & set(templated):
                return {**result, **summary, "failed": True, "msg": f"outputs: expected a dictionary without the keys {', '.join(sorted(RESERVED_OUTPUTS))}"}
            summary.update(templated)
        return {**result, **summary}

    def _preflight(self, steps: list[dict[str, Any]], templar: Any, variables: dict[str, Any]) -> dict[str, Any] | None:
        """The first step whose known input fails its module's validation, as the task's failure (see the module docstring)."""
        earlier: dict[str, Any] = {}
        for step in steps:
            templar.available_variables = lazy_variables(templar, {**variables, **earlier})
            if step["register"]:
                earlier[step["register"]] = _NOT_YET_KNOWN
            try:
                runs = all(templar.evaluate_conditional(conditional=c) for c in step["when"])
                if not runs:  # skipped: its options are never templated, as a task's are not
                    step["known"] = (False, None, None, None)
                    continue
                args, later = _template_options(step, templar)
                defaults = self._defaults(step, templar)
            except (AnsibleError, StepError):
                continue  # decided by an earlier step's result (or failing as written): the step's own run says
            step["known"] = (runs, args, later, defaults)
            plugin = self._plugin(step, {**defaults, **args}, templar)
            validate = getattr(plugin, "validate_input", None)
            failure = validate(variables) if validate else None
            if failure and not any(re.search(rf"\b{re.escape(option)}\b", str(failure.get("msg", ""))) for option in later):
                msg = f"{step['name']}: {failure.get('msg', 'failed')} (no step has run)"
                return {**{k: v for k, v in failure.items() if k not in ("invocation", "changed")}, "failed": True, "failed_step": step["name"], "msg": msg}
        return None

    def _defaults(self, step: dict[str, Any], templar: Any) -> dict[str, Any]:
        """module_defaults as ansible-core applies them to a task of the step's module (groups and the module's own)."""
        engine = getattr(templar, "_engine", templar)  # the function wants the TemplateEngine behind the action's Templar
        # It resolves each default to its container only: its values are templated here, as the task-args finalizer would.
        return templar.template(module_common._get_action_arg_defaults(step["action"], self._task, engine))  # pylint: disable=protected-access

    def _run_step(self, step: dict[str, Any], templar: Any, variables: dict[str, Any]) -> dict[str, Any]:
        runs, step_args, later, defaults = step.get("known") or (None, None, None, None)
        if runs is None and step["when"]:
            runs = all(templar.evaluate_conditional(conditional=c) for c in step["when"])
        if runs is False:
            return {"skipped": True, "changed": False, "skip_reason": "Conditional result was False", "false_condition": step["when"]}
        if step_args is None:
            step_args, later = _template_options(step, templar, strict=True)
            defaults = self._defaults(step, templar)
        for option in later:  # the options that needed an earlier step's result, now known
            step_args.update(templar.template({option: step["args"][option]}))
        plugin = self._plugin(step, {**defaults, **step_args}, templar)
        display.vvv(f"cloudaudit.aws.resources: step {step['name']!r} ({step['action']})", host=variables.get("inventory_hostname"))
        result = dict(plugin.run(task_vars=variables))
        # As ansible-core trims a task's result: no empty warnings / deprecations, no failed=false (the classic module path has them).
        for key in ("warnings", "deprecations"):
            if not result.get(key):
                result.pop(key, None)
        if result.get("failed") is False:
            del result["failed"]
        # What names the resource, for the drift report when the result carries no invocation (never the connection options).
        result.setdefault("resource_args", {k: step_args[k] for k in RESOURCE_KEYS if isinstance(step_args.get(k), str) and step_args[k]})
        return result

    def _plugin(self, step: dict[str, Any], args: dict[str, Any], templar: Any) -> Any:
        """The step's action plugin, on a copy of this task with the step's module, name and arguments."""
        task = self._task.copy(exclude_parent=False, exclude_tasks=True)
        task.action = step["action"]
        task._resolved_action = step["action"]  # pylint: disable=protected-access
        task.args = args
        task.name = step["name"]
        plugin = self._shared_loader_obj.action_loader.get(
            step["action"],
            task=task,
            connection=self._connection,
            play_context=self._play_context,
            loader=self._loader,
            templar=templar,
            shared_loader_obj=self._shared_loader_obj,
        )
        if plugin is None:
            raise StepError(f"{step['action']}: no such module in the collection")
        return plugin


def _template_options(step: dict[str, Any], templar: Any, strict: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The step's options templated one by one (an omitted one left out), and those that could not be templated yet.

    strict: every option must template (the step's own run, with every earlier result known)."""
    if not isinstance(step["args"], dict):
        raise StepError(f"the options of {step['action']} must be a dictionary")
    args: dict[str, Any] = {}
    later: list[str] = []
    for option, value in step["args"].items():
        try:
            args.update(templar.template({option: value}))
        except AnsibleError:
            if strict:
                raise
            later.append(option)
    return args, later


def _input_check_errors(checks: Any, templar: Any, variables: dict[str, Any]) -> list[str]:
    """The failing input_checks (see plugin_utils/_input_checks.py): each variable they name is templated once."""
    values = {name: templar.template(variables[name]) for name in _input_checks.variables_of(checks) if name in variables}
    return _input_checks.errors(checks, values)


def _as_list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise StepError(f"{name}: expected a non-empty list of steps")
    return value


def _parse_step(index: int, step: Any) -> dict[str, Any]:
    where = f"steps[{index}]"
    if not isinstance(step, dict):
        raise StepError(f"{where}: expected a dictionary (name, the module and its options, optional register and when)")
    modules = [k for k in step if k not in STEP_KEYS]
    if len(modules) != 1:
        found = ", ".join(map(str, modules)) or "none"
        raise StepError(f"{where}: expected exactly one module of the collection besides {', '.join(sorted(STEP_KEYS))}, got {found}")
    action = str(modules[0])
    if not action.startswith(COLLECTION):
        raise StepError(f"{where}: {action} is not a module of the collection (write its full name, {COLLECTION}<module>)")
    name = step.get("name") or action
    register = step.get("register")
    if register is not None and not (isinstance(register, str) and IDENTIFIER.match(register)):
        raise StepError(f"{where} ({name}): register must be a variable name")
    when = step.get("when")
    when = [] if when is None else when if isinstance(when, list) else [when]
    return {"name": str(name), "action": action, "args": step[action] or {}, "register": register, "when": when}


def _summary(done: list[dict[str, Any]], registered: dict[str, Any]) -> dict[str, Any]:
    """changed, diff, warnings and deprecations of the whole task, from its steps (each kept under steps)."""
    diffs: list[Any] = []
    warnings: list[Any] = []
    deprecations: list[Any] = []
    for step in done:
        step_diffs = step.get("diff")
        for diff in step_diffs if isinstance(step_diffs, list) else [step_diffs] if step_diffs else []:
            if isinstance(diff, dict) and step.get("changed"):
                diffs.append({"before_header": f"{step['name']} (before)", "after_header": f"{step['name']} (after)", **diff})
        warnings.extend(f"{step['name']}: {w}" if isinstance(w, str) else w for w in step.get("warnings") or [])
        for d in step.get("deprecations") or []:
            deprecations.append({**d, "msg": f"{step['name']}: {d.get('msg', '')}"} if isinstance(d, dict) else d)
    summary: dict[str, Any] = {"changed": any(s.get("changed") for s in done), "steps": done, "results": registered}
    if diffs:
        summary["diff"] = diffs
    if warnings:
        summary["warnings"] = warnings
    if deprecations:
        summary["deprecations"] = deprecations
    return summary
