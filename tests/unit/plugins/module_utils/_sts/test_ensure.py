"""assume_role through the pipeline: one AssumeRole in every mode, never changed, no diff of the credentials."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._sts import ensure

from ..seam_stubs import Seam, StubModule

ROLE = "arn:aws:iam::222233334444:role/Audit"
CREDENTIALS = {"AccessKeyId": "ASIA1", "SecretAccessKey": "s3cret", "SessionToken": "t0ken", "Expiration": datetime(2026, 1, 1, tzinfo=timezone.utc)}


@pytest.mark.parametrize("check_mode", [True, False])
def test_credentials_in_every_mode(monkeypatch, check_mode) -> None:
    calls: list[str] = []
    requests: list[dict] = []
    monkeypatch.setattr(ensure, "sts", Seam(calls, {"assume_role": lambda client, request: requests.append(request) or CREDENTIALS}))
    params = {"role_arn": ROLE, "session_name": "cloudaudit", "external_id": None, "duration_seconds": 900}
    result = ensure.ensure_credentials(StubModule(params, check_mode=check_mode))
    assert calls == ["assume_role"]
    assert requests == [{"RoleArn": ROLE, "RoleSessionName": "cloudaudit", "DurationSeconds": 900}]
    assert result["changed"] is False and result["changes"] == []
    assert result["diff"] == {"before": {}, "after": {}}
    assert (result["account_id"], result["role_arn"]) == ("222233334444", ROLE)
    assert result["credentials"] == {"access_key": "ASIA1", "secret_key": "s3cret", "session_token": "t0ken", "expiration": "2026-01-01T00:00:00+00:00"}
    assert result["connection"] == {"access_key": "ASIA1", "secret_key": "s3cret", "session_token": "t0ken", "region": "us-east-1"}
