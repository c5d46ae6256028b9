# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon EC2 (only the region list): one wrapper per call, shared by every area."""

from __future__ import annotations

from typing import Any

from .retry import aws_retry


@aws_retry
def describe_regions(client: Any) -> list[dict[str, Any]]:
    """Regions enabled for the account (ec2 DescribeRegions, AllRegions=false)."""
    return client.describe_regions(AllRegions=False).get("Regions") or []
