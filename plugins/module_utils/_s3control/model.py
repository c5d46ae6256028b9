# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure model of s3_account_public_access_block: validation, desired and current flags, compare, guard.

No boto3 here. A state is the four flags under their option names (None: the account has no
configuration, which blocks nothing). The desired state holds the flags the task sets (all four on
when it sets none); the others stay as they are. Turning a flag off, or deleting the
configuration while a flag is on, weakens the protection of every bucket: it carries a Guard.
"""

from __future__ import annotations

from typing import Any, Mapping

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Guard
from .._common.validate import check_account_ids

# Option name -> the field of PublicAccessBlockConfiguration.
FLAGS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}
GUARD_OPTION = "force_public_access"
SETTING = "public_access_block"


def validate(params: Mapping[str, Any]) -> None:
    """Fail, naming the option, on an account id that is not 12 digits or flags given with state=absent."""
    if params.get("account_id") is not None:
        check_account_ids([params["account_id"]], "account_id")
    if params.get("state") == "absent":
        for option in FLAGS:
            if params.get(option) is not None:
                raise CloudAuditError("only applies to state=present (state=absent deletes the whole configuration)", option)


def none_set() -> dict[str, bool]:
    """The flags of an account without configuration: nothing is blocked."""
    return {option: False for option in FLAGS}


def current_flags(aws: Mapping[str, Any] | None) -> dict[str, bool] | None:
    """A PublicAccessBlockConfiguration as the four flags (a field AWS omits is off); None for none."""
    if aws is None:
        return None
    return {option: bool(aws.get(field)) for option, field in FLAGS.items()}


def desired_flags(params: Mapping[str, Any]) -> dict[str, bool]:
    """The flags the task manages: those it sets, or all four on when it sets none."""
    given = {option: params[option] for option in FLAGS if params.get(option) is not None}
    return given or {option: True for option in FLAGS}


def overlaid(desired: Mapping[str, bool], current: Mapping[str, bool] | None) -> dict[str, bool]:
    """The four flags after: current (or none set) with the managed ones replaced."""
    return {**(current or none_set()), **desired}


def aws_configuration(flags: Mapping[str, bool]) -> dict[str, bool]:
    """The flags as PublicAccessBlockConfiguration (every field sent: AWS turns an omitted one off)."""
    return {field: bool(flags[option]) for option, field in FLAGS.items()}


def weakened(before: Mapping[str, bool] | None, after: Mapping[str, bool] | None) -> list[str]:
    """The flags that are on before and off after (after None: the configuration is deleted)."""
    after = after or none_set()
    return [option for option in FLAGS if (before or {}).get(option) and not after[option]]


def _guard(account_id: str, flags: list[str], force: bool) -> Guard | None:
    if force or not flags:
        return None
    return Guard(
        GUARD_OPTION,
        f"turning off {', '.join(flags)} for account {account_id} lets buckets of the account (audit log buckets included) "
        f"be made public; set {GUARD_OPTION}=true to do it",
        {"account_id": account_id, "weakened": flags},
    )


def compare_present(account_id: str, desired: Mapping[str, bool], current: Mapping[str, bool] | None, force: bool) -> list[Change]:
    """One PutPublicAccessBlock when the flags differ (or none is set); guarded when it turns a flag off."""
    after = overlaid(desired, current)
    if current is not None and dict(current) == after:
        return []
    guard = _guard(account_id, weakened(current, after), force)
    return [Change(SETTING, current, after, "create" if current is None else "update", {"guard": guard} if guard else {})]


def compare_absent(account_id: str, current: Mapping[str, bool] | None, force: bool) -> list[Change]:
    """One DeletePublicAccessBlock when a configuration exists; guarded while a flag is on."""
    if current is None:
        return []
    guard = _guard(account_id, weakened(current, None), force)
    return [Change(SETTING, dict(current), None, "delete", {"guard": guard} if guard else {})]
