"""assume_role: validation before any AWS call, the request, the credentials and the connection."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._sts import model

ROLE = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"


def params(**overrides):
    base = {"role_arn": ROLE, "session_name": "cloudaudit", "external_id": None, "duration_seconds": 3600}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"role_arn": "arn:aws-us-gov:iam::111122223333:role/path/to/Deploy"},
        {"session_name": "ci-run_42@org.example+x=y,z"},
        {"external_id": "tenant:42/abc"},
        {"duration_seconds": 900},
        {"duration_seconds": 43200},
    ],
)
def test_valid_options_pass(overrides):
    model.validate(params(**overrides))


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"role_arn": "OrganizationAccountAccessRole"}, "role_arn"),
        ({"role_arn": "arn:aws:s3:::bucket"}, "role_arn"),
        ({"role_arn": "arn:aws:iam::111122223333:user/alice"}, "role_arn"),
        ({"role_arn": None}, "role_arn"),
        ({"session_name": "a"}, "session_name"),
        ({"session_name": "has space"}, "session_name"),
        ({"session_name": "x" * 65}, "session_name"),
        ({"external_id": "x"}, "external_id"),
        ({"external_id": "bad id"}, "external_id"),
        ({"duration_seconds": 899}, "duration_seconds"),
        ({"duration_seconds": 43201}, "duration_seconds"),
    ],
)
def test_invalid_options_name_the_option(overrides, option):
    with pytest.raises(CloudAuditError) as err:
        model.validate(params(**overrides))
    assert err.value.option == option
    assert err.value.msg.startswith(f"{option}: ")


def test_request_without_external_id():
    assert model.assume_role_request(params()) == {"RoleArn": ROLE, "RoleSessionName": "cloudaudit", "DurationSeconds": 3600}


def test_request_with_external_id():
    assert model.assume_role_request(params(external_id="abc123"))["ExternalId"] == "abc123"


AWS_CREDENTIALS = {
    "AccessKeyId": "ASIAEXAMPLE",
    "SecretAccessKey": "s3cr3t",
    "SessionToken": "t0k3n",
    "Expiration": datetime(2026, 11, 23, 21, 0, tzinfo=timezone.utc),
}


def test_credentials_result():
    assert model.credentials_result(AWS_CREDENTIALS) == {
        "access_key": "ASIAEXAMPLE",
        "secret_key": "s3cr3t",
        "session_token": "t0k3n",
        "expiration": "2026-11-23T21:00:00+00:00",
    }


@pytest.mark.parametrize(
    "region, expected_keys",
    [("eu-west-1", {"access_key", "secret_key", "session_token", "region"}), (None, {"access_key", "secret_key", "session_token"})],
)
def test_connection_is_ready_for_module_defaults(region, expected_keys):
    connection = model.connection(model.credentials_result(AWS_CREDENTIALS), region)
    assert set(connection) == expected_keys
    assert "expiration" not in connection
    if region:
        assert connection["region"] == region


def test_secrets_and_account():
    credentials = model.credentials_result(AWS_CREDENTIALS)
    assert model.secrets(credentials) == ["s3cr3t", "t0k3n"]
    assert model.account_of(ROLE) == "111122223333"
