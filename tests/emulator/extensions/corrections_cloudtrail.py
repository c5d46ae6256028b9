"""CloudTrail corrections: make moto's trails behave as AWS documents.

Patched at import on moto's CloudTrail backend, Trail model and Response class
(moto 5.2.x). Each correction names the AWS behaviour it reproduces; the tests
are in tests/emulator/tests/test_corrections_cloudtrail.py.

- DescribeTrails honours trailNameList (names: home-region trails only; ARNs:
  also shadow trails) and includeShadowTrails.
- Trails addressed by ARN are found from any region of the account when they
  are multi-region (shadow trails); writes from a non-home region raise
  InvalidHomeRegionException; DeleteTrail by ARN works, unknown -> TrailNotFound.
- CreateTrail: duplicate -> TrailAlreadyExistsException; the bucket policy,
  KMS key, CloudWatch Logs group/role, SNS topic (name or ARN), multi-region /
  global events and organization rules are validated as AWS does.
- Event selectors: default basic selector on a new trail; basic and advanced
  replace each other; both at once -> InvalidParameterCombinationException.
- Insight selectors replace the list; [] clears; reading none ->
  InsightNotEnabledException. HasCustomEventSelectors / HasInsightSelectors.
- Organization trails belong to the management account, also when a CloudTrail
  delegated administrator creates one. Every other account of the organization
  sees them as shadow trails: DescribeTrails/ListTrails list them (not with
  includeShadowTrails=false, and a plain name in trailNameList does not match
  them), reads by ARN work; writes by ARN work for a delegated administrator
  (except turning the trail into an account trail) and are refused to other
  members with NotOrganizationMasterAccountException.
"""

from __future__ import annotations

# moto's error classes derive from BaseException through werkzeug's HTTPException, which pylint cannot infer.
# pylint: disable=raising-non-exception

import inspect
import json
import re
from fnmatch import fnmatchcase
from typing import Any, Callable

from moto.cloudtrail import models as ct_models
from moto.cloudtrail import responses as ct_responses
from moto.cloudtrail.exceptions import (
    InvalidParameterCombinationException,
    S3BucketDoesNotExistException,
    TrailNotFoundException,
)
from moto.core.exceptions import JsonRESTError
from moto.utilities.utils import get_partition

Trail = ct_models.Trail
CloudTrailBackend = ct_models.CloudTrailBackend
CloudTrailResponse = ct_responses.CloudTrailResponse
cloudtrail_backends = ct_models.cloudtrail_backends

# A moto upgrade that changes what we wrap must fail loudly, not silently stop correcting.
_EXPECTED = {
    CloudTrailBackend.create_trail: [
        "self",
        "name",
        "bucket_name",
        "s3_key_prefix",
        "sns_topic_name",
        "is_global",
        "is_multi_region",
        "log_validation",
        "is_org_trail",
        "cw_log_group_arn",
        "cw_role_arn",
        "kms_key_id",
        "tags_list",
    ],
    CloudTrailBackend.update_trail: [
        "self",
        "name",
        "s3_bucket_name",
        "s3_key_prefix",
        "sns_topic_name",
        "include_global_service_events",
        "is_multi_region_trail",
        "enable_log_file_validation",
        "is_organization_trail",
        "cw_log_group_arn",
        "cw_role_arn",
        "kms_key_id",
    ],
    Trail.update: [
        "self",
        "s3_bucket_name",
        "s3_key_prefix",
        "sns_topic_name",
        "include_global_service_events",
        "is_multi_region_trail",
        "enable_log_file_validation",
        "is_organization_trail",
        "cw_log_group_arn",
        "cw_role_arn",
        "kms_key_id",
    ],
}
for _fn, _params in _EXPECTED.items():
    assert list(inspect.signature(_fn).parameters) == _params, f"moto changed {_fn.__qualname__}: review corrections_cloudtrail"
for _attr in ("trails", "tagging_service"):
    assert _attr in inspect.getsource(CloudTrailBackend.__init__), f"moto CloudTrailBackend has no {_attr}"
for _attr in ("event_selectors", "advanced_event_selectors", "insight_selectors", "sns_topic_name", "status"):
    assert f"self.{_attr}" in inspect.getsource(Trail.__init__), f"moto Trail has no {_attr}"

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
DEFAULT_EVENT_SELECTOR: dict[str, Any] = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
_TRAIL_ARN_RE = re.compile(r"^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail/(.+)$")


# --------------------------------------------------------------------------- errors (moto style)
def _error(code: str) -> type[JsonRESTError]:
    def __init__(self: JsonRESTError, message: str) -> None:
        JsonRESTError.__init__(self, code, message)

    return type(code, (JsonRESTError,), {"code": 400, "__init__": __init__})


TrailAlreadyExistsException = _error("TrailAlreadyExistsException")
InvalidHomeRegionException = _error("InvalidHomeRegionException")
InsufficientS3BucketPolicyException = _error("InsufficientS3BucketPolicyException")
KmsKeyNotFoundException = _error("KmsKeyNotFoundException")
KmsKeyDisabledException = _error("KmsKeyDisabledException")
InvalidCloudWatchLogsRoleArnException = _error("InvalidCloudWatchLogsRoleArnException")
InvalidCloudWatchLogsLogGroupArnException = _error("InvalidCloudWatchLogsLogGroupArnException")
InsightNotEnabledException = _error("InsightNotEnabledException")
InvalidInsightSelectorsException = _error("InvalidInsightSelectorsException")
CloudTrailARNInvalidException = _error("CloudTrailARNInvalidException")
ResourceNotFoundException = _error("ResourceNotFoundException")
NotOrganizationMasterAccountException = _error("NotOrganizationMasterAccountException")
CloudTrailAccessNotEnabledException = _error("CloudTrailAccessNotEnabledException")
OrganizationsNotInUseException = _error("OrganizationsNotInUseException")
OrganizationNotInAllFeaturesModeException = _error("OrganizationNotInAllFeaturesModeException")
InsufficientSnsTopicPolicyException = _error("InsufficientSnsTopicPolicyException")


# --------------------------------------------------------------------------- finding trails
def _parse_arn(value: str) -> tuple[str, str, str] | None:
    """(region, account, name) of a trail ARN, None for a name; malformed ARN -> CloudTrailARNInvalid."""
    if not value.startswith("arn:"):
        return None
    match = _TRAIL_ARN_RE.match(value)
    if not match:
        raise CloudTrailARNInvalidException(f"{value} is not a valid trail ARN.")
    return match.group(2), match.group(3), match.group(4)


def _lookup(backend: CloudTrailBackend, name_or_arn: str) -> Trail | None:
    """The trail a caller in this account and region can see (names: home trails; ARNs: also shadows and,
    in a member account, the organization trails of its management account)."""
    parsed = _parse_arn(name_or_arn)
    if parsed is None:
        return backend.trails.get(name_or_arn)
    region, account, name = parsed
    if account != backend.account_id:
        return _organization_trail(backend, region, account, name_or_arn)
    if region not in cloudtrail_backends[account]:
        return None
    trail = cloudtrail_backends[account][region].trails.get(name)
    if trail is None or trail.arn != name_or_arn:
        return None
    if region == backend.region_name or trail.is_multi_region:
        return trail
    return None


def _shadow_named(backend: CloudTrailBackend, name: str) -> Trail | None:
    """A multi-region trail of this account, homed elsewhere, with this name (its shadow is here)."""
    for other in cloudtrail_backends[backend.account_id].values():
        trail = other.trails.get(name)
        if trail is not None and trail.is_multi_region and other.region_name != backend.region_name:
            return trail
    return None


def _find(backend: CloudTrailBackend, name_or_arn: str) -> Trail:
    trail = _lookup(backend, name_or_arn)
    if trail is None:
        raise TrailNotFoundException(account_id=backend.account_id, name=name_or_arn)
    return trail


def _find_home(backend: CloudTrailBackend, name_or_arn: str) -> Trail:
    """The trail for a write: only from its home region (elsewhere InvalidHomeRegionException).

    An organization trail, addressed by ARN from another account of the organization, may be written
    by a CloudTrail delegated administrator only (other members: NotOrganizationMasterAccountException).
    """
    parsed = _parse_arn(name_or_arn)
    if parsed is None:
        trail = backend.trails.get(name_or_arn) or _shadow_named(backend, name_or_arn)
    else:
        region, account, name = parsed
        trail = None
        if account != backend.account_id:
            trail = _organization_trail(backend, region, account, name_or_arn)
            if trail is not None and not is_delegated_admin(organization_backend(backend.account_id, _partition(backend)), backend.account_id):
                raise NotOrganizationMasterAccountException(
                    f"Account {backend.account_id} is neither the management account nor a CloudTrail delegated administrator "
                    f"of the organization: it cannot change the organization trail {trail.arn}."
                )
        elif region in cloudtrail_backends[account]:
            trail = cloudtrail_backends[account][region].trails.get(name)
    if trail is None:
        raise TrailNotFoundException(account_id=backend.account_id, name=name_or_arn)
    if trail.region_name != backend.region_name:
        raise InvalidHomeRegionException(f"This operation must be called from the trail's home region, {trail.region_name}.")
    return trail


# --------------------------------------------------------------------------- organization trails
def _partition(backend: CloudTrailBackend) -> str:
    return get_partition(backend.region_name)


def organization_backend(account_id: str, partition: str = "aws") -> Any | None:
    """moto's Organizations backend of the organization account_id belongs to (None: in none)."""
    from moto.organizations.models import organizations_backends

    own = organizations_backends[account_id][partition]
    if own.org is not None:
        return own
    master = organizations_backends.master_accounts.get(account_id)
    if master:
        backend = organizations_backends[master[0]][master[1]]
        # moto keeps master_accounts across resets: trust it only if the organization still exists.
        if backend.org is not None and any(a.id == account_id for a in backend.accounts):
            return backend
    return None


def is_delegated_admin(org_backend: Any, account_id: str) -> bool:
    """True when account_id is a CloudTrail delegated administrator of that organization."""
    return org_backend is not None and any(
        admin.account.id == account_id and CLOUDTRAIL_PRINCIPAL in admin.services for admin in org_backend.admins
    )


def _organization_trail(backend: CloudTrailBackend, region: str, account: str, arn: str) -> Trail | None:
    """The organization trail with this ARN, as another account of the organization sees it in its region.

    AWS replicates an organization trail into every member account (a shadow trail): readable there
    by ARN only, in the trail's home region and, for a multi-region trail, in every region.
    """
    org_backend = organization_backend(backend.account_id, _partition(backend))
    if org_backend is None or org_backend.org.master_account_id != account or region not in cloudtrail_backends[account]:
        return None
    trail = cloudtrail_backends[account][region].trails.get(arn.split(":trail/", 1)[1])
    if trail is None or trail.arn != arn or not trail.is_org_trail:
        return None
    return trail if region == backend.region_name or trail.is_multi_region else None


def _visible_organization_trails(backend: CloudTrailBackend) -> list[Trail]:
    """The organization trails a member account lists in this region (none for the management account itself)."""
    org_backend = organization_backend(backend.account_id, _partition(backend))
    if org_backend is None or org_backend.org.master_account_id == backend.account_id:
        return []
    management = org_backend.org.master_account_id
    return [
        trail
        for home in cloudtrail_backends[management].values()
        for trail in home.trails.values()
        if trail.is_org_trail and (trail.region_name == backend.region_name or trail.is_multi_region)
    ]


_moto_describe_trails = CloudTrailBackend.describe_trails


def describe_trails(self: CloudTrailBackend, include_shadow_trails: bool) -> list[Trail]:
    """moto's trails of the account, plus (with shadow trails) the organization trails a member sees."""
    trails = list(_moto_describe_trails(self, include_shadow_trails))
    if include_shadow_trails:
        trails += _visible_organization_trails(self)
    return trails


def _home_backend(trail: Trail) -> CloudTrailBackend:
    return cloudtrail_backends[trail.account_id][trail.region_name]


# --------------------------------------------------------------------------- validation helpers
def _like(pattern: str, value: str) -> bool:
    """IAM wildcard match: * any run of characters, ? one character (case-sensitive)."""
    return fnmatchcase(value, pattern.replace("[", "[[]"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _principal_is_cloudtrail(principal: Any) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return CLOUDTRAIL_PRINCIPAL in _as_list(principal.get("Service")) or "*" in _as_list(principal.get("AWS"))


def _action_matches(statement: dict[str, Any], action: str) -> bool:
    return any(_like(a.lower(), action.lower()) for a in _as_list(statement.get("Action")))


def _resource_matches(statement: dict[str, Any], resource: str) -> bool:
    return any(_like(r, resource) for r in _as_list(statement.get("Resource")))


_MATCHING_OPERATORS = {
    "stringequals": lambda pattern, value: pattern == value,
    "arnequals": lambda pattern, value: pattern == value,
    "stringlike": _like,
    "arnlike": _like,
}


def _conditions_admit(statement: dict[str, Any], context: dict[str, str]) -> bool:
    """False only if a StringEquals/StringLike/ArnEquals/ArnLike on a known key excludes this trail."""
    for operator, tests in (statement.get("Condition") or {}).items():
        check = _MATCHING_OPERATORS.get(operator.lower().replace("forallvalues:", "").replace("foranyvalue:", ""))
        if check is None or not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            value = context.get(key.lower())
            if value is not None and not any(check(str(v), value) for v in _as_list(values)):
                return False
    return True


def _bucket(bucket_name: str, account_id: str, partition: str) -> Any:
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    try:
        return s3_backends[account_id][partition].get_bucket(bucket_name)
    except MissingBucket:
        raise S3BucketDoesNotExistException(f"S3 bucket does not exist: {bucket_name}")


def _check_bucket_policy(trail_arn: str, account_id: str, partition: str, bucket_name: str, prefix: str | None, org_id: str | None) -> None:
    """AWS: CloudTrail must be allowed s3:GetBucketAcl on the bucket and s3:PutObject on its AWSLogs path."""
    bucket = _bucket(bucket_name, account_id, partition)
    insufficient = InsufficientS3BucketPolicyException(f"Incorrect S3 bucket policy is detected for bucket: {bucket_name}")
    if not bucket.policy:
        raise insufficient
    try:
        statements = _as_list(json.loads(bucket.policy).get("Statement"))
    except (ValueError, AttributeError):
        raise insufficient
    region = trail_arn.split(":")[3]
    bucket_arn = f"arn:{partition}:s3:::{bucket_name}"
    logs_owner = f"{org_id}/{account_id}" if org_id else account_id
    key = f"{prefix.strip('/') + '/' if prefix else ''}AWSLogs/{logs_owner}/CloudTrail/{region}/2026/01/01/{account_id}_CloudTrail_{region}_x.json.gz"
    context = {"aws:sourcearn": trail_arn, "aws:sourceaccount": account_id, "s3:x-amz-acl": "bucket-owner-full-control"}
    if org_id:
        context["aws:sourceorgid"] = org_id

    def applies(statement: dict[str, Any], action: str, resource: str) -> bool:
        return (
            isinstance(statement, dict)
            and _principal_is_cloudtrail(statement.get("Principal"))
            and _action_matches(statement, action)
            and _resource_matches(statement, resource)
        )

    def allowed(action: str, resource: str) -> bool:
        if any(applies(s, action, resource) and s.get("Effect") == "Deny" and not s.get("Condition") for s in statements):
            return False
        return any(applies(s, action, resource) and s.get("Effect") == "Allow" and _conditions_admit(s, context) for s in statements)

    if not (allowed("s3:GetBucketAcl", bucket_arn) and allowed("s3:PutObject", f"{bucket_arn}/{key}")):
        raise insufficient


def _resolve_kms_key(key_id: str, account_id: str, region: str) -> str:
    """The key ARN for an alias, alias ARN, key id or key ARN (AWS stores and returns the key ARN)."""
    from moto.kms.models import kms_backends

    if key_id.startswith("arn:"):
        parts = key_id.split(":")
        if len(parts) < 6:
            raise KmsKeyNotFoundException(f"Key {key_id} does not exist.")
        region, account_id = parts[3], parts[4]
    backend = kms_backends[account_id][region]
    try:
        key = backend.keys[backend.any_id_to_key_id(key_id)]
    except (KeyError, AttributeError, TypeError):
        raise KmsKeyNotFoundException(f"Key {key_id} does not exist.")
    if not key.enabled:
        raise KmsKeyDisabledException(f"Key {key.arn} is disabled.")
    return key.arn


def _check_cloudwatch_logs(group_arn: str | None, role_arn: str | None, account_id: str, region: str) -> None:
    """Both or neither; the group must exist, the role exist and trust CloudTrail."""
    if not group_arn and not role_arn:
        return
    if not role_arn:
        raise InvalidCloudWatchLogsRoleArnException("You must specify a role ARN as well as a log group.")
    if not group_arn:
        raise InvalidCloudWatchLogsLogGroupArnException("You must specify a log group as well as a role ARN.")
    from moto.iam.models import iam_backends
    from moto.logs.models import logs_backends

    match = re.match(r"^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+):\*$", group_arn)
    if not match or match.group(3) not in logs_backends[match.group(2)][match.group(1)].groups:
        raise InvalidCloudWatchLogsLogGroupArnException("Check the log group ARN: CloudTrail can't validate it.")
    match = re.match(r"^arn:aws[a-z-]*:iam::(\d{12}):role/.+$", role_arn)
    role = None
    if match:
        iam = iam_backends[match.group(1)][get_partition(region)]
        role = next((r for r in iam.roles.values() if r.arn == role_arn), None)
    if role is None or CLOUDTRAIL_PRINCIPAL not in (role.assume_role_policy_document or ""):
        raise InvalidCloudWatchLogsRoleArnException("Access denied. Check the trust relationships for your role.")


def _check_topic(topic: str, account_id: str, region: str) -> None:
    from moto.sns.exceptions import TopicNotFound
    from moto.sns.models import sns_backends

    topic_arn = topic if topic.startswith("arn:") else f"arn:{get_partition(region)}:sns:{region}:{account_id}:{topic}"
    parts = topic_arn.split(":")
    try:
        sns_backends[parts[4]][parts[3]].get_topic(topic_arn)
    except (TopicNotFound, IndexError, KeyError):
        raise InsufficientSnsTopicPolicyException("SNS Topic does not exist or the topic policy is incorrect!")


def _organization_id(account_id: str, partition: str) -> str:
    """The organization id for an organization trail made by this account, or the AWS error."""
    org_backend = organization_backend(account_id, partition)
    if org_backend is None:
        raise OrganizationsNotInUseException("This account is not a member of an organization.")
    org = org_backend.org
    if org.feature_set != "ALL":
        raise OrganizationNotInAllFeaturesModeException("All features must be enabled in the organization.")
    if account_id != org.master_account_id and not is_delegated_admin(org_backend, account_id):
        raise NotOrganizationMasterAccountException(
            f"The request was made from account {account_id}, which is not the management account "
            "or a delegated administrator of the organization."
        )
    if not any(s.get("ServicePrincipal") == CLOUDTRAIL_PRINCIPAL for s in org_backend.services):
        raise CloudTrailAccessNotEnabledException("The trusted access between CloudTrail and Organizations is not enabled.")
    return org.id


def _trail_owner(backend: CloudTrailBackend, is_org_trail: bool) -> CloudTrailBackend:
    """Where a new trail lives: the caller's account, or for an organization trail the management account's
    (AWS: the management account owns every organization trail, also one a delegated administrator creates)."""
    if not is_org_trail:
        return backend
    _organization_id(backend.account_id, _partition(backend))  # only the management account or a delegated admin
    management = organization_backend(backend.account_id, _partition(backend)).org.master_account_id
    return cloudtrail_backends[management][backend.region_name]


def _topic_name(topic: str) -> str:
    return topic.split(":")[-1] if topic.startswith("arn:") else topic


def _validate_destinations(trail_arn: str, account_id: str, region: str, state: dict[str, Any], check_bucket: bool) -> str | None:
    """Validate a trail's resulting settings as CloudTrail does; returns the resolved KMS key ARN."""
    partition = get_partition(region)
    if state["is_multi_region"] and not state["is_global"]:
        raise InvalidParameterCombinationException("Multi-Region trail must include global service events.")
    org_id = _organization_id(account_id, partition) if state["is_org"] else None
    if check_bucket:
        _check_bucket_policy(trail_arn, account_id, partition, state["bucket"], state["prefix"], org_id)
    if state.get("topic"):
        _check_topic(state["topic"], account_id, region)
    _check_cloudwatch_logs(state.get("cw_group"), state.get("cw_role"), account_id, region)
    return _resolve_kms_key(state["kms"], account_id, region) if state.get("kms") else None


# --------------------------------------------------------------------------- backend corrections
def create_trail(
    self: CloudTrailBackend,
    name: str,
    bucket_name: str,
    s3_key_prefix: str,
    sns_topic_name: str,
    is_global: bool,
    is_multi_region: bool,
    log_validation: bool,
    is_org_trail: bool,
    cw_log_group_arn: str,
    cw_role_arn: str,
    kms_key_id: str,
    tags_list: list[dict[str, str]],
) -> Trail:
    owner = _trail_owner(self, is_org_trail)
    if name in owner.trails or _shadow_named(owner, name) is not None:
        raise TrailAlreadyExistsException(f"Trail {name} already exists for customer: {owner.account_id}")
    trail = Trail(
        owner.account_id,
        owner.region_name,
        name,
        bucket_name,
        s3_key_prefix or None,
        sns_topic_name or None,
        is_global,
        is_multi_region,
        log_validation,
        is_org_trail,
        cw_log_group_arn or None,
        cw_role_arn or None,
        None,
    )
    state = {
        "is_multi_region": is_multi_region,
        "is_global": is_global,
        "is_org": is_org_trail,
        "bucket": bucket_name,
        "prefix": s3_key_prefix,
        "topic": sns_topic_name,
        "cw_group": cw_log_group_arn,
        "cw_role": cw_role_arn,
        "kms": kms_key_id,
    }
    trail.kms_key_id = _validate_destinations(trail.arn, owner.account_id, owner.region_name, state, check_bucket=True)
    owner.trails[name] = trail
    owner.tagging_service.tag_resource(trail.arn, tags_list)
    return trail


def update_trail(
    self: CloudTrailBackend,
    name: str,
    s3_bucket_name: str | None,
    s3_key_prefix: str | None,
    sns_topic_name: str | None,
    include_global_service_events: bool | None,
    is_multi_region_trail: bool | None,
    enable_log_file_validation: bool | None,
    is_organization_trail: bool | None,
    cw_log_group_arn: str | None,
    cw_role_arn: str | None,
    kms_key_id: str | None,
) -> Trail:
    trail = _find_home(self, name)
    if trail.account_id != self.account_id and is_organization_trail is False:
        raise NotOrganizationMasterAccountException(
            "Only the organization's management account can turn an organization trail into a trail of its own account."
        )

    def pick(new: Any, old: Any) -> Any:
        return old if new is None else new

    state = {
        "is_multi_region": pick(is_multi_region_trail, trail.is_multi_region),
        "is_global": pick(include_global_service_events, trail.include_global_service_events),
        "is_org": pick(is_organization_trail, trail.is_org_trail),
        "bucket": pick(s3_bucket_name, trail.bucket_name),
        "prefix": pick(s3_key_prefix, trail.s3_key_prefix) or None,
        "topic": sns_topic_name,
        "kms": kms_key_id,
    }
    if cw_log_group_arn is not None or cw_role_arn is not None:  # AWS: given together (empty both = remove)
        state.update(cw_group=cw_log_group_arn, cw_role=cw_role_arn)
    check_bucket = (
        state["bucket"] != trail.bucket_name
        or state["prefix"] != (trail.s3_key_prefix or None)
        or (state["is_org"] and not trail.is_org_trail)
    )
    key_arn = _validate_destinations(trail.arn, trail.account_id, self.region_name, state, check_bucket)
    trail.update(
        s3_bucket_name=s3_bucket_name,
        s3_key_prefix=s3_key_prefix,
        sns_topic_name=sns_topic_name,
        include_global_service_events=include_global_service_events,
        is_multi_region_trail=is_multi_region_trail,
        enable_log_file_validation=enable_log_file_validation,
        is_organization_trail=is_organization_trail,
        cw_log_group_arn=cw_log_group_arn,
        cw_role_arn=cw_role_arn,
        kms_key_id=None if kms_key_id is None else (key_arn or ""),
    )
    for attr in ("s3_key_prefix", "sns_topic_name", "cw_log_group_arn", "cw_role_arn", "kms_key_id"):
        if getattr(trail, attr) == "":  # an empty value removes the setting, as in AWS
            setattr(trail, attr, None)
    return trail


def get_trail(self: CloudTrailBackend, name_or_arn: str) -> Trail:
    return _find(self, name_or_arn)


def get_trail_status(self: CloudTrailBackend, name: str) -> Any:
    return _find(self, name).status


def delete_trail(self: CloudTrailBackend, name: str) -> None:
    trail = _find_home(self, name)
    home = _home_backend(trail)  # a delegated administrator deletes the management account's trail
    del home.trails[trail.trail_name]
    home.tagging_service.delete_all_tags_for_resource(trail.arn)


def _home_only(method: Callable[..., Any], param: str) -> Callable[..., Any]:
    """Run moto's method on the trail only from its home region."""

    def wrapper(self: CloudTrailBackend, *args: Any, **kwargs: Any) -> Any:
        name = kwargs[param] if param in kwargs else args[0]
        _find_home(self, name)
        return method(self, *args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _is_trail_arn(resource_id: str) -> bool:
    return resource_id.startswith("arn:") and ":trail/" in resource_id


def _trail_tagging(self: CloudTrailBackend, resource_id: str, write: bool) -> Any:
    """The tagging service holding a trail's tags (its home region's); other resources: moto's."""
    if not _is_trail_arn(resource_id):
        return self.tagging_service
    try:
        trail = _find_home(self, resource_id) if write else _find(self, resource_id)
    except TrailNotFoundException:
        raise ResourceNotFoundException(f"Resource not found: {resource_id}")
    return _home_backend(trail).tagging_service


def add_tags(self: CloudTrailBackend, resource_id: str, tags_list: list[dict[str, str]]) -> None:
    _trail_tagging(self, resource_id, write=True).tag_resource(resource_id, tags_list)


def remove_tags(self: CloudTrailBackend, resource_id: str, tags_list: list[dict[str, str]]) -> None:
    _trail_tagging(self, resource_id, write=True).untag_resource_using_tags(resource_id, tags_list)


def list_tags(self: CloudTrailBackend, resource_id_list: list[str]) -> list[dict[str, Any]]:
    return [
        {"ResourceId": r_id, "TagsList": _trail_tagging(self, r_id, write=False).list_tags_for_resource(r_id)["TagsList"]}
        for r_id in resource_id_list
    ]


# --------------------------------------------------------------------------- Trail model corrections
_original_trail_init = Trail.__init__
_original_description = Trail.description


def _trail_init(self: Trail, *args: Any, **kwargs: Any) -> None:
    _original_trail_init(self, *args, **kwargs)
    self.event_selectors = [dict(DEFAULT_EVENT_SELECTOR)]  # AWS: a new trail logs all management events


def _topic_arn(self: Trail) -> str | None:
    topic = self.sns_topic_name
    if not topic:
        return None
    if topic.startswith("arn:"):
        return topic
    return f"arn:{get_partition(self.region_name)}:sns:{self.region_name}:{self.account_id}:{topic}"


def _check_topic_exists(self: Trail) -> None:
    if self.sns_topic_name:
        _check_topic(self.sns_topic_name, self.account_id, self.region_name)


def _put_event_selectors(
    self: Trail, event_selectors: list[dict[str, Any]] | None, advanced_event_selectors: list[dict[str, Any]] | None
) -> None:
    if event_selectors is not None:
        self.event_selectors = [{**DEFAULT_EVENT_SELECTOR, **s} for s in event_selectors]
        self.advanced_event_selectors = []
    elif advanced_event_selectors is not None:
        self.event_selectors = []
        self.advanced_event_selectors = advanced_event_selectors


def _put_insight_selectors(self: Trail, insight_selectors: list[dict[str, str]]) -> None:
    self.insight_selectors = list(insight_selectors)


def _has_custom_event_selectors(trail: Trail) -> bool:
    return bool(trail.advanced_event_selectors) or trail.event_selectors != [DEFAULT_EVENT_SELECTOR]


def _description(self: Trail, include_region: bool = False) -> dict[str, Any]:
    desc = _original_description(self, include_region=include_region)
    desc["HasCustomEventSelectors"] = _has_custom_event_selectors(self)
    desc["HasInsightSelectors"] = bool(self.insight_selectors)
    if self.sns_topic_name:
        desc["SnsTopicName"] = _topic_name(self.sns_topic_name)
        desc["SnsTopicARN"] = self.topic_arn
    return {k: v for k, v in desc.items() if v is not None}


# --------------------------------------------------------------------------- Response corrections
def respond_describe_trails(self: CloudTrailResponse) -> str:
    include_shadow_trails = self._get_bool_param("includeShadowTrails", True)
    wanted = self._get_param("trailNameList") or []
    trails = list(self.cloudtrail_backend.describe_trails(include_shadow_trails))
    if not include_shadow_trails:
        trails = [t for t in trails if t.region_name == self.region]
    if wanted:
        for entry in wanted:
            _parse_arn(entry)  # a malformed ARN is an error, an unknown name is not
        trails = [
            t for t in trails if t.arn in wanted or (t.trail_name in wanted and t.region_name == self.region and t.account_id == self.current_account)
        ]
    return json.dumps({"trailList": [t.description(include_region=True) for t in trails]})


def respond_get_trail(self: CloudTrailResponse) -> str:
    trail = self.cloudtrail_backend.get_trail(self._get_param("Name"))
    return json.dumps({"Trail": trail.description(include_region=True)})


def respond_put_event_selectors(self: CloudTrailResponse) -> str:
    params = json.loads(self.body)
    basic, advanced = params.get("EventSelectors"), params.get("AdvancedEventSelectors")
    if basic is not None and advanced is not None:
        raise InvalidParameterCombinationException("You cannot use EventSelectors and AdvancedEventSelectors in the same request.")
    trail = _find_home(self.cloudtrail_backend, params.get("TrailName"))
    trail.put_event_selectors(basic, advanced)
    return json.dumps(_selectors_response(trail))


def respond_get_event_selectors(self: CloudTrailResponse) -> str:
    trail = _find(self.cloudtrail_backend, json.loads(self.body).get("TrailName"))
    return json.dumps(_selectors_response(trail))


def _selectors_response(trail: Trail) -> dict[str, Any]:
    if trail.advanced_event_selectors:
        return {"TrailARN": trail.arn, "AdvancedEventSelectors": trail.advanced_event_selectors}
    return {"TrailARN": trail.arn, "EventSelectors": trail.event_selectors}


def respond_put_insight_selectors(self: CloudTrailResponse) -> str:
    selectors = self._get_param("InsightSelectors")
    if selectors is None:
        raise InvalidInsightSelectorsException("InsightSelectors is required.")
    for selector in selectors:
        if selector.get("InsightType") not in INSIGHT_TYPES:
            raise InvalidInsightSelectorsException(
                f"Invalid InsightType {selector.get('InsightType')!r}: valid values are {', '.join(INSIGHT_TYPES)}."
            )
    trail = _find_home(self.cloudtrail_backend, self._get_param("TrailName"))
    trail.put_insight_selectors(selectors)
    resp: dict[str, Any] = {"TrailARN": trail.arn, "InsightSelectors": trail.insight_selectors}
    return json.dumps(resp)


def respond_get_insight_selectors(self: CloudTrailResponse) -> str:
    trail = _find(self.cloudtrail_backend, self._get_param("TrailName"))
    if not trail.insight_selectors:
        raise InsightNotEnabledException(f"Trail {trail.arn} does not have Insights enabled.")
    return json.dumps({"TrailARN": trail.arn, "InsightSelectors": trail.insight_selectors})


def install() -> None:
    CloudTrailBackend.create_trail = create_trail
    CloudTrailBackend.describe_trails = describe_trails
    CloudTrailBackend.update_trail = update_trail
    CloudTrailBackend.get_trail = get_trail
    CloudTrailBackend.get_trail_status = get_trail_status
    CloudTrailBackend.delete_trail = delete_trail
    CloudTrailBackend.start_logging = _home_only(CloudTrailBackend.start_logging, "name")
    CloudTrailBackend.stop_logging = _home_only(CloudTrailBackend.stop_logging, "name")
    CloudTrailBackend.add_tags = add_tags
    CloudTrailBackend.remove_tags = remove_tags
    CloudTrailBackend.list_tags = list_tags
    Trail.__init__ = _trail_init
    Trail.topic_arn = property(_topic_arn)
    Trail.check_topic_exists = _check_topic_exists
    Trail.put_event_selectors = _put_event_selectors
    Trail.put_insight_selectors = _put_insight_selectors
    Trail.description = _description
    CloudTrailResponse.describe_trails = respond_describe_trails
    CloudTrailResponse.get_trail = respond_get_trail
    CloudTrailResponse.put_event_selectors = respond_put_event_selectors
    CloudTrailResponse.get_event_selectors = respond_get_event_selectors
    CloudTrailResponse.put_insight_selectors = respond_put_insight_selectors
    CloudTrailResponse.get_insight_selectors = respond_get_insight_selectors


install()
