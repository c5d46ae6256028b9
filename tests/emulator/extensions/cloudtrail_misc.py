"""CloudTrail calls moto lacks, besides stores and lookups: federation, event configuration,
organization delegated administrators and resource policies.

Handlers are registered on ``moto.cloudtrail.responses.CloudTrailResponse``;
state lives on the event data stores (``cloudtrail_lake``) and in moto's own
Organizations backend, so /_emulator/reset wipes it.

- EnableFederation / DisableFederation: FederationStatus goes straight to
  ENABLED / DISABLED (AWS passes through ENABLING / DISABLING). Disabling a
  store whose federation is off answers DISABLED without error.
- Put/GetEventConfiguration for an event data store or a trail (MaxEventSize
  Standard|Large, ContextKeySelectors, AggregationConfigurations).
- Register/DeregisterOrganizationDelegatedAdmin: only the organization's
  management account, organization in ALL features mode, trusted access for
  cloudtrail.amazonaws.com enabled, member of the organization, at most 3
  delegated administrators. The registration is moto's own Organizations
  delegated administrator, so organizations:ListDelegatedAdministrators(
  ServicePrincipal=cloudtrail.amazonaws.com) lists it (moto's
  FakeDelegatedAdministrator is widened to accept cloudtrail.amazonaws.com).
- Put/Get/DeleteResourcePolicy on event data store ARNs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.cloudtrail.responses import CloudTrailResponse
from moto.organizations import models as org_models

from ..shapes import checked
from .corrections_cloudtrail import organization_backend
from .cloudtrail_lake import (
    ARN_RE,
    ROLE_ARN_RE,
    EventDataStore,
    EventDataStoreARNInvalidException,
    EventDataStoreFederationEnabledException,
    EventDataStoreNotFoundException,
    InvalidParameterCombinationException,
    InvalidParameterException,
    _error,
    _params,
    find_store_any_region,
    lake_backend,
)

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
MAX_DELEGATED_ADMINS = 3
MAX_CONTEXT_KEY_SELECTORS = 2

OrganizationsNotInUseException = _error("OrganizationsNotInUseException")
NotOrganizationManagementAccountException = _error("NotOrganizationManagementAccountException")
NotOrganizationMasterAccountException = _error("NotOrganizationMasterAccountException")
OrganizationNotInAllFeaturesModeException = _error("OrganizationNotInAllFeaturesModeException")
CloudTrailAccessNotEnabledException = _error("CloudTrailAccessNotEnabledException")
CannotDelegateManagementAccountException = _error("CannotDelegateManagementAccountException")
AccountNotFoundException = _error("AccountNotFoundException")
AccountRegisteredException = _error("AccountRegisteredException")
AccountNotRegisteredException = _error("AccountNotRegisteredException")
DelegatedAdminAccountLimitExceededException = _error("DelegatedAdminAccountLimitExceededException")
ResourceARNNotValidException = _error("ResourceARNNotValidException")
ResourceNotFoundException = _error("ResourceNotFoundException")
ResourcePolicyNotFoundException = _error("ResourcePolicyNotFoundException")
ResourcePolicyNotValidException = _error("ResourcePolicyNotValidException")
ResourceTypeNotSupportedException = _error("ResourceTypeNotSupportedException")

# moto lists the services that may have delegated administrators; CloudTrail is one in AWS.
if CLOUDTRAIL_PRINCIPAL not in org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES:
    org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES.append(CLOUDTRAIL_PRINCIPAL)


# Organizations -----------------------------------------------------------------------------------


def delegated_admins(backend: Any) -> list[str]:
    return [admin.account.id for admin in backend.admins if CLOUDTRAIL_PRINCIPAL in admin.services]


def require_org_admin(account: str) -> None:
    """Organization-wide Lake resources: the management account or a CloudTrail delegated administrator."""
    backend = organization_backend(account)
    if backend is None:
        raise OrganizationsNotInUseException("This account is not a member of an organization.")
    if backend.org.master_account_id != account and account not in delegated_admins(backend):
        raise NotOrganizationMasterAccountException(
            "This operation requires the organization's management account or a CloudTrail delegated administrator."
        )


def _management_backend(account: str) -> Any:
    backend = organization_backend(account)
    if backend is None:
        raise OrganizationsNotInUseException("This account is not a member of an organization.")
    if backend.org.master_account_id != account:
        raise NotOrganizationManagementAccountException("Only the organization's management account can manage CloudTrail delegated administrators.")
    if backend.org.feature_set != "ALL":
        raise OrganizationNotInAllFeaturesModeException("The organization must have all features enabled.")
    if not any(s.get("ServicePrincipal") == CLOUDTRAIL_PRINCIPAL for s in backend.services):
        raise CloudTrailAccessNotEnabledException("Trusted access for CloudTrail is not enabled in the organization.")
    return backend


def _member_id(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not re.fullmatch(r"\d{12}", value):
        raise InvalidParameterException(f"{key} must be a 12-digit account ID.")
    return value


@checked("cloudtrail", "RegisterOrganizationDelegatedAdmin")
def register_organization_delegated_admin(self: CloudTrailResponse) -> str:
    backend = _management_backend(self.current_account)
    member = _member_id(_params(self), "MemberAccountId")
    if member == backend.org.master_account_id:
        raise CannotDelegateManagementAccountException("The management account cannot be a delegated administrator.")
    if not any(a.id == member for a in backend.accounts):
        raise AccountNotFoundException(f"Account {member} is not a member of the organization.")
    admins = delegated_admins(backend)
    if member in admins:
        raise AccountRegisteredException(f"Account {member} is already a CloudTrail delegated administrator.")
    if len(admins) >= MAX_DELEGATED_ADMINS:
        raise DelegatedAdminAccountLimitExceededException(f"An organization can have at most {MAX_DELEGATED_ADMINS} CloudTrail delegated administrators.")
    backend.register_delegated_administrator(AccountId=member, ServicePrincipal=CLOUDTRAIL_PRINCIPAL)
    return "{}"


@checked("cloudtrail", "DeregisterOrganizationDelegatedAdmin")
def deregister_organization_delegated_admin(self: CloudTrailResponse) -> str:
    backend = _management_backend(self.current_account)
    member = _member_id(_params(self), "DelegatedAdminAccountId")
    if not any(a.id == member for a in backend.accounts):
        raise AccountNotFoundException(f"Account {member} is not a member of the organization.")
    if member not in delegated_admins(backend):
        raise AccountNotRegisteredException(f"Account {member} is not a CloudTrail delegated administrator.")
    backend.deregister_delegated_administrator(AccountId=member, ServicePrincipal=CLOUDTRAIL_PRINCIPAL)
    return "{}"


# Federation ---------------------------------------------------------------------------------------


def _store(self: CloudTrailResponse, ref: str, active: bool = True) -> EventDataStore:
    return lake_backend(self.current_account, self.region).find(ref or "", active=active)


@checked("cloudtrail", "EnableFederation")
def enable_federation(self: CloudTrailResponse) -> str:
    params = _params(self)
    store = _store(self, params.get("EventDataStore", ""))
    role = params.get("FederationRoleArn") or ""
    if not 3 <= len(role) <= 125 or not ROLE_ARN_RE.match(role):
        raise InvalidParameterException("FederationRoleArn must be an IAM role ARN of 3-125 characters.")
    if store.federation_status == "ENABLED":
        raise EventDataStoreFederationEnabledException(f"Lake query federation is already enabled on {store.arn}.")
    store.federation_status, store.federation_role_arn = "ENABLED", role
    return json.dumps({"EventDataStoreArn": store.arn, "FederationStatus": "ENABLED", "FederationRoleArn": role})


@checked("cloudtrail", "DisableFederation")
def disable_federation(self: CloudTrailResponse) -> str:
    store = _store(self, _params(self).get("EventDataStore", ""))
    store.federation_status, store.federation_role_arn = "DISABLED", None
    return json.dumps({"EventDataStoreArn": store.arn, "FederationStatus": "DISABLED"})


# Event configuration ---------------------------------------------------------------------------

def _config_target(self: CloudTrailResponse, params: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """("TrailARN"|"EventDataStoreArn", arn, the stored configuration)."""
    trail_name, store_ref = params.get("TrailName"), params.get("EventDataStore")
    if bool(trail_name) == bool(store_ref):
        raise InvalidParameterCombinationException("Specify either TrailName or EventDataStore, not both or neither.")
    if store_ref:
        store = _store(self, store_ref)
        return "EventDataStoreArn", store.arn, store.event_configuration
    trail = self.cloudtrail_backend.get_trail(trail_name)
    configs = lake_backend(self.current_account, self.region).trail_event_configs
    config = configs.setdefault(trail.arn, {"MaxEventSize": "Standard", "ContextKeySelectors": []})
    return "TrailARN", trail.arn, config


def _check_event_configuration(config: dict[str, Any]) -> None:
    selectors = config.get("ContextKeySelectors") or []
    if len(selectors) > MAX_CONTEXT_KEY_SELECTORS:
        raise InvalidParameterException(f"At most {MAX_CONTEXT_KEY_SELECTORS} context key selectors are allowed.")
    types = [s.get("Type") for s in selectors]
    if len(set(types)) != len(types):
        raise InvalidParameterException("Each context key selector Type may appear once.")
    if selectors and config.get("MaxEventSize") != "Large":
        raise InvalidParameterException("ContextKeySelectors require MaxEventSize Large.")


@checked("cloudtrail", "PutEventConfiguration")
def put_event_configuration(self: CloudTrailResponse) -> str:
    params = _params(self)
    key, arn, config = _config_target(self, params)
    new = dict(config)
    for name in ("MaxEventSize", "ContextKeySelectors", "AggregationConfigurations"):
        if params.get(name) is not None:
            new[name] = params[name]
    _check_event_configuration(new)
    config.clear()
    config.update(new)
    return json.dumps({key: arn, **config})


@checked("cloudtrail", "GetEventConfiguration")
def get_event_configuration(self: CloudTrailResponse) -> str:
    key, arn, config = _config_target(self, _params(self))
    return json.dumps({key: arn, **config})


# Resource policies -------------------------------------------------------------------------------


def _policy_store(self: CloudTrailResponse, arn: Any) -> EventDataStore:
    if not isinstance(arn, str) or not re.match(r"^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:[a-z]+/.+$", arn):
        raise ResourceARNNotValidException(f"Resource ARN {arn!r} is not valid.")
    kind = arn.split(":", 5)[5].split("/", 1)[0]
    if kind not in ("eventdatastore", "channel", "dashboard"):
        raise ResourceTypeNotSupportedException(f"Resource type {kind} does not support resource policies.")
    if kind != "eventdatastore" or not ARN_RE.match(arn):
        raise ResourceNotFoundException(f"Resource {arn} was not found.")
    try:
        return find_store_any_region(self.current_account, arn)
    except (EventDataStoreNotFoundException, EventDataStoreARNInvalidException) as e:
        raise ResourceNotFoundException(f"Resource {arn} was not found.") from e


def _check_policy(policy: Any) -> None:
    try:
        document = json.loads(policy)
    except (TypeError, ValueError) as e:
        raise ResourcePolicyNotValidException("The resource policy is not valid JSON.") from e
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not statements:
        raise ResourcePolicyNotValidException("The resource policy needs at least one statement.")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny") or "Principal" not in statement:
            raise ResourcePolicyNotValidException("Each statement needs Effect (Allow or Deny) and Principal.")


@checked("cloudtrail", "PutResourcePolicy")
def put_resource_policy(self: CloudTrailResponse) -> str:
    params = _params(self)
    store = _policy_store(self, params.get("ResourceArn"))
    _check_policy(params.get("ResourcePolicy"))
    store.resource_policy = params["ResourcePolicy"]
    return json.dumps({"ResourceArn": store.arn, "ResourcePolicy": store.resource_policy})


@checked("cloudtrail", "GetResourcePolicy")
def get_resource_policy(self: CloudTrailResponse) -> str:
    store = _policy_store(self, _params(self).get("ResourceArn"))
    if not store.resource_policy:
        raise ResourcePolicyNotFoundException(f"No resource policy on {store.arn}.")
    return json.dumps({"ResourceArn": store.arn, "ResourcePolicy": store.resource_policy})


@checked("cloudtrail", "DeleteResourcePolicy")
def delete_resource_policy(self: CloudTrailResponse) -> str:
    store = _policy_store(self, _params(self).get("ResourceArn"))
    if not store.resource_policy:
        raise ResourcePolicyNotFoundException(f"No resource policy on {store.arn}.")
    store.resource_policy = None
    return "{}"


HANDLERS = {
    "register_organization_delegated_admin": register_organization_delegated_admin,
    "deregister_organization_delegated_admin": deregister_organization_delegated_admin,
    "enable_federation": enable_federation,
    "disable_federation": disable_federation,
    "put_event_configuration": put_event_configuration,
    "get_event_configuration": get_event_configuration,
    "put_resource_policy": put_resource_policy,
    "get_resource_policy": get_resource_policy,
    "delete_resource_policy": delete_resource_policy,
}

for _name, _handler in HANDLERS.items():
    setattr(CloudTrailResponse, _name, _handler)
