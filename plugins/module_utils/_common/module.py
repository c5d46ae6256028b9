# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared module base: every module shell is new_module() + run(), described once by a ModuleDefinition.

The definition (own argument spec, the AnsibleModule rules and the core callable) is what both ways of
running a module need: main() builds an AnsibleAWSModule from it, and the same-named action plugin
(plugins/plugin_utils/_inprocess.py) runs the same core in the controller process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from . import aws_refusals
from .errors import CloudAuditError
from .validate import check_shapes, check_surrounding_whitespace, check_tags, connection_whitespace_error

try:
    import botocore.exceptions as _botocore_exceptions
except ImportError:  # handled by AnsibleAWSModule (missing_required_lib)
    _botocore_exceptions = None

# The AnsibleModule arguments a definition may carry besides the argument spec.
RULES = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


@dataclass(frozen=True)
class ModuleDefinition:
    """What running a module needs, without running anything: spec builder, AnsibleModule rules, core."""

    argument_spec: Callable[[], dict[str, Any]]
    ensure: Callable[[Any], dict[str, Any]]
    rules: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.rules) - set(RULES)
        if unknown:
            raise ValueError(f"unknown module rules: {', '.join(sorted(unknown))}")


def new_module(argument_spec: dict[str, Any], **kwargs: Any) -> AnsibleAWSModule:
    """An AnsibleAWSModule with check mode supported (every module supports it).

    A value ansible-core cannot convert to its option's type fails first, naming the option path and
    the shape expected (check_shapes), as the in-process path does before its own validation.
    """
    kwargs.setdefault("supports_check_mode", True)
    shape_error = _shape_error(argument_spec)
    if shape_error is not None:
        _fail_before_validation(argument_spec, shape_error, kwargs)
    module = AnsibleAWSModule(argument_spec=argument_spec, **kwargs)
    # A connection option with surrounding white space fails here, before any client is made, its secret unshown.
    connection_error = connection_whitespace_error(module.params, aws_argument_spec())
    if connection_error is not None:
        module.fail_json(msg=connection_error.msg, option=connection_error.option)
    # The module's own options (without the AWS connection options AnsibleAWSModule adds), for the checks of run().
    module.own_argument_spec = argument_spec
    return module


def shape_error(params: Any, argument_spec: dict[str, Any]) -> CloudAuditError | None:
    """The first value of params that cannot take its option's type (check_shapes), or None."""
    try:
        check_shapes(params, argument_spec)
    except CloudAuditError as e:
        return e
    return None


def loose_spec(argument_spec: dict[str, Any]) -> dict[str, Any]:
    """The options of argument_spec taking any value, no_log and aliases kept (so secrets stay masked in the failure)."""
    return {name: {k: v for k, v in option.items() if k in ("no_log", "aliases")} | {"type": "raw"} for name, option in argument_spec.items()}


def _shape_error(argument_spec: dict[str, Any]) -> CloudAuditError | None:
    from ansible.module_utils.basic import _load_params

    return shape_error(_load_params(), argument_spec)


def _fail_before_validation(argument_spec: dict[str, Any], error: CloudAuditError, kwargs: dict[str, Any]) -> None:
    """fail_json through a module of the loose spec: the same result fields as any failure, with the message of error."""
    module = AnsibleAWSModule(argument_spec=loose_spec(argument_spec), supports_check_mode=kwargs.get("supports_check_mode", True))
    module.fail_json(msg=error.msg, option=error.option)


def run(module: Any, ensure: Callable[[Any], dict[str, Any]]) -> None:
    """Call ensure(module) and exit with its result; the one place errors become failures.

    module is an AnsibleAWSModule or the in-process module of the action plugins (same interface).
    """
    try:
        spec = getattr(module, "own_argument_spec", {})
        check_surrounding_whitespace(module.params, spec)
        if "tags" in spec:
            check_tags(module.params.get("tags"), "tags")
        result = ensure(module)
    except CloudAuditError as e:
        module.fail_json(msg=e.msg, option=e.option, **e.details)
    except (_botocore_exceptions.ClientError, _botocore_exceptions.BotoCoreError) as e:
        option, explanation = aws_refusals.explain(e, module.params)
        module.fail_json_aws(e, msg=_describe_aws_error(e, option, explanation), **({"option": option} if option else {}))
    module.exit_json(**result)


def _describe_aws_error(e: Exception, option: str | None = None, explanation: str | None = None) -> str:
    """'AWS refused <Operation>', with what is wrong and what fixes it when known (the AWS error and code follow)."""
    op = getattr(e, "operation_name", None)
    said = f"AWS refused {op}" if op else "AWS call failed"
    if explanation:
        said += f": {option}: {explanation}" if option else f": {explanation}"
    return said
