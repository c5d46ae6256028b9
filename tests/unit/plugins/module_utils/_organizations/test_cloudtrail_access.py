"""cloudtrail_organization through the pipeline, with the _aws seam stubbed: what is read, when, and the write order."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._organizations import cloudtrail_access

from ..seam_stubs import ACCOUNT, Seam, StubModule
from .test_cloudtrail_access_model import A, B, params

ORG = {"Id": "o-a1b2c3d4e5", "MasterAccountId": ACCOUNT}
ORG_TRAIL = {"TrailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org", "IsOrganizationTrail": True}


@pytest.fixture
def aws(monkeypatch):
    """install(**answers) -> the list of calls (seam wrappers and STS), in order."""

    def install(**answers: Any) -> list[str]:
        calls: list[str] = []
        orgs = {"describe_organization": ORG, "list_aws_service_access": [], "list_delegated_administrators": [], "describe_account": lambda _c, a: {"Id": a}}
        orgs.update({k: v for k, v in answers.items() if k not in ("describe_trails", "describe_event_data_stores")})
        trails = {"describe_trails": answers.get("describe_trails", []), "describe_event_data_stores": answers.get("describe_event_data_stores", [])}
        monkeypatch.setattr(cloudtrail_access, "aws_orgs", Seam(calls, orgs))
        monkeypatch.setattr(cloudtrail_access, "cloudtrail", Seam(calls, trails))
        return calls

    return install


def run(calls: list[str], check_mode: bool = False, **kw: Any) -> dict[str, Any]:
    return cloudtrail_access.ensure(StubModule(params(**kw), check_mode=check_mode, calls=calls))


def test_nothing_managed_reads_the_organization_only(aws) -> None:
    calls = aws()
    result = run(calls)
    assert calls == ["describe_organization"]
    assert not result["changed"] and result["organization_id"] == ORG["Id"] and result["trusted_access"] is None


def test_no_op_reads_what_is_managed_and_writes_nothing(aws) -> None:
    calls = aws(list_aws_service_access=["cloudtrail.amazonaws.com"], list_delegated_administrators=[A])
    result = run(calls, trusted_access=True, delegated_administrators=[A])
    assert sorted(calls) == sorted(["describe_organization", "get_caller_identity", "list_aws_service_access", "list_delegated_administrators"])
    assert not result["changed"] and (result["trusted_access"], result["delegated_administrators"]) == (True, [A])


def test_registering_reads_the_account_and_trusted_access_then_writes_in_order(aws) -> None:
    calls = aws(list_aws_service_access=["cloudtrail.amazonaws.com"], list_delegated_administrators=[B])
    result = run(calls, delegated_administrators=[A], purge_delegated_administrators=True)
    assert {"describe_account", "list_aws_service_access"} <= set(calls)
    assert calls[-2:] == ["deregister_organization_delegated_admin", "register_organization_delegated_admin"]
    assert result["delegated_administrators"] == [A] and result["trusted_access"] is True


def test_check_mode_writes_nothing(aws) -> None:
    calls = aws()
    result = run(calls, check_mode=True, trusted_access=True, delegated_administrators=[A])
    assert result["changed"] and [c["setting"] for c in result["changes"]] == ["trusted_access", "delegated_administrators"]
    assert not [c for c in calls if c.startswith(("enable_", "disable_", "register_", "deregister_"))]
    assert result["diff"]["before"] == {"trusted_access": False, "delegated_administrators": []}
    assert result["diff"]["after"] == {"trusted_access": True, "delegated_administrators": [A]}


def test_a_member_account_is_refused_before_reading_its_settings(aws) -> None:
    calls = aws(describe_organization={"Id": "o-a1b2c3d4e5", "MasterAccountId": "999999999999"})
    with pytest.raises(CloudAuditError) as e:
        run(calls, trusted_access=True)
    assert f"account {ACCOUNT} is not the management account 999999999999" in e.value.msg
    assert sorted(calls) == ["describe_organization", "get_caller_identity"]


def test_disabling_looks_for_organization_trails_only_without_force(aws) -> None:
    calls = aws(list_aws_service_access=["cloudtrail.amazonaws.com"], describe_trails=[ORG_TRAIL])
    with pytest.raises(CloudAuditError) as e:
        run(calls, trusted_access=False)
    assert e.value.option == "trusted_access" and "force_stop_delivery=true" in e.value.msg
    assert "describe_trails" in calls and "disable_aws_service_access" not in calls
    calls = aws(list_aws_service_access=["cloudtrail.amazonaws.com"], describe_trails=[ORG_TRAIL])
    result = run(calls, trusted_access=False, force_stop_delivery=True)
    assert result["changed"] and "describe_trails" not in calls and calls[-1] == "disable_aws_service_access"
