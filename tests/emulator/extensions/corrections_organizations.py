"""Organizations corrections: who may call the trusted-access and delegated-administrator APIs, and what
disabling CloudTrail's trusted access does to organization trails.

Patched at import on moto's OrganizationsBackend (moto 5.2.x); tests in
tests/emulator/tests/test_corrections_organizations.py.

- EnableAWSServiceAccess, DisableAWSServiceAccess, RegisterDelegatedAdministrator and
  DeregisterDelegatedAdministrator: only from the management account. A member account gets
  AccessDeniedException, an account in no organization AWSOrganizationsNotInUseException (moto let
  any account call them and kept the answer in that account's own, organization-less state).
- ListAWSServiceAccessForOrganization, ListDelegatedAdministrators and DescribeAccount: from the
  management account or a member that is a delegated administrator (of any service), answered from
  the organization; other members get AccessDeniedException (moto answered from the member's own
  empty state, so a CloudTrail delegated administrator saw no delegated administrator at all).
- DisableAWSServiceAccess(cloudtrail.amazonaws.com): the management account's organization trails
  become trails of that account only (IsOrganizationTrail false, so the member accounts no longer
  see them nor are logged by them), and its organization event data stores become account stores
  (OrganizationEnabled false), as the AWS Organizations User Guide describes ("Disabling trusted
  access with CloudTrail"). Delegated administrators stay registered.
"""

from __future__ import annotations

# moto's error classes derive from BaseException through werkzeug's HTTPException, which pylint cannot infer.
# pylint: disable=raising-non-exception

import functools
from typing import Any, Callable

from moto.cloudtrail.models import cloudtrail_backends
from moto.organizations import models as org_models
from moto.organizations.exceptions import AWSOrganizationsNotInUseException, OrganizationsClientError

from .cloudtrail_lake import lake_backends
from .corrections_cloudtrail import CLOUDTRAIL_PRINCIPAL, organization_backend

OrganizationsBackend = org_models.OrganizationsBackend

MANAGEMENT_ONLY = (
    "enable_aws_service_access",
    "disable_aws_service_access",
    "register_delegated_administrator",
    "deregister_delegated_administrator",
)
MANAGEMENT_OR_DELEGATED_ADMIN = ("list_aws_service_access_for_organization", "list_delegated_administrators", "describe_account")
for _name in MANAGEMENT_ONLY + MANAGEMENT_OR_DELEGATED_ADMIN:
    assert _name in OrganizationsBackend.__dict__, f"moto OrganizationsBackend has no {_name}: review corrections_organizations"


class AccessDeniedException(OrganizationsClientError):
    def __init__(self) -> None:
        super().__init__("AccessDeniedException", "You don't have permissions to access this resource.")


def _caller(backend: Any) -> tuple[str, Any]:
    """('management' | 'delegated' | 'member', the organization's backend) of the account calling."""
    org_backend = organization_backend(backend.account_id, backend.region_name)  # Organizations is keyed by partition
    if org_backend is None:
        raise AWSOrganizationsNotInUseException
    if org_backend.org.master_account_id == backend.account_id:
        return "management", org_backend
    if any(admin.account.id == backend.account_id for admin in org_backend.admins):
        return "delegated", org_backend
    return "member", org_backend


def _management_only(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, **kwargs: Any) -> Any:
        if _caller(self)[0] != "management":
            raise AccessDeniedException()
        return method(self, **kwargs)

    return wrapper


def _management_or_delegated_admin(method: Callable[..., Any]) -> Callable[..., Any]:
    """Answered from the organization (the management account's backend), not from the caller's own state."""

    @functools.wraps(method)
    def wrapper(self: Any, **kwargs: Any) -> Any:
        role, org_backend = _caller(self)
        if role == "member":
            raise AccessDeniedException()
        return method(org_backend, **kwargs)

    return wrapper


def stop_organization_logging(management_account: str) -> None:
    """What AWS does when CloudTrail loses trusted access: organization trails and stores become the management account's own."""
    for backend in cloudtrail_backends[management_account].values():
        for trail in backend.trails.values():
            trail.is_org_trail = False
    for lake in lake_backends[management_account].values():
        for store in lake.stores.values():
            store.organization = False


_moto_disable_aws_service_access = OrganizationsBackend.disable_aws_service_access


def disable_aws_service_access(self: Any, **kwargs: str) -> None:
    _moto_disable_aws_service_access(self, **kwargs)
    if kwargs.get("ServicePrincipal") == CLOUDTRAIL_PRINCIPAL:
        stop_organization_logging(self.account_id)


def install() -> None:
    OrganizationsBackend.disable_aws_service_access = disable_aws_service_access
    for name in MANAGEMENT_ONLY:
        setattr(OrganizationsBackend, name, _management_only(getattr(OrganizationsBackend, name)))
    for name in MANAGEMENT_OR_DELEGATED_ADMIN:
        setattr(OrganizationsBackend, name, _management_or_delegated_admin(getattr(OrganizationsBackend, name)))


install()
