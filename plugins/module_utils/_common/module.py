# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared module base: every module shell is new_module() + run()."""

from __future__ import annotations

from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from .errors import CloudAuditError
from .validate import check_surrounding_whitespace

try:
    import botocore.exceptions as _botocore_exceptions
except ImportError:  # handled by AnsibleAWSModule (missing_required_lib)
    _botocore_exceptions = None


def new_module(argument_spec: dict[str, Any], **kwargs: Any) -> AnsibleAWSModule:
    """An AnsibleAWSModule with check mode supported (every module supports it)."""
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleAWSModule(argument_spec=argument_spec, **kwargs)
    # The module's own options (without the AWS connection options AnsibleAWSModule adds), for the checks of run().
    module.own_argument_spec = argument_spec
    return module


def run(module: AnsibleAWSModule, ensure: Callable[[AnsibleAWSModule], dict[str, Any]]) -> None:
    """Call ensure(module) and exit with its result; the one place errors become failures."""
    try:
        check_surrounding_whitespace(module.params, getattr(module, "own_argument_spec", {}))
        result = ensure(module)
    except CloudAuditError as e:
        module.fail_json(msg=e.msg, option=e.option, **e.details)
    except (_botocore_exceptions.ClientError, _botocore_exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_describe_aws_error(e))
    module.exit_json(**result)


def _describe_aws_error(e: Exception) -> str:
    op = getattr(e, "operation_name", None)
    return f"AWS refused {op}" if op else "AWS call failed"
