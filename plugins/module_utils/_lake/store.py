# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ensure_present / ensure_absent of an event data store: validate -> read -> compare -> apply -> result."""

from __future__ import annotations

from typing import Any, Callable

from .._aws import cloudtrail, kms
from .._common.changes import Change, apply_changes, build_result
from .._common.errors import CloudAuditError
from .._common.tags import tag_change
from . import model


def ensure(module: Any) -> dict[str, Any]:
    params = module.params
    model.validate_params(params)
    client = module.client("cloudtrail")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def read_store(client: Any, ref: str, with_tags: bool) -> dict[str, Any] | None:
    """GetEventDataStore (+ ListTags when tags are wanted, unless PENDING_DELETION): at most two calls."""
    store = cloudtrail.get_event_data_store(client, ref)
    if store is None:
        return None
    tags = None
    if with_tags and store.get("Status") != model.PENDING_DELETION:
        tags = cloudtrail.list_tags(client, store["EventDataStoreArn"])
    return model.current_state(store, tags)


def ensure_present(module: Any, client: Any) -> dict[str, Any]:
    params = module.params
    desired = model.desired_state(params)
    current = read_store(client, params["name"], with_tags=desired["tags"] is not None)
    if current is None and model.is_store_arn(params["name"]):
        raise CloudAuditError(f"no event data store {params['name']} exists; give a name to create one", "name")
    if current is not None and current.get("kms_key_id") and model.is_kms_alias(desired["kms_key_id"]):
        metadata = kms.describe_key(module.client("kms"), desired["kms_key_id"])
        if metadata is None:
            raise CloudAuditError(f"KMS alias {desired['kms_key_id']} does not exist", "kms_key_id")
        desired["kms_key_id"] = metadata["Arn"]
    model.check_against_current(desired, current, params["allow_retention_decrease"])
    changes = model.compare(desired, current, params["purge_tags"])
    after = model.predicted_state(desired, current, changes)
    if changes and not module.check_mode:
        arn = _apply_present(client, changes, current, desired, params["purge_tags"])
        after = read_store(client, arn, with_tags=desired["tags"] is not None) or after
    return build_result(
        changes,
        model.managed_view(current, desired),
        model.managed_view(after, desired),
        module._diff,
        event_data_store=after,
    )


def _apply_present(client: Any, changes: list[Change], current: dict[str, Any] | None, desired: dict[str, Any], purge: bool) -> str:
    """Apply in a safe order: restore or create, one update, ingestion, federation, tags. Returns the ARN."""
    target = {"arn": current["arn"] if current else None}
    updates = [c for c in changes if c.setting in model.UPDATE_SETTINGS]

    def create(change: Change) -> None:
        target["arn"] = cloudtrail.create_event_data_store(client, model.create_request(change.after))["EventDataStoreArn"]

    def restore(change: Change) -> None:
        cloudtrail.restore_event_data_store(client, target["arn"])

    def tags(change: Change) -> None:
        if current is not None and current.get("status") == model.PENDING_DELETION:
            change = _fresh_tag_change(client, target["arn"], desired, purge)
            if change is None:
                return
        _apply_tags(client, target["arn"], change)

    def ingestion(change: Change) -> None:
        if change.after == "enabled":
            cloudtrail.start_event_data_store_ingestion(client, target["arn"])
        else:
            cloudtrail.stop_event_data_store_ingestion(client, target["arn"])

    appliers: dict[str, Callable[[Change], Any]] = {
        "create": create,
        "restore": restore,
        "ingestion": ingestion,
        "federation": lambda c: _apply_federation(client, target["arn"], c),
        "tags": tags,
    }
    apply_changes([c for c in changes if c.setting in ("create", "restore")], appliers, check_mode=False)
    if updates:
        cloudtrail.update_event_data_store(client, model.update_request(target["arn"], updates))
    apply_changes([c for c in changes if c.setting in ("ingestion", "federation", "tags")], appliers, check_mode=False)
    return target["arn"]


def _fresh_tag_change(client: Any, arn: str, desired: dict[str, Any], purge: bool) -> Change | None:
    """Tags of a store restored from PENDING_DELETION (unreadable before the restore)."""
    return tag_change(cloudtrail.list_tags(client, arn), desired["tags"], purge)


def _apply_tags(client: Any, arn: str, change: Change) -> None:
    if change.details.get("remove"):
        cloudtrail.remove_tags(client, arn, list(change.details["remove"]))
    if change.details.get("set"):
        cloudtrail.add_tags(client, arn, dict(change.details["set"]))


def _apply_federation(client: Any, arn: str, change: Change) -> None:
    before = change.before or {}
    if before.get("enabled"):
        cloudtrail.disable_federation(client, arn)
    if change.after["enabled"]:
        cloudtrail.enable_federation(client, arn, change.after["role_arn"])


def ensure_absent(module: Any, client: Any) -> dict[str, Any]:
    params = module.params
    current = read_store(client, params["name"], with_tags=False)
    changes = model.compare_absent(current, params["termination_protection"])
    after = model.deleted_state(current) if changes else current
    if changes and not module.check_mode:
        for change in changes:
            if change.setting == "termination_protection":
                cloudtrail.update_event_data_store(client, model.update_request(current["arn"], [change]))
            elif change.setting == "delete":
                cloudtrail.delete_event_data_store(client, current["arn"])
        after = read_store(client, current["arn"], with_tags=False) or after
    view = {"termination_protection": False} if changes else {}
    returned: dict[str, Any] = {"event_data_store": after}
    if after and after.get("status") == model.PENDING_DELETION:
        returned["notice"] = model.DELETE_NOTICE
    before_view = model.managed_view(current, view) if current else {}
    after_view = model.managed_view(after, view) if after else {}
    return build_result(changes, before_view, after_view, module._diff, **returned)
