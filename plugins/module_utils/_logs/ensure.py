# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_log_group: validate -> read -> compare -> apply (not in check mode) -> result."""

from __future__ import annotations

from typing import Any, Callable

from .._aws import iam as aws_iam
from .._aws import logs as aws_logs
from .._common.account import caller_identity
from .._common.changes import Change, apply_changes, build_result
from .._common.concurrency import read_concurrently
from . import model
from . import policy as logs_policy

ROLE_DESCRIPTION = "Lets CloudTrail deliver events to CloudWatch Logs (managed by cloudaudit.aws)"


def ensure(module: Any) -> dict[str, Any]:
    params = module.params
    model.validate(params)
    if params["state"] == "absent":
        return ensure_absent(module)
    return ensure_present(module)


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


def _read(module: Any, logs: Any, iam: Any) -> dict[str, Any]:
    name, role_name = module.params["name"], module.params.get("delivery_role_name")
    reads: dict[str, Callable[[], Any]] = {"group": lambda: _find_log_group(logs, name)}
    if role_name:
        reads["role"] = lambda: aws_iam.get_role(iam, role_name)
        reads["role_policy"] = lambda: aws_iam.get_role_policy(iam, role_name, logs_policy.ROLE_POLICY_NAME)
    found = read_concurrently(reads)
    return {
        "group": found["group"],
        "role": model.current_role(found.get("role"), found.get("role_policy")),
    }


def _location(module: Any, group: dict[str, Any] | None, role: dict[str, Any] | None) -> dict[str, str]:
    """partition + account id: from the group or role ARN, STS only when neither exists."""
    if group:
        where = model.parse_arn(group["arn"])
    elif role:
        where = model.parse_arn(role["arn"])
    else:
        identity = caller_identity(module)
        where = {"partition": identity["partition"], "account_id": identity["account_id"]}
    return {"partition": where["partition"], "account_id": where["account_id"], "region": module.region}


def _plain_arn(group_arn: str) -> str:
    """The group ARN without the ':*' CloudTrail wants (the form tagging APIs take)."""
    return group_arn[:-2] if group_arn.endswith(":*") else group_arn


def ensure_present(module: Any) -> dict[str, Any]:
    params = module.params
    logs = module.client("logs")
    iam = module.client("iam") if params.get("delivery_role_name") else None
    found = _read(module, logs, iam)
    tags = None
    if found["group"] and params.get("tags") is not None:
        tags = aws_logs.list_tags_for_resource(logs, _plain_arn(found["group"]["arn"]))
    group = model.current_group(found["group"], tags)
    role = found["role"]

    where = _location(module, group, role)
    group_arn = logs_policy.log_group_arn(where["partition"], where["region"], where["account_id"], params["name"])
    desired = model.desired_group(params)
    wanted_role = model.desired_role(params, where["partition"], where["region"], where["account_id"])

    changes = model.compare_group(desired, group, _may_lower_retention(logs, params, desired, group))
    changes += model.compare_role(wanted_role, role)

    appliers = _appliers(logs, iam, params, group_arn)
    apply_changes(changes, appliers, module.check_mode)

    after_group = model.predicted_group(desired, model.public_group(group) if group else None, changes, arn=group_arn)
    after_role = model.predicted_role(wanted_role, role)
    manage_role = wanted_role is not None
    return build_result(
        changes,
        model.diff_view(model.public_group(group) if group else None, role, desired, manage_role),
        model.diff_view(after_group, after_role, desired, manage_role),
        module._diff,
        log_group_arn=group_arn,
        role_arn=after_role["arn"] if after_role else None,
        log_group=after_group,
        role=after_role,
    )


def _may_lower_retention(logs: Any, params: dict[str, Any], desired: dict[str, Any], group: dict[str, Any] | None) -> bool:
    """allow_retention_decrease, or a group that holds no log stream, so no event to lose.

    A converge stopped right after CreateLogGroup (killed, or PutRetentionPolicy refused once)
    leaves a group that never expires; every later run would then refuse to set the retention,
    and the delivery role and the trail would never be created. One more read, only then.
    """
    if params["allow_retention_decrease"] or not model.lowers_retention(desired, group):
        return bool(params["allow_retention_decrease"])
    return aws_logs.latest_log_stream(logs, group["name"]) is None


def ensure_absent(module: Any) -> dict[str, Any]:
    params = module.params
    logs = module.client("logs")
    iam = module.client("iam") if params.get("delivery_role_name") else None
    found = _read(module, logs, iam)
    group = model.current_group(found["group"])
    role = found["role"]
    if group is not None:
        model.check_delete_guard(group, aws_logs.latest_log_stream(logs, group["name"]), params["force_delete_logs"])
    changes = model.compare_absent(group, role, delete_role=bool(params.get("delivery_role_name")))
    apply_changes(changes, _appliers(logs, iam, params, group["arn"] if group else ""), module.check_mode)
    before = model.diff_view(model.public_group(group) if group else None, role, {}, True)
    return build_result(changes, before, {}, module._diff, log_group_arn=None, role_arn=None, log_group=None, role=None)


def _appliers(logs: Any, iam: Any, params: dict[str, Any], group_arn: str) -> dict[str, Callable[[Change], Any]]:
    name, role_name = params["name"], params.get("delivery_role_name")
    plain_arn = _plain_arn(group_arn)

    def log_group(change: Change) -> None:
        if change.action == "delete":
            aws_logs.delete_log_group(logs, name)
            return
        after = change.after
        tags = after.get("tags") if params.get("tags") is not None else None
        aws_logs.create_log_group(logs, name, after.get("kms_key_id"), params.get("log_group_class"), tags)

    def retention_days(change: Change) -> None:
        if change.after is None:
            aws_logs.delete_retention_policy(logs, name)
        else:
            aws_logs.put_retention_policy(logs, name, change.after)

    def kms_key_id(change: Change) -> None:
        if change.after is None:
            aws_logs.disassociate_kms_key(logs, name)
        else:
            aws_logs.associate_kms_key(logs, name, change.after)

    def tags(change: Change) -> None:
        if change.details.get("remove"):
            aws_logs.untag_resource(logs, plain_arn, list(change.details["remove"]))
        if change.details.get("set"):
            aws_logs.tag_resource(logs, plain_arn, dict(change.details["set"]))

    def role(change: Change) -> None:
        if change.action == "delete":
            aws_iam.delete_role(iam, role_name)
        else:
            aws_iam.create_role(iam, role_name, change.after["trust_policy"], ROLE_DESCRIPTION)

    def role_trust_policy(change: Change) -> None:
        aws_iam.update_assume_role_policy(iam, role_name, change.after)

    def role_policy(change: Change) -> None:
        if change.action == "delete":
            aws_iam.delete_role_policy(iam, role_name, logs_policy.ROLE_POLICY_NAME)
        else:
            aws_iam.put_role_policy(iam, role_name, logs_policy.ROLE_POLICY_NAME, change.after)

    return {
        "log_group": log_group,
        "retention_days": retention_days,
        "kms_key_id": kms_key_id,
        "tags": tags,
        "role": role,
        "role_trust_policy": role_trust_policy,
        "role_policy": role_policy,
    }
