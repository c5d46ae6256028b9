# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure: validate assume_role options, build the request and the returned credentials."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.validate import check_range, check_role_arn

MIN_DURATION = 900
MAX_DURATION = 43200
# AWS: RoleSessionName [\w+=,.@-]{2,64}; ExternalId [\w+=,.@:/-]{2,1224}
SESSION_NAME_RE = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$")


def validate(params: Mapping[str, Any], region: str | None = None) -> None:
    """Fail, naming the option, before any AWS call."""
    check_role_arn(params.get("role_arn") or "", "role_arn", region)
    session_name = params.get("session_name")
    if not SESSION_NAME_RE.fullmatch(session_name or ""):
        raise CloudAuditError(f"'{session_name}' must be 2-64 characters of letters, digits and +=,.@_-", "session_name")
    external_id = params.get("external_id")
    if external_id is not None and not EXTERNAL_ID_RE.fullmatch(external_id):
        raise CloudAuditError("must be 2-1224 characters of letters, digits and +=,.@:/_-", "external_id")
    check_range(params.get("duration_seconds"), "duration_seconds", MIN_DURATION, MAX_DURATION)


def assume_role_request(params: Mapping[str, Any]) -> dict[str, Any]:
    """The AssumeRole request for the module options."""
    request: dict[str, Any] = {
        "RoleArn": params["role_arn"],
        "RoleSessionName": params["session_name"],
        "DurationSeconds": params["duration_seconds"],
    }
    if params.get("external_id") is not None:
        request["ExternalId"] = params["external_id"]
    return request


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def account_of(role_arn: str) -> str:
    return role_arn.split(":")[4]


def credentials_result(aws_credentials: Mapping[str, Any]) -> dict[str, str]:
    """AWS Credentials -> {access_key, secret_key, session_token, expiration}."""
    return {
        "access_key": aws_credentials["AccessKeyId"],
        "secret_key": aws_credentials["SecretAccessKey"],
        "session_token": aws_credentials["SessionToken"],
        "expiration": _iso(aws_credentials["Expiration"]),
    }


def connection(credentials: Mapping[str, str], region: str | None) -> dict[str, str]:
    """Options for module_defaults of the cloudaudit.aws.aws group (amazon.aws option names)."""
    result = {k: credentials[k] for k in ("access_key", "secret_key", "session_token")}
    if region:
        result["region"] = region
    return result


def secrets(credentials: Mapping[str, str]) -> list[str]:
    """The values that must never be shown."""
    return [credentials["secret_key"], credentials["session_token"]]
