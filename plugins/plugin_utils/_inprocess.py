# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A module's core run in the controller process, with the result the module itself would return.

InProcessModule is what run() in module_utils/_common/module.py hands to the core instead of an
AnsibleAWSModule: the same params (validated by ansible-core's ArgumentSpecValidator on the same spec,
aws_argument_spec() + the module's own, with the same rules and failure messages), check_mode, _diff,
region, client(), warn(), deprecate(), fail_json(), fail_json_aws() and own_argument_spec.
exit_json()/fail_json() build the result as AnsibleModule does (invocation when configured, warnings,
deprecations, no_log values masked with remove_values, bools and None preserved) and end the run with
_ModuleExit, as sys.exit() ends a module. Arguments and result cross the same JSON encoders as those
of a module, so the core sees plain data and the controller gets the same types back.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import threading
import traceback
from io import StringIO
from typing import Any

from ansible.module_utils.basic import PASSWORD_MATCH
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.amazon.aws.plugins.module_utils.botocore import check_sdk_version_supported
from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_region
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleBotocoreError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import RULES, ModuleDefinition, loose_spec, run, shape_error
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.pipeline import InputValidated
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.validate import connection_whitespace_error

from . import _sdk

try:  # ansible-core >= 2.19: the module JSON encoders by direction, and traceback settings
    from ansible.module_utils._internal import _traceback
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
except ImportError:
    CORE_SUPPORTED = False
else:
    CORE_SUPPORTED = True

if _sdk.HAS_SDK:
    import botocore.exceptions

_UNSET = object()
# The options that decide which client a call gets (the rest of the params do not).
_CONNECTION_OPTIONS = ("access_key", "secret_key", "session_token", "profile", "endpoint_url", "region", "validate_certs", "aws_ca_bundle", "aws_config")
_PROFILE = "legacy"  # the serialization profile of Python modules


class _ModuleExit(BaseException):
    """Ends the core as sys.exit() ends a module (BaseException: no `except Exception` of the core stops it)."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("module exit")
        self.result = result


class _NoCalls:
    """The client of a validate-only run: any use of it (an AWS call) ends the run (see pipeline.InputValidated)."""

    def __getattr__(self, name: str) -> Any:
        raise InputValidated()


class InProcessModule:
    """The module object of the in-process path (the AnsibleAWSModule interface the areas use)."""

    # amazon.aws's own implementations, for the same failure fields and resource_actions.
    fail_json_aws = AnsibleAWSModule.fail_json_aws
    _gather_versions = AnsibleAWSModule._gather_versions
    _get_resource_action_list = AnsibleAWSModule._get_resource_action_list

    def __init__(
        self,
        definition: ModuleDefinition,
        name: str,
        args: dict[str, Any],
        check_mode: bool = False,
        diff: bool = False,
        no_log: bool = False,
        inject_invocation: bool = False,
        tracebacks: bool = False,
        validate_only: bool = False,
    ) -> None:
        self._definition = definition
        # Validate the input and stop before the first AWS call (see pipeline.InputValidated); "reads" while the
        # pipeline runs Resource.precheck.
        self.validate_only: bool | str = validate_only
        self._name = name
        self.check_mode = check_mode
        self._diff = diff
        self.no_log = no_log
        self._inject_invocation = inject_invocation
        self._tracebacks = tracebacks
        self.own_argument_spec = definition.argument_spec()
        self.argument_spec = aws_argument_spec()
        self.argument_spec.update(self.own_argument_spec)
        self.params: dict[str, Any] = dict(args)
        self.no_log_values: set[str] = set()
        self.aliases: dict[str, str] = {}
        self._warnings: list[str] = []
        self._deprecations: list[dict[str, Any]] = []
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._region: Any = _UNSET
        self._botocore_endpoint_log_stream = StringIO()
        self._log_handler: logging.Handler | None = None

    # --- set up, as AnsibleModule.__init__ + AnsibleAWSModule.__init__ ---------------------------------

    def start(self) -> None:
        """Validate the arguments and check the SDK; fails (raises _ModuleExit) as the module would."""
        # A value of the wrong shape fails naming the option, validated on the loose spec as new_module() does.
        spec, rules = self.argument_spec, {k: self._definition.rules.get(k) for k in RULES}
        bad_shape = shape_error(self.params, self.own_argument_spec)
        if bad_shape is not None:
            spec, rules = {**aws_argument_spec(), **loose_spec(self.own_argument_spec)}, {}
        result = ArgumentSpecValidator(spec, **rules).validate(self.params)
        self.params.update(result.validated_parameters)
        self.no_log_values.update(result._no_log_values)  # pylint: disable=protected-access
        self.aliases.update(result._aliases)  # pylint: disable=protected-access
        for d in result._deprecations:  # pylint: disable=protected-access
            self.deprecate(d["msg"], version=d.get("version"), date=d.get("date"), collection_name=d.get("collection_name"))
        for w in result._warnings:  # pylint: disable=protected-access
            self.warn(f"Both option {w['option']} and its alias {w['alias']} are set.")
        if bad_shape is not None:
            self.fail_json(msg=bad_shape.msg, option=bad_shape.option)
        if len(result.errors.errors):
            msg = result.errors.msg
            if isinstance(result.errors.errors[0], UnsupportedError):
                msg = f"Unsupported parameters for ({self._name}) module: {msg}"
            self.fail_json(msg=msg)
        if not self.no_log:
            self._warn_unmarked_passwords()
        try:
            check_sdk_version_supported(warn=self.warn)
        except AnsibleBotocoreError as e:
            self.fail_json(str(e))
        connection_error = connection_whitespace_error(self.params, aws_argument_spec())  # as new_module(): before any client, the secret unshown
        if connection_error is not None:
            self.fail_json(msg=connection_error.msg, option=connection_error.option)
        if self.params.get("debug_botocore_endpoint_logs"):
            self._log_handler = logging.StreamHandler(self._botocore_endpoint_log_stream)
            logger = logging.getLogger("botocore.endpoint")
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self._log_handler)

    def close(self) -> None:
        if self._log_handler is not None:
            logging.getLogger("botocore.endpoint").removeHandler(self._log_handler)
            self._log_handler = None

    def _warn_unmarked_passwords(self) -> None:
        """AnsibleModule._log_invocation's warning for password-like options without no_log."""
        for param in self.params:
            option = self.argument_spec.get(self.aliases.get(param, param), {})
            if option.get("no_log") is None and PASSWORD_MATCH.search(param):
                self.warn(f"Module did not set no_log for {param}")

    # --- what the areas use ----------------------------------------------------------------------------

    @property
    def region(self) -> str | None:
        if self._region is _UNSET:
            self._region = get_aws_region(self)
        return self._region

    def client(self, service: str, retry_decorator: Any = None, **extra_params: Any) -> Any:
        """A client as AnsibleAWSModule.client() resolves it, made once per connection settings in this task."""
        if self.validate_only is True:  # a validate-only run ends at its first use of a client, having called nothing
            return _NoCalls()
        key = (service, json.dumps([{k: self.params.get(k) for k in _CONNECTION_OPTIONS}, extra_params], sort_keys=True, default=repr))
        with self._lock:
            conn = self._clients.get(key)
            if conn is None:
                region, endpoint_url, connect = get_aws_connection_info(self)
                settings = dict(region=region, endpoint=endpoint_url, **connect)
                settings.update(extra_params)
                conn = self._clients[key] = self._connect(service, **settings)
        return conn if retry_decorator is None else RetryingBotoClientWrapper(conn, retry_decorator)

    def _connect(self, service: str, region: str | None = None, endpoint: str | None = None, **params: Any) -> Any:
        """amazon.aws boto3_conn(): the same client, the same failures."""
        try:
            return _sdk.create_client(service, region, endpoint, **params)
        except botocore.exceptions.NoRegionError:
            self.fail_json(
                msg=f"The {self._name} module requires a region and none was found in configuration, environment variables or module parameters",
            )
        except (ValueError, botocore.exceptions.BotoCoreError) as e:
            self.fail_json_aws(e, msg="Couldn't connect to AWS")

    def warn(self, warning: str, **_kwargs: Any) -> None:
        self._warnings.append(warning)

    def deprecate(self, msg: str, version: str | None = None, date: str | None = None, collection_name: str | None = None, **_kwargs: Any) -> None:
        self._deprecations.append(dict(msg=msg, version=version, date=date, collection_name=collection_name))

    def debug(self, msg: str) -> None:  # AnsibleModule.debug logs to the target's syslog with debug on; nothing here
        del msg

    def exit_json(self, **kwargs: Any) -> None:
        if self.params.get("debug_botocore_endpoint_logs"):
            kwargs["resource_actions"] = self._get_resource_action_list()
        raise _ModuleExit(self._formatted(kwargs))

    def fail_json(self, msg: Any, *, exception: Any = _UNSET, **kwargs: Any) -> None:
        if self.params.get("debug_botocore_endpoint_logs"):
            kwargs["resource_actions"] = self._get_resource_action_list()
        kwargs.update(failed=True, msg=str(msg))
        if self._tracebacks:
            kwargs["exception"] = _formatted_traceback(exception)
        raise _ModuleExit(self._formatted(kwargs))

    def _formatted(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """AnsibleModule._return_formatted()."""
        if self._inject_invocation:
            kwargs.setdefault("invocation", {"module_args": self.params})
        else:
            kwargs.pop("invocation", None)
        if self._warnings:
            kwargs["warnings"] = list(dict.fromkeys(self._warnings))
        if self._deprecations:
            kwargs["deprecations"] = self._deprecations
        preserved = {k: v for k, v in kwargs.items() if v is None or isinstance(v, bool)}
        kwargs = remove_values(kwargs, self.no_log_values)
        kwargs.update(preserved)
        return kwargs


def _formatted_traceback(exception: Any) -> str:
    if isinstance(exception, str):
        return exception
    if isinstance(exception, BaseException):
        return "".join(traceback.format_exception(type(exception), exception, exception.__traceback__))
    current = sys.exc_info()[1]
    if exception is _UNSET and current is not None:
        return "".join(traceback.format_exception(type(current), current, current.__traceback__))
    return "".join(traceback.format_stack())


@functools.lru_cache(maxsize=None)
def _codec(direction: Any) -> tuple[Any, Any]:
    """The JSON encoder and decoder of a Python module's boundary in direction, looked up once per process.

    ansible-core searches the file system for the profile's module at every lookup (first where it is not); the
    lookups are made at import, in the controller's main process, so that every worker inherits them.
    """
    return get_module_encoder(_PROFILE, direction), get_module_decoder(_PROFILE, direction)


def _crossing(data: Any, direction: Any) -> Any:
    """data as it arrives on the other side of the module boundary (the encoders of a Python module)."""
    encoder, decoder = _codec(direction)
    return json.loads(json.dumps(data, cls=encoder), cls=decoder)


if CORE_SUPPORTED:
    _codec(Direction.CONTROLLER_TO_MODULE)
    _codec(Direction.MODULE_TO_CONTROLLER)


def tracebacks_enabled() -> bool:
    """Whether a module would include the traceback of a failure (ansible-core's traceback settings)."""
    return "error" in _traceback.traceback_for()


def run_in_process(definition: ModuleDefinition, name: str, args: dict[str, Any], **settings: Any) -> dict[str, Any]:
    """Run definition.ensure through run() in this process; the result _execute_module would give."""
    module = InProcessModule(definition, name, _crossing(args, Direction.CONTROLLER_TO_MODULE), **settings)
    try:
        module.start()
        run(module, definition.ensure)
    except _ModuleExit as e:
        return _crossing(e.result, Direction.MODULE_TO_CONTROLLER)
    finally:
        module.close()
    raise AssertionError("run() returned without exit_json() or fail_json()")  # run() always ends in one of them


def validate_in_process(definition: ModuleDefinition, name: str, args: dict[str, Any], **settings: Any) -> dict[str, Any] | None:
    """The failure the module's input gives before any AWS call (arguments, shapes, white space, tags, Resource.validate),
    or None when the input passes them. Nothing is called in AWS: the run ends where the first client would be made."""
    module = InProcessModule(definition, name, _crossing(args, Direction.CONTROLLER_TO_MODULE), validate_only=True, **settings)
    try:
        module.start()
        run(module, definition.ensure)
    except InputValidated:
        return None
    except _ModuleExit as e:
        return _crossing(e.result, Direction.MODULE_TO_CONTROLLER) if e.result.get("failed") else None
    finally:
        module.close()
    return None
