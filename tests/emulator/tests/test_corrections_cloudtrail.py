"""CloudTrail corrections: each test shows the AWS behaviour the emulator reproduces."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
HOME = "us-east-1"
OTHER = "eu-west-1"


def trail_bucket_policy(bucket: str, paths: list[str], extra: list[dict] | None = None, put_resource: str | None = None) -> str:
    """The policy AWS documents for a trail bucket (GetBucketAcl + PutObject on AWSLogs paths)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AclCheck",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:GetBucketAcl",
                    "Resource": f"arn:aws:s3:::{bucket}",
                },
                {
                    "Sid": "Write",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": put_resource or [f"arn:aws:s3:::{bucket}/{p}" for p in paths],
                    "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                },
            ]
            + (extra or []),
        }
    )


def make_bucket(aws, bucket: str = "trail-logs", paths: list[str] | None = None, account: str | None = None, **kw) -> str:
    s3 = aws.client("s3", account=account)
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=trail_bucket_policy(bucket, paths or [f"AWSLogs/{ACCOUNT}/*"], **kw))
    return bucket


def code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def ct(aws):
    make_bucket(aws)
    return aws.client("cloudtrail", region=HOME)


@pytest.fixture
def ct_other(aws):
    return aws.client("cloudtrail", region=OTHER)


# 1. DescribeTrails honours trailNameList and includeShadowTrails
def test_describe_trails_filters_by_name_and_arn_and_shows_shadow_trails(ct, ct_other):
    multi = ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
    ct.create_trail(Name="single", S3BucketName="trail-logs")
    assert [t["Name"] for t in ct.describe_trails(trailNameList=["single"])["trailList"]] == ["single"]
    assert [t["Name"] for t in ct.describe_trails(trailNameList=[multi])["trailList"]] == ["multi"]
    assert ct.describe_trails(trailNameList=["unknown"])["trailList"] == []
    assert {t["Name"] for t in ct.describe_trails()["trailList"]} == {"multi", "single"}
    # In another region: the multi-region trail is a shadow (by ARN, or with the default listing)
    shadows = ct_other.describe_trails()["trailList"]
    assert [(t["Name"], t["HomeRegion"]) for t in shadows] == [("multi", HOME)]
    assert ct_other.describe_trails(trailNameList=["multi"])["trailList"] == []  # names: home-region only
    assert [t["HomeRegion"] for t in ct_other.describe_trails(trailNameList=[multi])["trailList"]] == [HOME]
    assert ct_other.describe_trails(includeShadowTrails=False)["trailList"] == []
    assert ct_other.describe_trails(trailNameList=[multi], includeShadowTrails=False)["trailList"] == []


# 2. Reads find a multi-region trail from another region by ARN
def test_reads_find_shadow_trail_by_arn(ct, ct_other):
    arn = ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True, TagsList=[{"Key": "team", "Value": "audit"}])[
        "TrailARN"
    ]
    ct.put_insight_selectors(TrailName="multi", InsightSelectors=[{"InsightType": "ApiCallRateInsight"}])
    assert ct_other.get_trail(Name=arn)["Trail"]["HomeRegion"] == HOME
    assert ct_other.get_trail_status(Name=arn)["IsLogging"] is False
    assert ct_other.get_event_selectors(TrailName=arn)["TrailARN"] == arn
    assert ct_other.get_insight_selectors(TrailName=arn)["InsightSelectors"] == [{"InsightType": "ApiCallRateInsight"}]
    assert ct_other.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"] == [{"Key": "team", "Value": "audit"}]
    with pytest.raises(ClientError) as e:
        ct_other.get_trail(Name="multi")  # a shadow trail is addressed by ARN
    assert code(e) == "TrailNotFoundException"


def test_single_region_trail_is_not_visible_elsewhere(ct, ct_other):
    arn = ct.create_trail(Name="single", S3BucketName="trail-logs")["TrailARN"]
    with pytest.raises(ClientError) as e:
        ct_other.get_trail(Name=arn)
    assert code(e) == "TrailNotFoundException"


# 3. DeleteTrail: by ARN, unknown name, non-home region
def test_delete_trail_by_arn_unknown_and_from_other_region(ct, ct_other):
    arn = ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
    with pytest.raises(ClientError) as e:
        ct_other.delete_trail(Name=arn)
    assert code(e) == "InvalidHomeRegionException"
    with pytest.raises(ClientError) as e:
        ct.delete_trail(Name="unknown")
    assert code(e) == "TrailNotFoundException"
    ct.delete_trail(Name=arn)
    assert ct.describe_trails()["trailList"] == []
    # Tags do not survive the trail
    ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    assert ct.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"] == []


# 4. Duplicate CreateTrail
def test_duplicate_create_trail_raises_and_keeps_the_trail(ct, ct_other):
    ct.create_trail(Name="trail1", S3BucketName="trail-logs", S3KeyPrefix="", IsMultiRegionTrail=True)
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="trail-logs", IsMultiRegionTrail=False)
    assert code(e) == "TrailAlreadyExistsException"
    assert ct.get_trail(Name="trail1")["Trail"]["IsMultiRegionTrail"] is True
    with pytest.raises(ClientError) as e:  # its shadow occupies the name in every region
        ct_other.create_trail(Name="trail1", S3BucketName="trail-logs")
    assert code(e) == "TrailAlreadyExistsException"


# 5. Insight selectors
def test_insight_selectors_replace_clear_and_not_enabled(ct):
    ct.create_trail(Name="trail1", S3BucketName="trail-logs")
    with pytest.raises(ClientError) as e:
        ct.get_insight_selectors(TrailName="trail1")
    assert code(e) == "InsightNotEnabledException"
    ct.put_insight_selectors(TrailName="trail1", InsightSelectors=[{"InsightType": "ApiCallRateInsight"}])
    ct.put_insight_selectors(TrailName="trail1", InsightSelectors=[{"InsightType": "ApiErrorRateInsight"}])
    assert ct.get_insight_selectors(TrailName="trail1")["InsightSelectors"] == [{"InsightType": "ApiErrorRateInsight"}]
    assert ct.get_trail(Name="trail1")["Trail"]["HasInsightSelectors"] is True
    ct.put_insight_selectors(TrailName="trail1", InsightSelectors=[])
    with pytest.raises(ClientError) as e:
        ct.get_insight_selectors(TrailName="trail1")
    assert code(e) == "InsightNotEnabledException"
    assert ct.get_trail(Name="trail1")["Trail"]["HasInsightSelectors"] is False
    with pytest.raises(ClientError) as e:
        ct.put_insight_selectors(TrailName="trail1", InsightSelectors=[{"InsightType": "Bogus"}])
    assert code(e) == "InvalidInsightSelectorsException"


# 6 + 7. Event selectors
ADVANCED = [{"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
BASIC_WRITE = [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]


def test_event_selectors_default_replace_each_other_and_flag(ct):
    ct.create_trail(Name="trail1", S3BucketName="trail-logs")
    got = ct.get_event_selectors(TrailName="trail1")
    assert got["EventSelectors"] == [
        {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [], "ExcludeManagementEventSources": []}
    ]
    assert "AdvancedEventSelectors" not in got
    assert ct.describe_trails()["trailList"][0]["HasCustomEventSelectors"] is False

    ct.put_event_selectors(TrailName="trail1", AdvancedEventSelectors=ADVANCED)
    got = ct.get_event_selectors(TrailName="trail1")
    assert got["AdvancedEventSelectors"] == ADVANCED and "EventSelectors" not in got
    assert ct.get_trail(Name="trail1")["Trail"]["HasCustomEventSelectors"] is True

    ct.put_event_selectors(TrailName="trail1", EventSelectors=BASIC_WRITE)
    got = ct.get_event_selectors(TrailName="trail1")
    assert "AdvancedEventSelectors" not in got
    assert got["EventSelectors"][0]["ReadWriteType"] == "WriteOnly"
    assert ct.describe_trails()["trailList"][0]["HasCustomEventSelectors"] is True

    with pytest.raises(ClientError) as e:
        ct.put_event_selectors(TrailName="trail1", EventSelectors=BASIC_WRITE, AdvancedEventSelectors=ADVANCED)
    assert code(e) == "InvalidParameterCombinationException"

    ct.put_event_selectors(TrailName="trail1", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}])
    assert ct.get_trail(Name="trail1")["Trail"]["HasCustomEventSelectors"] is False


# 8. Validation of CreateTrail / UpdateTrail
def test_create_trail_requires_a_sufficient_bucket_policy(aws):
    ct = aws.client("cloudtrail")
    s3 = aws.client("s3")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="missing-bucket")
    assert code(e) == "S3BucketDoesNotExistException"
    s3.create_bucket(Bucket="no-policy")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="no-policy")
    assert code(e) == "InsufficientS3BucketPolicyException"
    make_bucket(aws, "wrong-account", paths=["AWSLogs/999999999999/*"])
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="wrong-account")
    assert code(e) == "InsufficientS3BucketPolicyException"
    # The prefix must be covered
    make_bucket(aws, "with-prefix", paths=[f"audit/AWSLogs/{ACCOUNT}/*"])
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="with-prefix")
    assert code(e) == "InsufficientS3BucketPolicyException"
    assert ct.create_trail(Name="trail1", S3BucketName="with-prefix", S3KeyPrefix="audit")["S3KeyPrefix"] == "audit"
    # Wildcards in the Resource are honoured
    make_bucket(aws, "wildcard", put_resource="arn:aws:s3:::wildcard/AWSLogs/*")
    ct.create_trail(Name="trail2", S3BucketName="wildcard")


def test_bucket_policy_conditions_and_denies(aws):
    ct = aws.client("cloudtrail")
    trail_arn = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/trail1"
    source_arn = {"Condition": {"StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"}}}
    policy = json.loads(trail_bucket_policy("cond", [f"AWSLogs/{ACCOUNT}/*"]))
    policy["Statement"][1].update(source_arn)
    policy["Statement"].append(
        {
            "Sid": "TLS",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::cond", "arn:aws:s3:::cond/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )
    aws.client("s3").create_bucket(Bucket="cond")
    aws.client("s3").put_bucket_policy(Bucket="cond", Policy=json.dumps(policy))
    ct.create_trail(Name="trail1", S3BucketName="cond")  # SourceArn names this trail: sufficient
    with pytest.raises(ClientError) as e:  # another trail's ARN is excluded by the condition
        ct.create_trail(Name="trail2", S3BucketName="cond")
    assert code(e) == "InsufficientS3BucketPolicyException"
    deny = {
        "Effect": "Deny",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::denied/*",
    }
    make_bucket(aws, "denied", extra=[deny])
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail3", S3BucketName="denied")
    assert code(e) == "InsufficientS3BucketPolicyException"


def test_update_trail_checks_new_bucket_and_validates_settings(ct, aws):
    ct.create_trail(Name="trail1", S3BucketName="trail-logs")
    aws.client("s3").create_bucket(Bucket="bare")
    with pytest.raises(ClientError) as e:
        ct.update_trail(Name="trail1", S3BucketName="bare")
    assert code(e) == "InsufficientS3BucketPolicyException"
    with pytest.raises(ClientError) as e:
        ct.update_trail(Name="trail1", IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False)
    assert code(e) == "InvalidParameterCombinationException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail2", S3BucketName="trail-logs", IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False)
    assert code(e) == "InvalidParameterCombinationException"
    assert ct.get_trail(Name="trail1")["Trail"]["S3BucketName"] == "trail-logs"
    # An empty value removes a setting, as in AWS
    ct.update_trail(Name="trail1", S3KeyPrefix="")
    assert "S3KeyPrefix" not in ct.get_trail(Name="trail1")["Trail"]


def test_kms_key_must_exist_and_is_returned_as_key_arn(ct, aws):
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/trail", TargetKeyId=key["KeyId"])
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="trail-logs", KmsKeyId="alias/missing")
    assert code(e) == "KmsKeyNotFoundException"
    assert ct.create_trail(Name="trail1", S3BucketName="trail-logs", KmsKeyId="alias/trail")["KmsKeyId"] == key["Arn"]
    ct.update_trail(Name="trail1", KmsKeyId="")
    assert "KmsKeyId" not in ct.get_trail(Name="trail1")["Trail"]
    with pytest.raises(ClientError) as e:
        ct.update_trail(Name="trail1", KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")
    assert code(e) == "KmsKeyNotFoundException"


def test_cloudwatch_logs_group_and_role(ct, aws):
    group = "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"
    aws.client("logs").create_log_group(logGroupName="trail")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    role = aws.client("iam").create_role(RoleName="trail-cw", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="trail-logs", CloudWatchLogsLogGroupArn=group)
    assert code(e) == "InvalidCloudWatchLogsRoleArnException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="trail1", S3BucketName="trail-logs", CloudWatchLogsRoleArn=role)
    assert code(e) == "InvalidCloudWatchLogsLogGroupArnException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(
            Name="trail1",
            S3BucketName="trail-logs",
            CloudWatchLogsRoleArn=role,
            CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:nope:*",
        )
    assert code(e) == "InvalidCloudWatchLogsLogGroupArnException"
    with pytest.raises(ClientError) as e:
        ct.create_trail(
            Name="trail1",
            S3BucketName="trail-logs",
            CloudWatchLogsLogGroupArn=group,
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/missing",
        )
    assert code(e) == "InvalidCloudWatchLogsRoleArnException"
    got = ct.create_trail(Name="trail1", S3BucketName="trail-logs", CloudWatchLogsLogGroupArn=group, CloudWatchLogsRoleArn=role)
    assert (got["CloudWatchLogsLogGroupArn"], got["CloudWatchLogsRoleArn"]) == (group, role)
    ct.update_trail(Name="trail1", CloudWatchLogsLogGroupArn="", CloudWatchLogsRoleArn="")
    assert "CloudWatchLogsLogGroupArn" not in ct.get_trail(Name="trail1")["Trail"]


def test_sns_topic_by_arn_is_accepted(ct, aws):
    topic = aws.client("sns").create_topic(Name="trail-topic")["TopicArn"]
    got = ct.create_trail(Name="trail1", S3BucketName="trail-logs", SnsTopicName=topic)
    assert (got["SnsTopicName"], got["SnsTopicARN"]) == ("trail-topic", topic)
    ct.update_trail(Name="trail1", SnsTopicName="trail-topic")
    assert ct.get_trail(Name="trail1")["Trail"]["SnsTopicARN"] == topic
    ct.update_trail(Name="trail1", SnsTopicName="")
    assert "SnsTopicARN" not in ct.get_trail(Name="trail1")["Trail"]


# 9. Writes from a non-home region
@pytest.mark.parametrize(
    "call",
    [
        lambda c, arn: c.update_trail(Name=arn, EnableLogFileValidation=True),
        lambda c, arn: c.start_logging(Name=arn),
        lambda c, arn: c.stop_logging(Name=arn),
        lambda c, arn: c.put_event_selectors(TrailName=arn, EventSelectors=BASIC_WRITE),
        lambda c, arn: c.put_insight_selectors(TrailName=arn, InsightSelectors=[]),
        lambda c, arn: c.add_tags(ResourceId=arn, TagsList=[{"Key": "a", "Value": "b"}]),
        lambda c, arn: c.update_trail(Name="multi", EnableLogFileValidation=True),
    ],
    ids=["update", "start", "stop", "selectors", "insights", "tags", "update-by-name"],
)
def test_writes_from_non_home_region(ct, ct_other, call):
    arn = ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
    with pytest.raises(ClientError) as e:
        call(ct_other, arn)
    assert code(e) == "InvalidHomeRegionException"
    call(ct, arn)  # from the home region it works


# 10. Organization trails
def test_organization_trail_rules(aws):
    ct = aws.client("cloudtrail")
    make_bucket(aws, "org-logs")
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert code(e) == "OrganizationsNotInUseException"
    orgs = aws.client("organizations")
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member = orgs.create_account(AccountName="m", Email="m@example.com")["CreateAccountStatus"]["AccountId"]
    with pytest.raises(ClientError) as e:
        ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert code(e) == "CloudTrailAccessNotEnabledException"
    orgs.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    with pytest.raises(ClientError) as e:  # the policy must cover AWSLogs/<org-id>/*
        ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert code(e) == "InsufficientS3BucketPolicyException"
    org_bucket_policy = trail_bucket_policy("org-logs", [f"AWSLogs/{ACCOUNT}/*", f"AWSLogs/{org_id}/*"])
    aws.client("s3").put_bucket_policy(Bucket="org-logs", Policy=org_bucket_policy)
    assert ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)["IsOrganizationTrail"] is True
    member_ct = aws.client("cloudtrail", account=member)
    with pytest.raises(ClientError) as e:
        member_ct.create_trail(Name="member-org", S3BucketName="org-logs", IsOrganizationTrail=True)
    assert code(e) == "NotOrganizationMasterAccountException"


def test_organization_trail_from_a_delegated_administrator(aws):
    orgs = aws.client("organizations")
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    admin = orgs.create_account(AccountName="audit", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]
    orgs.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    aws.client("cloudtrail").register_organization_delegated_admin(MemberAccountId=admin)
    make_bucket(aws, "org-logs", paths=[f"AWSLogs/{org_id}/*"], account=admin)
    admin_ct = aws.client("cloudtrail", account=admin)
    assert admin_ct.create_trail(Name="org", S3BucketName="org-logs", IsOrganizationTrail=True)["IsOrganizationTrail"] is True


def test_trail_delivers_to_a_central_bucket_of_another_account(aws):
    """S3 bucket names are global: a log-archive account's bucket receives other accounts' trails."""
    member = "210987654321"
    make_bucket(aws, "central-logs", paths=[f"AWSLogs/{ACCOUNT}/*"], account="111111111111")
    member_ct = aws.client("cloudtrail", account=member)
    with pytest.raises(ClientError) as e:  # the policy names only 123456789012
        member_ct.create_trail(Name="member", S3BucketName="central-logs")
    assert code(e) == "InsufficientS3BucketPolicyException"
    aws.client("s3", account="111111111111").put_bucket_policy(
        Bucket="central-logs", Policy=trail_bucket_policy("central-logs", [f"AWSLogs/{ACCOUNT}/*", f"AWSLogs/{member}/*"])
    )
    assert member_ct.create_trail(Name="member", S3BucketName="central-logs")["S3BucketName"] == "central-logs"
    aws.client("cloudtrail").create_trail(Name="main", S3BucketName="central-logs")


def test_tags_of_a_multi_region_trail_live_in_its_home_region(ct, ct_other):
    arn = ct.create_trail(Name="multi", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
    ct.add_tags(ResourceId=arn, TagsList=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    with pytest.raises(ClientError) as e:
        ct_other.remove_tags(ResourceId=arn, TagsList=[{"Key": "a"}])
    assert code(e) == "InvalidHomeRegionException"
    ct.remove_tags(ResourceId=arn, TagsList=[{"Key": "a"}])
    assert ct_other.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"] == [{"Key": "b", "Value": "2"}]
    missing = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/missing"
    with pytest.raises(ClientError) as e:
        ct.list_tags(ResourceIdList=[missing])
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        ct.get_trail_status(Name=missing)
    assert code(e) == "TrailNotFoundException"
