# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_lake_store on the one pipeline: a Resource for state=present, one for state=absent.

Write order (the order compare gives): restore or create, one UpdateEventDataStore for every
update setting, ingestion, federation, tags. The state returned is the predicted one, completed
by what the writes answered (no read after the writes).
"""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail, kms
from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, run_state
from .._common.tags import tag_change, tags_after
from . import model


def read_store(client: Any, ref: str, with_tags: bool) -> dict[str, Any] | None:
    """GetEventDataStore (+ ListTags when tags are wanted, unless PENDING_DELETION): at most two calls."""
    store = cloudtrail.get_event_data_store(client, ref)
    if store is None:
        return None
    tags = None
    if with_tags and store.get("Status") != model.PENDING_DELETION:
        tags = cloudtrail.list_tags(client, store["EventDataStoreArn"])
    return model.current_state(store, tags)


def resolve_kms_alias(ctx: Context, kms_key_id: str) -> str:
    """An alias (name or ARN) as the key ARN AWS returns for the store; one DescribeKey."""
    metadata = kms.describe_key(ctx.client("kms"), kms_key_id)
    if metadata is None:
        raise CloudAuditError(f"KMS alias {kms_key_id} does not exist", "kms_key_id")
    return metadata["Arn"]


class StorePresent(Resource):
    """An event data store with the settings the task manages (created, restored or updated).

    Kept on the instance: the store as read, its ARN (the one CreateEventDataStore returns after a
    creation), the one UpdateEventDataStore request, the answers of the writes and, for a store
    restored from PENDING_DELETION, its tags after the tag write.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("cloudtrail")
        self.current: dict[str, Any] | None = None
        self.arn: str | None = None
        self.update: dict[str, Any] | None = None
        self.answers: list[dict[str, Any]] = []
        self.restored_tags: dict[str, str] | None = None

    def validate(self) -> None:
        model.validate_params(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        desired = model.desired_state(self.ctx.params)
        if model.is_kms_alias(desired.get("kms_key_id")):
            desired["kms_key_id"] = resolve_kms_alias(self.ctx, desired["kms_key_id"])
        return desired

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        name = self.ctx.params["name"]
        self.current = read_store(self.client, name, with_tags="tags" in desired)
        if self.current is None and model.is_store_arn(name):
            raise CloudAuditError(f"no event data store {name} exists; give a name to create one", "name")
        self.arn = (self.current or {}).get("arn")
        return self.current

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        params = self.ctx.params
        model.check_against_current(desired, current)
        changes = model.compare(desired, current, params["purge_tags"], params["allow_retention_decrease"])
        updates = [c for c in changes if c.setting in model.UPDATE_SETTINGS]
        if updates:
            self.update = model.update_request(self.arn, updates)
        return changes

    def write(self, change: Change) -> None:
        client, setting = self.client, change.setting
        if setting == "create":
            answer = cloudtrail.create_event_data_store(client, model.create_request(change.after))
            self.arn = answer["EventDataStoreArn"]
            self.answers.append(answer)
        elif setting == "restore":
            self.answers.append(cloudtrail.restore_event_data_store(client, self.arn))
        elif setting in model.UPDATE_SETTINGS:
            if self.update is not None:  # one call for every update setting, at the first of them
                self.answers.append(cloudtrail.update_event_data_store(client, self.update))
                self.update = None
        elif setting == "ingestion":
            (cloudtrail.start_event_data_store_ingestion if change.after == "enabled" else cloudtrail.stop_event_data_store_ingestion)(client, self.arn)
        elif setting == "federation":
            if (change.before or {}).get("enabled"):
                self.answers.append(cloudtrail.disable_federation(client, self.arn))
            if change.after["enabled"]:
                self.answers.append(cloudtrail.enable_federation(client, self.arn, change.after["role_arn"]))
        elif setting == "tags":
            self._write_tags(change)

    def _write_tags(self, change: Change) -> None:
        if self.current is not None and self.current.get("status") == model.PENDING_DELETION:
            # The tags of a store pending deletion are unreadable: compare them again once it is restored
            # (change.after is the desired tags: compare saw no current tag).
            listed = cloudtrail.list_tags(self.client, self.arn)
            fresh = tag_change(listed, change.after, self.ctx.params["purge_tags"])
            self.restored_tags = tags_after(listed, fresh)
            if fresh is None:
                return
            change = fresh
        if change.details.get("remove"):
            cloudtrail.remove_tags(self.client, self.arn, list(change.details["remove"]))
        if change.details.get("set"):
            cloudtrail.add_tags(self.client, self.arn, dict(change.details["set"]))

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        state = model.completed_state(model.predicted_state(desired, current, changes), self.answers, changes)
        if self.restored_tags is not None:
            state["tags"] = self.restored_tags
        return state

    def view(self, state: dict[str, Any] | None, desired: dict[str, Any]) -> dict[str, Any]:
        return model.managed_view(state, desired)

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return {"event_data_store": after}


class StoreAbsent(Resource):
    """No active store of this name: termination protection off (when the task allows it), then DeleteEventDataStore."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("cloudtrail")
        self.arn: str | None = None
        self.deleting = False

    def validate(self) -> None:
        model.validate_params(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        return {"name": self.ctx.params["name"]}

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        current = read_store(self.client, self.ctx.params["name"], with_tags=False)
        self.arn = (current or {}).get("arn")
        return current

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        changes = model.compare_absent(current, self.ctx.params["termination_protection"])
        self.deleting = bool(changes)
        return changes

    def write(self, change: Change) -> None:
        if change.setting == "termination_protection":
            cloudtrail.update_event_data_store(self.client, model.update_request(self.arn, [change]))
        elif change.setting == "delete":
            cloudtrail.delete_event_data_store(self.client, self.arn)

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any] | None:
        return model.deleted_state(current) if changes else current

    def view(self, state: dict[str, Any] | None, desired: dict[str, Any]) -> dict[str, Any]:
        return model.managed_view(state, {"termination_protection": False} if self.deleting else {})

    def result(self, desired: dict[str, Any], after: dict[str, Any] | None) -> dict[str, Any]:
        returned: dict[str, Any] = {"event_data_store": after}
        if after and after.get("status") == model.PENDING_DELETION:
            returned["notice"] = model.DELETE_NOTICE
        return returned


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": StorePresent, "absent": StoreAbsent})
