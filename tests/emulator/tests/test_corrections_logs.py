"""CloudWatch Logs corrections: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

AWS_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]


def code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def logs(aws):
    client = aws.client("logs")
    client.create_log_group(logGroupName="trail")
    return client


def retention(logs) -> int | None:
    return logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0].get("retentionInDays")


# 14. Retention values
@pytest.mark.parametrize("days", [0, 2, 4, 31, 366, 3650, 5000])
def test_retention_outside_the_aws_list_is_refused(logs, days):
    with pytest.raises(ClientError) as e:
        logs.put_retention_policy(logGroupName="trail", retentionInDays=days)
    assert code(e) == "InvalidParameterException"
    assert retention(logs) is None


def test_every_aws_retention_value_is_accepted(logs):
    for days in AWS_RETENTION_DAYS:
        logs.put_retention_policy(logGroupName="trail", retentionInDays=days)
        assert retention(logs) == days
    logs.delete_retention_policy(logGroupName="trail")
    assert retention(logs) is None
    with pytest.raises(ClientError) as e:
        logs.put_retention_policy(logGroupName="missing", retentionInDays=30)
    assert code(e) == "ResourceNotFoundException"


# 15. AssociateKmsKey / DisassociateKmsKey
def test_associate_and_disassociate_kms_key(aws, logs):
    key_arn = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    logs.associate_kms_key(logGroupName="trail", kmsKeyId=key_arn)
    assert logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]["kmsKeyId"] == key_arn
    logs.disassociate_kms_key(logGroupName="trail")
    assert "kmsKeyId" not in logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]
    group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:trail"
    logs.associate_kms_key(resourceIdentifier=group_arn, kmsKeyId=key_arn)
    assert logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]["kmsKeyId"] == key_arn
    logs.disassociate_kms_key(resourceIdentifier=group_arn)
    assert "kmsKeyId" not in logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]


def test_kms_association_errors(aws, logs):
    key_arn = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as e:
        logs.associate_kms_key(logGroupName="missing", kmsKeyId=key_arn)
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        logs.disassociate_kms_key(logGroupName="missing")
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        logs.associate_kms_key(logGroupName="trail", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")
    assert code(e) == "InvalidParameterException"
    assert "kmsKeyId" not in logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]


# Log group class
def test_log_group_class_is_stored_and_described(logs):
    assert logs.describe_log_groups(logGroupNamePrefix="trail")["logGroups"][0]["logGroupClass"] == "STANDARD"
    for group_class in ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"):
        logs.create_log_group(logGroupName=f"c-{group_class}", logGroupClass=group_class)
        assert logs.describe_log_groups(logGroupNamePrefix=f"c-{group_class}")["logGroups"][0]["logGroupClass"] == group_class
    names = [g["logGroupName"] for g in logs.describe_log_groups(logGroupClass="INFREQUENT_ACCESS")["logGroups"]]
    assert names == ["c-INFREQUENT_ACCESS"]
    with pytest.raises(ClientError) as e:
        logs.create_log_group(logGroupName="c-bad", logGroupClass="COLD")
    assert code(e) == "InvalidParameterException"
    assert logs.describe_log_groups(logGroupNamePrefix="c-bad")["logGroups"] == []


def test_put_metric_filter_replaces_a_filter_of_the_same_name(logs):
    def put(name: str, value: str) -> None:
        transformation = [{"metricName": name, "metricNamespace": "it", "metricValue": value}]
        logs.put_metric_filter(logGroupName="trail", filterName=name, filterPattern='{ $.eventName = "X" }', metricTransformations=transformation)

    for name in ("a", "b", "c"):
        put(name, "1")
    put("b", "0")
    filters = logs.describe_metric_filters(logGroupName="trail")["metricFilters"]
    assert sorted((f["filterName"], f["metricTransformations"][0]["metricValue"]) for f in filters) == [("a", "1"), ("b", "0"), ("c", "1")]
    logs.delete_metric_filter(logGroupName="trail", filterName="a")
    logs.delete_metric_filter(logGroupName="trail", filterName="b")
    assert [f["filterName"] for f in logs.describe_metric_filters(logGroupName="trail")["metricFilters"]] == ["c"]
