"""_aws.s3control: what each call sends, "none set" as None, and the IAM action a failing call names (stub client)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import s3control

FLAGS = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


class StubClient:
    def __init__(self, **outcomes):
        self.outcomes, self.calls = outcomes, []

    def __getattr__(self, name):
        def method(**kwargs):
            self.calls.append((name, kwargs))
            outcome = self.outcomes.get(name, {})
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        return method


def _error(code: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


def test_get_returns_the_configuration_or_none():
    client = StubClient(get_public_access_block={"PublicAccessBlockConfiguration": FLAGS})
    assert s3control.get_public_access_block(client, "123456789012") == FLAGS
    assert client.calls == [("get_public_access_block", {"AccountId": "123456789012"})]
    missing = StubClient(get_public_access_block=_error("NoSuchPublicAccessBlockConfiguration", "GetPublicAccessBlock"))
    assert s3control.get_public_access_block(missing, "123456789012") is None


def test_put_and_delete_send_the_account_and_the_flags():
    client = StubClient()
    s3control.put_public_access_block(client, "123456789012", FLAGS)
    s3control.delete_public_access_block(client, "123456789012")
    assert client.calls == [
        ("put_public_access_block", {"AccountId": "123456789012", "PublicAccessBlockConfiguration": FLAGS}),
        ("delete_public_access_block", {"AccountId": "123456789012"}),
    ]


def test_a_denied_call_names_the_iam_action():
    client = StubClient(put_public_access_block=_error("AccessDenied", "PutPublicAccessBlock"))
    with pytest.raises(ClientError) as excinfo:
        s3control.put_public_access_block(client, "123456789012", FLAGS)
    assert excinfo.value.cloudaudit_call == {"action": "s3:PutAccountPublicAccessBlock", "resource": "account 123456789012"}
