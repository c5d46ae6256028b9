# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks shared by several modules; each failure names the option."""

from __future__ import annotations

import re
from typing import Any, Iterable

from .errors import CloudAuditError

ARN_RE = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$")
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
ORG_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")


def check_arn(value: str, option: str, service: str | None = None, resource_prefix: str | None = None) -> re.Match:
    """Fail unless value is an ARN (of the given service, with the given resource prefix)."""
    match = ARN_RE.match(value or "")
    if not match:
        raise CloudAuditError(f"'{value}' is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)", option)
    if service and match.group(2) != service:
        raise CloudAuditError(f"'{value}' is not a {service} ARN", option)
    if resource_prefix and not match.group(5).startswith(resource_prefix):
        raise CloudAuditError(f"'{value}' is not a {service or ''} ARN of a {resource_prefix.rstrip(':/')}", option)
    return match


def check_account_ids(values: Iterable[str], option: str) -> None:
    for value in values or []:
        if not ACCOUNT_ID_RE.match(str(value)):
            raise CloudAuditError(f"'{value}' is not a 12-digit AWS account id", option)


def check_org_id(value: str | None, option: str) -> None:
    if value and not ORG_ID_RE.match(value):
        raise CloudAuditError(f"'{value}' is not an AWS Organizations id (o-xxxxxxxxxx)", option)


def check_range(value: Any, option: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise CloudAuditError(f"{value} is outside the allowed range {low}-{high}", option)


def check_choice(value: Any, option: str, choices: Iterable[Any]) -> None:
    choices = list(choices)
    if value is not None and value not in choices:
        raise CloudAuditError(f"'{value}' is not one of {', '.join(map(str, choices))}", option)
