# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check mode and diff as data: one list of changes drives apply, check and diff.

A model's compare(desired, current) returns a list of Change. The module then
calls apply_changes() (which does nothing in check mode) and build_result(),
so every module of the collection has identical changed / diff / check-mode
behaviour.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

MASK = "********"
# Module options / result keys that name the managed resource, most specific first (the drift report, cloudaudit.aws.resources).
RESOURCE_KEYS = ("name", "alias", "bucket", "bucket_name", "trail_name", "log_group_name", "event_data_store", "store", "arn")
SECRET_KEYS = frozenset(
    (
        "aws_secret_key",
        "aws_secret_access_key",
        "secret_access_key",
        "secret_key",
        "session_token",
        "aws_session_token",
        "security_token",
        "SecretAccessKey",
        "SessionToken",
    )
)


@dataclass(frozen=True)
class Change:
    """One managed setting that differs: what it is, what it was, what it will be."""

    setting: str
    before: Any = None
    after: Any = None
    action: str = "update"  # create | update | delete
    details: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"setting": self.setting, "action": self.action, "before": self.before, "after": self.after}


def mask_secrets(value: Any, secret_keys: Iterable[str] = SECRET_KEYS) -> Any:
    """A deep copy of value with the values of secret keys replaced by a mask."""
    keys = frozenset(secret_keys)
    if isinstance(value, Mapping):
        return {k: (MASK if k in keys and v not in (None, "") else mask_secrets(v, keys)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(v, keys) for v in value]
    return copy.deepcopy(value)


def apply_changes(
    changes: Iterable[Change],
    appliers: Mapping[str, Callable[[Change], Any]],
    check_mode: bool,
) -> None:
    """Run the writer of each change, in the order given; nothing in check mode."""
    if check_mode:
        return
    for change in changes:
        appliers[change.setting](change)


def build_result(
    changes: Iterable[Change],
    before: Any,
    after: Any,
    diff_mode: bool,
    **returned: Any,
) -> dict[str, Any]:
    """The module result: changed, the list of changes, diff when asked, and the state."""
    changes = list(changes)
    result: dict[str, Any] = dict(returned)
    result["changed"] = bool(changes)
    result["changes"] = mask_secrets([c.as_dict() for c in changes])
    if diff_mode:
        result["diff"] = {"before": mask_secrets(before or {}), "after": mask_secrets(after or {})}
    return result
