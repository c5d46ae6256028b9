"""Federation, event configuration, organization delegated admin and resource policies."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.test_lake import _trail

ROLE = "arn:aws:iam::123456789012:role/lake-federation"


def _code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_federation_enable_disable(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="fed-store")["EventDataStoreArn"]
    enabled = ct.enable_federation(EventDataStore=arn, FederationRoleArn=ROLE)
    assert (enabled["FederationStatus"], enabled["FederationRoleArn"], enabled["EventDataStoreArn"]) == ("ENABLED", ROLE, arn)
    got = ct.get_event_data_store(EventDataStore=arn)
    assert (got["FederationStatus"], got["FederationRoleArn"]) == ("ENABLED", ROLE)
    with pytest.raises(ClientError) as e:
        ct.enable_federation(EventDataStore=arn, FederationRoleArn=ROLE)
    assert _code(e) == "EventDataStoreFederationEnabledException"
    assert ct.disable_federation(EventDataStore=arn)["FederationStatus"] == "DISABLED"
    got = ct.get_event_data_store(EventDataStore=arn)
    assert got["FederationStatus"] == "DISABLED" and "FederationRoleArn" not in got
    with pytest.raises(ClientError) as e:
        ct.enable_federation(EventDataStore=arn, FederationRoleArn="arn:aws:iam::123456789012:user/not-a-role")
    assert _code(e) == "InvalidParameterException"


def test_event_configuration_for_a_store(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="cfg-store")["EventDataStoreArn"]
    default = ct.get_event_configuration(EventDataStore=arn)
    assert (default["EventDataStoreArn"], default["MaxEventSize"], default["ContextKeySelectors"]) == (arn, "Standard", [])
    selectors = [{"Type": "RequestContext", "Equals": ["aws:SourceIp"]}, {"Type": "TagContext", "Equals": ["team"]}]
    with pytest.raises(ClientError) as e:
        ct.put_event_configuration(EventDataStore=arn, ContextKeySelectors=selectors)  # needs Large
    assert _code(e) == "InvalidParameterException"
    put = ct.put_event_configuration(EventDataStore=arn, MaxEventSize="Large", ContextKeySelectors=selectors)
    assert (put["MaxEventSize"], put["ContextKeySelectors"]) == ("Large", selectors)
    got = ct.get_event_configuration(EventDataStore="cfg-store")
    assert (got["MaxEventSize"], got["ContextKeySelectors"]) == ("Large", selectors)
    with pytest.raises(ClientError) as e:
        ct.put_event_configuration(EventDataStore=arn, MaxEventSize="Large", ContextKeySelectors=selectors[:1] * 2)
    assert _code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ct.get_event_configuration()
    assert _code(e) == "InvalidParameterCombinationException"
    assert ct.put_event_configuration(EventDataStore=arn, MaxEventSize="Standard", ContextKeySelectors=[])["MaxEventSize"] == "Standard"


def test_event_configuration_for_a_trail(aws):
    aws.client("s3").create_bucket(Bucket="cfg-trail-bucket")
    trail_arn = _trail(aws, "cfg-trail", "cfg-trail-bucket")
    ct = aws.client("cloudtrail")
    assert ct.get_event_configuration(TrailName="cfg-trail")["TrailARN"] == trail_arn
    aggregation = [{"Templates": ["API_ACTIVITY"], "EventCategory": "Data"}]
    put = ct.put_event_configuration(TrailName="cfg-trail", AggregationConfigurations=aggregation)
    assert put["AggregationConfigurations"] == aggregation
    with pytest.raises(ClientError) as e:
        ct.get_event_configuration(TrailName="no-such-trail")
    assert _code(e) == "TrailNotFoundException"


def _organization(aws) -> str:
    """An organization managed by the default account, with trusted access for CloudTrail; returns a member id."""
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="audit", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]
    org.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    return member


def test_delegated_admin_register_list_deregister(aws):
    member = _organization(aws)
    ct = aws.client("cloudtrail")
    org = aws.client("organizations")
    ct.register_organization_delegated_admin(MemberAccountId=member)
    admins = org.list_delegated_administrators(ServicePrincipal="cloudtrail.amazonaws.com")["DelegatedAdministrators"]
    assert [a["Id"] for a in admins] == [member]
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId=member)
    assert _code(e) == "AccountRegisteredException"
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId="123456789012")
    assert _code(e) == "CannotDelegateManagementAccountException"
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId="999999999999")
    assert _code(e) == "AccountNotFoundException"
    # Only the management account may register.
    with pytest.raises(ClientError) as e:
        aws.client("cloudtrail", account=member).register_organization_delegated_admin(MemberAccountId=member)
    assert _code(e) == "NotOrganizationManagementAccountException"
    ct.deregister_organization_delegated_admin(DelegatedAdminAccountId=member)
    assert org.list_delegated_administrators(ServicePrincipal="cloudtrail.amazonaws.com")["DelegatedAdministrators"] == []
    with pytest.raises(ClientError) as e:
        ct.deregister_organization_delegated_admin(DelegatedAdminAccountId=member)
    assert _code(e) == "AccountNotRegisteredException"


def test_delegated_admin_needs_organization_and_trusted_access(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId="111111111111")
    assert _code(e) == "OrganizationsNotInUseException"
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="m", Email="m@example.com")["CreateAccountStatus"]["AccountId"]
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId=member)
    assert _code(e) == "CloudTrailAccessNotEnabledException"


def test_delegated_admin_limit_is_three(aws):
    _organization(aws)
    org = aws.client("organizations")
    members = [org.create_account(AccountName=f"a{i}", Email=f"a{i}@example.com")["CreateAccountStatus"]["AccountId"] for i in range(4)]
    ct = aws.client("cloudtrail")
    for member in members[:3]:
        ct.register_organization_delegated_admin(MemberAccountId=member)
    with pytest.raises(ClientError) as e:
        ct.register_organization_delegated_admin(MemberAccountId=members[3])
    assert _code(e) == "DelegatedAdminAccountLimitExceededException"


def test_organization_store_needs_management_or_delegated_admin(aws):
    ct = aws.client("cloudtrail")
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="org-store", OrganizationEnabled=True)
    assert _code(e) == "OrganizationsNotInUseException"
    member = _organization(aws)
    assert ct.create_event_data_store(Name="org-store", OrganizationEnabled=True)["OrganizationEnabled"] is True
    member_ct = aws.client("cloudtrail", account=member)
    with pytest.raises(ClientError) as e:
        member_ct.create_event_data_store(Name="org-store", OrganizationEnabled=True)
    assert _code(e) == "NotOrganizationMasterAccountException"
    ct.register_organization_delegated_admin(MemberAccountId=member)
    assert member_ct.create_event_data_store(Name="org-store", OrganizationEnabled=True)["OrganizationEnabled"] is True


def test_resource_policy_on_a_store(aws):
    ct = aws.client("cloudtrail")
    arn = ct.create_event_data_store(Name="policy-store")["EventDataStoreArn"]
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "cloudtrail:StartQuery", "Resource": arn}],
        }
    )
    with pytest.raises(ClientError) as e:
        ct.get_resource_policy(ResourceArn=arn)
    assert _code(e) == "ResourcePolicyNotFoundException"
    assert ct.put_resource_policy(ResourceArn=arn, ResourcePolicy=policy)["ResourcePolicy"] == policy
    assert ct.get_resource_policy(ResourceArn=arn)["ResourcePolicy"] == policy
    with pytest.raises(ClientError) as e:
        ct.put_resource_policy(ResourceArn=arn, ResourcePolicy="{not json")
    assert _code(e) == "ResourcePolicyNotValidException"
    with pytest.raises(ClientError) as e:
        ct.put_resource_policy(ResourceArn="arn:aws:cloudtrail:us-east-1:123456789012:trail/t", ResourcePolicy=policy)
    assert _code(e) == "ResourceTypeNotSupportedException"
    with pytest.raises(ClientError) as e:
        ct.get_resource_policy(ResourceArn="not-an-arn")
    assert _code(e) == "ResourceARNNotValidException"
    ct.delete_resource_policy(ResourceArn=arn)
    with pytest.raises(ClientError) as e:
        ct.delete_resource_policy(ResourceArn=arn)
    assert _code(e) == "ResourcePolicyNotFoundException"
