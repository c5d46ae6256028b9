"""Organization trails as the other accounts of the organization see them: each test shows the AWS behaviour."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.test_corrections_cloudtrail import make_bucket
from tests.emulator.tests.test_corrections_organizations import code, organization

MANAGEMENT = "123456789012"
HOME = "us-east-1"
OTHER = "eu-west-1"


@pytest.fixture
def org(aws):
    """An organization with trusted access, two members (the first one a CloudTrail delegated administrator) and an org bucket."""
    org_id, members = organization(aws, members=2)
    aws.client("cloudtrail").register_organization_delegated_admin(MemberAccountId=members[0])
    make_bucket(aws, "org-logs", paths=[f"AWSLogs/{MANAGEMENT}/*", f"AWSLogs/{org_id}/*"])
    return {"id": org_id, "admin": members[0], "member": members[1]}


def _org_trail(aws, multi_region: bool = True) -> str:
    ct = aws.client("cloudtrail", region=HOME)
    return ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True, IsMultiRegionTrail=multi_region)["TrailARN"]


# 1. Every member lists the organization trail: the management account's ARN, IsOrganizationTrail, HomeRegion
def test_members_list_the_organization_trail(aws, org):
    arn = _org_trail(aws)
    assert arn == f"arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/org"
    for account in (org["member"], org["admin"]):
        for region in (HOME, OTHER):  # multi-region: in every region
            member_ct = aws.client("cloudtrail", account=account, region=region)
            (trail,) = member_ct.describe_trails()["trailList"]
            assert (trail["TrailARN"], trail["IsOrganizationTrail"], trail["HomeRegion"]) == (arn, True, HOME)
            assert [t["TrailARN"] for t in member_ct.list_trails()["Trails"]] == [arn]
            assert member_ct.describe_trails(includeShadowTrails=False)["trailList"] == []  # a shadow in member accounts
            assert member_ct.describe_trails(trailNameList=["org"])["trailList"] == []  # a plain name is the account's own
            assert [t["TrailARN"] for t in member_ct.describe_trails(trailNameList=[arn])["trailList"]] == [arn]
    # The management account sees its own trail, not a shadow of it.
    assert [t["TrailARN"] for t in aws.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"]] == [arn]


def test_a_single_region_organization_trail_shows_in_its_region_only(aws, org):
    arn = _org_trail(aws, multi_region=False)
    assert [t["TrailARN"] for t in aws.client("cloudtrail", account=org["member"]).describe_trails()["trailList"]] == [arn]
    other = aws.client("cloudtrail", account=org["member"], region=OTHER)
    assert other.describe_trails()["trailList"] == []
    with pytest.raises(ClientError) as e:
        other.get_trail(Name=arn)
    assert code(e) == "TrailNotFoundException"


# 2. Members read it by ARN (GetTrail, GetTrailStatus, selectors), never by name
def test_members_read_the_organization_trail_by_arn_only(aws, org):
    arn = _org_trail(aws)
    aws.client("cloudtrail").start_logging(Name=arn)
    member_ct = aws.client("cloudtrail", account=org["member"])
    assert member_ct.get_trail(Name=arn)["Trail"]["IsOrganizationTrail"] is True
    assert member_ct.get_trail_status(Name=arn)["IsLogging"] is True
    assert member_ct.get_event_selectors(TrailName=arn)["TrailARN"] == arn
    for call in (lambda: member_ct.get_trail(Name="org"), lambda: member_ct.get_trail_status(Name="org")):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "TrailNotFoundException"


# 3. A member that is not a delegated administrator cannot change it
def test_members_cannot_change_the_organization_trail(aws, org):
    arn = _org_trail(aws)
    member_ct = aws.client("cloudtrail", account=org["member"])
    selectors = [{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    for call in (
        lambda: member_ct.update_trail(Name=arn, S3KeyPrefix="mine"),
        lambda: member_ct.delete_trail(Name=arn),
        lambda: member_ct.stop_logging(Name=arn),
        lambda: member_ct.start_logging(Name=arn),
        lambda: member_ct.put_event_selectors(TrailName=arn, EventSelectors=selectors),
        lambda: member_ct.add_tags(ResourceId=arn, TagsList=[{"Key": "k", "Value": "v"}]),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "NotOrganizationMasterAccountException"
    for call in (lambda: member_ct.stop_logging(Name="org"), lambda: member_ct.delete_trail(Name="org")):  # by name: its own, none
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "TrailNotFoundException"
    assert aws.client("cloudtrail").get_trail(Name="org")["Trail"].get("S3KeyPrefix") is None


# 4. A CloudTrail delegated administrator reads and changes it by ARN (not by name)
def test_a_delegated_administrator_manages_the_organization_trail_by_arn(aws, org):
    arn = _org_trail(aws)
    admin_ct = aws.client("cloudtrail", account=org["admin"])
    admin_ct.update_trail(Name=arn, EnableLogFileValidation=True)
    admin_ct.start_logging(Name=arn)
    admin_ct.put_event_selectors(TrailName=arn, EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}])
    admin_ct.add_tags(ResourceId=arn, TagsList=[{"Key": "team", "Value": "audit"}])
    ct = aws.client("cloudtrail")
    assert ct.get_trail(Name="org")["Trail"]["LogFileValidationEnabled"] is True
    assert ct.get_trail_status(Name="org")["IsLogging"] is True
    assert ct.get_event_selectors(TrailName="org")["EventSelectors"][0]["ReadWriteType"] == "WriteOnly"
    assert ct.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"] == [{"Key": "team", "Value": "audit"}]
    with pytest.raises(ClientError) as e:
        admin_ct.stop_logging(Name="org")
    assert code(e) == "TrailNotFoundException"
    with pytest.raises(ClientError) as e:  # from another region: the home-region rule applies as for the owner
        aws.client("cloudtrail", account=org["admin"], region=OTHER).stop_logging(Name=arn)
    assert code(e) == "InvalidHomeRegionException"
    with pytest.raises(ClientError) as e:  # only the management account turns it into an account trail
        admin_ct.update_trail(Name=arn, IsOrganizationTrail=False)
    assert code(e) == "NotOrganizationMasterAccountException"
    admin_ct.delete_trail(Name=arn)
    assert ct.describe_trails()["trailList"] == []


# 5. An organization trail a delegated administrator creates belongs to the management account
def test_a_delegated_administrator_creates_it_in_the_management_account(aws, org):
    admin_ct = aws.client("cloudtrail", account=org["admin"])
    created = admin_ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert created["TrailARN"] == f"arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/org"
    assert aws.client("cloudtrail").get_trail(Name="org")["Trail"]["TrailARN"] == created["TrailARN"]
    assert admin_ct.describe_trails(includeShadowTrails=False)["trailList"] == []
    with pytest.raises(ClientError) as e:  # the name is taken in the management account
        admin_ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert code(e) == "TrailAlreadyExistsException"
