"""The trail writes retry exactly the errors AWS answers while a trail's bucket policy, key policy or delivery
role propagate (bounded), and nothing else that a user must fix; a denied call remembers its IAM action."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import cloudtrail, retry


class FlakyTrails:
    """create_trail / update_trail refused with code the first `times` calls, then accepted."""

    def __init__(self, code: str, times: int) -> None:
        self.code, self.times, self.calls = code, times, 0

    def _answer(self, operation: str) -> dict:
        self.calls += 1
        if self.calls <= self.times:
            raise ClientError({"Error": {"Code": self.code, "Message": "propagating"}}, operation)
        return {"Name": "audit", "TrailARN": "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit", "ResponseMetadata": {}}

    def create_trail(self, **kwargs: object) -> dict:
        return self._answer("CreateTrail")

    def update_trail(self, **kwargs: object) -> dict:
        return self._answer("UpdateTrail")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)


@pytest.mark.parametrize("code", retry.PROPAGATION_ERROR_CODES)
@pytest.mark.parametrize("write", ["create", "update"])
def test_each_propagation_error_is_retried_on_trail_writes(code: str, write: str) -> None:
    client = FlakyTrails(code, times=3)
    answer = cloudtrail.create_trail(client, "audit", {}) if write == "create" else cloudtrail.update_trail(client, "audit", {})
    assert answer["Name"] == "audit" and client.calls == 4


def test_the_retry_is_bounded_then_aws_error_reaches_the_user() -> None:
    client = FlakyTrails("InsufficientS3BucketPolicyException", times=100)
    with pytest.raises(ClientError) as error:
        cloudtrail.create_trail(client, "audit", {})
    assert client.calls == 7 and error.value.response["Error"]["Code"] == "InsufficientS3BucketPolicyException"


def test_other_errors_are_not_retried_and_remember_the_iam_action() -> None:
    client = FlakyTrails("InvalidParameterCombinationException", times=1)
    with pytest.raises(ClientError) as error:
        cloudtrail.create_trail(client, "audit", {})
    assert client.calls == 1
    assert error.value.cloudaudit_call == {"action": "cloudtrail:CreateTrail", "resource": "audit"}
