"""Organizations corrections: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.test_corrections_cloudtrail import make_bucket

CLOUDTRAIL = "cloudtrail.amazonaws.com"


def code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def organization(aws, members: int = 1, trusted_access: bool = True) -> tuple[str, list[str]]:
    """(organization id, member account ids): managed by the default account 123456789012."""
    orgs = aws.client("organizations")
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    ids = [orgs.create_account(AccountName=f"m{i}", Email=f"m{i}@example.com")["CreateAccountStatus"]["AccountId"] for i in range(members)]
    if trusted_access:
        orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    return org_id, ids


def enabled(client) -> list[str]:
    return [s["ServicePrincipal"] for s in client.list_aws_service_access_for_organization()["EnabledServicePrincipals"]]


# 1. Outside an organization the trusted-access calls fail (moto accepted them and kept the state)
def test_trusted_access_outside_an_organization(aws):
    orgs = aws.client("organizations")
    for call in (
        lambda: orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL),
        lambda: orgs.disable_aws_service_access(ServicePrincipal=CLOUDTRAIL),
        orgs.list_aws_service_access_for_organization,
        lambda: orgs.list_delegated_administrators(ServicePrincipal=CLOUDTRAIL),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AWSOrganizationsNotInUseException"


# 2. Only the management account enables or disables trusted access and registers admins
def test_only_the_management_account_changes_trusted_access(aws):
    _org, (member, other) = organization(aws, members=2, trusted_access=False)
    member_orgs = aws.client("organizations", account=member)
    for call in (
        lambda: member_orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL),
        lambda: member_orgs.disable_aws_service_access(ServicePrincipal=CLOUDTRAIL),
        lambda: member_orgs.register_delegated_administrator(AccountId=other, ServicePrincipal=CLOUDTRAIL),
        lambda: member_orgs.deregister_delegated_administrator(AccountId=other, ServicePrincipal=CLOUDTRAIL),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AccessDeniedException"
    orgs = aws.client("organizations")
    assert enabled(orgs) == []
    orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    orgs.enable_aws_service_access(ServicePrincipal=CLOUDTRAIL)  # enabling again changes nothing
    assert enabled(orgs) == [CLOUDTRAIL]
    orgs.disable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    assert enabled(orgs) == []


# 3. Reads: the management account or a delegated administrator, answered from the organization
def test_members_read_only_as_delegated_administrators(aws):
    _org, (admin, member) = organization(aws, members=2)
    member_orgs = aws.client("organizations", account=member)
    for call in (
        member_orgs.list_aws_service_access_for_organization,
        lambda: member_orgs.list_delegated_administrators(ServicePrincipal=CLOUDTRAIL),
        lambda: member_orgs.describe_account(AccountId=admin),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "AccessDeniedException"
    aws.client("cloudtrail").register_organization_delegated_admin(MemberAccountId=admin)
    admin_orgs = aws.client("organizations", account=admin)
    assert enabled(admin_orgs) == [CLOUDTRAIL]
    assert [a["Id"] for a in admin_orgs.list_delegated_administrators(ServicePrincipal=CLOUDTRAIL)["DelegatedAdministrators"]] == [admin]
    assert admin_orgs.describe_account(AccountId=member)["Account"]["Id"] == member
    with pytest.raises(ClientError) as e:
        aws.client("organizations").describe_account(AccountId="999999999999")
    assert code(e) == "AccountNotFoundException"


# 4. Disabling trusted access turns organization trails and stores into the management account's own
def test_disabling_trusted_access_ends_organization_logging(aws):
    org_id, (member,) = organization(aws)
    make_bucket(aws, "org-logs", paths=["AWSLogs/123456789012/*", f"AWSLogs/{org_id}/*"])
    ct = aws.client("cloudtrail")
    arn = ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True, IsMultiRegionTrail=True)["TrailARN"]
    store = ct.create_event_data_store(Name="org-store", OrganizationEnabled=True)["EventDataStoreArn"]
    member_ct = aws.client("cloudtrail", account=member)
    assert [t["TrailARN"] for t in member_ct.describe_trails()["trailList"]] == [arn]
    aws.client("organizations").disable_aws_service_access(ServicePrincipal=CLOUDTRAIL)
    assert ct.get_trail(Name="org")["Trail"]["IsOrganizationTrail"] is False
    assert ct.get_event_data_store(EventDataStore=store)["OrganizationEnabled"] is False
    assert member_ct.describe_trails()["trailList"] == []
    with pytest.raises(ClientError) as e:
        member_ct.get_trail(Name=arn)
    assert code(e) == "TrailNotFoundException"
