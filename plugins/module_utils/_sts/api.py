# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The only STS call of the collection's credential handling."""

from __future__ import annotations

from typing import Any

from .._common.retry import aws_retry


@aws_retry
def assume_role(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """sts:AssumeRole with a request built by model.assume_role_request(); returns Credentials."""
    return client.assume_role(**request)["Credentials"]
