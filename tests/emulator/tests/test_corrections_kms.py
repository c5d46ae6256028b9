"""KMS corrections: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def kms(aws):
    return aws.client("kms")


def test_rotation_period_defaults_to_365_and_is_stored(kms):
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is False
    assert "RotationPeriodInDays" not in status
    kms.enable_key_rotation(KeyId=key_id)
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 365)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    assert kms.get_key_rotation_status(KeyId=key_id)["RotationPeriodInDays"] == 90
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=arn, RotationPeriodInDays=2560)
    assert kms.get_key_rotation_status(KeyId=arn)["RotationPeriodInDays"] == 2560
    kms.disable_key_rotation(KeyId=key_id)
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is False
    assert "RotationPeriodInDays" not in status


def test_rotation_period_outside_90_to_2560_is_a_validation_error(aws, kms):
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=180)
    # botocore checks the minimum itself: send the request unvalidated to see the service answer
    raw = boto3.client("kms", endpoint_url=aws.url, region_name="us-east-1", config=Config(parameter_validation=False))
    for days in (89, 2561, 0, 10000):
        with pytest.raises(ClientError) as e:
            raw.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=days)
        assert code(e) == "ValidationException", days
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 180)
