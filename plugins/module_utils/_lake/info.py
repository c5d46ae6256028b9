# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_lake_store_info: every store (or the named ones) with settings, tags and findings."""

from __future__ import annotations

from typing import Any, Callable

from .._aws import cloudtrail
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from . import model
from .store import read_store


def ensure(module: Any) -> dict[str, Any]:
    names = module.params.get("names") or []
    for name in names:
        model.validate_store_ref(name, "names")
    client = module.client("cloudtrail")
    refs = names or [s["EventDataStoreArn"] for s in cloudtrail.list_event_data_stores(client)]
    reads: dict[str, Callable[[], Any]] = {ref: (lambda r=ref: read_store(client, r, with_tags=True)) for ref in refs}
    found = read_concurrently(reads)
    missing = [ref for ref in names if found.get(ref) is None]
    if missing and module.params.get("fail_on_missing"):
        raise CloudAuditError(f"no event data store {', '.join(missing)} in {module.region}", "names")
    stores = [store for store in found.values() if store is not None]
    for store in stores:
        store["findings"] = model.findings(store)
    stores.sort(key=lambda s: s.get("name") or "")
    return {"changed": False, "event_data_stores": stores, "missing": missing}
