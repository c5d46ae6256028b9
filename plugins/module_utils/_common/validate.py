# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks shared by several modules; each failure names the option."""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Iterable

from .errors import CloudAuditError
from .partition import partition_of

ARN_RE = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$")
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
ORG_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")


def check_arn(value: str, option: str, service: str | None = None, resource_prefix: str | None = None) -> re.Match:
    """Fail unless value is an ARN (of the given service, with the given resource prefix)."""
    match = ARN_RE.fullmatch(value or "")
    if not match:
        raise CloudAuditError(f"'{value}' is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)", option)
    if service and match.group(2) != service:
        raise CloudAuditError(f"'{value}' is not a {service} ARN", option)
    if resource_prefix and not match.group(5).startswith(resource_prefix):
        raise CloudAuditError(f"'{value}' is not a {service or ''} ARN of a {resource_prefix.rstrip(':/')}", option)
    return match


# An IAM role ARN: arn:<partition>:iam::<account>:role/[path/]name, the name 1-64 of [A-Za-z0-9+=,.@_-].
ROLE_ARN_RE = re.compile(r"^arn:[a-z-]+:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$", re.ASCII)
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
INT32_MAX = 2**31 - 1
MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE = 50, 128, 256
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_BAD_BUCKET_PARTS = ("..", ".-", "-.")
_BAD_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BAD_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def check_bucket_name(name: str | None, option: str = "name") -> None:
    """Fail unless name is a valid general purpose bucket name (3-63, lowercase, not an IP)."""
    name = name or ""
    if not _BUCKET_RE.fullmatch(name):
        raise CloudAuditError(
            f"'{name}' is not a valid bucket name (3-63 characters: lowercase letters, digits, '.', '-'; starts and ends with a letter or digit)", option
        )
    if any(p in name for p in _BAD_BUCKET_PARTS) or name.startswith(_BAD_BUCKET_PREFIXES) or name.endswith(_BAD_BUCKET_SUFFIXES):
        raise CloudAuditError(f"'{name}' is not a valid bucket name (reserved prefix or suffix, or adjacent separators)", option)
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return
    raise CloudAuditError(f"'{name}' is not a valid bucket name (shaped like an IP address)", option)


def check_arn_location(value: str, option: str, region: str | None, same_region: bool = False, what: str = "resource") -> None:
    """Fail when an ARN is of another partition than the region's (or, with same_region, of another region).

    An ARN of aws-cn or aws-us-gov cannot be used from a commercial region (and the reverse); S3 and
    CloudWatch Logs use a KMS key of their own region only.
    """
    match = ARN_RE.fullmatch(value or "")
    if not match or not region:
        return
    partition = partition_of(region)
    if match.group(1) != partition:
        raise CloudAuditError(
            f"'{value}' is an ARN of the {match.group(1)} partition; a {what} used from {region} must be in the {partition} partition", option
        )
    if same_region and match.group(3) and match.group(3) != region:
        raise CloudAuditError(f"'{value}' is in region {match.group(3)}; the {what} must be in the region of the connection ({region})", option)


def check_role_arn(value: str | None, option: str, region: str | None = None) -> None:
    """Fail unless value is an IAM role ARN with a role name (in the partition of region, when given)."""
    if value is None:
        return
    check_arn(value, option, service="iam", resource_prefix="role/")
    if not ROLE_ARN_RE.fullmatch(value):
        raise CloudAuditError(
            f"'{value}' is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/[path/]<name of 1-64 letters, digits, +=,.@_->)", option
        )
    check_arn_location(value, option, region, what="role")


def check_regions(values: Iterable[str] | None, option: str) -> None:
    for region in values or []:
        if not REGION_RE.fullmatch(str(region)):
            raise CloudAuditError(f"'{region}' is not a region name (like us-east-1)", option)


def check_tags(tags: Any, option: str = "tags", reserved_prefix: bool = True) -> None:
    """AWS's tag limits, before any call: at most 50 tags, keys 1-128 characters not starting with aws:, values at most 256."""
    if tags is None:
        return
    if not isinstance(tags, dict):
        raise CloudAuditError(f"expected a dictionary of tag keys to values, got {_type_name(tags)}", option)
    if len(tags) > MAX_TAGS:
        raise CloudAuditError(f"{len(tags)} tags given; AWS allows at most {MAX_TAGS} per resource", option)
    for key, value in tags.items():
        key = str(key)
        if not 1 <= len(key) <= MAX_TAG_KEY:
            raise CloudAuditError(f"tag key '{key[:40]}' has {len(key)} characters; AWS allows 1-{MAX_TAG_KEY}", option)
        if reserved_prefix and key.lower().startswith("aws:"):
            raise CloudAuditError(f"tag key '{key}' uses the prefix aws:, which is reserved for AWS", option)
        if isinstance(value, (dict, list)):
            raise CloudAuditError(f"the value of tag '{key}' must be a string, got {_type_name(value)}", option)
        if value is not None and len(str(value)) > MAX_TAG_VALUE:
            raise CloudAuditError(f"the value of tag '{key}' has {len(str(value))} characters; AWS allows at most {MAX_TAG_VALUE}", option)


def check_int32(value: Any, option: str, what: str = "") -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > INT32_MAX:
        raise CloudAuditError(f"{what}{value} is larger than AWS accepts (at most {INT32_MAX})", option)


def check_account_ids(values: Iterable[str], option: str) -> None:
    for value in values or []:
        if not ACCOUNT_ID_RE.fullmatch(str(value)):
            raise CloudAuditError(f"'{value}' is not a 12-digit AWS account id", option)


def check_org_id(value: str | None, option: str) -> None:
    if value and not ORG_ID_RE.fullmatch(value):
        raise CloudAuditError(f"'{value}' is not an AWS Organizations id (o-xxxxxxxxxx)", option)


def check_range(value: Any, option: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise CloudAuditError(f"{value} is outside the allowed range {low}-{high}", option)


def check_choice(value: Any, option: str, choices: Iterable[Any]) -> None:
    choices = list(choices)
    if value is not None and value not in choices:
        raise CloudAuditError(f"'{value}' is not one of {', '.join(map(str, choices))}", option)


# Free text, where surrounding white space is the user's own business.
FREE_TEXT_OPTIONS = frozenset(("description",))


def check_surrounding_whitespace(params: dict[str, Any] | None, spec: dict[str, Any], prefix: str = "") -> None:
    """Fail on a string option (or list element, at any depth) that starts or ends with white space.

    A name, id or ARN with a trailing newline (what a YAML block scalar gives) or space
    would be created under the wrong name, or written into a policy where AWS silently
    never matches it. Walks the module's own argument spec, so every option is covered,
    sub-options and list elements included; free text (FREE_TEXT_OPTIONS) is left alone.
    """
    for name, option in spec.items():
        value = (params or {}).get(name)
        if value is None:
            continue
        where = f"{prefix}{name}"
        kind, suboptions = option.get("type", "str"), option.get("options")
        if kind == "str" and name not in FREE_TEXT_OPTIONS:
            _check_stripped(value, where, option.get("no_log", False))
        elif kind == "dict" and suboptions and isinstance(value, dict):
            check_surrounding_whitespace(value, suboptions, f"{where}.")
        elif kind == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                if option.get("elements") == "str":
                    _check_stripped(item, f"{where}[{index}]", option.get("no_log", False))
                elif suboptions and isinstance(item, dict):
                    check_surrounding_whitespace(item, suboptions, f"{where}[{index}].")


def connection_whitespace_error(params: dict[str, Any] | None, connection_spec: dict[str, Any]) -> CloudAuditError | None:
    """The first AWS connection option (or alias) whose value starts or ends with white space, or None.

    connection_spec is the spec AnsibleAWSModule adds to every module (amazon.aws aws_argument_spec(): region, profile,
    endpoint_url, access_key, secret_key, session_token, aws_ca_bundle and their aliases). Checked before any client
    is made: the HTTP client refuses such a header ("Invalid header value b'...\\n'"), an unreadable message that
    prints the value, a session token included. A credential is never shown (access_key is not no_log in amazon.aws,
    but it still names an identity).
    """
    for option, spec in connection_spec.items():
        if spec.get("type", "str") not in ("str", "path"):
            continue
        for given in list(spec.get("aliases") or []) + [option]:  # an alias first: the name the user wrote (ansible-core copies it)
            value = (params or {}).get(given)
            if isinstance(value, str) and value != value.strip():
                shown = "the value" if spec.get("no_log") or option == "access_key" else repr(value)
                return CloudAuditError(f"{shown} starts or ends with white space (a YAML block scalar adds a final newline); remove it", given)
    return None


def _check_stripped(value: Any, option: str, secret: bool) -> None:
    if isinstance(value, str) and value != value.strip():
        shown = "the value" if secret else repr(value)
        raise CloudAuditError(f"{shown} starts or ends with white space (a YAML block scalar adds a final newline); remove it", option)


# Argument shapes, before ansible-core's own conversion: its messages for a bad type inside a sub-option
# ("dictionary requested, could not parse JSON or key=value", "argument of type 'int' is not iterable")
# name neither the option nor the expected shape.
_SHAPES = {"str": "a string", "int": "an integer", "bool": "a boolean (true or false)", "float": "a number", "path": "a path", "raw": "any value"}


def _type_name(value: Any) -> str:
    names = {dict: "a dictionary", list: "a list", str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _shape(option: dict[str, Any]) -> str:
    kind = option.get("type", "str")
    if kind == "dict":
        keys = option.get("options")
        return f"a dictionary with the keys {', '.join(sorted(keys))}" if keys else "a dictionary"
    if kind == "list":
        elements = option.get("elements")
        if elements == "dict":
            keys = option.get("options")
            return f"a list of dictionaries (keys: {', '.join(sorted(keys))})" if keys else "a list of dictionaries"
        return f"a list of {_SHAPES.get(elements, 'values').split(' ', 1)[-1]}s" if elements in ("str", "int", "bool") else "a list"
    return _SHAPES.get(kind, f"a {kind}")


def check_shapes(params: dict[str, Any] | None, spec: dict[str, Any], prefix: str = "") -> None:
    """Fail, naming the option path and the expected shape, on a value ansible-core cannot convert to its type.

    Walks the module's own argument spec (aliases, sub-options and list elements at any depth). Values
    that convert (the string 'yes' for a boolean, '5' for an integer, 'a=1' for a dictionary) pass as
    ansible-core would take them; the value itself is never shown (it may be a secret).
    """
    from ansible.module_utils.common.parameters import DEFAULT_TYPE_VALIDATORS

    for name, option in spec.items():
        value = _given(params, name, option)
        if value is None:
            continue
        where = f"{prefix}{name}"
        kind = option.get("type", "str")
        converted = _convert(DEFAULT_TYPE_VALIDATORS, kind, value, where, option)
        if kind == "dict" and option.get("options") and isinstance(converted, dict):
            check_shapes(converted, option["options"], f"{where}.")
        elif kind == "list" and isinstance(converted, list) and option.get("elements"):
            elements = option["elements"]
            for index, item in enumerate(converted):
                element = _convert(DEFAULT_TYPE_VALIDATORS, elements, item, f"{where}[{index}]", option, element=True)
                if elements == "dict" and option.get("options") and isinstance(element, dict):
                    check_shapes(element, option["options"], f"{where}[{index}].")


def _given(params: dict[str, Any] | None, name: str, option: dict[str, Any]) -> Any:
    params = params if isinstance(params, dict) else {}
    for key in (name, *option.get("aliases", ())):
        if params.get(key) is not None:
            return params[key]
    return None


def _convert(validators: dict[str, Any], kind: Any, value: Any, where: str, option: dict[str, Any], element: bool = False) -> Any:
    checker = validators.get(kind) if isinstance(kind, str) else None
    if checker is None or value is None:
        return value
    try:
        return checker(value)
    except (TypeError, ValueError):
        shape = _SHAPES.get(kind, f"a {kind}") if element else _shape(option)
        if element and kind == "dict" and option.get("options"):
            shape = f"a dictionary with the keys {', '.join(sorted(option['options']))}"
        raise CloudAuditError(f"expected {shape}, got {_type_name(value)}", where) from None
