# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS IAM (roles and their inline policies): one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .notfound import none_when
from .retry import aws_retry


@aws_retry
@none_when("NoSuchEntity")
def get_role(client: Any, name: str) -> dict[str, Any] | None:
    return client.get_role(RoleName=name)["Role"]


@aws_retry
@none_when("NoSuchEntity")
def get_role_policy(client: Any, role_name: str, policy_name: str) -> Any:
    return client.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]


@aws_retry
def create_role(client: Any, name: str, trust_policy: dict[str, Any], description: str) -> dict[str, Any]:
    return client.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust_policy), Description=description)["Role"]


@aws_retry
def update_assume_role_policy(client: Any, name: str, trust_policy: dict[str, Any]) -> None:
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust_policy))


@aws_retry
def put_role_policy(client: Any, role_name: str, policy_name: str, policy: dict[str, Any]) -> None:
    client.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=json.dumps(policy))


@aws_retry
@none_when("NoSuchEntity")
def delete_role_policy(client: Any, role_name: str, policy_name: str) -> None:
    client.delete_role_policy(RoleName=role_name, PolicyName=policy_name)


@aws_retry
@none_when("NoSuchEntity")
def delete_role(client: Any, name: str) -> None:
    client.delete_role(RoleName=name)
