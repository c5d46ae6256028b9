# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_lake_import: find the same import or start one, optionally wait for it."""

from __future__ import annotations

from typing import Any

from .._aws import cloudtrail
from .._common.errors import CloudAuditError
from . import imports_model as model


def ensure(module: Any) -> dict[str, Any]:
    params = module.params
    desired = model.validate(params, module.region)
    client = module.client("cloudtrail")
    store = cloudtrail.get_event_data_store(client, desired["destination"])
    if store is None:
        raise CloudAuditError(f"no event data store {desired['destination']} in {module.region}", "destination")
    arn = store["EventDataStoreArn"]
    existing = _find_existing(client, desired, arn)
    changed = existing is None
    if existing is not None:
        current = model.normalize(existing)
    elif module.check_mode:
        current = model.predicted(desired, arn)
    else:
        started = cloudtrail.start_import(client, model.start_request(desired, arn))
        current = model.normalize(cloudtrail.get_import(client, started["ImportId"]))
    if params["wait"] and current["import_id"] and current["status"] in model.RUNNING:
        timeout = params["wait_timeout"]
        current = model.normalize(cloudtrail.wait_import_done(client, current["import_id"], timeout, model.poll_delay(timeout)))
        if current["status"] in model.RUNNING:
            raise CloudAuditError(
                f"import {current['import_id']} is still {current['status']} after {timeout} s", "wait_timeout", lake_import=current, changed=changed
            )
    if params["wait"] and current["status"] in ("FAILED", "STOPPED"):
        failures = cloudtrail.list_import_failures(client, current["import_id"])
        raise CloudAuditError(model.failure_message(current, failures), None, lake_import=current, changed=changed)
    result: dict[str, Any] = {"changed": changed, "lake_import": current}
    if module._diff:
        result["diff"] = {"before": {} if changed else current, "after": current}
    return result


def _find_existing(client: Any, desired: dict[str, Any], arn: str) -> dict[str, Any] | None:
    """The newest import into the store with the same source and window (in progress or completed)."""
    for import_id in model.candidates(cloudtrail.list_imports(client, arn)):
        answer = cloudtrail.get_import(client, import_id)
        if model.matches(answer, desired, arn):
            return answer
    return None
