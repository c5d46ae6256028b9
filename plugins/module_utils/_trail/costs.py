# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure: what the audit setup costs without the user meaning to, in plain words (no prices).

Each finding: {kind, resource, reason}. Inputs are what cloudtrail_trail_info read: the trails (its trail
shape, one entry per region seen), the log groups of the trails' CloudWatch Logs delivery, the Lake stores,
and the lifecycle configurations of the trails' buckets that the account could read.
"""

from __future__ import annotations

from typing import Any

from . import findings as cis

# The retention the ingestion price of each Lake billing mode includes; a longer one is charged as extended retention.
# EXTENDABLE_RETENTION_PRICING (the default of CreateEventDataStore) includes one year and extends to 3653 days;
# FIXED_RETENTION_PRICING includes up to 2557 days (seven years), its maximum, so it never pays for extended retention.
LAKE_INCLUDED_RETENTION_DAYS = {"EXTENDABLE_RETENTION_PRICING": 366, "FIXED_RETENTION_PRICING": 2557}
SMALL_OBJECT_DEFAULT = "all_storage_classes_128K"


def _finding(kind: str, resource: str, reason: str) -> dict[str, str]:
    return {"kind": kind, "resource": resource, "reason": reason}


def _management(trail: dict[str, Any]) -> bool:
    if trail.get("advanced_event_selectors"):
        return any((cis._fields(s).get("eventCategory") or {}).get("equals") == ["Management"] for s in trail["advanced_event_selectors"])
    selectors = trail.get("event_selectors")
    return True if selectors is None else any(s.get("include_management_events") for s in selectors)


def duplicate_management_trails(trails: list[dict[str, Any]]) -> list[dict[str, str]]:
    """More than one logging trail recording management events in a region: every copy after the first is charged."""
    by_region: dict[str, list[str]] = {}
    for trail in trails:
        if (trail.get("status") or {}).get("is_logging") and _management(trail):
            by_region.setdefault(trail.get("region") or trail.get("home_region"), []).append(trail["trail_arn"])
    out = []
    for region, arns in sorted(by_region.items()):
        arns = sorted(set(arns))
        if len(arns) > 1:
            out.append(
                _finding(
                    "duplicate_management_events",
                    region,
                    f"{len(arns)} trails record management events in {region} ({', '.join(arns)}): the first copy of management events is "
                    "free, every further copy is charged per event; keep one (an organization trail covers every member account)",
                )
            )
    return out


def all_resource_data_events(trail: dict[str, Any], audit_buckets: set[str]) -> list[dict[str, str]]:
    out = []
    if cis.s3_data_events(trail, "write") or cis.s3_data_events(trail, "read"):
        own = f" including the log bucket{'s' if len(audit_buckets) > 1 else ''} {', '.join(sorted(audit_buckets))}" if audit_buckets else ""
        out.append(
            _finding(
                "s3_data_events_all_buckets",
                trail["trail_arn"],
                f"records S3 object-level events of every bucket{own}: each is charged, and logging the log bucket's own writes "
                "makes events about events; use advanced event selectors that exclude the audit bucket (resources.ARN NotStartsWith)",
            )
        )
    if _every_lambda_function(trail):
        reason = "records every invocation of every Lambda function: each is charged"
        out.append(_finding("lambda_data_events_all_functions", trail["trail_arn"], reason))
    return out


def _every_lambda_function(trail: dict[str, Any]) -> bool:
    """Lambda data events of every function: a classic data resource on the partition's lambda ARN, or an advanced
    selector on AWS::Lambda::Function that names no functions (no resources.ARN equals / starts_with)."""
    every_function = ("arn:aws:lambda", "arn:aws-cn:lambda", "arn:aws-us-gov:lambda")
    for s in trail.get("event_selectors") or []:
        for r in s.get("data_resources") or []:
            if r.get("type") == "AWS::Lambda::Function" and any(v.rstrip(":/") in every_function for v in r.get("values") or []):
                return True
    for s in trail.get("advanced_event_selectors") or []:
        fields = cis._fields(s)
        if (fields.get("eventCategory") or {}).get("equals") != ["Data"]:
            continue
        if (fields.get("resources.type") or {}).get("equals") != ["AWS::Lambda::Function"]:
            continue
        arn = fields.get("resources.ARN") or {}
        if not (arn.get("equals") or arn.get("starts_with")):
            return True
    return False


def insights(trail: dict[str, Any]) -> list[dict[str, str]]:
    if not trail.get("insight_selectors"):
        return []
    kinds = ", ".join(s.get("insight_type", "") for s in trail["insight_selectors"])
    reason = f"CloudTrail Insights ({kinds}) analyses every write management event, charged per event analysed"
    return [_finding("insights_enabled", trail["trail_arn"], reason)]


def log_group_without_retention(group: dict[str, Any]) -> list[dict[str, str]]:
    if group.get("retentionInDays"):
        return []
    reason = "keeps every event forever (no retention): CloudWatch Logs storage grows and is charged every month"
    return [_finding("log_group_never_expires", group["logGroupName"], reason)]


def lake_store(store: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    name = store.get("Name") or store.get("EventDataStoreArn", "")
    retention = store.get("RetentionPeriod") or 0
    mode = store.get("BillingMode") or "EXTENDABLE_RETENTION_PRICING"
    included = LAKE_INCLUDED_RETENTION_DAYS.get(mode)
    if included is not None and retention > included:
        reason = f"keeps events {retention} days under {mode}, which includes {included}: every further day is charged as extended retention"
        out.append(_finding("lake_long_retention", name, reason))
    if store.get("Status") == "STOPPED_INGESTION":
        out.append(_finding("lake_stopped_ingestion", name, "ingestion is stopped but the stored events are still charged until the store is deleted"))
    return out


def transitions_that_move_nothing(bucket: str, lifecycle: dict[str, Any] | None) -> list[dict[str, str]]:
    """Since September 2024 S3 does not transition objects under 128 KB unless told; most log files are smaller."""
    if not lifecycle or (lifecycle.get("TransitionDefaultMinimumObjectSize") or SMALL_OBJECT_DEFAULT) != SMALL_OBJECT_DEFAULT:
        return []
    for rule in lifecycle.get("Rules") or []:
        conditions = (rule.get("Filter") or {}).get("And") or rule.get("Filter") or {}
        below = conditions.get("ObjectSizeGreaterThan")
        if rule.get("Status") == "Enabled" and rule.get("Transitions") and (below is None or below >= 128 * 1024):
            return [
                _finding(
                    "transitions_skip_small_objects",
                    bucket,
                    f"lifecycle rule '{rule.get('ID')}' transitions objects, but S3 does not move objects under 128 KB by default and most "
                    "CloudTrail log files are smaller, so they stay in their storage class; set transition_default_minimum_object_size: "
                    "varies_by_storage_class (s3_audit_bucket; the audit_bucket role's audit_bucket_transition_default_minimum_object_size, "
                    "the baseline role's baseline_transition_default_minimum_object_size) - each small object then pays the transition charge "
                    "and Glacier's per-object overhead - or expire instead",
                )
            ]
    return []


def evaluate(
    trails: list[dict[str, Any]],
    log_groups: list[dict[str, Any]],
    stores: list[dict[str, Any]],
    lifecycles: dict[str, dict[str, Any] | None],
) -> list[dict[str, str]]:
    homes = [t for t in trails if not t.get("shadow")]
    buckets = {t["s3_bucket_name"] for t in homes if t.get("s3_bucket_name")}
    out = duplicate_management_trails(trails)
    for trail in homes:
        out += all_resource_data_events(trail, buckets) + insights(trail)
    for group in log_groups:
        out += log_group_without_retention(group)
    for store in stores:
        out += lake_store(store)
    for bucket, lifecycle in sorted(lifecycles.items()):
        out += transitions_that_move_nothing(bucket, lifecycle)
    return out
