"""S3 Control account-level Block Public Access through the emulator: as AWS answers, recorded by its API name."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def test_public_access_block_lifecycle_is_recorded_as_reads_and_writes(aws):
    s3control = aws.client("s3control")
    mark = aws.emulator.mark()
    with pytest.raises(ClientError) as excinfo:
        s3control.get_public_access_block(AccountId=ACCOUNT)
    assert excinfo.value.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"
    s3control.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=dict(ALL_ON, IgnorePublicAcls=False))
    assert s3control.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"] == dict(ALL_ON, IgnorePublicAcls=False)
    s3control.delete_public_access_block(AccountId=ACCOUNT)
    calls = aws.emulator.calls(since=mark)
    assert [(c["service"], c["operation"], c["mutating"]) for c in calls] == [
        ("s3control", "GetPublicAccessBlock", False),
        ("s3control", "PutPublicAccessBlock", True),
        ("s3control", "GetPublicAccessBlock", False),
        ("s3control", "DeletePublicAccessBlock", True),
    ]
    assert {c["params"]["AccountId"] for c in calls} == {ACCOUNT}
    assert aws.emulator.summary(since=mark)["write_operations"] == ["s3control:PutPublicAccessBlock", "s3control:DeletePublicAccessBlock"]


def test_the_configuration_is_the_account_s_in_every_region_and_only_its_own(aws):
    aws.client("s3control").put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_ON)
    assert aws.client("s3control", region="eu-west-1").get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"] == ALL_ON
    with pytest.raises(ClientError) as excinfo:
        aws.client("s3control").get_public_access_block(AccountId="111111111111")
    assert excinfo.value.response["Error"]["Code"] == "AccessDenied"
    other = aws.client("s3control", account="111111111111")
    with pytest.raises(ClientError) as excinfo:
        other.get_public_access_block(AccountId="111111111111")
    assert excinfo.value.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"
