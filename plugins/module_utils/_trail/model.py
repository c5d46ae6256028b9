# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_trail, pure: validate options, desired state, AWS -> state, compare, predict.

States are plain dicts keyed by option name:
  settings (the trail itself): s3_bucket_name, s3_key_prefix, sns_topic (ARN),
    include_global_service_events, is_multi_region_trail, enable_log_file_validation,
    cloudwatch_logs ({log_group_arn, role_arn} or None), kms_key_id (key ARN),
    is_organization_trail
  plus event_selectors / advanced_event_selectors (AWS shapes), insight_selectors
  (AWS shape), tags, enable_logging.
None in a desired setting means "remove it"; a key missing from desired means "leave it".
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.tags import tag_change
from .._common.validate import check_arn, check_arn_location, check_bucket_name, check_role_arn, check_tags
from . import selectors as sel

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
ADJACENT_SEPARATORS_RE = re.compile(r"[._-]{2}")
KEY_ARN_RE = re.compile(r"^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
MAX_PREFIX = 200
MAX_SNS = 256

SETTINGS = (
    "s3_bucket_name",
    "s3_key_prefix",
    "sns_topic",
    "include_global_service_events",
    "is_multi_region_trail",
    "enable_log_file_validation",
    "cloudwatch_logs",
    "kms_key_id",
    "is_organization_trail",
)
BOOLEANS_TRUE_ON_CREATE = ("include_global_service_events", "is_multi_region_trail", "enable_log_file_validation")
REMOVABLE = ("s3_key_prefix", "sns_topic", "cloudwatch_logs", "kms_key_id")
AWS_PARAM = {
    "s3_bucket_name": "S3BucketName",
    "s3_key_prefix": "S3KeyPrefix",
    "sns_topic": "SnsTopicName",
    "include_global_service_events": "IncludeGlobalServiceEvents",
    "is_multi_region_trail": "IsMultiRegionTrail",
    "enable_log_file_validation": "EnableLogFileValidation",
    "kms_key_id": "KmsKeyId",
    "is_organization_trail": "IsOrganizationTrail",
}


# ---------------------------------------------------------------- validation
def is_trail_arn(value: str) -> bool:
    return value.startswith("arn:")


def validate_name(name: str, option: str = "name") -> None:
    """Trail name rules (or a trail ARN, for lookups and deletes)."""
    if is_trail_arn(name):
        check_arn(name, option, service="cloudtrail", resource_prefix="trail/")
        validate_name(name.split(":trail/", 1)[1], option)
        return
    if not NAME_RE.fullmatch(name):
        raise CloudAuditError(
            f"'{name}' is not a valid trail name: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit",
            option,
        )
    if ADJACENT_SEPARATORS_RE.search(name):
        raise CloudAuditError(f"'{name}' is not a valid trail name: no adjacent '.', '_' or '-'", option)
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return
    raise CloudAuditError(f"'{name}' is not a valid trail name: it must not look like an IP address", option)


def validate(params: dict[str, Any], region: str | None = None) -> None:
    """Every check that needs no AWS call; raises CloudAuditError naming the option.

    region (of the connection) checks that the ARNs given are of its partition, and the log group of its region.
    """
    validate_name(params["name"])
    if params.get("state") == "absent":
        return
    if params.get("s3_bucket_name"):
        check_bucket_name(params["s3_bucket_name"], "s3_bucket_name")
    prefix = params.get("s3_key_prefix")
    if prefix and len(prefix) > MAX_PREFIX:
        raise CloudAuditError(f"{len(prefix)} characters; AWS allows at most {MAX_PREFIX}", "s3_key_prefix")
    sns = params.get("sns_topic")
    if sns:
        if len(sns) > MAX_SNS:
            raise CloudAuditError(f"{len(sns)} characters; AWS allows at most {MAX_SNS}", "sns_topic")
        if sns.startswith("arn:"):
            check_arn(sns, "sns_topic", service="sns")
            check_arn_location(sns, "sns_topic", region, what="SNS topic")
    kms = params.get("kms_key_id")
    if kms and kms.startswith("arn:"):
        check_arn(kms, "kms_key_id", service="kms")
        check_arn_location(kms, "kms_key_id", region, what="KMS key")
    _validate_cloudwatch(params.get("cloudwatch_logs"), region)
    if params.get("is_multi_region_trail") and params.get("include_global_service_events") is False:
        raise CloudAuditError("a multi-region trail must include global service events (include_global_service_events: true)", "is_multi_region_trail")
    check_tags(params.get("tags"))
    desired_selectors(params, region or "us-east-1")  # validates selectors (region only shapes preset ARNs)
    if params.get("insight_selectors") is not None:
        sel.insights_to_aws(params["insight_selectors"])


def _validate_cloudwatch(cw: dict[str, Any] | None, region: str | None) -> None:
    if cw is None:
        return
    group, role = cw.get("log_group_arn") or "", cw.get("role_arn") or ""
    if bool(group) != bool(role):
        raise CloudAuditError("log_group_arn and role_arn go together: give both, or neither to remove CloudWatch Logs delivery", "cloudwatch_logs")
    if group:
        check_arn(group, "cloudwatch_logs.log_group_arn", service="logs", resource_prefix="log-group:")
        if not group.endswith(":*"):
            raise CloudAuditError(f"'{group}' must end in ':*' (the ARN of the log group's streams)", "cloudwatch_logs.log_group_arn")
        # CloudTrail delivers to a log group of the trail's home region only.
        check_arn_location(group, "cloudwatch_logs.log_group_arn", region, same_region=True, what="log group")
        check_role_arn(role, "cloudwatch_logs.role_arn", region)


# ---------------------------------------------------------------- desired state
def desired_selectors(params: dict[str, Any], region: str) -> dict[str, Any]:
    """{'event_selectors': [...]} or {'advanced_event_selectors': [...]} (AWS shapes), or {} when unmanaged."""
    if params.get("event_selectors") is not None:
        return {"event_selectors": sel.basic_to_aws(params["event_selectors"])}
    if params.get("advanced_event_selectors") is not None:
        if not params["advanced_event_selectors"]:
            raise CloudAuditError("must hold at least one selector (use event_selectors for the default set)", "advanced_event_selectors")
        return {"advanced_event_selectors": sel.advanced_to_aws(params["advanced_event_selectors"])}
    if params.get("event_presets") is not None:
        advanced = sel.presets_to_advanced(params["event_presets"], region)
        return {"advanced_event_selectors": sel.advanced_to_aws(advanced, "event_presets")}
    return {}


def desired_state(params: dict[str, Any], region: str) -> dict[str, Any]:
    """The managed settings: keys present only for the options the user set."""
    desired: dict[str, Any] = {}
    for key in SETTINGS:
        value = params.get(key)
        if key == "cloudwatch_logs":
            if value is not None:
                desired[key] = {"log_group_arn": value["log_group_arn"], "role_arn": value["role_arn"]} if value.get("log_group_arn") else None
            continue
        if value is None:
            continue
        desired[key] = (value or None) if key in REMOVABLE else value
    desired.update(desired_selectors(params, region))
    if params.get("insight_selectors") is not None:
        desired["insight_selectors"] = sel.insights_to_aws(params["insight_selectors"])
    if params.get("tags") is not None:
        desired["tags"] = {k: str(v) for k, v in params["tags"].items()}
    if params.get("enable_logging") is not None:
        desired["enable_logging"] = params["enable_logging"]
    return desired


# ---------------------------------------------------------------- AWS -> state
def settings_from_aws(trail: dict[str, Any]) -> dict[str, Any]:
    group = trail.get("CloudWatchLogsLogGroupArn")
    return {
        "s3_bucket_name": trail.get("S3BucketName"),
        "s3_key_prefix": trail.get("S3KeyPrefix") or None,
        "sns_topic": trail.get("SnsTopicARN") or None,
        "include_global_service_events": bool(trail.get("IncludeGlobalServiceEvents")),
        "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail")),
        "enable_log_file_validation": bool(trail.get("LogFileValidationEnabled")),
        "cloudwatch_logs": {"log_group_arn": group, "role_arn": trail.get("CloudWatchLogsRoleArn")} if group else None,
        "kms_key_id": trail.get("KmsKeyId") or None,
        "is_organization_trail": bool(trail.get("IsOrganizationTrail")),
    }


def selectors_from_aws(answer: dict[str, Any] | None) -> dict[str, Any]:
    """GetEventSelectors -> {'event_selectors': [...]} or {'advanced_event_selectors': [...]}."""
    answer = answer or {}
    if answer.get("AdvancedEventSelectors"):
        return {"event_selectors": None, "advanced_event_selectors": answer["AdvancedEventSelectors"]}
    return {"event_selectors": answer.get("EventSelectors") or [], "advanced_event_selectors": None}


def arn_parts(arn: str) -> dict[str, str]:
    parts = arn.split(":", 5)
    return {"partition": parts[1], "service": parts[2], "region": parts[3], "account": parts[4], "resource": parts[5]}


def same_sns_topic(desired: str | None, current_arn: str | None) -> bool:
    """A topic given by name matches the current ARN's last part; an ARN matches exactly."""
    if not desired or not current_arn:
        return not desired and not current_arn
    if desired.startswith("arn:"):
        return desired == current_arn
    return current_arn.rsplit(":", 1)[-1] == desired


# ---------------------------------------------------------------- compare
def trail_setting_differs(key: str, desired: Any, current: Any) -> bool:
    if key == "sns_topic":
        return not same_sns_topic(desired, current)
    return desired != current


def compare(desired: dict[str, Any], current: dict[str, Any] | None, purge_tags: bool = True) -> list[Change]:
    """Ordered changes (trail, event_selectors, insight_selectors, tags, logging).

    current is None when the trail does not exist; desired holds kms_key_id resolved to a key ARN.
    """
    changes: list[Change] = []
    changes.extend(_trail_changes(desired, current))
    current = current or {}
    selectors_change = _selectors_change(desired, current)
    if selectors_change:
        changes.append(selectors_change)
    if "insight_selectors" in desired and sel.canonical_insights(desired["insight_selectors"]) != sel.canonical_insights(current.get("insight_selectors")):
        changes.append(
            Change(
                "insight_selectors",
                before=sel.insights_from_aws(current.get("insight_selectors")),
                after=sel.insights_from_aws(desired["insight_selectors"]),
                action="delete" if not desired["insight_selectors"] else "update",
            )
        )
    _check_insights_need_write_events(desired, current, selectors_change)
    tags = tag_change(current.get("tags") or {}, desired.get("tags"), purge_tags)
    if tags:
        changes.append(tags)
    if "enable_logging" in desired and desired["enable_logging"] != bool(current.get("enable_logging")):
        changes.append(Change("logging", before=bool(current.get("enable_logging")), after=desired["enable_logging"]))
    return changes


def _trail_changes(desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
    wanted = {k: desired[k] for k in SETTINGS if k in desired}
    if current is None:
        if not wanted.get("s3_bucket_name"):
            raise CloudAuditError("is required to create a trail", "s3_bucket_name")
        after = {k: wanted.get(k) for k in SETTINGS}
        for key in BOOLEANS_TRUE_ON_CREATE:
            if after[key] is None:
                after[key] = True
        after["is_organization_trail"] = bool(after["is_organization_trail"])
        _check_combination(after)
        return [Change("trail", before=None, after=after, action="create", details={"params": create_params(after)})]
    differing = [k for k, v in wanted.items() if trail_setting_differs(k, v, current.get(k))]
    if not differing:
        return []
    merged = {k: current.get(k) for k in SETTINGS}
    merged.update({k: wanted[k] for k in differing})
    _check_combination(merged)
    params = {}
    for key in differing:
        params.update(_update_param(key, desired[key]))
    # AWS checks the pair on every update that touches either flag.
    if "is_multi_region_trail" in params and merged["is_multi_region_trail"]:
        params["IncludeGlobalServiceEvents"] = merged["include_global_service_events"]
    return [
        Change(
            "trail",
            before={k: current.get(k) for k in differing},
            after={k: wanted[k] for k in differing},
            details={"params": params},
        )
    ]


def _check_insights_need_write_events(desired: dict[str, Any], current: dict[str, Any], selectors_change: Change | None) -> None:
    """ApiCallRateInsight analyses write management events: refuse a state where none are logged."""
    insights = desired.get("insight_selectors", current.get("insight_selectors")) or []
    if not any(i.get("InsightType") == "ApiCallRateInsight" for i in insights):
        return
    if selectors_change is not None:
        params = selectors_change.details["params"]
        basic, advanced = params.get("EventSelectors"), params.get("AdvancedEventSelectors")
    elif "event_selectors" in current or "advanced_event_selectors" in current:
        basic, advanced = current.get("event_selectors"), current.get("advanced_event_selectors")
    else:  # selectors neither managed nor read (a new trail gets AWS's default selector, which logs them)
        return
    if not sel.logs_write_management_events(basic, advanced):
        raise CloudAuditError("ApiCallRateInsight needs the trail to log write management events; its event selectors do not", "insight_selectors")


def _check_combination(settings: dict[str, Any]) -> None:
    if settings.get("is_multi_region_trail") and not settings.get("include_global_service_events"):
        raise CloudAuditError("a multi-region trail must include global service events (include_global_service_events: true)", "is_multi_region_trail")


def _update_param(key: str, value: Any) -> dict[str, Any]:
    if key == "cloudwatch_logs":
        value = value or {}
        return {"CloudWatchLogsLogGroupArn": value.get("log_group_arn") or "", "CloudWatchLogsRoleArn": value.get("role_arn") or ""}
    if key in REMOVABLE:
        return {AWS_PARAM[key]: value or ""}
    return {AWS_PARAM[key]: value}


def create_params(after: dict[str, Any]) -> dict[str, Any]:
    """CreateTrail parameters (Name added by the caller): the settings of the new trail, the KMS key as its ARN, the SNS topic as given."""
    params: dict[str, Any] = {}
    for key in SETTINGS:
        value = after.get(key)
        if key == "cloudwatch_logs":
            if value:
                params.update(_update_param(key, value))
            continue
        if value in (None, ""):
            continue
        params[AWS_PARAM[key]] = value
    return params


def _selectors_change(desired: dict[str, Any], current: dict[str, Any]) -> Change | None:
    before = selectors_view(current)
    if "event_selectors" in desired:
        same = not current.get("advanced_event_selectors") and sel.canonical_basic(desired["event_selectors"]) == sel.canonical_basic(
            current.get("event_selectors") if current.get("event_selectors") is not None else sel.DEFAULT_EVENT_SELECTORS
        )
        if same:
            return None
        after = {"event_selectors": desired["event_selectors"], "advanced_event_selectors": None}
        return Change("event_selectors", before=before, after=selectors_view(after), details={"params": {"EventSelectors": desired["event_selectors"]}})
    if "advanced_event_selectors" in desired:
        if not current.get("event_selectors") and sel.canonical_advanced(desired["advanced_event_selectors"]) == sel.canonical_advanced(
            current.get("advanced_event_selectors")
        ):
            return None
        after = {"event_selectors": None, "advanced_event_selectors": desired["advanced_event_selectors"]}
        return Change(
            "event_selectors",
            before=before,
            after=selectors_view(after),
            details={"params": {"AdvancedEventSelectors": desired["advanced_event_selectors"]}},
        )
    return None


def selectors_view(state: dict[str, Any]) -> dict[str, Any]:
    """Both kinds of selectors in the module's shape (the inactive kind is None)."""
    if "event_selectors" not in state and "advanced_event_selectors" not in state:
        return {"event_selectors": None, "advanced_event_selectors": None}
    basic = state.get("event_selectors")
    advanced = state.get("advanced_event_selectors")
    return {
        "event_selectors": sel.basic_from_aws(basic) if basic and not advanced else None,
        "advanced_event_selectors": sel.advanced_from_aws(advanced) if advanced else None,
    }


# ---------------------------------------------------------------- prediction and views
def predict(current: dict[str, Any] | None, changes: list[Change], identity: dict[str, str], region: str) -> dict[str, Any]:
    """The state after the changes (check mode and the result), built from desired + current.

    identity: {'account_id', 'partition'} of the trail's owner (for ARNs the user gave as names).
    """
    state = dict(current or {})
    if current is None:
        state.update(
            {"event_selectors": sel.DEFAULT_EVENT_SELECTORS, "advanced_event_selectors": None, "insight_selectors": [], "tags": {}, "enable_logging": False}
        )
    for change in changes:
        if change.setting == "trail":
            state.update(change.after)
            if state.get("sns_topic") and not state["sns_topic"].startswith("arn:"):
                state["sns_topic"] = f"arn:{identity['partition']}:sns:{region}:{identity['account_id']}:{state['sns_topic']}"
        elif change.setting == "event_selectors":
            params = change.details["params"]
            state["event_selectors"] = params.get("EventSelectors")
            state["advanced_event_selectors"] = params.get("AdvancedEventSelectors")
        elif change.setting == "insight_selectors":
            state["insight_selectors"] = sel.insights_to_aws(change.after)
        elif change.setting == "tags":
            state["tags"] = dict(change.after)
        elif change.setting == "logging":
            state["enable_logging"] = change.after
    return state


def managed_view(state: dict[str, Any] | None, desired: dict[str, Any], name: str) -> dict[str, Any]:
    """before/after for the diff: the managed settings only, in the module's shape."""
    if state is None:
        return {}
    view: dict[str, Any] = {"name": name}
    for key in SETTINGS:
        if key in desired:
            view[key] = state.get(key)
    if "event_selectors" in desired or "advanced_event_selectors" in desired:
        view.update(selectors_view(state))
    if "insight_selectors" in desired:
        view["insight_selectors"] = sel.insights_from_aws(state.get("insight_selectors"))
    if "tags" in desired:
        view["tags"] = dict(state.get("tags") or {})
    if "enable_logging" in desired:
        view["enable_logging"] = bool(state.get("enable_logging"))
    return view


def trail_view(state: dict[str, Any], name: str, arn: str, home_region: str, shadow: bool, aws_trail: dict[str, Any] | None = None) -> dict[str, Any]:
    """The returned trail (snake_case, the AWS fields); selector flags from AWS unless selectors were read."""
    cw = state.get("cloudwatch_logs") or {}
    aws_trail = aws_trail or {}
    if "event_selectors" in state:
        custom = bool(state.get("advanced_event_selectors")) or sel.canonical_basic(state.get("event_selectors")) != sel.canonical_basic(
            sel.DEFAULT_EVENT_SELECTORS
        )
    else:
        custom = bool(aws_trail.get("HasCustomEventSelectors"))
    insights = bool(state["insight_selectors"]) if "insight_selectors" in state else bool(aws_trail.get("HasInsightSelectors"))
    sns = state.get("sns_topic")
    return {
        "name": name,
        "trail_arn": arn,
        "home_region": home_region,
        "shadow": shadow,
        "s3_bucket_name": state.get("s3_bucket_name"),
        "s3_key_prefix": state.get("s3_key_prefix"),
        "sns_topic_arn": sns,
        "sns_topic_name": sns.rsplit(":", 1)[-1] if sns else None,
        "include_global_service_events": state.get("include_global_service_events"),
        "is_multi_region_trail": state.get("is_multi_region_trail"),
        "log_file_validation_enabled": state.get("enable_log_file_validation"),
        "cloud_watch_logs_log_group_arn": cw.get("log_group_arn"),
        "cloud_watch_logs_role_arn": cw.get("role_arn"),
        "kms_key_id": state.get("kms_key_id"),
        "is_organization_trail": state.get("is_organization_trail"),
        "has_custom_event_selectors": custom,
        "has_insight_selectors": insights,
    }


def status_view(status: dict[str, Any] | None, is_logging: bool) -> dict[str, Any]:
    """GetTrailStatus in snake_case (times as ISO strings), with is_logging as predicted."""
    result: dict[str, Any] = {}
    for key, value in (status or {}).items():
        if key == "ResponseMetadata":
            continue
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()
        result[snake] = value.isoformat() if hasattr(value, "isoformat") else value
    result["is_logging"] = is_logging
    return result
