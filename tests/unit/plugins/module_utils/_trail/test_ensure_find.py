"""find_trail: the right trail among same-named ones (home vs shadow, own vs organization)."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._trail.ensure import find_trail

OWN = {"Name": "audit", "TrailARN": "arn:aws:cloudtrail:us-east-1:111111111111:trail/audit", "HomeRegion": "us-east-1", "IsOrganizationTrail": False}
ORG = {"Name": "audit", "TrailARN": "arn:aws:cloudtrail:us-east-1:222222222222:trail/audit", "HomeRegion": "us-east-1", "IsOrganizationTrail": True}
SHADOW = {"Name": "audit", "TrailARN": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/audit", "HomeRegion": "eu-west-1", "IsOrganizationTrail": False}
OTHER = {"Name": "audit-2", "TrailARN": "arn:aws:cloudtrail:us-east-1:111111111111:trail/audit-2", "HomeRegion": "us-east-1"}


def test_exact_name_home_region_first():
    assert find_trail([SHADOW, OTHER, OWN], "audit", "us-east-1") is OWN
    assert find_trail([SHADOW, OTHER], "audit", "us-east-1") is SHADOW
    assert find_trail([OTHER], "audit", "us-east-1") is None


def test_own_trail_before_organization_trail_unless_asked():
    assert find_trail([ORG, OWN], "audit", "us-east-1") is OWN
    assert find_trail([OWN, ORG], "audit", "us-east-1", organization=True) is ORG


def test_by_arn():
    assert find_trail([OWN, ORG, SHADOW], ORG["TrailARN"], "us-east-1") is ORG
    assert find_trail([OWN], "arn:aws:cloudtrail:us-east-1:111111111111:trail/none", "us-east-1") is None
