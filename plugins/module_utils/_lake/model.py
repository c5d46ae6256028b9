# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudTrail Lake event data stores as plain data (pure: no boto3).

params -> desired state, GetEventDataStore answer -> current state (both in the
module's option format), and compare(desired, current) -> ordered changes.

The desired state holds the managed settings only: an option left unset is absent from it
(left as it is). Guards are data: a change that destroys events carries a Guard.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .._common import advanced_selectors as adv
from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Guard
from .._common.tags import tag_change
from .._common.validate import check_arn, check_arn_location, check_range, check_role_arn

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,128}$")
EDS_ARN_RE = re.compile(r"^arn:[a-z-]+:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore/.+$")
KMS_RE = re.compile(r"^[a-zA-Z0-9._/\-:]{1,350}$")

EXTENDABLE = "EXTENDABLE_RETENTION_PRICING"
FIXED = "FIXED_RETENTION_PRICING"
RETENTION_LIMITS = {EXTENDABLE: (7, 3653), FIXED: (7, 2557)}
MAX_SELECTORS = 5
MAX_CONDITION_VALUES = adv.MAX_CONDITION_VALUES
PRESETS = ("all_management", "management_and_s3_data", "event_sources")

INGESTING = ("ENABLED", "STARTING_INGESTION", "CREATED")
FEDERATED = ("ENABLED", "ENABLING")
PENDING_DELETION = "PENDING_DELETION"
RESTORE_DAYS = 7

# Settings written by one UpdateEventDataStore call, in the order shown in changes.
UPDATE_SETTINGS = (
    "retention_days",
    "billing_mode",
    "multi_region",
    "organization_enabled",
    "advanced_event_selectors",
    "termination_protection",
    "kms_key_id",
)
AWS_FIELDS = {
    "retention_days": "RetentionPeriod",
    "billing_mode": "BillingMode",
    "multi_region": "MultiRegionEnabled",
    "organization_enabled": "OrganizationEnabled",
    "advanced_event_selectors": "AdvancedEventSelectors",
    "termination_protection": "TerminationProtectionEnabled",
    "kms_key_id": "KmsKeyId",
}


# ---------------------------------------------------------------- validation


def is_store_arn(value: str) -> bool:
    return bool(EDS_ARN_RE.fullmatch(value or ""))


def validate_store_ref(value: str, option: str) -> None:
    """A store name (3-128 of [A-Za-z0-9._-]) or an event data store ARN."""
    if is_store_arn(value):
        return
    if value and value.startswith("arn:"):
        check_arn(value, option, service="cloudtrail", resource_prefix="eventdatastore/")
    if not NAME_RE.fullmatch(value or ""):
        raise CloudAuditError(f"'{value}' is not an event data store name (3-128 of A-Z a-z 0-9 . _ -) or ARN", option)


def validate_params(params: Mapping[str, Any], region: str | None = None) -> None:
    """Every check that needs no AWS call; raises CloudAuditError naming the option."""
    validate_store_ref(params["name"], "name")
    check_range(params.get("retention_days"), "retention_days", *RETENTION_LIMITS[EXTENDABLE])
    if params.get("billing_mode") and params.get("retention_days") is not None:
        check_range(params["retention_days"], "retention_days", *RETENTION_LIMITS[params["billing_mode"]])
    kms = params.get("kms_key_id")
    if kms is not None and not KMS_RE.fullmatch(kms):
        raise CloudAuditError(f"'{kms}' is not a KMS key id, key ARN, alias name or alias ARN", "kms_key_id")
    if kms:
        check_arn_location(kms, "kms_key_id", region, what="KMS key")
    _validate_federation(params.get("federation"), region)
    preset = params.get("event_selector_preset")
    if preset == "event_sources" and not params.get("event_sources"):
        raise CloudAuditError("is required (a list of event sources) when event_selector_preset is event_sources", "event_sources")
    if params.get("event_sources") and preset != "event_sources":
        raise CloudAuditError("is only used with event_selector_preset: event_sources", "event_sources")
    if params.get("advanced_event_selectors") is not None:
        validate_selectors(params["advanced_event_selectors"])


def _validate_federation(federation: Mapping[str, Any] | None, region: str | None) -> None:
    if not federation:
        return
    role = federation.get("role_arn")
    if federation.get("enabled") and not role:
        raise CloudAuditError("role_arn is required when federation is enabled", "federation")
    if role is not None:
        if not 3 <= len(role) <= 125:
            raise CloudAuditError(f"role_arn must be 3-125 characters, got {len(role)}", "federation")
        check_role_arn(role, "federation.role_arn", region)


def validate_selectors(selectors: list[Mapping[str, Any]]) -> None:
    """At most 5 selectors per store; errors name advanced_event_selectors and say which selector."""
    adv.validate(
        selectors,
        "advanced_event_selectors",
        max_selectors=MAX_SELECTORS,
        max_values=MAX_CONDITION_VALUES,
        per_field=False,
        empty_operator_is_error=True,
    )


def check_against_current(desired: Mapping[str, Any], current: Mapping[str, Any] | None) -> None:
    """What no option allows, given the store as it is: one-way billing, retention range, KMS set once."""
    if current is None:
        billing = desired.get("billing_mode") or EXTENDABLE
        check_range(desired.get("retention_days"), "retention_days", *RETENTION_LIMITS[billing])
        return
    billing = desired.get("billing_mode") or current.get("billing_mode") or EXTENDABLE
    if current.get("billing_mode") == EXTENDABLE and desired.get("billing_mode") == FIXED:
        raise CloudAuditError(
            "cannot change from EXTENDABLE_RETENTION_PRICING to FIXED_RETENTION_PRICING (AWS allows only FIXED -> EXTENDABLE)",
            "billing_mode",
        )
    retention = desired.get("retention_days")
    check_range(retention, "retention_days", *RETENTION_LIMITS[billing])
    if retention is None and billing == FIXED and (current.get("retention_days") or 0) > RETENTION_LIMITS[FIXED][1]:
        raise CloudAuditError(f"the current retention exceeds {RETENTION_LIMITS[FIXED][1]} days allowed by {FIXED}", "retention_days")
    kms = desired.get("kms_key_id")
    if kms is not None and current.get("kms_key_id") and not kms_matches(current["kms_key_id"], kms):
        raise CloudAuditError(
            f"the store is encrypted with {current['kms_key_id']}; AWS does not allow changing or removing the KMS key of an event data store",
            "kms_key_id",
        )


def retention_guard(before: int | None, after: int, allow_retention_decrease: bool) -> Guard | None:
    """Lowering retention deletes the older events: allowed by allow_retention_decrease only."""
    if allow_retention_decrease or not before or after >= before:
        return None
    return Guard(
        "retention_days",
        f"lowering retention from {before} to {after} days DELETES the events older than {after} days; set allow_retention_decrease: true to do it",
        {"current_retention_days": before},
    )


def kms_matches(current: str, desired: str) -> bool:
    """True when desired names the key ARN current (same ARN, or its key id)."""
    if current == desired:
        return True
    return current.endswith(f":key/{desired}")


def is_kms_alias(value: str | None) -> bool:
    return bool(value) and (value.startswith("alias/") or ":alias/" in value)


# ---------------------------------------------------------------- selectors


def preset_selectors(preset: str | None, event_sources: list[str] | None) -> list[dict[str, Any]] | None:
    """The advanced selectors of a preset, in the option format."""
    management = {"name": "Management events", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    if preset == "all_management":
        return [management]
    if preset == "management_and_s3_data":
        s3 = {
            "name": "S3 data events",
            "field_selectors": [
                {"field": "eventCategory", "equals": ["Data"]},
                {"field": "resources.type", "equals": ["AWS::S3::Object"]},
            ],
        }
        return [management, s3]
    if preset == "event_sources":
        return [
            {
                "name": "Management events from selected sources",
                "field_selectors": [
                    {"field": "eventCategory", "equals": ["Management"]},
                    {"field": "eventSource", "equals": sorted(set(event_sources or []))},
                ],
            }
        ]
    return None


# Selectors in a canonical order (unset operators dropped, values and fields sorted); option format -> AWS.
normalize_selectors = adv.normalize
selectors_to_aws = adv.to_aws


def selectors_from_aws(selectors: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """AWS selectors in the option format, normalised (names only when set)."""
    return normalize_selectors(adv.from_aws(selectors)) or []


# ---------------------------------------------------------------- states


def desired_state(params: Mapping[str, Any]) -> dict[str, Any]:
    """The managed settings in the option format: name, and a key for each option the task sets."""
    selectors = params.get("advanced_event_selectors")
    if selectors is None:
        selectors = preset_selectors(params.get("event_selector_preset"), params.get("event_sources"))
    federation = params.get("federation")
    settings = {
        "retention_days": params.get("retention_days"),
        "billing_mode": params.get("billing_mode"),
        "multi_region": params.get("multi_region"),
        "organization_enabled": params.get("organization_enabled"),
        "advanced_event_selectors": normalize_selectors(selectors),
        "termination_protection": params.get("termination_protection"),
        "kms_key_id": params.get("kms_key_id"),
        "ingestion": params.get("ingestion"),
        "federation": None if federation is None else {"enabled": bool(federation.get("enabled")), "role_arn": federation.get("role_arn")},
        "tags": params.get("tags"),
    }
    desired: dict[str, Any] = {"name": params["name"]}
    desired.update({key: value for key, value in settings.items() if value is not None})
    return desired


def current_state(store: Mapping[str, Any] | None, tags: dict[str, str] | None = None) -> dict[str, Any] | None:
    """A GetEventDataStore answer (+ its tags) in the option format."""
    if store is None:
        return None
    state: dict[str, Any] = {
        "arn": None,
        "name": None,
        "status": None,
        "retention_days": None,
        "billing_mode": EXTENDABLE,
        "multi_region": False,
        "organization_enabled": False,
        "advanced_event_selectors": [],
        "termination_protection": False,
        "kms_key_id": None,
        "ingestion": "stopped",
        "federation": {"enabled": False, "status": "DISABLED", "role_arn": None},
        "tags": tags,
        "created": None,
        "updated": None,
    }
    state.update(answered(store))
    state["tags"] = tags
    return state


ANSWER_FIELDS = {
    "EventDataStoreArn": ("arn", None),
    "Name": ("name", None),
    "RetentionPeriod": ("retention_days", None),
    "BillingMode": ("billing_mode", None),
    "MultiRegionEnabled": ("multi_region", bool),
    "OrganizationEnabled": ("organization_enabled", bool),
    "TerminationProtectionEnabled": ("termination_protection", bool),
    "KmsKeyId": ("kms_key_id", None),
}


def answered(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The settings an AWS answer about a store holds (Get/Create/Update/RestoreEventDataStore, Enable/DisableFederation), option format.

    Only what the answer holds: the answers of the writes complete a predicted state.
    """
    state: dict[str, Any] = {}
    for field, (key, convert) in ANSWER_FIELDS.items():
        if answer.get(field) is not None:
            state[key] = convert(answer[field]) if convert else answer[field]
    if "AdvancedEventSelectors" in answer:
        state["advanced_event_selectors"] = selectors_from_aws(answer["AdvancedEventSelectors"])
    if answer.get("Status"):
        state["status"] = answer["Status"]
        state["ingestion"] = "enabled" if answer["Status"] in INGESTING else "stopped"
    if answer.get("FederationStatus"):
        status = answer["FederationStatus"]
        state["federation"] = {"enabled": status in FEDERATED, "status": status, "role_arn": answer.get("FederationRoleArn")}
    if "TagsList" in answer:
        state["tags"] = {t["Key"]: t.get("Value", "") for t in answer["TagsList"] or []}
    for field, key in (("CreatedTimestamp", "created"), ("UpdatedTimestamp", "updated")):
        if answer.get(field) is not None:
            state[key] = _iso(answer[field])
    return state


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---------------------------------------------------------------- compare


def compare(desired: Mapping[str, Any], current: Mapping[str, Any] | None, purge_tags: bool = True, allow_retention_decrease: bool = False) -> list[Change]:
    """Ordered changes for state=present: restore, create | updates, ingestion, federation, tags.

    A lower retention is guarded (allow_retention_decrease); check_against_current() raises what no option allows.
    """
    if current is None:
        changes = [Change("create", None, _creation(desired), action="create")]
        if desired.get("federation") and desired["federation"]["enabled"]:
            changes.append(Change("federation", None, desired["federation"], action="create"))
        return changes
    changes = []
    if current.get("status") == PENDING_DELETION:
        changes.append(Change("restore", PENDING_DELETION, "restored"))
    for setting in UPDATE_SETTINGS:
        if setting not in desired:
            continue
        want, have = desired[setting], current.get(setting)
        if setting == "kms_key_id" and have and kms_matches(have, want):
            continue
        if want != have:
            guard = retention_guard(have, want, allow_retention_decrease) if setting == "retention_days" else None
            changes.append(Change(setting, have, want, details={"guard": guard} if guard else {}))
    if desired.get("ingestion") and desired["ingestion"] != current.get("ingestion"):
        changes.append(Change("ingestion", current.get("ingestion"), desired["ingestion"]))
    federation = _federation_change(desired.get("federation"), current.get("federation") or {})
    if federation:
        changes.append(federation)
    tags = tag_change(current.get("tags"), desired.get("tags"), purge_tags)
    if tags:
        changes.append(tags)
    return changes


def _federation_change(want: Mapping[str, Any] | None, have: Mapping[str, Any]) -> Change | None:
    if want is None:
        return None
    before = {"enabled": bool(have.get("enabled")), "role_arn": have.get("role_arn") if have.get("enabled") else None}
    if not want["enabled"]:
        return Change("federation", before, {"enabled": False, "role_arn": None}) if before["enabled"] else None
    after = {"enabled": True, "role_arn": want["role_arn"]}
    return Change("federation", before, after) if before != after else None


def _creation(desired: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a new store gets: the desired ones, AWS defaults for the rest."""
    billing = desired.get("billing_mode") or EXTENDABLE
    default_retention = 366 if billing == EXTENDABLE else 2557
    return {
        "name": desired["name"],
        "retention_days": desired.get("retention_days", default_retention),
        "billing_mode": billing,
        "multi_region": True if desired.get("multi_region") is None else desired["multi_region"],
        "organization_enabled": bool(desired.get("organization_enabled")),
        "advanced_event_selectors": desired.get("advanced_event_selectors") or normalize_selectors(preset_selectors("all_management", None)),
        "termination_protection": True if desired.get("termination_protection") is None else desired["termination_protection"],
        "kms_key_id": desired.get("kms_key_id"),
        "ingestion": desired.get("ingestion") or "enabled",
        "tags": dict(desired.get("tags") or {}),
    }


def create_request(creation: Mapping[str, Any]) -> dict[str, Any]:
    """CreateEventDataStore parameters from _creation()."""
    request: dict[str, Any] = {
        "Name": creation["name"],
        "RetentionPeriod": creation["retention_days"],
        "BillingMode": creation["billing_mode"],
        "MultiRegionEnabled": creation["multi_region"],
        "OrganizationEnabled": creation["organization_enabled"],
        "AdvancedEventSelectors": selectors_to_aws(creation["advanced_event_selectors"]),
        "TerminationProtectionEnabled": creation["termination_protection"],
        "StartIngestion": creation["ingestion"] == "enabled",
    }
    if creation.get("kms_key_id"):
        request["KmsKeyId"] = creation["kms_key_id"]
    if creation.get("tags"):
        request["TagsList"] = [{"Key": k, "Value": v} for k, v in creation["tags"].items()]
    return request


def update_request(arn: str, changes: list[Change]) -> dict[str, Any]:
    """One UpdateEventDataStore request holding every changed update setting."""
    request: dict[str, Any] = {"EventDataStore": arn}
    for change in changes:
        if change.setting not in AWS_FIELDS:
            continue
        value = change.after
        if change.setting == "advanced_event_selectors":
            value = selectors_to_aws(value)
        request[AWS_FIELDS[change.setting]] = value
    return request


def predicted_state(desired: Mapping[str, Any], current: Mapping[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
    """The store after the changes (check mode): current + what changes; ARN only when it exists."""
    if current is None:
        state = dict(_creation(desired))
        state.update(arn=None, status="ENABLED" if state["ingestion"] == "enabled" else "STOPPED_INGESTION")
        federation = desired.get("federation") or {"enabled": False, "role_arn": None}
        state["federation"] = {
            "enabled": federation["enabled"],
            "status": "ENABLED" if federation["enabled"] else "DISABLED",
            "role_arn": federation.get("role_arn"),
        }
        return state
    state = dict(current)
    for change in changes:
        if change.setting == "restore":
            state["status"] = "ENABLED" if current.get("ingestion") == "enabled" else "STOPPED_INGESTION"
        elif change.setting == "ingestion":
            state["ingestion"] = change.after
            state["status"] = "ENABLED" if change.after == "enabled" else "STOPPED_INGESTION"
        elif change.setting == "federation":
            state["federation"] = dict(change.after, status="ENABLED" if change.after["enabled"] else "DISABLED")
        elif change.setting in state or change.setting in UPDATE_SETTINGS:
            state[change.setting] = change.after
    return state


def completed_state(predicted: Mapping[str, Any], answers: list[Mapping[str, Any]], changes: list[Change]) -> dict[str, Any]:
    """The predicted state completed by what the writes answered, in write order (ARN, times, key ARN, statuses).

    Ingestion is started or stopped after the calls that answer a status: its predicted status stays.
    """
    state = dict(predicted)
    for answer in answers:
        state.update(answered(answer))
    if any(c.setting == "ingestion" for c in changes):
        state.update(status=predicted["status"], ingestion=predicted["ingestion"])
    return state


def managed_view(state: Mapping[str, Any] | None, desired: Mapping[str, Any]) -> dict[str, Any]:
    """Only the settings the task manages (for the diff)."""
    if not state:
        return {}
    view = {"name": state.get("name")}
    for key in desired:
        if key == "name":
            continue
        if key == "federation":
            federation = state.get("federation") or {}
            view[key] = {"enabled": bool(federation.get("enabled")), "role_arn": federation.get("role_arn") if federation.get("enabled") else None}
        else:
            view[key] = state.get(key)
    if "status" in state:
        view["status"] = state["status"]
    return view


# ---------------------------------------------------------------- delete


def compare_absent(current: Mapping[str, Any] | None, termination_protection: bool | None) -> list[Change]:
    """Changes for state=absent: protection off, then delete; guarded unless termination_protection is false.

    A federated store is refused (no option of state=absent lifts it).
    """
    if current is None or current.get("status") == PENDING_DELETION:
        return []
    federation = current.get("federation") or {}
    if federation.get("enabled"):
        raise CloudAuditError(
            f"the event data store {current['name']} has Lake query federation {federation.get('status', 'ENABLED')} "
            "(its Glue Data Catalog table and Lake Formation permissions depend on it); AWS refuses to delete a federated store. "
            "Disable it first with state: present and federation: {enabled: false}",
            "federation",
        )
    changes = []
    if current.get("termination_protection"):
        details: dict[str, Any] = {}
        if termination_protection is not False:
            details["guard"] = Guard(
                "termination_protection",
                f"the event data store {current['name']} has termination protection on; set termination_protection: false "
                f"to delete it (the store becomes PENDING_DELETION, restorable for {RESTORE_DAYS} days, then its events are deleted)",
            )
        changes.append(Change("termination_protection", True, False, details=details))
    changes.append(Change("delete", "present", PENDING_DELETION, action="delete"))
    return changes


def deleted_state(current: Mapping[str, Any]) -> dict[str, Any]:
    state = dict(current)
    state.update(status=PENDING_DELETION, termination_protection=False, ingestion="stopped")
    return state


DELETE_NOTICE = (
    "The event data store is PENDING_DELETION: it can be restored for {days} days (state: present restores it, "
    "or RestoreEventDataStore); after that AWS deletes it and its events."
).format(days=RESTORE_DAYS)


# ---------------------------------------------------------------- info findings


def findings(state: Mapping[str, Any]) -> list[dict[str, str]]:
    """What an auditor flags on a store (CloudTrail.10 and operational risks)."""
    result = []
    if not state.get("kms_key_id"):
        result.append({"id": "no_customer_managed_key", "control": "CloudTrail.10", "message": "not encrypted with a customer-managed KMS key"})
    if not state.get("termination_protection"):
        result.append({"id": "termination_protection_off", "message": "termination protection is off: the store can be deleted"})
    if state.get("ingestion") == "stopped" and state.get("status") != PENDING_DELETION:
        result.append({"id": "ingestion_stopped", "message": f"ingestion is stopped (status {state.get('status')})"})
    if state.get("status") == PENDING_DELETION:
        result.append({"id": "pending_deletion", "message": f"pending deletion: restorable for up to {RESTORE_DAYS} days after the delete"})
    return result
