# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_organization on the one pipeline: trusted access and delegated administrators for CloudTrail.

Reads, each only when the task needs it, concurrently where independent:
1. DescribeOrganization + GetCallerIdentity (only when something is managed): the caller must be the
   management account;
2. ListAWSServiceAccessForOrganization (trusted_access managed) + ListDelegatedAdministrators
   (delegated_administrators managed): a no-op run makes at most these 4 calls;
3. for each account to register, DescribeAccount (a member of the organization?), and trusted access
   if not read yet (registering needs it);
4. only when trusted access would be disabled without force_stop_delivery: DescribeTrails and
   ListEventDataStores + GetEventDataStore of each store (the organization trails and stores it would stop).
"""

from __future__ import annotations

from typing import Any, Callable

from .._aws import cloudtrail
from .._aws import organizations as aws_orgs
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, execute
from . import cloudtrail_access_model as model

PRINCIPAL = model.CLOUDTRAIL_PRINCIPAL


def ensure(module: Any) -> dict[str, Any]:
    ctx = Context(module)
    return execute(ctx, CloudTrailAccess(ctx))


class CloudTrailAccess(Resource):
    """CloudTrail's trusted access to the organization and its delegated administrators."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.where: dict[str, str] = {}

    @property
    def orgs(self) -> Any:
        return self.ctx.client("organizations")

    def validate(self) -> None:
        model.validate(self.ctx.params)

    def desired(self) -> dict[str, Any]:
        return model.desired_state(self.ctx.params)

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        if not desired:  # nothing managed: which organization, nothing else
            self.where = model.locate(aws_orgs.describe_organization(self.orgs))
            return dict(self.where)
        found = read_concurrently({"organization": lambda: aws_orgs.describe_organization(self.orgs), "identity": self.ctx.identity})
        self.where = model.locate(found["organization"], found["identity"]["account_id"])
        current: dict[str, Any] = dict(self.where)
        current.update(self._read_settings(desired, trusted_access="trusted_access" in desired))
        register = model.to_register(desired, current.get(model.ADMINS))
        if register:
            current.update(self._read_registration_needs(register, "trusted_access" not in current))
        if model.disables_trusted_access(desired, current) and not self.ctx.params["force_stop_delivery"]:
            current["organization_resources"] = self._organization_resources()
        return current

    def _trusted_access(self) -> bool:
        return model.trusted_access(aws_orgs.list_aws_service_access(self.orgs))

    def _read_settings(self, desired: dict[str, Any], trusted_access: bool) -> dict[str, Any]:
        reads: dict[str, Callable[[], Any]] = {}
        if trusted_access:
            reads["trusted_access"] = self._trusted_access
        if model.ADMINS in desired:
            reads[model.ADMINS] = lambda: aws_orgs.list_delegated_administrators(self.orgs, PRINCIPAL)
        found = read_concurrently(reads)
        if model.ADMINS in found and found[model.ADMINS] is None:
            raise CloudAuditError("listing the CloudTrail delegated administrators was denied (organizations:ListDelegatedAdministrators)", model.ADMINS)
        if model.ADMINS in found:
            found[model.ADMINS] = sorted(found[model.ADMINS])
        return found

    def _read_registration_needs(self, register: list[str], trusted_access: bool) -> dict[str, Any]:
        """Whether each account to register is a member, and (when not read yet) trusted access, which registering needs."""
        reads: dict[str, Callable[[], Any]] = {a: (lambda a=a: aws_orgs.describe_account(self.orgs, a)) for a in register}
        if trusted_access:
            reads["trusted_access"] = self._trusted_access
        found = read_concurrently(reads)
        needs: dict[str, Any] = {"accounts": {a: found[a] for a in register}}
        if trusted_access:
            needs["trusted_access"] = found["trusted_access"]
        return needs

    def _organization_resources(self) -> dict[str, list[str]]:
        """ARNs of the organization trails (seen from this region) and organization event data stores (this region).

        Each store is read with GetEventDataStore: ListEventDataStores no longer returns OrganizationEnabled nor Status."""
        client = self.ctx.client("cloudtrail")
        found = read_concurrently({"trails": lambda: cloudtrail.describe_trails(client), "stores": lambda: cloudtrail.describe_event_data_stores(client)})
        stores = [s for s in found["stores"] if s.get("OrganizationEnabled") and s.get("Status") != "PENDING_DELETION"]
        return {
            "trails": sorted({t["TrailARN"] for t in found["trails"] if t.get("IsOrganizationTrail")}),
            "event_data_stores": sorted(s["EventDataStoreArn"] for s in stores),
        }

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        return model.compare(desired, current, self.ctx.params["force_stop_delivery"])

    def write(self, change: Change) -> None:
        if change.setting == "trusted_access":
            (aws_orgs.enable_aws_service_access if change.after else aws_orgs.disable_aws_service_access)(self.orgs, PRINCIPAL)
            return
        client = self.ctx.client("cloudtrail")
        for account_id in change.details["deregister"]:  # first: frees places under the limit of 3
            cloudtrail.deregister_organization_delegated_admin(client, account_id)
        for account_id in change.details["register"]:
            cloudtrail.register_organization_delegated_admin(client, account_id)

    def after(self, desired: dict[str, Any], current: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
        return model.predicted(desired, current)

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return model.diff_view(state, desired)

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return {
            "organization_id": self.where.get("organization_id"),
            "management_account_id": self.where.get("management_account_id"),
            "trusted_access": after.get("trusted_access"),
            model.ADMINS: after.get(model.ADMINS),
        }
