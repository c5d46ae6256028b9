# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure: CloudTrail's place in an organization (trusted access, delegated administrators) as plain data.

desired: the managed settings only ('trusted_access': bool; 'delegated_administrators': sorted ids
with 'purge'). current: 'organization_id', 'management_account_id', and what was read: 'trusted_access',
'delegated_administrators', 'accounts' ({id: the Organizations account or None} of each account to
register), 'organization_resources' ({'trails', 'event_data_stores'}: ARNs of the organization trails
and stores, read only when trusted access would be disabled).
"""

from __future__ import annotations

from typing import Any, Mapping

from .._common.changes import Change
from .._common.errors import CloudAuditError
from .._common.pipeline import Guard
from .._common.validate import check_account_ids

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
MAX_DELEGATED_ADMINISTRATORS = 3
ADMINS = "delegated_administrators"


# --- input -------------------------------------------------------------------


def validate(params: Mapping[str, Any]) -> None:
    """The whole input, before any AWS call."""
    admins = params.get(ADMINS)
    check_account_ids(admins, ADMINS)
    if admins is not None and len(set(admins)) > MAX_DELEGATED_ADMINISTRATORS:
        raise CloudAuditError(
            f"{len(set(admins))} accounts given; AWS allows at most {MAX_DELEGATED_ADMINISTRATORS} CloudTrail delegated administrators", ADMINS
        )
    if params.get("purge_delegated_administrators") and admins is None:
        raise CloudAuditError("only applies with delegated_administrators (an empty list deregisters every one)", "purge_delegated_administrators")
    if params.get("trusted_access") is False and admins:
        raise CloudAuditError(
            "CloudTrail delegated administrators need trusted access: trusted_access=false cannot go with delegated_administrators", "trusted_access"
        )


def desired_state(params: Mapping[str, Any]) -> dict[str, Any]:
    desired: dict[str, Any] = {}
    if params.get("trusted_access") is not None:
        desired["trusted_access"] = bool(params["trusted_access"])
    if params.get(ADMINS) is not None:
        desired[ADMINS] = sorted(set(params[ADMINS]))
        desired["purge"] = bool(params.get("purge_delegated_administrators"))
    return desired


# --- current state -----------------------------------------------------------


def locate(organization: Mapping[str, Any] | None, account_id: str | None = None) -> dict[str, str]:
    """{'organization_id', 'management_account_id'}; with account_id (the caller), only the management account may go on."""
    if organization is None:
        where = f"account {account_id} is" if account_id else "the account is"
        raise CloudAuditError(
            f"{where} not in an AWS Organization (AWSOrganizationsNotInUseException); run this from the management account of the organization"
        )
    management = organization["MasterAccountId"]
    if account_id is not None and account_id != management:
        raise CloudAuditError(
            f"account {account_id} is not the management account {management} of organization {organization['Id']}: "
            "trusted access and CloudTrail delegated administrators are changed from the management account only "
            "(not from a member account or a CloudTrail delegated administrator); run this task with the management account's credentials",
            management_account_id=management,
            account_id=account_id,
        )
    return {"organization_id": organization["Id"], "management_account_id": management, "feature_set": organization.get("FeatureSet", "ALL")}


def trusted_access(principals: list[str]) -> bool:
    return CLOUDTRAIL_PRINCIPAL in principals


def wanted_admins(desired: Mapping[str, Any], current_admins: list[str]) -> list[str]:
    """The delegated administrators after the run (the listed ones, plus the others unless purging)."""
    wanted = set(desired[ADMINS])
    if not desired["purge"]:
        wanted |= set(current_admins)
    return sorted(wanted)


def to_register(desired: Mapping[str, Any], current_admins: list[str] | None) -> list[str]:
    if ADMINS not in desired:
        return []
    return sorted(set(desired[ADMINS]) - set(current_admins or []))


def disables_trusted_access(desired: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    return desired.get("trusted_access") is False and current.get("trusted_access") is True


# --- compare -----------------------------------------------------------------


def compare(desired: Mapping[str, Any], current: Mapping[str, Any], force_stop_delivery: bool) -> list[Change]:
    """The changes, in a safe order: trusted access on before registering; deregistering before trusted access off."""
    access = _trusted_access_change(desired, current, force_stop_delivery)
    admins = _admins_change(desired, current)
    if access is not None and access.after:
        return [access] + ([admins] if admins else [])
    return ([admins] if admins else []) + ([access] if access else [])


def _trusted_access_change(desired: Mapping[str, Any], current: Mapping[str, Any], force_stop_delivery: bool) -> Change | None:
    if "trusted_access" not in desired or desired["trusted_access"] == current["trusted_access"]:
        return None
    after = desired["trusted_access"]
    if after:
        _check_all_features(current, "trusted_access")
    guard = None if after or force_stop_delivery else _stop_delivery_guard(current)
    return Change("trusted_access", current["trusted_access"], after, "update", {"guard": guard} if guard else {})


def _stop_delivery_guard(current: Mapping[str, Any]) -> Guard | None:
    """Without trusted access the organization trails and stores log the management account only."""
    found = current.get("organization_resources") or {}
    trails, stores = list(found.get("trails") or []), list(found.get("event_data_stores") or [])
    if not trails and not stores:
        return None
    named = ", ".join(trails + stores)
    return Guard(
        "trusted_access",
        f"disabling trusted access for CloudTrail in organization {current['organization_id']} turns the organization trails and "
        f"event data stores ({named}) into trails and stores of the management account only: the member accounts are no longer "
        "logged; set force_stop_delivery=true to do it",
        {"organization_trails": trails, "organization_event_data_stores": stores},
    )


def _admins_change(desired: Mapping[str, Any], current: Mapping[str, Any]) -> Change | None:
    if ADMINS not in desired:
        return None
    before = list(current[ADMINS])
    after = wanted_admins(desired, before)
    register = [a for a in after if a not in before]
    deregister = [a for a in before if a not in after]
    if not register and not deregister:
        return None
    _check_registrations(register, after, desired, current)
    return Change(ADMINS, before, after, "update", {"register": register, "deregister": deregister})


def _check_all_features(current: Mapping[str, Any], option: str) -> None:
    """Trusted access (and so delegated administrators) needs an organization with all features enabled."""
    if current.get("feature_set", "ALL") != "ALL":
        raise CloudAuditError(
            f"organization {current['organization_id']} has only consolidated billing features ({current['feature_set']}); "
            "CloudTrail's trusted access and delegated administrators need all features enabled",
            option,
        )


def _check_registrations(register: list[str], after: list[str], desired: Mapping[str, Any], current: Mapping[str, Any]) -> None:
    """What AWS would refuse, found before any write: the management account, non-members, a 4th admin, no trusted access."""
    if register:
        _check_all_features(current, ADMINS)
    management = current["management_account_id"]
    if management in register:
        raise CloudAuditError(f"{management} is the organization's management account, which cannot be a CloudTrail delegated administrator", ADMINS)
    outsiders = [a for a in register if (current.get("accounts") or {}).get(a) is None]
    if outsiders:
        raise CloudAuditError(
            f"{', '.join(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not in organization {current['organization_id']}: "
            "only its member accounts can be delegated administrators",
            ADMINS,
        )
    if len(after) > MAX_DELEGATED_ADMINISTRATORS:
        raise CloudAuditError(
            f"{len(after)} CloudTrail delegated administrators after this run ({', '.join(after)}); AWS allows at most {MAX_DELEGATED_ADMINISTRATORS}: "
            "list fewer, or set purge_delegated_administrators=true to deregister the ones not listed",
            ADMINS,
        )
    if register and not desired.get("trusted_access", current.get("trusted_access")):
        raise CloudAuditError(
            f"registering {', '.join(register)} needs trusted access for CloudTrail, which organization {current['organization_id']} has not enabled: "
            "set trusted_access=true",
            ADMINS,
        )


# --- predicted state -----------------------------------------------------------


def predicted(desired: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The managed (and read) settings after the run."""
    after = {k: current[k] for k in ("trusted_access", ADMINS) if k in current}
    if "trusted_access" in desired:
        after["trusted_access"] = desired["trusted_access"]
    if ADMINS in desired:
        after[ADMINS] = wanted_admins(desired, current[ADMINS])
    return after


def diff_view(state: Mapping[str, Any] | None, desired: Mapping[str, Any]) -> dict[str, Any]:
    """The managed settings only."""
    return {k: state[k] for k in ("trusted_access", ADMINS) if k in desired and state and k in state}
