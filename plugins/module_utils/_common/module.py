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
from typing import Any, Callable, Mapping

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from .errors import CloudAuditError
from .explain import explain
from .validate import check_surrounding_whitespace

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
    """An AnsibleAWSModule with check mode supported (every module supports it)."""
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleAWSModule(argument_spec=argument_spec, **kwargs)
    # The module's own options (without the AWS connection options AnsibleAWSModule adds), for the checks of run().
    module.own_argument_spec = argument_spec
    return module


def run(module: Any, ensure: Callable[[Any], dict[str, Any]]) -> None:
    """Call ensure(module) and exit with its result; the one place errors become failures.

    module is an AnsibleAWSModule or the in-process module of the action plugins (same interface).
    """
    try:
        check_surrounding_whitespace(module.params, getattr(module, "own_argument_spec", {}))
        result = ensure(module)
    except CloudAuditError as e:
        module.fail_json(msg=e.msg, option=e.option, **e.details)
    except (_botocore_exceptions.ClientError, _botocore_exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_describe_aws_error(e, module.params))
    module.exit_json(**result)


DENIED_CODES = frozenset(("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException"))


def _describe_aws_error(e: Exception, params: Mapping[str, Any]) -> str:
    """'AWS refused <Operation>'; for a refusal a user meets, what is wrong and what fixes it (naming the option and
    the resource); for a denied call, the IAM permission it needs and on what. AWS's message and code follow."""
    op = getattr(e, "operation_name", None)
    call = getattr(e, "cloudaudit_call", None)
    code = (getattr(e, "response", None) or {}).get("Error", {}).get("Code")
    explained = explain(code, params)
    if explained:
        return f"{explained[0]}: {explained[1]} (AWS refused {op})"
    if call and code in DENIED_CODES:
        where = f" on {call['resource']}" if call.get("resource") else ""
        return f"AWS denied {call['action']}{where}: the credentials in use need the IAM permission {call['action']}{where}"
    return f"AWS refused {op}" if op else "AWS call failed"
