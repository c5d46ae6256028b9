# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_kms_key: validate -> read -> compare -> apply (not in check mode) -> result.

No-op budget: DescribeKey(alias/<name>) finds the alias and the key in one call; then
GetKeyPolicy, GetKeyRotationStatus and (only when tags are managed) ListResourceTags
run concurrently: at most 4 reads. STS is called only when the key does not exist.
"""

from __future__ import annotations

from typing import Any, Callable

from .._aws import kms as aws_kms
from .._common.account import caller_identity
from .._common.changes import Change, apply_changes, build_result
from .._common.concurrency import read_concurrently
from . import model


def ensure(module: Any) -> dict[str, Any]:
    model.validate(module.params)
    if module.params["state"] == "absent":
        return ensure_absent(module)
    return ensure_present(module)


def _read(module: Any, kms: Any, alias: str, full: bool) -> dict[str, Any] | None:
    metadata = aws_kms.describe_key(kms, alias)
    if metadata is None:
        return None
    model.check_usable(metadata, alias)
    if not full:
        return model.current_key(metadata, None, None, None)
    key_id = metadata["KeyId"]
    reads: dict[str, Callable[[], Any]] = {
        "policy": lambda: aws_kms.get_key_policy(kms, key_id),
        "rotation": lambda: aws_kms.get_key_rotation_status(kms, key_id),
    }
    if module.params.get("tags") is not None:
        reads["tags"] = lambda: aws_kms.list_resource_tags(kms, key_id)
    found = read_concurrently(reads)
    current = model.current_key(metadata, found["policy"], found["rotation"], found.get("tags"))
    current["alias"] = alias
    return current


def _location(module: Any, current: dict[str, Any] | None) -> dict[str, str]:
    """partition + account id: from the key ARN, STS only when the key does not exist."""
    if current:
        where = model.parse_arn(current["key_arn"])
    else:
        identity = caller_identity(module)
        where = {"partition": identity["partition"], "account_id": identity["account_id"]}
    return {"partition": where["partition"], "account_id": where["account_id"], "region": module.region}


def _alias_arn(where: dict[str, str], alias: str) -> str:
    return f"arn:{where['partition']}:kms:{where['region']}:{where['account_id']}:{alias}"


def ensure_present(module: Any) -> dict[str, Any]:
    params = module.params
    kms = module.client("kms")
    alias = model.alias_name(params["alias"])
    current = _read(module, kms, alias, full=True)
    where = _location(module, current)
    desired = model.desired_key(params, where["partition"], where["region"], where["account_id"])
    changes = model.compare_present(desired, current)

    key = {"key_id": current["key_id"] if current else None, "key_arn": current["key_arn"] if current else None}
    apply_changes(changes, _appliers(kms, alias, key, params), module.check_mode)

    after = model.predicted_key(desired, current, changes)
    after.update(key)
    return build_result(
        changes,
        model.diff_view(current, desired),
        model.diff_view(after, desired),
        module._diff,
        key_arn=key["key_arn"],
        key_id=key["key_id"],
        alias_arn=_alias_arn(where, alias),
        key=after,
    )


def ensure_absent(module: Any) -> dict[str, Any]:
    params = module.params
    kms = module.client("kms")
    alias = model.alias_name(params["alias"])
    current = _read(module, kms, alias, full=False)
    if current is not None:
        current["alias"] = alias
    changes = model.compare_absent(current, alias, params["pending_window_days"])
    key = {"key_id": current["key_id"] if current else None, "key_arn": current["key_arn"] if current else None}
    apply_changes(changes, _appliers(kms, alias, key, params), module.check_mode)
    before = {"key": {"alias": alias, "key_state": current["key_state"]}} if current else {}
    after = {"key": {"alias": None, "key_state": model.PENDING_DELETION}} if changes else before
    return build_result(changes, before, after, module._diff, key_arn=key["key_arn"], key_id=key["key_id"], alias_arn=None)


def _appliers(kms: Any, alias: str, key: dict[str, Any], params: dict[str, Any]) -> dict[str, Callable[[Change], Any]]:
    """Writers; `key` is filled in by the creation so that later writers find the new key."""

    def create(change: Change) -> None:
        created = aws_kms.create_key(kms, change.after["description"] or None, change.after["policy"], change.after["tags"] or None)
        key["key_id"], key["key_arn"] = created["KeyId"], created["Arn"]

    def alias_change(change: Change) -> None:
        if change.action == "delete":
            aws_kms.delete_alias(kms, alias)
        else:
            aws_kms.create_alias(kms, alias, key["key_id"])

    def key_state(change: Change) -> None:
        aws_kms.cancel_key_deletion(kms, key["key_id"])
        aws_kms.enable_key(kms, key["key_id"])

    def description(change: Change) -> None:
        aws_kms.update_key_description(kms, key["key_id"], change.after)

    def key_policy(change: Change) -> None:
        aws_kms.put_key_policy(kms, key["key_id"], change.after)

    def rotation(change: Change) -> None:
        if change.after["enabled"]:
            aws_kms.enable_key_rotation(kms, key["key_id"], params.get("rotation_period_days"))
        else:
            aws_kms.disable_key_rotation(kms, key["key_id"])

    def tags(change: Change) -> None:
        if change.details.get("remove"):
            aws_kms.untag_resource(kms, key["key_id"], list(change.details["remove"]))
        if change.details.get("set"):
            aws_kms.tag_resource(kms, key["key_id"], dict(change.details["set"]))

    def deletion(change: Change) -> None:
        aws_kms.schedule_key_deletion(kms, key["key_id"], params["pending_window_days"])

    return {
        "key": create,
        "alias": alias_change,
        "key_state": key_state,
        "description": description,
        "key_policy": key_policy,
        "rotation": rotation,
        "tags": tags,
        "deletion": deletion,
    }
