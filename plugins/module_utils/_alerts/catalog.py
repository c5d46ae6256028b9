# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The data of cloudtrail_alerts, in one place: tampering presets, resource narrowing, CIS 4.x patterns.

PRESETS: the API calls that switch auditing off or weaken it, per service, each preset one
EventBridge rule. RESOURCE_FILTERS: which option narrows a preset to named resources, and the
requestParameters field(s) of the CloudTrail event that carry the resource. CIS_METRICS: the CloudWatch
Logs metric filter patterns of CIS AWS Foundations Benchmark section 4 (v1.4-v3 numbering; Security
Hub CloudWatch.1-14 use the same patterns).
"""

from __future__ import annotations

import re
from typing import Any

DETAIL_TYPE = "AWS API Call via CloudTrail"
MANAGED_BY = "managed by cloudaudit.aws (cloudtrail_alerts)"
DEFAULT_PREFIX = "cloudaudit-tamper"
DEFAULT_NAMESPACE = "CloudAudit"
CUSTOM_RULE = "custom"
ALL = "all"

# An API operation name as CloudTrail records it (eventName).
EVENT_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]{1,127}$")

PRESETS: dict[str, dict[str, Any]] = {
    "trail": {
        "source": "aws.cloudtrail",
        "event_source": "cloudtrail.amazonaws.com",
        "event_names": ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"],
    },
    "bucket": {
        "source": "aws.s3",
        "event_source": "s3.amazonaws.com",
        "event_names": [
            "PutBucketPolicy",
            "DeleteBucketPolicy",
            "PutBucketLifecycle",
            "PutBucketLifecycleConfiguration",
            "DeleteBucketLifecycle",
            "PutBucketVersioning",
            "PutBucketEncryption",
            "DeleteBucketEncryption",
            "PutBucketLogging",
        ],
    },
    "kms": {
        "source": "aws.kms",
        "event_source": "kms.amazonaws.com",
        "event_names": ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"],
    },
    "lake": {
        "source": "aws.cloudtrail",
        "event_source": "cloudtrail.amazonaws.com",
        "event_names": ["UpdateEventDataStore", "DeleteEventDataStore", "StopEventDataStoreIngestion"],
    },
}

# preset -> the option naming its resources, and the requestParameters fields that hold them
# (StopLogging/DeleteTrail/UpdateTrail say "name", PutEventSelectors/PutInsightSelectors "trailName").
RESOURCE_FILTERS: dict[str, dict[str, Any]] = {
    "trail": {"option": "trail_names", "fields": ["name", "trailName"], "arn_service": "cloudtrail", "arn_prefix": "trail/"},
    "bucket": {"option": "bucket_names", "fields": ["bucketName"]},
    "kms": {"option": "kms_key_ids", "fields": ["keyId"], "arn_service": "kms", "arn_prefix": "key/"},
    "lake": {"option": "event_data_store_arns", "fields": ["eventDataStore"], "arn_service": "cloudtrail", "arn_prefix": "eventdatastore/"},
}

# name -> CIS AWS Foundations control, Security Hub control, what it watches, the benchmark's filter pattern.
CIS_METRICS: dict[str, dict[str, str]] = {
    "unauthorized_api_calls": {
        "cis": "4.1",
        "security_hub": "CloudWatch.2",
        "title": "Unauthorized API calls",
        "pattern": '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
        '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    },
    "console_signin_without_mfa": {
        "cis": "4.2",
        "security_hub": "CloudWatch.3",
        "title": "Management console sign-in without MFA",
        "pattern": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
        '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    },
    "root_usage": {
        "cis": "4.3",
        "security_hub": "CloudWatch.1",
        "title": "Usage of the root user",
        "pattern": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    "iam_policy_changes": {
        "cis": "4.4",
        "security_hub": "CloudWatch.4",
        "title": "IAM policy changes",
        "pattern": "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || "
        "($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || "
        "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || "
        "($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || "
        "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || "
        "($.eventName = DetachGroupPolicy) }",
    },
    "cloudtrail_changes": {
        "cis": "4.5",
        "security_hub": "CloudWatch.5",
        "title": "CloudTrail configuration changes",
        "pattern": "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
        "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    },
    "console_auth_failures": {
        "cis": "4.6",
        "security_hub": "CloudWatch.6",
        "title": "Management console authentication failures",
        "pattern": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    "cmk_disable_or_deletion": {
        "cis": "4.7",
        "security_hub": "CloudWatch.7",
        "title": "Disabling or scheduled deletion of customer-managed keys",
        "pattern": "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    },
    "s3_bucket_policy_changes": {
        "cis": "4.8",
        "security_hub": "CloudWatch.8",
        "title": "S3 bucket policy changes",
        "pattern": "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
        "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || "
        "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || "
        "($.eventName = DeleteBucketReplication)) }",
    },
    "config_changes": {
        "cis": "4.9",
        "security_hub": "CloudWatch.9",
        "title": "AWS Config configuration changes",
        "pattern": "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || "
        "($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    },
    "security_group_changes": {
        "cis": "4.10",
        "security_hub": "CloudWatch.10",
        "title": "Security group changes",
        "pattern": "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
        "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
        "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    },
    "nacl_changes": {
        "cis": "4.11",
        "security_hub": "CloudWatch.11",
        "title": "Network access control list changes",
        "pattern": "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || "
        "($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    },
    "network_gateway_changes": {
        "cis": "4.12",
        "security_hub": "CloudWatch.12",
        "title": "Network gateway changes",
        "pattern": "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || "
        "($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || "
        "($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    },
    "route_table_changes": {
        "cis": "4.13",
        "security_hub": "CloudWatch.13",
        "title": "Route table changes",
        "pattern": "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || "
        "($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || "
        "($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    },
    "vpc_changes": {
        "cis": "4.14",
        "security_hub": "CloudWatch.14",
        "title": "VPC changes",
        "pattern": "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
        "($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || "
        "($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
        "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || "
        "($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    },
    "organizations_changes": {
        "cis": "4.15",
        "security_hub": "",
        "title": "AWS Organizations changes",
        "pattern": "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || "
        "($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || "
        "($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || "
        "($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || "
        "($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || "
        "($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || "
        "($.eventName = UpdateOrganizationalUnit)) }",
    },
}

DEFAULT_CIS_METRICS = ["cloudtrail_changes"]

# Each matching event counts 1 in its metric (a filter whose value someone set to 0 never alarms: drift).
METRIC_VALUE = "1"

# How every alarm is set: at least one matching event in 5 minutes, with its actions on (an alarm whose
# actions someone disabled is silenced, and shows as drift).
ALARM = {
    "ActionsEnabled": True,
    "Statistic": "Sum",
    "Period": 300,
    "EvaluationPeriods": 1,
    "Threshold": 1.0,
    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
    "TreatMissingData": "notBreaching",
}
