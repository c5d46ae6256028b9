"""partition_of: the ARN partition of a region (pure)."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.partition import partition_of


@pytest.mark.parametrize("region, partition", [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), (None, "aws"), ("", "aws")])
def test_partition_of(region, partition):
    assert partition_of(region) == partition
