# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure builder of the key policy of a CloudTrail KMS key.

Statements (each with a fixed Sid, so the user's own statements cannot collide silently):
administration, CloudTrail GenerateDataKey* per scope (accounts, trails, organization),
CloudTrail DescribeKey, readers' Decrypt, CloudWatch Logs use, EventBridge and CloudWatch alarms use (an
encrypted alert topic), then the user's statements.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"
CONTEXT_KEY = "kms:EncryptionContext:aws:cloudtrail:arn"
LOGS_CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"
SID_ADMIN = "KeyAdministration"
SID_ACCOUNTS = "CloudTrailEncryptForAccounts"
SID_TRAILS = "CloudTrailEncryptForTrails"
SID_ORGANIZATION = "CloudTrailEncryptForOrganization"
SID_DESCRIBE = "CloudTrailDescribeKey"
SID_READERS = "ReadersDecryptCloudTrailLogs"
SID_LOGS = "CloudWatchLogsUseKey"
SID_ALERTS = "AlertServicesUseKey"
RESERVED_SIDS = frozenset((SID_ADMIN, SID_ACCOUNTS, SID_TRAILS, SID_ORGANIZATION, SID_DESCRIBE, SID_READERS, SID_LOGS, SID_ALERTS))
# What publishes tampering alerts to an SNS topic encrypted with the key: EventBridge rules and CloudWatch alarms.
ALERT_SERVICES = ("cloudwatch.amazonaws.com", "events.amazonaws.com")


def root_arn(partition: str, account_id: str) -> str:
    return f"arn:{partition}:iam::{account_id}:root"


def account_contexts(partition: str, account_ids: Iterable[str]) -> list[str]:
    """Encryption contexts of every trail of the given accounts."""
    return [f"arn:{partition}:cloudtrail:*:{account}:trail/*" for account in sorted(set(account_ids))]


_ACCOUNT_CONTEXT_RE = re.compile(r"arn:[a-z-]+:cloudtrail:\*:([0-9]{12}):trail/\*")


def granted_account_ids(policy: Mapping[str, Any] | None) -> list[str]:
    """Accounts whose trails the generated accounts statement lets encrypt with the key."""
    statements = (policy or {}).get("Statement") or []
    found: set[str] = set()
    for statement in [statements] if isinstance(statements, dict) else statements:
        if statement.get("Sid") != SID_ACCOUNTS:
            continue
        values = ((statement.get("Condition") or {}).get("StringLike") or {}).get(CONTEXT_KEY) or []
        for value in [values] if isinstance(values, str) else values:
            match = _ACCOUNT_CONTEXT_RE.fullmatch(value)
            if match:
                found.add(match.group(1))
    return sorted(found)


def organization_context(partition: str) -> str:
    """Encryption context of organization trails: any account, limited by aws:SourceOrgID."""
    return f"arn:{partition}:cloudtrail:*:*:trail/*"


def _one_or_list(values: list[str]) -> Any:
    return values[0] if len(values) == 1 else values


def _cloudtrail_encrypt(sid: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": CLOUDTRAIL_SERVICE},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": condition,
    }


def key_policy(
    partition: str,
    region: str,
    account_id: str,
    admin_principals: list[str] | None = None,
    account_ids: list[str] | None = None,
    organization_id: str | None = None,
    trail_arns: list[str] | None = None,
    reader_principals: list[str] | None = None,
    allow_cloudwatch_logs: bool = False,
    allow_alert_services: bool = False,
    policy_statements: list[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole key policy. Without account_ids, organization_id or trail_arns, CloudTrail may use the
    key for the trails of the key's own account."""
    if not (account_ids or organization_id or trail_arns):
        account_ids = [account_id]
    admins = sorted(set(admin_principals or [root_arn(partition, account_id)]))
    statements: list[dict[str, Any]] = [
        {"Sid": SID_ADMIN, "Effect": "Allow", "Principal": {"AWS": _one_or_list(admins)}, "Action": "kms:*", "Resource": "*"},
    ]
    contexts: list[str] = []
    if account_ids:
        accounts = account_contexts(partition, account_ids)
        contexts += accounts
        statements.append(_cloudtrail_encrypt(SID_ACCOUNTS, {"StringLike": {CONTEXT_KEY: _one_or_list(accounts)}}))
    if trail_arns:
        trails = sorted(set(trail_arns))
        contexts += trails
        statements.append(
            _cloudtrail_encrypt(
                SID_TRAILS,
                {"StringEquals": {"aws:SourceArn": _one_or_list(trails)}, "StringLike": {CONTEXT_KEY: _one_or_list(trails)}},
            )
        )
    if organization_id:
        org_context = organization_context(partition)
        contexts.append(org_context)
        statements.append(
            _cloudtrail_encrypt(
                SID_ORGANIZATION,
                {"StringEquals": {"aws:SourceOrgID": organization_id}, "StringLike": {CONTEXT_KEY: org_context}},
            )
        )
    statements.append({"Sid": SID_DESCRIBE, "Effect": "Allow", "Principal": {"Service": CLOUDTRAIL_SERVICE}, "Action": "kms:DescribeKey", "Resource": "*"})
    if reader_principals:
        statements.append(
            {
                "Sid": SID_READERS,
                "Effect": "Allow",
                "Principal": {"AWS": _one_or_list(sorted(set(reader_principals)))},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringLike": {CONTEXT_KEY: _one_or_list(sorted(set(contexts)))}},
            }
        )
    if allow_cloudwatch_logs:
        statements.append(
            {
                "Sid": SID_LOGS,
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {"ArnLike": {LOGS_CONTEXT_KEY: f"arn:{partition}:logs:{region}:{account_id}:log-group:*"}},
            }
        )
    if allow_alert_services:
        statements.append(
            {
                "Sid": SID_ALERTS,
                "Effect": "Allow",
                "Principal": {"Service": list(ALERT_SERVICES)},
                "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        )
    statements.extend(dict(s) for s in policy_statements or [])
    return {"Version": "2012-10-17", "Id": "cloudaudit-cloudtrail-key", "Statement": statements}
