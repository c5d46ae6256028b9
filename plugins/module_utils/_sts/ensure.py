# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""assume_role through the pipeline: validate -> one sts:AssumeRole (a read) -> no change -> credentials.

Assuming a role changes nothing in AWS: the read is the same in every mode, compare finds no
change (never 'changed') and the result carries the credentials and a connection for
module_defaults. The diff shows nothing (the credentials are no setting).
"""

from __future__ import annotations

from typing import Any

from .._aws import sts
from .._common.changes import Change
from .._common.pipeline import Context, Resource, execute
from . import model


def ensure_credentials(module: Any) -> dict[str, Any]:
    ctx = Context(module)
    return execute(ctx, AssumedRole(ctx))


class AssumedRole(Resource):
    """Temporary credentials of role_arn; desired is the AssumeRole request, current the credentials."""

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        return model.assume_role_request(self.ctx.params)

    def read(self, desired: dict[str, Any]) -> dict[str, str]:
        return model.credentials_result(sts.assume_role(self.ctx.client("sts"), desired))

    def compare(self, desired: dict[str, Any], current: dict[str, str]) -> list[Change]:
        return []

    def after(self, desired: dict[str, Any], current: dict[str, str], changes: list[Change]) -> dict[str, str]:
        return current

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return {}

    def result(self, desired: dict[str, Any], after: dict[str, str]) -> dict[str, Any]:
        role_arn = desired["RoleArn"]
        return {"account_id": model.account_of(role_arn), "role_arn": role_arn, "credentials": after, "connection": model.connection(after, self.ctx.region)}
