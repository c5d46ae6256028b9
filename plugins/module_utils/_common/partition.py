# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ARN partition of a region (pure), for ARNs built without asking AWS."""

from __future__ import annotations


def partition_of(region: str | None) -> str:
    """The ARN partition of a region (aws, aws-cn, aws-us-gov)."""
    region = region or ""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
