# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_lake_import on the one pipeline: find the same import or start one, optionally wait for it."""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail
from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, execute
from . import imports_model as model


class LakeImport(Resource):
    """One import into a store: the newest with the same source and window, or a new one (StartImport).

    Kept on the instance: the store's ARN and the import StartImport started (as GetImport then answers it).
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("cloudtrail")
        self.arn: str | None = None
        self.started: dict[str, Any] | None = None

    def desired(self) -> dict[str, Any]:
        """The import asked for, validated whole before any call."""
        return model.validate(self.ctx.params, self.ctx.region)

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        store = cloudtrail.get_event_data_store(self.client, desired["destination"])
        if store is None:
            raise CloudAuditError(f"no event data store {desired['destination']} in {self.ctx.region}", "destination")
        self.arn = store["EventDataStoreArn"]
        for import_id in model.candidates(cloudtrail.list_imports(self.client, self.arn)):
            answer = cloudtrail.get_import(self.client, import_id)
            if model.matches(answer, desired, self.arn):
                return model.normalize(answer)
        return None

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        if current is not None:
            return []
        request = model.start_request(desired, self.arn)
        return [Change("import", None, model.predicted(desired, self.arn), action="create", details={"request": request})]

    def write(self, change: Change) -> None:
        started = cloudtrail.start_import(self.client, change.details["request"])
        self.started = model.normalize(cloudtrail.get_import(self.client, started["ImportId"]))

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        """The import as it is (or would be started); with wait, as it ends (a failed or unfinished import fails the task)."""
        state = current if not changes else (self.started or changes[0].after)
        params, changed = self.ctx.params, bool(changes)
        if params["wait"] and state["import_id"] and state["status"] in model.RUNNING:
            timeout = params["wait_timeout"]
            state = model.normalize(cloudtrail.wait_import_done(self.client, state["import_id"], timeout, model.poll_delay(timeout)))
            if state["status"] in model.RUNNING:
                raise CloudAuditError(
                    f"import {state['import_id']} is still {state['status']} after {timeout} s", "wait_timeout", lake_import=state, changed=changed
                )
        if params["wait"] and state["status"] in ("FAILED", "STOPPED"):
            failures = cloudtrail.list_import_failures(self.client, state["import_id"])
            raise CloudAuditError(model.failure_message(state, failures), None, lake_import=state, changed=changed)
        return state

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return {"lake_import": after}


def ensure(module: Any) -> dict[str, Any]:
    ctx = Context(module)
    return execute(ctx, LakeImport(ctx))
