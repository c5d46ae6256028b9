"""cloudtrail_trail on the pipeline, with stub AWS wrappers: what is read, written and predicted."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import cloudtrail, kms, sts
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import ensure

from ..conftest import StubModule
from .test_model import KEY_ARN, params

ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit"


@pytest.fixture
def aws(stub_aws):
    """DescribeTrails answers trails (a list the test may fill); creations answer the new trail."""
    trails = []
    stub_aws.answer(cloudtrail, "describe_trails", lambda client: trails)
    stub_aws.answer(kms, "describe_key", {"Arn": KEY_ARN})
    stub_aws.answer(sts, "get_caller_identity", {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/me"})
    stub_aws.answer(
        cloudtrail, "create_trail", lambda client, name, p: {"TrailARN": ARN, "Name": name, "S3BucketName": p["S3BucketName"], "KmsKeyId": p.get("KmsKeyId")}
    )
    for name in ("get_trail_status", "get_event_selectors", "list_tags", "put_event_selectors", "add_tags", "start_logging", "delete_trail"):
        stub_aws.answer(cloudtrail, name, {})
    stub_aws.trails = trails
    return stub_aws


def test_check_mode_create_predicts_the_arn_from_the_caller_and_writes_nothing(aws):
    result = ensure.ensure(StubModule(params(s3_bucket_name="audit-logs", kms_key_id="alias/k"), check_mode=True))
    assert aws.names() == ["describe_key", "describe_trails", "get_caller_identity"]
    assert result["changed"] and result["trail"]["trail_arn"] == ARN and result["trail"]["kms_key_id"] == KEY_ARN
    assert result["diff"] == {"before": {}, "after": {"name": "audit", "s3_bucket_name": "audit-logs", "kms_key_id": KEY_ARN, "enable_logging": True}}


def test_create_sends_the_resolved_key_and_keeps_the_arn_aws_returns(aws):
    result = ensure.ensure(StubModule(params(s3_bucket_name="audit-logs", kms_key_id="alias/k")))
    assert aws.names() == ["describe_key", "describe_trails", "create_trail", "start_logging"]
    assert aws.calls[2][1][1]["KmsKeyId"] == KEY_ARN
    assert aws.calls[3][1] == (ARN,)
    assert result["trail"]["trail_arn"] == ARN and result["status"]["is_logging"] is True


def test_absent_deletes_by_arn_and_refuses_a_shadow(aws):
    aws.trails.append({"Name": "audit", "TrailARN": ARN, "HomeRegion": "us-east-1"})
    result = ensure.ensure(StubModule(params(state="absent")))
    assert result["changed"] and aws.names()[-1] == "delete_trail" and aws.calls[-1][1] == (ARN,)
    aws.trails[0] = {"Name": "audit", "TrailARN": ARN, "HomeRegion": "eu-west-1"}
    with pytest.raises(CloudAuditError, match="home region is eu-west-1"):
        ensure.ensure(StubModule(params(state="absent"), check_mode=True))
    assert aws.names().count("delete_trail") == 1
