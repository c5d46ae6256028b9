# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lifecycle rules, pure: validate, to/from the S3 shape, merge, retention guards.

A rule is handled in the module's option shape (snake_case, unset fields None)
so the desired and the current rules compare as plain dicts. S3 replaces a
lifecycle configuration as a whole, so the rules the task names are merged
with the existing ones (kept unless purged).
"""

from __future__ import annotations

from typing import Any

from .._common.errors import CloudAuditError
from .._common.validate import check_int32

OPTION = "lifecycle_rules"
RETENTION_RULE_ID = "cloudaudit-retention"
MAX_RULES = 1000
MAX_PREFIX = 1024
# The day counts of a rule (AWS takes them as 32-bit integers).
DAY_FIELDS = ("expiration_days", "noncurrent_expiration_days", "abort_incomplete_multipart_days")
# The transition storage classes, in the order the modules document them (the one list of them).
STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]
# How cold each class is; a rule's transitions must go strictly colder as days increase.
STORAGE_CLASS_ORDER = dict(zip(STORAGE_CLASSES, (1, 2, 1, 3, 4, 5)))
RULE_FIELDS = (
    "id",
    "enabled",
    "prefix",
    "tags",
    "object_size_greater_than",
    "object_size_less_than",
    "transitions",
    "expiration_days",
    "expired_object_delete_marker",
    "noncurrent_transitions",
    "noncurrent_expiration_days",
    "noncurrent_newer_versions",
    "abort_incomplete_multipart_days",
)


def normalise_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule from the options with every field present (unset -> None), lists sorted by days."""
    out = {name: rule.get(name) for name in RULE_FIELDS}
    out["enabled"] = True if rule.get("enabled") is None else bool(rule["enabled"])
    out["prefix"] = rule.get("prefix") or None
    out["tags"] = dict(rule["tags"]) if rule.get("tags") else None
    out["expired_object_delete_marker"] = True if rule.get("expired_object_delete_marker") else None
    out["transitions"] = _sorted([{"days": t.get("days"), "storage_class": t.get("storage_class")} for t in rule.get("transitions") or []])
    out["noncurrent_transitions"] = _sorted(
        [
            {"days": t.get("days"), "storage_class": t.get("storage_class"), "newer_versions": t.get("newer_versions")}
            for t in rule.get("noncurrent_transitions") or []
        ]
    )
    return out


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    return sorted(items, key=lambda t: (t["days"] if t["days"] is not None else -1)) or None


def retention_rule(retention: dict[str, Any]) -> dict[str, Any]:
    """The one-line preset expanded to a rule with id cloudaudit-retention."""
    transitions = []
    if retention.get("glacier_after_days") is not None:
        transitions.append({"days": retention["glacier_after_days"], "storage_class": "GLACIER"})
    if retention.get("deep_archive_after_days") is not None:
        transitions.append({"days": retention["deep_archive_after_days"], "storage_class": "DEEP_ARCHIVE"})
    return normalise_rule({"id": RETENTION_RULE_ID, "transitions": transitions, "expiration_days": retention.get("expire_after_days")})


# Validation ---------------------------------------------------------------


def validate_rules(rules: list[dict[str, Any]], option: str = OPTION) -> None:
    """Fail, naming the option, on a rule AWS would refuse or that would lose data by accident."""
    if len(rules) > MAX_RULES:
        raise CloudAuditError(f"{len(rules)} rules given; a lifecycle configuration holds at most {MAX_RULES}", option)
    seen: set[str] = set()
    for rule in rules:
        rule_id = rule.get("id")
        if not rule_id or not isinstance(rule_id, str) or len(rule_id) > 255:
            raise CloudAuditError("every rule needs an id of 1-255 characters", option)
        if rule_id in seen:
            raise CloudAuditError(f"rule id '{rule_id}' is used twice", option)
        seen.add(rule_id)
        _validate_rule(normalise_rule(rule), f"{option}[{rule_id}]", option)


def _validate_rule(rule: dict[str, Any], where: str, option: str) -> None:
    actions = (
        "transitions",
        "expiration_days",
        "expired_object_delete_marker",
        "noncurrent_transitions",
        "noncurrent_expiration_days",
        "abort_incomplete_multipart_days",
    )
    if not any(rule[a] for a in actions) and rule["expiration_days"] != 0:
        raise CloudAuditError(f"{where} has no action (transition, expiration, noncurrent or abort_incomplete_multipart_days)", option)
    for name in ("object_size_greater_than", "object_size_less_than"):
        if rule[name] is not None and rule[name] < 0:
            raise CloudAuditError(f"{where} {name} must not be negative", option)
    low, high = rule["object_size_greater_than"], rule["object_size_less_than"]
    if low is not None and high is not None and low >= high:
        raise CloudAuditError(f"{where} object_size_greater_than must be less than object_size_less_than", option)
    if rule["expiration_days"] is not None and rule["expired_object_delete_marker"]:
        raise CloudAuditError(f"{where} expiration_days and expired_object_delete_marker cannot be used together", option)
    if rule["prefix"] and len(rule["prefix"]) > MAX_PREFIX:
        raise CloudAuditError(f"{where} prefix has {len(rule['prefix'])} characters; AWS allows at most {MAX_PREFIX}", option)
    for name in DAY_FIELDS:
        check_int32(rule[name], option, f"{where} {name} ")
    for t in (rule["transitions"] or []) + (rule["noncurrent_transitions"] or []):
        check_int32(t.get("days"), option, f"{where} transition days ")
    if rule["abort_incomplete_multipart_days"] is not None and rule["tags"]:
        raise CloudAuditError(f"{where} abort_incomplete_multipart_days cannot be used with a tag filter (AWS refuses it)", option)
    if rule["expired_object_delete_marker"] and rule["tags"]:
        raise CloudAuditError(f"{where} expired_object_delete_marker cannot be used with a tag filter", option)
    for name in ("expiration_days", "noncurrent_expiration_days", "abort_incomplete_multipart_days"):
        if rule[name] is not None and rule[name] < 1:
            raise CloudAuditError(f"{where} {name} must be at least 1 (a transition and an expiration cannot both be at day 0)", option)
    for name in ("noncurrent_newer_versions",):
        if rule[name] is not None and not 1 <= rule[name] <= 100:
            raise CloudAuditError(f"{where} {name} must be 1-100", option)
    if rule["noncurrent_newer_versions"] is not None and rule["noncurrent_expiration_days"] is None:
        raise CloudAuditError(f"{where} noncurrent_newer_versions needs noncurrent_expiration_days", option)
    _validate_transitions(rule["transitions"] or [], rule["expiration_days"], f"{where} transitions", option, min_days=0)
    _validate_transitions(rule["noncurrent_transitions"] or [], rule["noncurrent_expiration_days"], f"{where} noncurrent_transitions", option, min_days=1)


def _validate_transitions(transitions: list[dict[str, Any]], expiration: int | None, where: str, option: str, min_days: int) -> None:
    previous: dict[str, Any] | None = None
    for t in transitions:
        if t["storage_class"] not in STORAGE_CLASS_ORDER:
            raise CloudAuditError(f"{where}: unknown storage class '{t['storage_class']}' (one of {', '.join(STORAGE_CLASSES)})", option)
        if t["days"] is None or t["days"] < min_days:
            raise CloudAuditError(f"{where}: days must be at least {min_days}", option)
        if t["storage_class"] in ("STANDARD_IA", "ONEZONE_IA") and t["days"] < 30:
            raise CloudAuditError(f"{where}: {t['storage_class']} needs at least 30 days", option)
        if t.get("newer_versions") is not None and not 1 <= t["newer_versions"] <= 100:
            raise CloudAuditError(f"{where}: newer_versions must be 1-100", option)
        if previous is not None:
            if t["days"] == previous["days"]:
                raise CloudAuditError(f"{where}: two transitions on day {t['days']}", option)
            if STORAGE_CLASS_ORDER[t["storage_class"]] <= STORAGE_CLASS_ORDER[previous["storage_class"]]:
                raise CloudAuditError(
                    f"{where}: days out of order: {previous['storage_class']} at {previous['days']} days comes before {t['storage_class']} at {t['days']} days",
                    option,
                )
        previous = t
    if expiration is not None and previous is not None and expiration <= previous["days"]:
        raise CloudAuditError(
            f"{where}: days out of order: expiration at {expiration} days is not after the last transition at {previous['days']} days", option
        )


# S3 shape -----------------------------------------------------------------


def to_aws(rule: dict[str, Any]) -> dict[str, Any]:
    """A normalised rule in the S3 LifecycleRule shape."""
    out: dict[str, Any] = {"ID": rule["id"], "Status": "Enabled" if rule["enabled"] else "Disabled", "Filter": _filter_to_aws(rule)}
    if rule["transitions"]:
        out["Transitions"] = [{"Days": t["days"], "StorageClass": t["storage_class"]} for t in rule["transitions"]]
    if rule["expiration_days"] is not None:
        out["Expiration"] = {"Days": rule["expiration_days"]}
    elif rule["expired_object_delete_marker"]:
        out["Expiration"] = {"ExpiredObjectDeleteMarker": True}
    if rule["noncurrent_transitions"]:
        out["NoncurrentVersionTransitions"] = [_noncurrent_transition_to_aws(t) for t in rule["noncurrent_transitions"]]
    if rule["noncurrent_expiration_days"] is not None:
        expiration = {"NoncurrentDays": rule["noncurrent_expiration_days"]}
        if rule["noncurrent_newer_versions"] is not None:
            expiration["NewerNoncurrentVersions"] = rule["noncurrent_newer_versions"]
        out["NoncurrentVersionExpiration"] = expiration
    if rule["abort_incomplete_multipart_days"] is not None:
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule["abort_incomplete_multipart_days"]}
    return out


def _noncurrent_transition_to_aws(t: dict[str, Any]) -> dict[str, Any]:
    out = {"NoncurrentDays": t["days"], "StorageClass": t["storage_class"]}
    if t.get("newer_versions") is not None:
        out["NewerNoncurrentVersions"] = t["newer_versions"]
    return out


def _filter_to_aws(rule: dict[str, Any]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    if rule["prefix"]:
        parts["Prefix"] = rule["prefix"]
    tags = [{"Key": k, "Value": v} for k, v in sorted((rule["tags"] or {}).items())]
    if rule["object_size_greater_than"] is not None:
        parts["ObjectSizeGreaterThan"] = rule["object_size_greater_than"]
    if rule["object_size_less_than"] is not None:
        parts["ObjectSizeLessThan"] = rule["object_size_less_than"]
    if len(parts) + len(tags) > 1:
        if tags:
            parts["Tags"] = tags
        return {"And": parts}
    if tags:
        return {"Tag": tags[0]}
    return parts


def from_aws(rule: dict[str, Any]) -> dict[str, Any]:
    """An S3 LifecycleRule in the normalised option shape."""
    flt = rule.get("Filter") or {}
    conditions = dict(flt.get("And") or flt)
    tags = {t["Key"]: t["Value"] for t in conditions.get("Tags", [])}
    if conditions.get("Tag"):
        tags[conditions["Tag"]["Key"]] = conditions["Tag"]["Value"]
    expiration = rule.get("Expiration") or {}
    noncurrent_expiration = rule.get("NoncurrentVersionExpiration") or {}
    return normalise_rule(
        {
            "id": rule.get("ID"),
            "enabled": rule.get("Status") == "Enabled",
            "prefix": conditions.get("Prefix") or rule.get("Prefix"),
            "tags": tags,
            "object_size_greater_than": conditions.get("ObjectSizeGreaterThan"),
            "object_size_less_than": conditions.get("ObjectSizeLessThan"),
            "transitions": [{"days": t.get("Days"), "storage_class": t.get("StorageClass")} for t in rule.get("Transitions", [])],
            "expiration_days": expiration.get("Days"),
            "expired_object_delete_marker": expiration.get("ExpiredObjectDeleteMarker"),
            "noncurrent_transitions": [
                {"days": t.get("NoncurrentDays"), "storage_class": t.get("StorageClass"), "newer_versions": t.get("NewerNoncurrentVersions")}
                for t in rule.get("NoncurrentVersionTransitions", [])
            ],
            "noncurrent_expiration_days": noncurrent_expiration.get("NoncurrentDays"),
            "noncurrent_newer_versions": noncurrent_expiration.get("NewerNoncurrentVersions"),
            "abort_incomplete_multipart_days": (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation"),
        }
    )


# Merge and guards ---------------------------------------------------------


def merge_rules(current: list[dict[str, Any]], desired: list[dict[str, Any]], purge: bool) -> list[dict[str, Any]]:
    """The whole configuration to write: the named rules replace theirs, others kept unless purge."""
    named = {r["id"]: r for r in desired}
    merged = []
    for rule in current:
        if rule["id"] in named:
            merged.append(named.pop(rule["id"]))
        elif not purge:
            merged.append(rule)
    merged.extend(r for r in desired if r["id"] in named)
    return merged


def retention_decreases(current: list[dict[str, Any]], merged: list[dict[str, Any]]) -> list[str]:
    """Descriptions of each existing expiration that the merged rules would shorten."""
    before = {r["id"]: r for r in current}
    found = []
    for rule in merged:
        old = before.get(rule["id"])
        if not old:
            continue
        for name in ("expiration_days", "noncurrent_expiration_days"):
            if old[name] is not None and rule[name] is not None and rule[name] < old[name]:
                found.append(f"rule '{rule['id']}' {name} {old[name]} -> {rule[name]}")
    return found


def shorter_than_lock(rules: list[dict[str, Any]], lock_days: int | None) -> list[str]:
    """Descriptions of each enabled expiration shorter than the object-lock default retention."""
    if not lock_days:
        return []
    found = []
    for rule in rules:
        for name in ("expiration_days", "noncurrent_expiration_days"):
            if rule["enabled"] and rule[name] is not None and rule[name] < lock_days:
                found.append(f"rule '{rule['id']}' {name} {rule[name]} < object lock retention {lock_days} days")
    return found
