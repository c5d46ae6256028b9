# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_trail on the one pipeline: a Resource for state=present, one for state=absent.

Write order (the order compare gives): trail (create/update) -> event selectors ->
insight selectors -> tags -> logging. Logging comes last so that a rerun after any
failed step finds the remaining differences and converges.
"""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail, kms, organizations
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from .._common.pipeline import Context, Resource, execute, run_state
from . import model
from . import selectors as sel

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"


def find_trail(trails: list[dict[str, Any]], name: str, region: str, organization: bool | None = None) -> dict[str, Any] | None:
    """The trail called name (or with that ARN).

    Names are unique per account and region only: a trail homed in this region wins over a shadow,
    and the account's own trail over an organization trail of the same name (unless one is asked for).
    """
    if model.is_trail_arn(name):
        return next((t for t in trails if t.get("TrailARN") == name), None)
    matches = [t for t in trails if t.get("Name") == name]
    matches.sort(key=lambda t: (t.get("HomeRegion") != region, bool(t.get("IsOrganizationTrail")) != bool(organization)))
    return matches[0] if matches else None


def read_details(client: Any, trail: dict[str, Any], selectors: bool = True, insights: bool = True, tags: bool = True) -> dict[str, Any]:
    """Status (always) and, when asked, selectors, insights and tags of one trail, read concurrently."""
    arn = trail["TrailARN"]
    reads = {"status": lambda: cloudtrail.get_trail_status(client, arn)}
    # AWS flags trails whose selectors differ from its default one: without the flag there is nothing to read.
    if selectors and trail.get("HasCustomEventSelectors", True):
        reads["selectors"] = lambda: cloudtrail.get_event_selectors(client, arn)
    # AWS flags trails with Insights; without the flag GetInsightSelectors only answers an error.
    if insights and trail.get("HasInsightSelectors", True):
        reads["insights"] = lambda: cloudtrail.get_insight_selectors(client, arn)
    if tags:
        reads["tags"] = lambda: cloudtrail.list_tags(client, arn)
    return read_concurrently(reads)


def current_state(trail: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    state = model.settings_from_aws(trail)
    if "selectors" in details:
        state.update(model.selectors_from_aws(details["selectors"]))
    elif trail.get("HasCustomEventSelectors") is False:
        state.update(model.selectors_from_aws({"EventSelectors": sel.DEFAULT_EVENT_SELECTORS}))
    if "insights" in details or not trail.get("HasInsightSelectors", True):
        state["insight_selectors"] = details.get("insights") or []
    if "tags" in details:
        state["tags"] = details["tags"]
    state["enable_logging"] = bool((details.get("status") or {}).get("IsLogging"))
    return state


def refuse_outside_home_region(trail: dict[str, Any], region: str | None, what: str) -> None:
    """A shadow trail is changed or deleted from its home region only (no option lifts this)."""
    home = trail.get("HomeRegion")
    if home and home != region:
        raise CloudAuditError(
            f"trail '{trail['Name']}' is a shadow of a multi-region trail whose home region is {home}; "
            f"AWS only allows to {what} it from {home}: run this task with region: {home}",
            "region",
            home_region=home,
            trail_arn=trail.get("TrailARN"),
        )


def resolve_kms(ctx: Context, kms_key_id: str | None) -> str | None:
    """kms_key_id as a key ARN (what AWS returns); one DescribeKey unless it is a key ARN already."""
    if not kms_key_id or model.KEY_ARN_RE.fullmatch(kms_key_id):
        return kms_key_id
    metadata = kms.describe_key(ctx.client("kms"), kms_key_id)
    if metadata is None:
        raise CloudAuditError(f"KMS key '{kms_key_id}' does not exist in {ctx.region}", "kms_key_id")
    return metadata["Arn"]


def check_organization_rights(ctx: Context, account: str) -> None:
    """Organization trails: only the management account or a CloudTrail delegated administrator."""
    orgs = ctx.client("organizations")
    organization = organizations.describe_organization(orgs)
    if organization is None:
        raise CloudAuditError(f"account {account} is not in an AWS Organization", "is_organization_trail")
    if organization.get("MasterAccountId") == account:
        return
    admins = organizations.list_delegated_administrators(orgs, CLOUDTRAIL_PRINCIPAL)
    if admins is None or account not in admins:
        raise CloudAuditError(
            f"only the management account {organization.get('MasterAccountId')} or a CloudTrail delegated administrator "
            f"can manage an organization trail; account {account} is neither",
            "is_organization_trail",
        )


class TrailPresent(Resource):
    """A trail with its selectors, Insights, tags and logging status as the task asks.

    Kept on the instance: the trail as DescribeTrails listed it (None before a creation), what
    GetTrailStatus and friends answered, the trail's ARN (the one CreateTrail returns after a
    creation) and the answer of the CreateTrail / UpdateTrail call.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("cloudtrail")
        self.trail: dict[str, Any] | None = None
        self.details: dict[str, Any] = {}
        self.arn: str | None = None
        self.answer: dict[str, Any] | None = None
        self.identity: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return self.trail["Name"] if self.trail else self.ctx.params["name"]

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        desired = model.desired_state(self.ctx.params, self.ctx.region)
        if desired.get("kms_key_id"):
            desired["kms_key_id"] = resolve_kms(self.ctx, desired["kms_key_id"])
        return desired

    def precheck(self) -> None:
        """An organization trail needs the organization's management account or its CloudTrail delegated administrator."""
        if self.ctx.params.get("is_organization_trail"):
            check_organization_rights(self.ctx, self.ctx.identity()["account_id"])

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        params = self.ctx.params
        trails = cloudtrail.describe_trails(self.client)
        self.trail = find_trail(trails, params["name"], self.ctx.region, params.get("is_organization_trail"))
        if self._foreign_organization_trail(self.trail):
            # Member accounts see the organization trail of the management account: not this task's trail
            # unless the task asks for an organization trail (a delegated administrator manages it by ARN).
            ours = [t for t in trails if t.get("TrailARN") != self.trail.get("TrailARN")]
            self.trail = find_trail(ours, params["name"], self.ctx.region, False)
        if self.trail is None:
            if model.is_trail_arn(params["name"]):
                raise CloudAuditError("no trail has this ARN; give a trail name to create one", "name")
            return None
        self.arn = self.trail["TrailARN"]
        self.details = read_details(
            self.client,
            self.trail,
            selectors="event_selectors" in desired or "advanced_event_selectors" in desired,
            insights="insight_selectors" in desired,
            tags="tags" in desired,
        )
        return current_state(self.trail, self.details)

    def _foreign_organization_trail(self, trail: dict[str, Any] | None) -> bool:
        """An organization trail of another account (one STS call, only when such a trail has the task's name)."""
        if not trail or not trail.get("IsOrganizationTrail") or self.ctx.params.get("is_organization_trail"):
            return False
        if model.is_trail_arn(self.ctx.params["name"]):
            return False
        self.identity = self.identity or self.ctx.identity()
        return model.arn_parts(trail["TrailARN"])["account"] != self.identity["account_id"]

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        """model.compare, then the refusals no option lifts: shadow trails, organization rights (read when needed)."""
        changes = model.compare(desired, current, purge_tags=self.ctx.params["purge_tags"])
        if not changes:
            return changes
        if self.trail is not None:
            refuse_outside_home_region(self.trail, self.ctx.region, "change")
        if desired.get("is_organization_trail") or (current or {}).get("is_organization_trail"):
            self.identity = self.ctx.identity()
            check_organization_rights(self.ctx, self.identity["account_id"])
        return changes

    def write(self, change: Change) -> None:
        client, setting = self.client, change.setting
        if setting == "trail" and change.action == "create":
            self.answer = cloudtrail.create_trail(client, self.name, change.details["params"])
            self.arn = self.answer["TrailARN"]
        elif setting == "trail":
            self.answer = cloudtrail.update_trail(client, self.arn, change.details["params"])
        elif setting == "event_selectors":
            cloudtrail.put_event_selectors(client, self.arn, change.details["params"])
        elif setting == "insight_selectors":
            cloudtrail.put_insight_selectors(client, self.arn, sel.insights_to_aws(change.after))
        elif setting == "tags":
            if change.details["remove"]:
                cloudtrail.remove_tags(client, self.arn, list(change.details["remove"]))
            if change.details["set"]:
                cloudtrail.add_tags(client, self.arn, change.details["set"])
        elif setting == "logging":
            (cloudtrail.start_logging if change.after else cloudtrail.stop_logging)(client, self.arn)

    def owner(self) -> dict[str, str]:
        """Account and partition of the trail: from its ARN when known, else one STS call (a trail not created yet)."""
        if self.identity is None:
            if self.arn is not None:
                parts = model.arn_parts(self.arn)
                self.identity = {"account_id": parts["account"], "partition": parts["partition"]}
            else:
                self.identity = self.ctx.identity()
        return self.identity

    def trail_arn(self) -> str:
        """The ARN: the trail's own, or the one AWS gives a trail of this name in this account and region."""
        if self.arn is not None:
            return self.arn
        owner = self.owner()
        return f"arn:{owner['partition']}:cloudtrail:{self.ctx.region}:{owner['account_id']}:trail/{self.name}"

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        after = model.predict(current, changes, self.owner(), self.ctx.region)
        if self.answer:
            after.update(model.settings_from_aws(self.answer))
        return after

    def view(self, state: dict[str, Any] | None, desired: dict[str, Any]) -> dict[str, Any]:
        return model.managed_view(state, desired, self.name)

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        region = self.ctx.region
        home_region = self.trail.get("HomeRegion", region) if self.trail else region
        return {
            "trail": model.trail_view(after, self.name, self.trail_arn(), home_region, home_region != region, self.trail),
            "status": model.status_view(self.details.get("status"), bool(after.get("enable_logging"))),
            **model.selectors_view(after),
            "insight_selectors": sel.insights_from_aws(after["insight_selectors"]) if "insight_selectors" in after else None,
            "tags": after.get("tags"),
        }


class TrailAbsent(Resource):
    """No trail of this name (or ARN) homed in this region: DeleteTrail when there is one."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("cloudtrail")
        self.trail: dict[str, Any] | None = None

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def desired(self) -> dict[str, Any]:
        return {}

    def read(self, desired: dict[str, Any]) -> dict[str, Any] | None:
        self.trail = find_trail(cloudtrail.describe_trails(self.client), self.ctx.params["name"], self.ctx.region)
        return {"name": self.trail["Name"], "trail_arn": self.trail["TrailARN"]} if self.trail else None

    def compare(self, desired: dict[str, Any], current: dict[str, Any] | None) -> list[Change]:
        if self.trail is None:
            return []
        refuse_outside_home_region(self.trail, self.ctx.region, "delete")
        return [Change("trail", before=current, after=None, action="delete")]

    def write(self, change: Change) -> None:
        cloudtrail.delete_trail(self.client, self.trail["TrailARN"])

    def after(self, desired: dict[str, Any], current: dict[str, Any] | None, changes: list[Change]) -> dict[str, Any]:
        return {}

    def result(self, desired: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        return {"trail": {}}


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": TrailPresent, "absent": TrailAbsent})


def ensure_present(module: Any) -> dict[str, Any]:
    ctx = Context(module)
    return execute(ctx, TrailPresent(ctx))


def ensure_absent(module: Any) -> dict[str, Any]:
    ctx = Context(module)
    return execute(ctx, TrailAbsent(ctx))
