# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS STS: one wrapper per call (retried by aws_retry), shared by every area."""

from __future__ import annotations

from typing import Any

from .retry import aws_retry


@aws_retry
def get_caller_identity(client: Any) -> dict[str, Any]:
    """The GetCallerIdentity answer (Account, Arn, UserId)."""
    return client.get_caller_identity()


@aws_retry
def assume_role(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """sts:AssumeRole with the given request (RoleArn, RoleSessionName, ...); returns Credentials."""
    return client.assume_role(**request)["Credentials"]
