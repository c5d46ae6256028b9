# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""s3_account_public_access_block through the pipeline: one Resource per state.

A run reads one thing, GetPublicAccessBlock of the account (STS first only when account_id is
not given), and writes at most one: PutPublicAccessBlock with all four flags, or
DeletePublicAccessBlock.
"""

from __future__ import annotations

from typing import Any

from .._aws import s3control as aws_s3control
from .._common.changes import Change
from .._common.pipeline import Context, Resource, run_state
from . import model


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": AccountBlockPresent, "absent": AccountBlockAbsent})


class _AccountBlock(Resource):
    """What both states share: the account, the read, the writer, the diff and the result."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.account_id = ""
        self.force: bool = bool(ctx.params.get(model.GUARD_OPTION))

    def validate(self) -> None:
        model.validate(self.ctx.params)

    def _account(self) -> str:
        return self.ctx.params.get("account_id") or self.ctx.identity()["account_id"]

    def read(self, desired: Any) -> dict[str, bool] | None:
        return model.current_flags(aws_s3control.get_public_access_block(self.ctx.client("s3control"), self.account_id))

    def write(self, change: Change) -> None:
        client = self.ctx.client("s3control")
        if change.after is None:
            aws_s3control.delete_public_access_block(client, self.account_id)
        else:
            aws_s3control.put_public_access_block(client, self.account_id, model.aws_configuration(change.after))

    def after(self, desired: Any, current: Any, changes: list[Change]) -> dict[str, bool] | None:
        return changes[-1].after if changes else current

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return dict(state or {})

    def result(self, desired: Any, after: Any) -> dict[str, Any]:
        return {"account_id": self.account_id, "public_access_block": after}


class AccountBlockPresent(_AccountBlock):
    """The four flags as the task sets them (unset: as they are; none set: all on)."""

    def desired(self) -> dict[str, bool]:
        self.account_id = self._account()
        return model.desired_flags(self.ctx.params)

    def compare(self, desired: dict[str, bool], current: dict[str, bool] | None) -> list[Change]:
        return model.compare_present(self.account_id, desired, current, self.force)


class AccountBlockAbsent(_AccountBlock):
    """No configuration (deleting one with a flag on needs force_public_access)."""

    def desired(self) -> None:
        self.account_id = self._account()
        return None  # no configuration

    def compare(self, desired: Any, current: dict[str, bool] | None) -> list[Change]:
        return model.compare_absent(self.account_id, current, self.force)
