# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tag comparison in the amazon.aws way (purge_tags, None means leave alone)."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from .changes import Change


def tag_change(current: dict[str, str] | None, desired: dict[str, str] | None, purge: bool) -> Change | None:
    """A 'tags' Change when the desired tags differ from the current ones, else None."""
    if desired is None:
        return None
    current = current or {}
    to_set, to_remove = compare_aws_tags(current, desired, purge_tags=purge)
    if not to_set and not to_remove:
        return None
    after = {k: v for k, v in current.items() if k not in to_remove}
    after.update(to_set)
    return Change("tags", before=current, after=after, details={"set": to_set, "remove": list(to_remove)})


def tags_after(current: dict[str, str] | None, change: Change | None) -> dict[str, Any]:
    return dict(change.after) if change else dict(current or {})
