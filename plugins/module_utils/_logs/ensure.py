# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_log_group through the pipeline: one Resource per state.

The desired delivery role needs the partition and account: they come from the ARN of the group
or of the role, so desired() locates them first (DescribeLogGroups, GetRole and GetRolePolicy
concurrently; STS only when neither exists) and read() adds what only an existing group has: its
tags (when managed) and, only when the task would lower its retention without
allow_retention_decrease, its newest log stream (a group holding none may be lowered).
"""

from __future__ import annotations

from typing import Any, Callable

from .._aws import iam as aws_iam
from .._aws import logs as aws_logs
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.pipeline import Context, Resource, run_state
from . import model
from . import policy as logs_policy

ROLE_DESCRIPTION = "Lets CloudTrail deliver events to CloudWatch Logs (managed by cloudaudit.aws)"


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": LogGroupPresent, "absent": LogGroupAbsent})


def _find_log_group(logs: Any, name: str) -> dict[str, Any] | None:
    """The log group named exactly name (DescribeLogGroups by prefix, usually one page), or None."""
    token = None
    while True:
        page = aws_logs.describe_log_groups_page(logs, name, token)
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return group
        token = page.get("nextToken")
        if not token:
            return None


def _plain_arn(group_arn: str) -> str:
    """The group ARN without the ':*' CloudTrail wants (the form tagging APIs take)."""
    return group_arn[:-2] if group_arn.endswith(":*") else group_arn


class _LogGroup(Resource):
    """What both states share: the names, the reads of the group and the role, and the writers."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.name: str = ctx.params["name"]
        self.role_name: str | None = ctx.params.get("delivery_role_name")
        self.group_arn = ""

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def _find(self) -> dict[str, Any]:
        """{'group': the DescribeLogGroups entry or None, 'role': the normalised delivery role or None}."""
        logs = self.ctx.client("logs")
        reads: dict[str, Callable[[], Any]] = {"group": lambda: _find_log_group(logs, self.name)}
        if self.role_name:
            iam = self.ctx.client("iam")
            reads["role"] = lambda: aws_iam.get_role(iam, self.role_name)
            reads["role_policy"] = lambda: aws_iam.get_role_policy(iam, self.role_name, logs_policy.ROLE_POLICY_NAME)
        found = read_concurrently(reads)
        return {"group": found["group"], "role": model.current_role(found.get("role"), found.get("role_policy"))}

    def _newest_stream(self) -> dict[str, Any] | None:
        return aws_logs.latest_log_stream(self.ctx.client("logs"), self.name)

    def write(self, change: Change) -> None:
        getattr(self, f"_write_{change.setting}")(change)

    def _write_log_group(self, change: Change) -> None:
        logs = self.ctx.client("logs")
        if change.action == "delete":
            aws_logs.delete_log_group(logs, self.name)
            return
        after = change.after
        aws_logs.create_log_group(logs, self.name, after.get("kms_key_id"), change.details.get("log_group_class"), after.get("tags"))

    def _write_retention_days(self, change: Change) -> None:
        if change.after is None:
            aws_logs.delete_retention_policy(self.ctx.client("logs"), self.name)
        else:
            aws_logs.put_retention_policy(self.ctx.client("logs"), self.name, change.after)

    def _write_kms_key_id(self, change: Change) -> None:
        if change.after is None:
            aws_logs.disassociate_kms_key(self.ctx.client("logs"), self.name)
        else:
            aws_logs.associate_kms_key(self.ctx.client("logs"), self.name, change.after)

    def _write_tags(self, change: Change) -> None:
        logs, arn = self.ctx.client("logs"), _plain_arn(self.group_arn)
        if change.details.get("remove"):
            aws_logs.untag_resource(logs, arn, list(change.details["remove"]))
        if change.details.get("set"):
            aws_logs.tag_resource(logs, arn, dict(change.details["set"]))

    def _write_role(self, change: Change) -> None:
        if change.action == "delete":
            aws_iam.delete_role(self.ctx.client("iam"), self.role_name)
        else:
            aws_iam.create_role(self.ctx.client("iam"), self.role_name, change.after["trust_policy"], ROLE_DESCRIPTION)

    def _write_role_trust_policy(self, change: Change) -> None:
        aws_iam.update_assume_role_policy(self.ctx.client("iam"), self.role_name, change.after)

    def _write_role_policy(self, change: Change) -> None:
        if change.action == "delete":
            aws_iam.delete_role_policy(self.ctx.client("iam"), self.role_name, logs_policy.ROLE_POLICY_NAME)
        else:
            aws_iam.put_role_policy(self.ctx.client("iam"), self.role_name, logs_policy.ROLE_POLICY_NAME, change.after)

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        if not state:
            return {}
        group = model.public_group(state["group"]) if state["group"] else None
        return model.diff_view(group, state["role"], desired["group"], desired["role"] is not None)


class LogGroupPresent(_LogGroup):
    """The group with its managed settings, and the delivery role when delivery_role_name is set.

    desired: {'group': managed group settings, 'role': desired role or None}; the group ARN (from
    the location) is kept on the instance for the result and the tag writers.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._found: dict[str, Any] = {}

    def desired(self) -> dict[str, Any]:
        params = self.ctx.params
        self._found = self._find()
        where = self._location(self._found["group"], self._found["role"])
        self.group_arn = logs_policy.log_group_arn(where["partition"], where["region"], where["account_id"], self.name)
        return {"group": model.desired_group(params), "role": model.desired_role(params, where["partition"], where["region"], where["account_id"])}

    def _location(self, group: dict[str, Any] | None, role: dict[str, Any] | None) -> dict[str, str]:
        """partition + account id: from the group or role ARN, STS only when neither exists."""
        if group:
            where = model.parse_arn(group.get("arn") or group["logGroupArn"])
        elif role:
            where = model.parse_arn(role["arn"])
        else:
            where = self.ctx.identity()
        return {"partition": where["partition"], "account_id": where["account_id"], "region": self.ctx.region}

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        found = self._found
        tags = None
        if found["group"] and "tags" in desired["group"]:
            tags = aws_logs.list_tags_for_resource(self.ctx.client("logs"), _plain_arn(self.group_arn))
        group = model.current_group(found["group"], tags)
        if model.needs_stream_check(desired["group"], group, self.ctx.params["allow_retention_decrease"]):
            group["newest_stream"] = self._newest_stream()
        return {"group": group, "role": found["role"]}

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        changes = model.compare_group(desired["group"], current["group"], self.ctx.params["allow_retention_decrease"])
        return changes + model.compare_role(desired["role"], current["role"])

    def after(self, desired: dict[str, Any], current: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
        group = model.public_group(current["group"]) if current["group"] else None
        return {
            "group": model.predicted_group(desired["group"], group, changes, arn=self.group_arn),
            "role": model.predicted_role(desired["role"], current["role"]),
        }

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        role = after["role"]
        return {"log_group_arn": self.group_arn, "role_arn": role["arn"] if role else None, "log_group": after["group"], "role": role}


class LogGroupAbsent(_LogGroup):
    """No group (deleting one that holds events needs force_delete_logs) and, when named, no delivery role."""

    def desired(self) -> dict[str, Any]:
        return {"group": {}, "role": None}

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        found = self._find()
        group = model.current_group(found["group"])
        if group is not None:
            group["newest_stream"] = self._newest_stream()
        return {"group": group, "role": found["role"]}

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        return model.compare_absent(current["group"], current["role"], bool(self.role_name), self.ctx.params["force_delete_logs"])

    def after(self, desired: dict[str, Any], current: dict[str, Any], changes: list[Change]) -> None:
        return None

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        if not state:
            return {}
        group = model.public_group(state["group"]) if state["group"] else None
        return model.diff_view(group, state["role"], {}, True)

    def result(self, desired: dict[str, Any], after: Any) -> dict[str, Any]:
        return {"log_group_arn": None, "role_arn": None, "log_group": None, "role": None}
