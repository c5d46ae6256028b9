# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_trail_info: every trail of the account in the given regions, with details and findings."""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail, logs, s3
from .._common.account import caller_identity
from .._common.concurrency import read_concurrently
from .._common.validate import check_regions
from . import costs, findings, model
from . import selectors as sel
from .ensure import current_state, read_details


def _wanted(trail: dict[str, Any], names: list[str] | None, organization_only: bool) -> bool:
    if organization_only and not trail.get("IsOrganizationTrail"):
        return False
    return not names or trail.get("Name") in names or trail.get("TrailARN") in names


def ensure_info(module: Any) -> dict[str, Any]:
    params = module.params
    names = params.get("names") or None
    for name in names or []:
        model.validate_name(name, "names")
    check_regions(params.get("regions"), "regions")
    regions = params.get("regions") or [module.region]
    clients = {r: module.client("cloudtrail", region=r) for r in regions}
    listed = read_concurrently({r: (lambda c=c: cloudtrail.describe_trails(c)) for r, c in clients.items()})
    seen: list[tuple[str, dict[str, Any]]] = []
    for region in regions:
        for trail in listed[region]:
            shadow = trail.get("HomeRegion") != region
            if _wanted(trail, names, params.get("organization_trails_only")) and (params["include_shadow_trails"] or not shadow):
                seen.append((region, trail))
    by_arn = {trail["TrailARN"]: trail for dummy, trail in seen}
    # Only organization trails: a coverage check, which needs neither the caller's account (no STS call) nor tags.
    account = None if params.get("organization_trails_only") else caller_identity(module)["account_id"]
    details = read_concurrently({arn: (lambda t=t: _read_at_home(module, clients, t, account)) for arn, t in by_arn.items()})
    trails = [_describe(region, trail, details[trail["TrailARN"]]) for region, trail in seen]
    found = findings.evaluate(trails, account) if account else []
    result = {"changed": False, "trails": trails, "findings": found, "coverage": findings.coverage(trails)}
    if params.get("cost_findings"):
        result["cost_findings"] = _cost_findings(module, clients, trails, account)
    return result


def _cost_findings(module: Any, clients: dict[str, Any], trails: list[dict[str, Any]], account: str | None) -> list[dict[str, str]]:
    """What costs money: reads the delivery log groups and buckets of the account's own trails and the Lake stores.

    Each store is read with GetEventDataStore: ListEventDataStores returns neither its retention, status nor billing mode."""
    own = [t for t in trails if not t["shadow"] and t["trail_arn"].split(":")[4] == account]
    groups = {t["cloud_watch_logs_log_group_arn"] for t in own if t.get("cloud_watch_logs_log_group_arn")}
    buckets = {t["s3_bucket_name"] for t in own if t.get("s3_bucket_name")}
    reads: dict[str, Any] = {f"stores:{r}": (lambda c=c: cloudtrail.describe_event_data_stores(c)) for r, c in clients.items()}
    reads.update({f"group:{arn}": (lambda arn=arn: _log_group(module, arn)) for arn in groups})
    reads.update({f"bucket:{b}": (lambda b=b: _lifecycle(module, b)) for b in buckets})
    found = read_concurrently(reads)
    return costs.evaluate(
        trails,
        [g for k, g in found.items() if k.startswith("group:") and g],
        [s for k, stores in found.items() if k.startswith("stores:") for s in stores],
        {k.split(":", 1)[1]: v for k, v in found.items() if k.startswith("bucket:")},
    )


def _log_group(module: Any, arn: str) -> dict[str, Any] | None:
    parts = arn.split(":")
    name = parts[6] if len(parts) > 6 else ""
    page = logs.describe_log_groups_page(module.client("logs", region=parts[3]), name)
    return next((g for g in page.get("logGroups", []) if g.get("logGroupName") == name), None)


def _lifecycle(module: Any, bucket: str) -> dict[str, Any] | None:
    """The lifecycle of a trail's bucket; None when there is none or it cannot be read (another account's bucket)."""
    try:
        return s3.get_bucket_lifecycle_configuration(module.client("s3"), bucket)
    except (s3.BucketNotFound, s3.NotExpectedOwner):
        return None
    except Exception as e:  # pylint: disable=broad-exception-caught
        if getattr(e, "operation_name", None):  # a ClientError (AccessDenied on a bucket of the log archive account)
            return None
        raise


def _read_at_home(module: Any, clients: dict[str, Any], trail: dict[str, Any], account: str | None) -> dict[str, Any]:
    """Status, selectors, Insights; tags only of the account's own trails (a member cannot read an organization trail's)."""
    home = trail.get("HomeRegion")
    client = clients.get(home) or module.client("cloudtrail", region=home)
    return read_details(client, trail, tags=trail["TrailARN"].split(":")[4] == account)


def _describe(region: str, trail: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    state = current_state(trail, details)
    home = trail.get("HomeRegion", region)
    result = model.trail_view(state, trail["Name"], trail["TrailARN"], home, home != region, trail)
    result["region"] = region
    result["status"] = model.status_view(details.get("status"), bool(state.get("enable_logging")))
    result.update(model.selectors_view(state))
    result["insight_selectors"] = sel.insights_from_aws(state.get("insight_selectors"))
    result["tags"] = state.get("tags")
    return result
