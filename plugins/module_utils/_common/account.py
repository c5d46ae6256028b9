# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who and where we are: account id and partition, for ARNs built without AWS inventing them."""

from __future__ import annotations

from typing import Any

from .._aws import sts


def caller_identity(module: Any) -> dict[str, str]:
    """{'account_id', 'arn', 'partition'} of the credentials in use (one STS call)."""
    identity = sts.get_caller_identity(module.client("sts"))
    arn = identity["Arn"]
    return {"account_id": identity["Account"], "arn": arn, "partition": arn.split(":")[1]}
