# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_trail wiring: validate -> read -> compare -> apply (not in check mode) -> result.

Apply order: trail (create/update) -> event selectors -> insight selectors ->
tags -> logging. Logging comes last so that a rerun after any failed step
finds the remaining differences and converges.
"""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail, kms, organizations
from .._common.account import caller_identity
from .._common.changes import Change, apply_changes, build_result
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from .._common.partition import partition_of
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


def ensure(module: Any) -> dict[str, Any]:
    params = module.params
    model.validate(params)
    if params["state"] == "absent":
        return ensure_absent(module)
    return ensure_present(module)


def ensure_absent(module: Any) -> dict[str, Any]:
    client = module.client("cloudtrail")
    region = module.region
    trail = find_trail(cloudtrail.describe_trails(client), module.params["name"], region)
    if trail is None:
        return build_result([], {}, {}, module._diff, trail={})
    _refuse_outside_home_region(trail, region, "delete")
    changes = [Change("trail", before={"name": trail["Name"], "trail_arn": trail["TrailARN"]}, after=None, action="delete")]
    apply_changes(changes, {"trail": lambda c: cloudtrail.delete_trail(client, trail["TrailARN"])}, module.check_mode)
    return build_result(changes, {"name": trail["Name"], "trail_arn": trail["TrailARN"]}, {}, module._diff, trail={})


def _refuse_outside_home_region(trail: dict[str, Any], region: str, what: str) -> None:
    home = trail.get("HomeRegion")
    if home and home != region:
        raise CloudAuditError(
            f"trail '{trail['Name']}' is a shadow of a multi-region trail whose home region is {home}; "
            f"AWS only allows to {what} it from {home}: run this task with region: {home}",
            "region",
            home_region=home,
            trail_arn=trail.get("TrailARN"),
        )


def _resolve_kms(module: Any, kms_key_id: str | None) -> str | None:
    """kms_key_id as a key ARN (what AWS returns); one DescribeKey unless it is a key ARN already."""
    if not kms_key_id or model.KEY_ARN_RE.fullmatch(kms_key_id):
        return kms_key_id
    metadata = kms.describe_key(module.client("kms"), kms_key_id)
    if metadata is None:
        raise CloudAuditError(f"KMS key '{kms_key_id}' does not exist in {module.region}", "kms_key_id")
    return metadata["Arn"]


def check_organization_rights(module: Any, identity: dict[str, str]) -> None:
    """Organization trails: only the management account or a CloudTrail delegated administrator."""
    orgs = module.client("organizations")
    organization = organizations.describe_organization(orgs)
    account = identity["account_id"]
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


def ensure_present(module: Any) -> dict[str, Any]:
    params = module.params
    region = module.region
    client = module.client("cloudtrail")
    desired = model.desired_state(params, region)
    first = read_concurrently(
        {
            "trails": lambda: cloudtrail.describe_trails(client),
            "kms": lambda: _resolve_kms(module, desired.get("kms_key_id")),
        }
    )
    trail = find_trail(first["trails"], params["name"], region, params.get("is_organization_trail"))
    if trail is None and model.is_trail_arn(params["name"]):
        raise CloudAuditError("no trail has this ARN; give a trail name to create one", "name")
    details: dict[str, Any] = {}
    current = None
    if trail is not None:
        details = read_details(
            client,
            trail,
            selectors="event_selectors" in desired or "advanced_event_selectors" in desired,
            insights="insight_selectors" in desired,
            tags="tags" in desired,
        )
        current = current_state(trail, details)
    changes = model.compare(desired, current, purge_tags=params["purge_tags"], kms_arn=first["kms"])
    if trail is not None and changes:
        _refuse_outside_home_region(trail, region, "change")

    organization = bool(desired.get("is_organization_trail") or (current or {}).get("is_organization_trail"))
    identity = _identity(module, trail, needed=bool(changes) and (trail is None and module.check_mode or organization))
    if organization and changes:
        check_organization_rights(module, identity)

    name = trail["Name"] if trail else params["name"]
    written: dict[str, Any] = {"arn": trail["TrailARN"] if trail else None, "trail": None}
    apply_changes(changes, _appliers(client, name, written), module.check_mode)

    after = model.predict(current, changes, identity, region)
    if written["trail"]:
        after.update(model.settings_from_aws(written["trail"]))
    arn = written["arn"] or f"arn:{identity['partition']}:cloudtrail:{region}:{identity['account_id']}:trail/{name}"
    home_region = trail.get("HomeRegion", region) if trail else region
    return build_result(
        changes,
        model.managed_view(current, desired, name),
        model.managed_view(after, desired, name),
        module._diff,
        trail=model.trail_view(after, name, arn, home_region, home_region != region, trail),
        status=model.status_view(details.get("status"), bool(after.get("enable_logging"))),
        **model.selectors_view(after),
        insight_selectors=sel.insights_from_aws(after["insight_selectors"]) if "insight_selectors" in after else None,
        tags=after.get("tags"),
    )


def _identity(module: Any, trail: dict[str, Any] | None, needed: bool) -> dict[str, str]:
    """Account and partition: one STS call when needed, else from the trail's ARN."""
    if needed:
        return caller_identity(module)
    if trail is not None:
        parts = model.arn_parts(trail["TrailARN"])
        return {"account_id": parts["account"], "partition": parts["partition"]}
    return {"account_id": "", "partition": partition_of(module.region or "us-east-1")}


def _appliers(client: Any, name: str, written: dict[str, Any]) -> dict[str, Any]:
    def trail(change: Change) -> None:
        if change.action == "create":
            written["trail"] = cloudtrail.create_trail(client, name, change.details["params"])
            written["arn"] = written["trail"]["TrailARN"]
        else:
            written["trail"] = cloudtrail.update_trail(client, written["arn"], change.details["params"])

    def event_selectors(change: Change) -> None:
        cloudtrail.put_event_selectors(client, written["arn"], change.details["params"])

    def insight_selectors(change: Change) -> None:
        cloudtrail.put_insight_selectors(client, written["arn"], sel.insights_to_aws(change.after))

    def tags(change: Change) -> None:
        if change.details["remove"]:
            cloudtrail.remove_tags(client, written["arn"], list(change.details["remove"]))
        if change.details["set"]:
            cloudtrail.add_tags(client, written["arn"], change.details["set"])

    def logging(change: Change) -> None:
        (cloudtrail.start_logging if change.after else cloudtrail.stop_logging)(client, written["arn"])

    return {"trail": trail, "event_selectors": event_selectors, "insight_selectors": insight_selectors, "tags": tags, "logging": logging}
