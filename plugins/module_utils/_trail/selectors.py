# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Event selectors (basic, advanced, presets) and insight selectors: validation and canonical forms.

Pure: module options (snake_case) <-> AWS shapes (CamelCase), compared in a
canonical, order-insensitive form. Field names of advanced selectors are not a
closed list (AWS keeps adding them); only their syntax is checked.
"""

from __future__ import annotations

import json
from typing import Any

from .._common import advanced_selectors as adv
from .._common.errors import CloudAuditError
from .._common.validate import check_arn, check_bucket_name
from .._common.partition import partition_of

MAX_BASIC_SELECTORS = 5
MAX_DATA_RESOURCES = 250
MAX_ADVANCED_VALUES = adv.MAX_CONDITION_VALUES  # condition values across a trail's advanced selectors
READ_WRITE_TYPES = ("ReadOnly", "WriteOnly", "All")
DATA_RESOURCE_TYPES = ("AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table")
EXCLUDABLE_SOURCES = ("kms.amazonaws.com", "rdsdata.amazonaws.com")
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
INSIGHT_CATEGORIES = ("Management", "Data")
MANAGEMENT_PRESETS = ("all", "read", "write", "none")

# The selector AWS gives every trail that never had PutEventSelectors.
DEFAULT_EVENT_SELECTORS = [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [], "ExcludeManagementEventSources": []}]


# ---------------------------------------------------------------- basic selectors
def _excludable_sources(options: dict[str, Any], option: str) -> list[str]:
    """exclude_management_event_sources of a selector or of the presets, checked against what AWS can exclude."""
    excluded = list(options.get("exclude_management_event_sources") or [])
    for source in excluded:
        if source not in EXCLUDABLE_SOURCES:
            raise CloudAuditError(f"exclude_management_event_sources: '{source}' is not one of {', '.join(EXCLUDABLE_SOURCES)}", option)
    return excluded


def basic_to_aws(selectors: list[dict[str, Any]], option: str = "event_selectors") -> list[dict[str, Any]]:
    """Validate basic event selectors (module shape) and return them in the AWS shape."""
    if len(selectors) > MAX_BASIC_SELECTORS:
        raise CloudAuditError(f"{len(selectors)} selectors given, AWS allows at most {MAX_BASIC_SELECTORS} per trail", option)
    result = []
    total_values = 0
    for index, selector in enumerate(selectors):
        where = f"{option}[{index}]"
        rw = selector.get("read_write_type") or "All"
        if rw not in READ_WRITE_TYPES:
            raise CloudAuditError(f"read_write_type '{rw}' is not one of {', '.join(READ_WRITE_TYPES)}", where)
        excluded = _excludable_sources(selector, where)
        resources = []
        for resource in selector.get("data_resources") or []:
            rtype = resource.get("type")
            if rtype not in DATA_RESOURCE_TYPES:
                raise CloudAuditError(f"data_resources type '{rtype}' is not one of {', '.join(DATA_RESOURCE_TYPES)}", where)
            values = list(resource.get("values") or [])
            if not values or any(not value for value in values):
                raise CloudAuditError(f"data_resources of type {rtype} need values: ARNs or ARN prefixes, none empty", where)
            total_values += len(values)
            resources.append({"Type": rtype, "Values": values})
        include = selector.get("include_management_events")
        result.append(
            {
                "ReadWriteType": rw,
                "IncludeManagementEvents": True if include is None else bool(include),
                "DataResources": resources,
                "ExcludeManagementEventSources": excluded,
            }
        )
    if total_values > MAX_DATA_RESOURCES:
        raise CloudAuditError(f"{total_values} data resources given, AWS allows at most {MAX_DATA_RESOURCES} per trail", option)
    return result


def basic_from_aws(selectors: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """AWS basic selectors -> module shape (for return values and diffs)."""
    return [
        {
            "read_write_type": s.get("ReadWriteType", "All"),
            "include_management_events": s.get("IncludeManagementEvents", True),
            "exclude_management_event_sources": list(s.get("ExcludeManagementEventSources") or []),
            "data_resources": [{"type": r.get("Type"), "values": list(r.get("Values") or [])} for r in s.get("DataResources") or []],
        }
        for s in selectors or []
    ]


def canonical_basic(selectors: list[dict[str, Any]] | None) -> list[str]:
    """Order-insensitive canonical form of AWS basic selectors."""
    canon = []
    for s in selectors or []:
        canon.append(
            json.dumps(
                {
                    "rw": s.get("ReadWriteType", "All"),
                    "mgmt": bool(s.get("IncludeManagementEvents", True)),
                    "excl": sorted(s.get("ExcludeManagementEventSources") or []),
                    "data": sorted(json.dumps([r.get("Type"), sorted(r.get("Values") or [])]) for r in s.get("DataResources") or []),
                },
                sort_keys=True,
            )
        )
    return sorted(canon)


# ---------------------------------------------------------------- advanced selectors
def advanced_to_aws(selectors: list[dict[str, Any]], option: str = "advanced_event_selectors") -> list[dict[str, Any]]:
    """Validate advanced event selectors (module shape) and return them in the AWS shape."""
    adv.validate(selectors, option, max_values=MAX_ADVANCED_VALUES)
    return adv.to_aws(selectors)


# AWS advanced selectors -> module shape; their order-insensitive canonical form (names included).
advanced_from_aws = adv.from_aws
canonical_advanced = adv.canonical


# ---------------------------------------------------------------- presets
def presets_to_advanced(presets: dict[str, Any], region: str, option: str = "event_presets") -> list[dict[str, Any]]:
    """The common cases as advanced selectors (module shape)."""
    selectors: list[dict[str, Any]] = []
    management = presets.get("management_events") or "all"
    if management not in MANAGEMENT_PRESETS:
        raise CloudAuditError(f"management_events '{management}' is not one of {', '.join(MANAGEMENT_PRESETS)}", option)
    excluded = _excludable_sources(presets, option)
    if management != "none":
        fields: list[dict[str, Any]] = [{"field": "eventCategory", "equals": ["Management"]}]
        if management in ("read", "write"):
            fields.append({"field": "readOnly", "equals": ["true" if management == "read" else "false"]})
        if excluded:
            fields.append({"field": "eventSource", "not_equals": sorted(excluded)})
        selectors.append({"name": f"Management events ({management})", "field_selectors": fields})
    elif excluded:
        raise CloudAuditError("exclude_management_event_sources needs management_events other than none", option)
    partition = partition_of(region)
    buckets = presets.get("s3_data_buckets")
    if buckets:
        fields = [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]
        if "*" not in buckets:
            for bucket in buckets:
                if not bucket.startswith("arn:"):
                    check_bucket_name(bucket.rstrip("/"), f"{option}.s3_data_buckets")
            fields.append({"field": "resources.ARN", "starts_with": [_s3_prefix(b, partition) for b in buckets]})
        selectors.append({"name": "S3 data events", "field_selectors": fields})
    functions = presets.get("lambda_data_functions")
    if functions:
        fields = [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::Lambda::Function"]}]
        if "*" not in functions:
            for function in functions:
                check_arn(function, f"{option}.lambda_data_functions", service="lambda", resource_prefix="function:")
            fields.append({"field": "resources.ARN", "equals": list(functions)})
        selectors.append({"name": "Lambda data events", "field_selectors": fields})
    if not selectors:
        raise CloudAuditError("selects no events at all; give management_events, s3_data_buckets or lambda_data_functions", option)
    return selectors


def _s3_prefix(bucket: str, partition: str) -> str:
    if bucket.startswith("arn:"):
        return bucket if bucket.endswith("/") else bucket + "/"
    return f"arn:{partition}:s3:::{bucket.rstrip('/')}/"


# ---------------------------------------------------------------- insight selectors
def logs_write_management_events(basic: list[dict[str, Any]] | None, advanced: list[dict[str, Any]] | None) -> bool:
    """Whether AWS-shaped selectors record write management events (what ApiCallRateInsight analyses)."""
    for s in basic or []:
        if s.get("IncludeManagementEvents", True) and s.get("ReadWriteType", "All") in ("All", "WriteOnly"):
            return True
    for s in advanced or []:
        fields = {f.get("Field"): f for f in s.get("FieldSelectors") or []}
        if (fields.get("eventCategory") or {}).get("Equals") == ["Management"] and (fields.get("readOnly") or {}).get("Equals") in (None, ["false"]):
            return True
    return False


def insights_to_aws(insights: list[dict[str, Any]], option: str = "insight_selectors") -> list[dict[str, Any]]:
    result = []
    seen = set()
    for index, insight in enumerate(insights):
        itype = insight.get("insight_type")
        if itype not in INSIGHT_TYPES:
            raise CloudAuditError(f"insight_type '{itype}' is not one of {', '.join(INSIGHT_TYPES)}", f"{option}[{index}]")
        if itype in seen:
            raise CloudAuditError(f"insight_type '{itype}' is given twice", f"{option}[{index}]")
        seen.add(itype)
        entry: dict[str, Any] = {"InsightType": itype}
        categories = insight.get("event_categories")
        if categories:
            for category in categories:
                if category not in INSIGHT_CATEGORIES:
                    raise CloudAuditError(f"event_categories: '{category}' is not one of {', '.join(INSIGHT_CATEGORIES)}", f"{option}[{index}]")
            entry["EventCategories"] = list(categories)
        result.append(entry)
    return result


def insights_from_aws(insights: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    result = []
    for i in insights or []:
        entry: dict[str, Any] = {"insight_type": i.get("InsightType")}
        if i.get("EventCategories"):
            entry["event_categories"] = list(i["EventCategories"])
        result.append(entry)
    return result


def canonical_insights(insights: list[dict[str, Any]] | None) -> list[str]:
    """Compare insight selectors by type and categories (no categories = AWS's default, Management)."""
    return sorted(json.dumps([i.get("InsightType"), sorted(i.get("EventCategories") or ["Management"])]) for i in insights or [])
