# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_kms_key through the pipeline: one Resource per state.

No-op budget: DescribeKey(alias/<name>) finds the alias and the key in one call; then
GetKeyPolicy, GetKeyRotationStatus and (only when tags are managed) ListResourceTags
run concurrently: at most 4 reads. STS is called only when the key does not exist.

The desired key policy names the partition and account, which come from the key's ARN: so
desired() resolves the alias first (DescribeKey) and read() reads the rest of that key.
"""

from __future__ import annotations

from typing import Any, Callable

from .._aws import kms as aws_kms
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.pipeline import Context, Resource, run_state
from . import model
from . import policy as kms_policy


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": KeyPresent, "absent": KeyAbsent})


class _Key(Resource):
    """What both states share: the alias, the key it names (kept on the instance) and the writers."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.alias = model.alias_name(ctx.params["alias"] or "")
        self.key_id: str | None = None
        self.key_arn: str | None = None

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def _describe(self) -> dict[str, Any] | None:
        """The metadata of the key the alias names (None: no such alias); the key must be usable."""
        metadata = aws_kms.describe_key(self.ctx.client("kms"), self.alias)
        if metadata is not None:
            model.check_usable(metadata, self.alias)
            self.key_id, self.key_arn = metadata["KeyId"], metadata["Arn"]
        return metadata

    def write(self, change: Change) -> None:
        getattr(self, f"_write_{change.setting}")(change)

    def _write_key(self, change: Change) -> None:
        tags = {**(change.after["tags"] or {}), model.ALIAS_TAG: self.alias}  # findable before its alias exists
        created = aws_kms.create_key(self.ctx.client("kms"), change.after["description"] or None, change.after["policy"], tags)
        self.key_id, self.key_arn = created["KeyId"], created["Arn"]

    def _write_alias(self, change: Change) -> None:
        if change.action == "delete":
            aws_kms.delete_alias(self.ctx.client("kms"), self.alias)
        else:
            aws_kms.create_alias(self.ctx.client("kms"), self.alias, self.key_id)

    def _write_key_state(self, change: Change) -> None:
        aws_kms.cancel_key_deletion(self.ctx.client("kms"), self.key_id)
        aws_kms.enable_key(self.ctx.client("kms"), self.key_id)

    def _write_description(self, change: Change) -> None:
        aws_kms.update_key_description(self.ctx.client("kms"), self.key_id, change.after)

    def _write_key_policy(self, change: Change) -> None:
        aws_kms.put_key_policy(self.ctx.client("kms"), self.key_id, change.after)

    def _write_rotation(self, change: Change) -> None:
        if change.after["enabled"]:
            aws_kms.enable_key_rotation(self.ctx.client("kms"), self.key_id, change.details.get("rotation_period_days"))
        else:
            aws_kms.disable_key_rotation(self.ctx.client("kms"), self.key_id)

    def _write_tags(self, change: Change) -> None:
        if change.details.get("remove"):
            aws_kms.untag_resource(self.ctx.client("kms"), self.key_id, list(change.details["remove"]))
        if change.details.get("set"):
            aws_kms.tag_resource(self.ctx.client("kms"), self.key_id, dict(change.details["set"]))

    def _write_deletion(self, change: Change) -> None:
        aws_kms.schedule_key_deletion(self.ctx.client("kms"), self.key_id, change.after["pending_window_days"])

    def result(self, desired: Any, after: Any) -> dict[str, Any]:
        return {"key_arn": self.key_arn, "key_id": self.key_id, "alias_arn": None}


class KeyPresent(_Key):
    """A customer managed symmetric key under the alias, with its policy, rotation, description and tags.

    desired() keeps the key's metadata (from resolving the alias) and its location (partition,
    account, region: for the policy and the alias ARN) on the instance.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._metadata: dict[str, Any] | None = None
        self._policy: Any = None
        self.where: dict[str, str] = {}
        self.adopted = False

    def desired(self) -> dict[str, Any]:
        self._metadata = self._describe() or self._orphan()
        if self._metadata:
            where = model.parse_arn(self._metadata["Arn"])
        else:
            where = self.ctx.identity()
        self.where = {"partition": where["partition"], "account_id": where["account_id"], "region": self.ctx.region}
        granted = kms_policy.granted_account_ids(self._current_policy()) if self._metadata else None
        return model.desired_key(self.ctx.params, self.where["partition"], self.where["region"], self.where["account_id"], granted)

    def _orphan(self) -> dict[str, Any] | None:
        """A key this module created for the alias whose CreateAlias never ran (a run killed in between): adopted.

        Read only when the alias does not exist: ListAliases, ListKeys, and the tags of the keys no alias names. A key
        whose tags the caller may not read (or that is gone) is skipped: it is not one of ours, whose creator reads them.
        """
        kms = self.ctx.client("kms")
        named = aws_kms.list_alias_targets(kms)
        found = []
        for key_id in aws_kms.list_key_ids(kms):
            if key_id in named or (aws_kms.list_resource_tags_if_readable(kms, key_id) or {}).get(model.ALIAS_TAG) != self.alias:
                continue
            metadata = aws_kms.describe_key(kms, key_id)
            if metadata and metadata.get("KeyManager") == "CUSTOMER":
                found.append(metadata)
        if not found:
            return None
        found.sort(key=lambda m: str(m.get("CreationDate")))
        if len(found) > 1:
            self.ctx.warn(f"{len(found)} keys without an alias are tagged for {self.alias}; adopting the oldest, {found[0]['KeyId']}")
        model.check_usable(found[0], self.alias)
        self.key_id, self.key_arn, self.adopted = found[0]["KeyId"], found[0]["Arn"], True
        return found[0]

    def _current_policy(self) -> Any:
        """The key policy, read once: desired() widens the accounts with it, read() reports it."""
        if self._policy is None:
            self._policy = aws_kms.get_key_policy(self.ctx.client("kms"), self.key_id)
        return self._policy

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        if self._metadata is None:
            return None
        kms, key_id = self.ctx.client("kms"), self.key_id
        reads: dict[str, Callable[[], Any]] = {
            "policy": self._current_policy,
            "rotation": lambda: aws_kms.get_key_rotation_status(kms, key_id),
        }
        if "tags" in desired:
            reads["tags"] = lambda: aws_kms.list_resource_tags(kms, key_id)
        found = read_concurrently(reads)
        current = model.current_key(self._metadata, found["policy"], found["rotation"], found.get("tags"))
        current["alias"] = None if self.adopted else self.alias
        return current

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        changes = model.compare_present(desired, current, bool(self.ctx.params.get("force_stop_delivery")))
        if self.adopted:
            changes.insert(0, Change("alias", None, self.alias, "create", details={"adopted_key_id": self.key_id}))
        return changes

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        after = model.predicted_key(desired, current, changes)
        after.update(key_id=self.key_id, key_arn=self.key_arn)
        return after

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return model.diff_view(state, desired)

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        alias_arn = f"arn:{self.where['partition']}:kms:{self.where['region']}:{self.where['account_id']}:{self.alias}"
        return {"key_arn": self.key_arn, "key_id": self.key_id, "alias_arn": alias_arn, "key": after}


class KeyAbsent(_Key):
    """No alias, and the key it named scheduled for deletion (never deleted at once); a key already pending is left alone."""

    def desired(self) -> dict[str, Any]:
        return {"alias": None, "key_state": model.PENDING_DELETION, "pending_window_days": self.ctx.params["pending_window_days"]}

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        metadata = self._describe()
        if metadata is None:
            return None
        current = model.current_key(metadata, None, None, None)
        current["alias"] = self.alias
        return current

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        return model.compare_absent(current, self.alias, desired["pending_window_days"])

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any] | None:
        return {"alias": None, "key_state": model.PENDING_DELETION} if changes else current

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return {"key": {"alias": state["alias"], "key_state": state["key_state"]}} if state else {}
