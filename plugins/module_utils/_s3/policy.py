# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure builder of the CloudTrail-ready bucket policy (no boto3).

The statements the collection generates carry Sids in the CloudAudit namespace
(GENERATED_SID_PREFIX), so a policy can be merged with the user's own
statements and with statements someone else added: ours are regenerated, the
user's are added, unknown ones are kept unless purged.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Iterable

from .._common.errors import CloudAuditError
from .._common.policy import deny_insecure_transport, policies_equal

GENERATED_SID_PREFIX = "CloudAudit"
SID_ACL_CHECK = "CloudAuditCloudTrailAclCheck"
SID_WRITE = "CloudAuditCloudTrailWrite"
SID_DENY_INSECURE = "CloudAuditDenyInsecureTransport"
CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"
CLOUDTRAIL_PRINCIPAL = {"Service": CLOUDTRAIL_SERVICE}
POLICY_VERSION = "2012-10-17"
_SID_RE = re.compile(r"^[A-Za-z0-9]*$")
_STATEMENT_KEYS = frozenset(("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"))


def bucket_arn(bucket: str, partition: str = "aws") -> str:
    return f"arn:{partition}:s3:::{bucket}"


def log_prefix(key_prefix: str | None) -> str:
    """'' or 'prefix/' (CloudTrail writes to <prefix>/AWSLogs/...)."""
    key_prefix = (key_prefix or "").strip("/")
    return f"{key_prefix}/" if key_prefix else ""


def _source_condition(access: dict[str, Any]) -> dict[str, Any]:
    """Confused-deputy guard: trail ARNs, else the organization, else the accounts."""
    if access.get("trail_arns"):
        return {"aws:SourceArn": _one_or_list(sorted(access["trail_arns"]))}
    if access.get("organization_id"):
        return {"aws:SourceOrgID": access["organization_id"]}
    if access.get("account_ids"):
        return {"aws:SourceAccount": _one_or_list(sorted(access["account_ids"]))}
    return {}


def _one_or_list(values: list[str]) -> Any:
    return values[0] if len(values) == 1 else values


def cloudtrail_statements(bucket: str, access: dict[str, Any], partition: str = "aws") -> list[dict[str, Any]]:
    """The AWS-documented statements letting CloudTrail deliver into bucket.

    access: {'account_ids': [...], 'organization_id': 'o-...', 'trail_arns': [...], 'key_prefix': '...'}
    """
    arn = bucket_arn(bucket, partition)
    prefix = log_prefix(access.get("key_prefix"))
    owners = sorted(access.get("account_ids") or [])
    if access.get("organization_id"):
        owners.append(access["organization_id"])
    source = _source_condition(access)
    acl: dict[str, Any] = {"Sid": SID_ACL_CHECK, "Effect": "Allow", "Principal": dict(CLOUDTRAIL_PRINCIPAL), "Action": "s3:GetBucketAcl", "Resource": arn}
    if source:
        acl["Condition"] = {"StringEquals": dict(source)}
    write_condition = {"s3:x-amz-acl": "bucket-owner-full-control", **source}
    write = {
        "Sid": SID_WRITE,
        "Effect": "Allow",
        "Principal": dict(CLOUDTRAIL_PRINCIPAL),
        "Action": "s3:PutObject",
        "Resource": _one_or_list([f"{arn}/{prefix}AWSLogs/{owner}/*" for owner in owners]),
        "Condition": {"StringEquals": write_condition},
    }
    return [acl, write]


def deny_insecure_transport_statement(bucket: str, partition: str = "aws") -> dict[str, Any]:
    return deny_insecure_transport(bucket, partition, SID_DENY_INSECURE)


def generated_statements(bucket: str, access: dict[str, Any] | None, deny_insecure: bool, partition: str = "aws") -> list[dict[str, Any]]:
    statements = cloudtrail_statements(bucket, access, partition) if access else []
    if deny_insecure:
        statements.append(deny_insecure_transport_statement(bucket, partition))
    return statements


def validate_statements(
    statements: Iterable[Any], option: str = "policy_statements", bucket: str | None = None, partition: str | None = None, public_access_block: bool = False
) -> None:
    """Fail (naming the option) on a statement that is not a well-formed bucket policy statement.

    With bucket (and partition), a statement whose resources are not this bucket (or its objects) fails: AWS
    refuses the whole policy. With public_access_block, an Allow to everyone without a condition fails: the
    bucket's BlockPublicPolicy refuses it.
    """
    sids: set[str] = set()
    for index, statement in enumerate(statements or []):
        where = f"{option}[{index}]"
        if not isinstance(statement, dict):
            raise CloudAuditError(f"statement {index} is not a dictionary", option)
        unknown = sorted(set(statement) - _STATEMENT_KEYS)
        if unknown:
            raise CloudAuditError(f"{where} has unknown keys {', '.join(unknown)}", option)
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise CloudAuditError(f"{where} needs Effect Allow or Deny", option)
        if ("Action" in statement) == ("NotAction" in statement):
            raise CloudAuditError(f"{where} needs exactly one of Action and NotAction", option)
        if ("Resource" in statement) == ("NotResource" in statement):
            raise CloudAuditError(f"{where} needs exactly one of Resource and NotResource", option)
        if ("Principal" in statement) == ("NotPrincipal" in statement):
            raise CloudAuditError(f"{where} needs exactly one of Principal and NotPrincipal (bucket policies are resource policies)", option)
        if "Condition" in statement and not isinstance(statement["Condition"], dict):
            raise CloudAuditError(f"{where} Condition must be a dictionary", option)
        sid = statement.get("Sid")
        if sid is not None:
            if not isinstance(sid, str) or not _SID_RE.fullmatch(sid):
                raise CloudAuditError(f"{where} Sid must contain only letters and digits", option)
            if sid.startswith(GENERATED_SID_PREFIX):
                raise CloudAuditError(f"{where} Sid '{sid}' uses the reserved prefix {GENERATED_SID_PREFIX}", option)
            if sid in sids:
                raise CloudAuditError(f"{where} Sid '{sid}' is used twice", option)
            sids.add(sid)
        if bucket:
            _check_resources(statement, where, option, bucket, partition)
        if public_access_block and _is_public(statement):
            raise CloudAuditError(
                f"{where} allows everyone (Principal *) without a condition: a public statement, which the public access block"
                " refuses; narrow the principal or add a condition (or set public_access_block: false)",
                option,
            )


def _check_resources(statement: dict[str, Any], where: str, option: str, bucket: str, partition: str | None) -> None:
    resources = statement.get("Resource", statement.get("NotResource"))
    for resource in resources if isinstance(resources, list) else [resources]:
        if not isinstance(resource, str) or not resource.startswith("arn:"):
            continue
        parts = resource.split(":", 5)
        if partition and parts[1] != partition:
            raise CloudAuditError(f"{where} resource '{resource}' is of the {parts[1]} partition; this bucket is in {partition}", option)
        name = parts[5].split("/", 1)[0] if len(parts) == 6 and parts[2] == "s3" else None
        if name != bucket:
            raise CloudAuditError(f"{where} resource '{resource}' is not bucket {bucket} or its objects; a bucket policy is about its own bucket only", option)


def _is_public(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    everyone = principal == "*" or (isinstance(principal, list) and "*" in principal)
    return statement.get("Effect") == "Allow" and everyone and not statement.get("Condition")


def _statements(policy: dict[str, Any] | None) -> list[dict[str, Any]]:
    statements = (policy or {}).get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return policies_equal({"Version": POLICY_VERSION, "Statement": [a]}, {"Version": POLICY_VERSION, "Statement": [b]})


def grants_cloudtrail(statement: dict[str, Any]) -> bool:
    """True for an Allow statement whose principal is the CloudTrail service (a delivery statement)."""
    principal = statement.get("Principal")
    return statement.get("Effect") == "Allow" and isinstance(principal, dict) and CLOUDTRAIL_SERVICE in _as_list(principal.get("Service"))


def merge_policy(
    current: dict[str, Any] | None,
    generated: list[dict[str, Any]],
    user_statements: list[dict[str, Any]] | None,
    purge: bool,
    keep_cloudtrail: bool = False,
) -> dict[str, Any] | None:
    """The desired bucket policy: generated + user statements, plus kept unknown ones.

    Without purge, a current statement is kept unless it is ours (CloudAudit Sid),
    shares a Sid with a desired statement, or equals a desired statement.
    keep_cloudtrail (CloudTrail access not managed by the task): every statement granting
    CloudTrail is kept as it is, ours and purge included, so that a task managing only,
    say, the lifecycle never cuts the delivery of the trails writing into the bucket.
    None means "no policy" (nothing to grant or deny).
    """
    desired = [copy.deepcopy(s) for s in generated] + [copy.deepcopy(s) for s in (user_statements or [])]
    desired_sids = {s.get("Sid") for s in desired if s.get("Sid")}
    for statement in _statements(current):
        sid = statement.get("Sid") or ""
        if sid in desired_sids or any(_same_statement(statement, d) for d in desired):
            continue
        if keep_cloudtrail and grants_cloudtrail(statement):
            desired.append(copy.deepcopy(statement))
        elif not purge and not sid.startswith(GENERATED_SID_PREFIX):
            desired.append(copy.deepcopy(statement))
    if not desired:
        return None
    version = (current or {}).get("Version") or POLICY_VERSION
    policy: dict[str, Any] = {"Version": version, "Statement": desired}
    if current and current.get("Id"):
        policy["Id"] = current["Id"]
    return policy


_LOGS_ACCOUNT_RE = re.compile(r"/AWSLogs/([0-9]{12})/\*$")


def granted_account_ids(policy: dict[str, Any] | None) -> list[str]:
    """Accounts whose trails the generated write statement lets deliver (its AWSLogs/<account>/ resources)."""
    found: set[str] = set()
    for statement in _statements(policy):
        if statement.get("Sid") == SID_WRITE and grants_cloudtrail(statement):
            for resource in _as_list(statement.get("Resource")):
                match = _LOGS_ACCOUNT_RE.search(resource)
                if match:
                    found.add(match.group(1))
    return sorted(found)


def granted_trail_arns(policy: dict[str, Any] | None) -> list[str]:
    """Trails whose delivery the generated write statement allows by ARN (its aws:SourceArn condition)."""
    found: set[str] = set()
    for statement in _statements(policy):
        if statement.get("Sid") == SID_WRITE and grants_cloudtrail(statement):
            condition = (statement.get("Condition") or {}).get("StringEquals") or {}
            found.update(a for a in _as_list(condition.get("aws:SourceArn")) if isinstance(a, str))
    return sorted(found)


def removed_cloudtrail_statements(current: dict[str, Any] | None, desired: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The statements granting CloudTrail in current that desired no longer holds."""
    kept = _statements(desired)
    return [s for s in _statements(current) if grants_cloudtrail(s) and not any(_same_statement(s, k) for k in kept)]


def allows_cloudtrail(policy: dict[str, Any] | None, bucket: str, account_id: str, key_prefix: str | None = None, partition: str = "aws") -> bool:
    """True when some Allow statement lets CloudTrail PutObject into AWSLogs/<account_id>/ (for findings)."""
    import fnmatch

    target = f"{bucket_arn(bucket, partition)}/{log_prefix(key_prefix)}AWSLogs/{account_id}/CloudTrail/x.json.gz"
    for statement in _statements(policy):
        if statement.get("Effect") != "Allow" or not _principal_is_cloudtrail(statement.get("Principal")):
            continue
        actions = _as_list(statement.get("Action"))
        if not any(fnmatch.fnmatchcase("s3:PutObject".lower(), a.lower()) for a in actions):
            continue
        if any(fnmatch.fnmatchcase(target, r) for r in _as_list(statement.get("Resource"))):
            return True
    return False


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _principal_is_cloudtrail(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "cloudtrail.amazonaws.com" in _as_list(principal.get("Service")) or principal.get("AWS") == "*"
    return False
