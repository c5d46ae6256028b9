# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""assume_role: validate -> one sts:AssumeRole -> credentials and a connection for module_defaults.

Assuming a role changes nothing in AWS, so the same happens in check mode and
the result is never 'changed'.
"""

from __future__ import annotations

from typing import Any

from .._aws import sts
from . import model


def ensure_credentials(module: Any) -> dict[str, Any]:
    params = module.params
    model.validate(params)
    aws_credentials = sts.assume_role(module.client("sts"), model.assume_role_request(params))
    credentials = model.credentials_result(aws_credentials)
    return {
        "changed": False,
        "account_id": model.account_of(params["role_arn"]),
        "role_arn": params["role_arn"],
        "credentials": credentials,
        "connection": model.connection(credentials, module.region),
    }
