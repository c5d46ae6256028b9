"""CloudTrail Lake in the emulator: event data stores (with tags) and imports.

moto 5.2 answers every Lake call with NotImplementedError. This module adds,
on ``moto.cloudtrail.responses.CloudTrailResponse``:

- Create/Get/List/Update/Delete/RestoreEventDataStore,
  Start/StopEventDataStoreIngestion, and AddTags/RemoveTags/ListTags for
  event data store ARNs (trail ARNs still go to moto);
- StartImport/GetImport/ListImports/StopImport/ListImportFailures, reading the
  CloudTrail log files really stored in the emulator's S3.

State lives in ``lake_backends[account][region]`` (a moto BackendDict), so
/_emulator/reset wipes it and each account sees only its own stores.

Deviations from AWS (deliberate, to keep tests fast and deterministic):
- Status moves at once: a new store is ENABLED (STOPPED_INGESTION with
  StartIngestion=false), never CREATED/STARTING_INGESTION/STOPPING_INGESTION.
- A store in PENDING_DELETION disappears 7 days after deletion, evaluated on
  the next call (the emulator's clock is the wall clock).
- An import is INITIALIZING in StartImport's answer, IN_PROGRESS (any later read) until
  ``IMPORT_DELAY_S`` seconds (env EMULATOR_IMPORT_DELAY_S, default 1.0) have
  passed, then COMPLETED (or FAILED) with statistics; files are read when the
  import starts.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.cloudtrail.responses import CloudTrailResponse
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel
from moto.core.exceptions import JsonRESTError
from moto.utilities.utils import PARTITION_NAMES, get_partition

from ..shapes import checked

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,128}$")
ARN_RE = re.compile(r"^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore/([A-Za-z0-9-]+)$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
EXTENDABLE = "EXTENDABLE_RETENTION_PRICING"
FIXED = "FIXED_RETENTION_PRICING"
RETENTION = {EXTENDABLE: (7, 3653, 366), FIXED: (7, 2557, 2557)}
MAX_STORES_PER_REGION = 10
MAX_SELECTORS = 5
PENDING_DELETION_DAYS = 7
IMPORT_DELAY_S = float(os.environ.get("EMULATOR_IMPORT_DELAY_S", "1.0"))
DEFAULT_SELECTORS = [{"Name": "Default management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
EVENT_CATEGORIES = ("Management", "Data", "NetworkActivity", "ActivityAuditLog", "ConfigurationItem", "Insight")
SELECTOR_FIELDS = frozenset(
    (
        "eventCategory",
        "eventSource",
        "eventName",
        "eventType",
        "readOnly",
        "resources.type",
        "resources.ARN",
        "userIdentity.arn",
        "sessionCredentialFromConsole",
        "errorCode",
        "vpcEndpointId",
        "eventTypeName",
        "recipientAccountId",
    )
)
SELECTOR_OPERATORS = ("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith")
LOG_KEY_RE = re.compile(r"(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/[^/]+\.json(?:\.gz)?$")


# Errors (codes from botocore's CloudTrail model) -----------------------------------------------


class _CloudTrailError(JsonRESTError):
    code = 400
    error_type = "InvalidParameterException"

    def __init__(self, message: str) -> None:
        super().__init__(type(self).error_type, message)


def _error(name: str) -> type[_CloudTrailError]:
    return type(name, (_CloudTrailError,), {"error_type": name})


InvalidParameterException = _error("InvalidParameterException")
InvalidParameterCombinationException = _error("InvalidParameterCombinationException")
EventDataStoreAlreadyExistsException = _error("EventDataStoreAlreadyExistsException")
EventDataStoreMaxLimitExceededException = _error("EventDataStoreMaxLimitExceededException")
EventDataStoreNotFoundException = _error("EventDataStoreNotFoundException")
EventDataStoreARNInvalidException = _error("EventDataStoreARNInvalidException")
EventDataStoreTerminationProtectedException = _error("EventDataStoreTerminationProtectedException")
EventDataStoreFederationEnabledException = _error("EventDataStoreFederationEnabledException")
EventDataStoreHasOngoingImportException = _error("EventDataStoreHasOngoingImportException")
ChannelExistsForEDSException = _error("ChannelExistsForEDSException")
InactiveEventDataStoreException = _error("InactiveEventDataStoreException")
InvalidEventDataStoreStatusException = _error("InvalidEventDataStoreStatusException")
InvalidEventSelectorsException = _error("InvalidEventSelectorsException")
InvalidTagParameterException = _error("InvalidTagParameterException")
TagsLimitExceededException = _error("TagsLimitExceededException")
InvalidKmsKeyIdException = _error("InvalidKmsKeyIdException")
KmsKeyNotFoundException = _error("KmsKeyNotFoundException")
InvalidNextTokenException = _error("InvalidNextTokenException")
InvalidMaxResultsException = _error("InvalidMaxResultsException")
AccountHasOngoingImportException = _error("AccountHasOngoingImportException")
ImportNotFoundException = _error("ImportNotFoundException")
InvalidImportSourceException = _error("InvalidImportSourceException")


# Pagination tokens -------------------------------------------------------------------------------


def encode_token(offset: int, scope: str = "") -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "s": scope}).encode()).decode()


def decode_token(token: str | None, scope: str = "") -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidNextTokenException("The token provided is not valid.") from e
    if data.get("s", "") != scope or offset < 0:
        raise InvalidNextTokenException("The token provided is not valid.")
    return offset


# Models ----------------------------------------------------------------------------------------


class EventDataStore(BaseModel):
    def __init__(self, account_id: str, region: str, name: str, params: dict[str, Any]) -> None:
        self.id = str(uuid.uuid4())
        self.account_id = account_id
        self.region = region
        self.arn = f"arn:{get_partition(region)}:cloudtrail:{region}:{account_id}:eventdatastore/{self.id}"
        self.name = name
        self.billing_mode: str = params.get("BillingMode") or EXTENDABLE
        self.retention: int = params["RetentionPeriod"] if params.get("RetentionPeriod") is not None else RETENTION[self.billing_mode][2]
        self.selectors: list[dict[str, Any]] = params.get("AdvancedEventSelectors") or [dict(s) for s in DEFAULT_SELECTORS]
        self.multi_region: bool = _bool(params.get("MultiRegionEnabled"), True)
        self.organization: bool = _bool(params.get("OrganizationEnabled"), False)
        self.termination_protection: bool = _bool(params.get("TerminationProtectionEnabled"), True)
        self.kms_key_id: str | None = params.get("KmsKeyId")
        self.status = "ENABLED" if _bool(params.get("StartIngestion"), True) else "STOPPED_INGESTION"
        self.federation_status = "DISABLED"
        self.federation_role_arn: str | None = None
        self.created = time.time()
        self.updated = self.created
        self.deleted_at: float | None = None
        self.status_before_delete: str | None = None
        self.tags: dict[str, str] = {}
        self.event_configuration: dict[str, Any] = {"MaxEventSize": "Standard", "ContextKeySelectors": []}
        self.resource_policy: str | None = None
        self.events: list[dict[str, Any]] = []  # imported events

    @property
    def active(self) -> bool:
        return self.status != "PENDING_DELETION"

    def describe(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "EventDataStoreArn": self.arn,
            "Name": self.name,
            "Status": self.status,
            "AdvancedEventSelectors": self.selectors,
            "MultiRegionEnabled": self.multi_region,
            "OrganizationEnabled": self.organization,
            "RetentionPeriod": self.retention,
            "TerminationProtectionEnabled": self.termination_protection,
            "CreatedTimestamp": self.created,
            "UpdatedTimestamp": self.updated,
        }
        data["BillingMode"] = self.billing_mode
        if self.kms_key_id:
            data["KmsKeyId"] = self.kms_key_id
        return data

    def tags_list(self) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in self.tags.items()]


class Import(BaseModel):
    def __init__(self, account_id: str, import_id: str, destinations: list[str], source: dict[str, Any], start: float | None, end: float | None) -> None:
        self.account_id = account_id
        self.id = import_id
        self.destinations = destinations
        self.source = source
        self.start = start
        self.end = end
        self.status = "INITIALIZING"
        self.created = time.time()
        self.updated = self.created
        self.ready_at = self.created + IMPORT_DELAY_S
        self.outcome = "COMPLETED"
        self.statistics = _zero_stats()
        self.result_statistics = _zero_stats()
        self.failures: list[dict[str, Any]] = []

    def refresh(self) -> None:
        """Advance INITIALIZING -> IN_PROGRESS -> COMPLETED/FAILED with the clock."""
        if self.status not in ("INITIALIZING", "IN_PROGRESS"):
            return
        if time.time() >= self.ready_at:
            self.status = self.outcome
            self.statistics = dict(self.result_statistics)
            self.updated = self.ready_at
        else:
            self.status = "IN_PROGRESS"

    @property
    def running(self) -> bool:
        self.refresh()
        return self.status in ("INITIALIZING", "IN_PROGRESS")

    def describe(self, with_statistics: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ImportId": self.id,
            "Destinations": self.destinations,
            "ImportSource": self.source,
            "ImportStatus": self.status,
            "CreatedTimestamp": self.created,
            "UpdatedTimestamp": self.updated,
        }
        if self.start is not None:
            data["StartEventTime"] = self.start
        if self.end is not None:
            data["EndEventTime"] = self.end
        if with_statistics:
            data["ImportStatistics"] = self.statistics
        return data

    def summary(self) -> dict[str, Any]:
        return {
            "ImportId": self.id,
            "ImportStatus": self.status,
            "Destinations": self.destinations,
            "CreatedTimestamp": self.created,
            "UpdatedTimestamp": self.updated,
        }


def _zero_stats() -> dict[str, int]:
    return {"PrefixesFound": 0, "PrefixesCompleted": 0, "FilesCompleted": 0, "EventsCompleted": 0, "FailedEntries": 0}


def _bool(value: Any, default: bool) -> bool:
    return default if value is None else bool(value)


# Backends --------------------------------------------------------------------------------------


class LakeBackend(BaseBackend):
    """Event data stores of one account in one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.stores: dict[str, EventDataStore] = {}  # by id, in creation order
        self.channels: dict[str, list[str]] = {}  # store ARN -> channel ARNs (no channel API yet)
        self.trail_event_configs: dict[str, dict[str, Any]] = {}  # trail ARN -> PutEventConfiguration

    # lookup
    def _purge_expired(self) -> None:
        limit = time.time() - PENDING_DELETION_DAYS * 86400
        for store_id in [i for i, s in self.stores.items() if s.deleted_at is not None and s.deleted_at < limit]:
            del self.stores[store_id]

    def find(self, ref: str, active: bool = False) -> EventDataStore:
        """A store by ARN, ID or name; EventDataStoreNotFoundException when there is none."""
        self._purge_expired()
        if ref.startswith("arn:"):
            match = ARN_RE.match(ref)
            if not match:
                raise EventDataStoreARNInvalidException(
                    f"The specified event data store ARN is not valid or does not map to an event data store in your account: {ref}"
                )
            store = self.stores.get(match.group(4))
            if store is None or store.arn != ref:
                raise EventDataStoreNotFoundException(f"The specified event data store {ref} was not found.")
        else:
            store = self.stores.get(ref) or next((s for s in self.stores.values() if s.name == ref), None)
            if store is None:
                raise EventDataStoreNotFoundException(f"The specified event data store {ref} was not found.")
        if active and not store.active:
            raise InactiveEventDataStoreException(f"The event data store {store.arn} is inactive (status PENDING_DELETION).")
        return store

    def all_stores(self) -> list[EventDataStore]:
        self._purge_expired()
        return list(self.stores.values())

    def _count_active(self) -> int:
        return sum(1 for s in self.all_stores() if s.active)

    # validation
    def _check_name(self, name: Any, current: EventDataStore | None = None) -> None:
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise InvalidParameterException(
                "Event data store name must be 3-128 characters and contain only letters, numbers, periods (.), hyphens (-), and underscores (_)."
            )
        if any(s.name == name and s is not current for s in self.all_stores()):
            raise EventDataStoreAlreadyExistsException(f"An event data store with the name {name} already exists.")

    @staticmethod
    def _check_retention(billing_mode: str, retention: Any) -> None:
        low, high, dummy = RETENTION[billing_mode]
        if isinstance(retention, bool) or not isinstance(retention, int) or not low <= retention <= high:
            raise InvalidParameterException(f"Retention period must be between {low} and {high} days for billing mode {billing_mode}.")

    @staticmethod
    def _check_billing_mode(value: Any) -> None:
        if value not in RETENTION:
            raise InvalidParameterException(f"BillingMode must be {EXTENDABLE} or {FIXED}.")

    @staticmethod
    def _check_selectors(selectors: Any) -> None:
        if not isinstance(selectors, list) or not selectors:
            raise InvalidEventSelectorsException("AdvancedEventSelectors must contain at least one selector.")
        if len(selectors) > MAX_SELECTORS:
            raise InvalidEventSelectorsException(f"An event data store can have at most {MAX_SELECTORS} advanced event selectors.")
        for selector in selectors:
            fields = selector.get("FieldSelectors") or []
            if not fields:
                raise InvalidEventSelectorsException("Each advanced event selector needs FieldSelectors.")
            category = [f for f in fields if f.get("Field") == "eventCategory"]
            if not category or not category[0].get("Equals"):
                raise InvalidEventSelectorsException("Each advanced event selector must have an eventCategory field selector with Equals.")
            for value in category[0]["Equals"]:
                if value not in EVENT_CATEGORIES:
                    raise InvalidEventSelectorsException(f"Invalid eventCategory value: {value}.")
            if "Data" in category[0]["Equals"] and not any(f.get("Field") == "resources.type" for f in fields):
                raise InvalidEventSelectorsException("A data event selector must have a resources.type field selector.")
            for field in fields:
                name = field.get("Field", "")
                if name not in SELECTOR_FIELDS and not name.startswith("resources.ARN"):
                    raise InvalidEventSelectorsException(f"Invalid field selector: {name}.")
                if not any(field.get(op) for op in SELECTOR_OPERATORS):
                    raise InvalidEventSelectorsException(f"Field selector {name} needs at least one operator.")

    def _resolve_kms_key(self, key_id: str) -> str:
        """The key's ARN (key id, ARN, alias name or alias ARN accepted), as AWS stores it."""
        from moto.kms.models import kms_backends

        if not isinstance(key_id, str) or not key_id:
            raise InvalidKmsKeyIdException("KmsKeyId is not valid.")
        account, region = self.account_id, self.region_name
        if key_id.startswith("arn:"):
            parts = key_id.split(":")
            if len(parts) < 6 or parts[2] != "kms":
                raise InvalidKmsKeyIdException(f"KmsKeyId {key_id} is not valid.")
            region, account = parts[3], parts[4]
        try:
            key = kms_backends[account][region].describe_key(key_id)
        except (KeyError, AttributeError, TypeError) as e:
            raise KmsKeyNotFoundException(f"KMS key {key_id} was not found.") from e
        if getattr(key, "key_state", "Enabled") != "Enabled":
            raise InvalidKmsKeyIdException(f"KMS key {key_id} is not enabled.")
        return key.arn

    def _check_organization(self, enabled: bool) -> None:
        if enabled:
            from .cloudtrail_misc import require_org_admin  # the organization checks live with delegated admin

            require_org_admin(self.account_id)

    # operations
    def create(self, params: dict[str, Any]) -> EventDataStore:
        name = params.get("Name")
        self._check_name(name)
        if params.get("BillingMode") is not None:
            self._check_billing_mode(params["BillingMode"])
        billing_mode = params.get("BillingMode") or EXTENDABLE
        if params.get("RetentionPeriod") is not None:
            self._check_retention(billing_mode, params["RetentionPeriod"])
        if params.get("AdvancedEventSelectors") is not None:
            self._check_selectors(params["AdvancedEventSelectors"])
        tags = _check_tags(params.get("TagsList") or [])
        self._check_organization(_bool(params.get("OrganizationEnabled"), False))
        if self._count_active() >= MAX_STORES_PER_REGION:
            raise EventDataStoreMaxLimitExceededException(f"Your account has reached the maximum of {MAX_STORES_PER_REGION} event data stores in this region.")
        kms = self._resolve_kms_key(params["KmsKeyId"]) if params.get("KmsKeyId") is not None else None
        store = EventDataStore(self.account_id, self.region_name, name, {**params, "KmsKeyId": kms})
        store.tags.update(tags)
        self.stores[store.id] = store
        return store

    def update(self, params: dict[str, Any]) -> EventDataStore:
        store = self.find(params["EventDataStore"], active=True)
        if params.get("Name") is not None and params["Name"] != store.name:
            self._check_name(params["Name"], current=store)
        billing_mode = store.billing_mode
        if params.get("BillingMode") is not None:
            self._check_billing_mode(params["BillingMode"])
            if store.billing_mode == EXTENDABLE and params["BillingMode"] == FIXED:
                raise InvalidParameterException("You cannot change the billing mode from EXTENDABLE_RETENTION_PRICING to FIXED_RETENTION_PRICING.")
            billing_mode = params["BillingMode"]
        retention = params["RetentionPeriod"] if params.get("RetentionPeriod") is not None else store.retention
        if params.get("RetentionPeriod") is not None or billing_mode != store.billing_mode:
            self._check_retention(billing_mode, retention)
        if params.get("AdvancedEventSelectors") is not None:
            self._check_selectors(params["AdvancedEventSelectors"])
        kms = store.kms_key_id
        if params.get("KmsKeyId") is not None:
            kms = self._resolve_kms_key(params["KmsKeyId"])
            if store.kms_key_id and kms != store.kms_key_id:
                raise InvalidParameterException("You cannot change or remove the KMS key of an event data store once it is set.")
        if params.get("OrganizationEnabled"):
            self._check_organization(True)
        store.name = params.get("Name") or store.name
        if retention < store.retention:
            # AWS deletes the events older than a shortened retention period.
            cutoff = time.time() - retention * 86400
            store.events = [e for e in store.events if (_event_time(e) or 0) >= cutoff]
        store.billing_mode = billing_mode
        store.retention = retention
        store.kms_key_id = kms
        if params.get("AdvancedEventSelectors") is not None:
            store.selectors = params["AdvancedEventSelectors"]
        for key, attr in (
            ("MultiRegionEnabled", "multi_region"),
            ("OrganizationEnabled", "organization"),
            ("TerminationProtectionEnabled", "termination_protection"),
        ):
            if params.get(key) is not None:
                setattr(store, attr, bool(params[key]))
        store.updated = time.time()
        return store

    def delete(self, ref: str) -> None:
        store = self.find(ref, active=True)
        if store.termination_protection:
            raise EventDataStoreTerminationProtectedException(f"Event data store {store.arn} cannot be deleted because termination protection is enabled.")
        if store.federation_status != "DISABLED":
            raise EventDataStoreFederationEnabledException(f"Event data store {store.arn} cannot be deleted because Lake query federation is enabled.")
        if self.channels.get(store.arn):
            raise ChannelExistsForEDSException(f"Event data store {store.arn} cannot be deleted because a channel uses it.")
        if any(imp.running and store.arn in imp.destinations for imp in import_backends[self.account_id]["global"].imports.values()):
            raise EventDataStoreHasOngoingImportException(f"Event data store {store.arn} has an import in progress.")
        store.status_before_delete = store.status
        store.status = "PENDING_DELETION"
        store.deleted_at = time.time()
        store.updated = store.deleted_at

    def restore(self, ref: str) -> EventDataStore:
        store = self.find(ref)
        if store.status != "PENDING_DELETION":
            raise InvalidEventDataStoreStatusException(f"Event data store {store.arn} is not pending deletion (status {store.status}).")
        if self._count_active() >= MAX_STORES_PER_REGION:
            raise EventDataStoreMaxLimitExceededException(f"Your account has reached the maximum of {MAX_STORES_PER_REGION} event data stores in this region.")
        store.status = "ENABLED"
        store.deleted_at = None
        store.updated = time.time()
        return store

    def set_ingestion(self, ref: str, start: bool) -> None:
        store = self.find(ref)
        wanted_from, to = ("STOPPED_INGESTION", "ENABLED") if start else ("ENABLED", "STOPPED_INGESTION")
        if store.status != wanted_from:
            verb = "started" if start else "stopped"
            raise InvalidEventDataStoreStatusException(f"Ingestion of event data store {store.arn} cannot be {verb} in status {store.status}.")
        store.status = to
        store.updated = time.time()

    def list_page(self, max_results: Any, token: str | None) -> tuple[list[EventDataStore], str | None]:
        if max_results is not None and (isinstance(max_results, bool) or not isinstance(max_results, int) or not 1 <= max_results <= 1000):
            raise InvalidMaxResultsException("MaxResults must be between 1 and 1000.")
        stores = self.all_stores()
        start = decode_token(token, "eds")
        size = max_results or 1000
        page = stores[start : start + size]
        return page, encode_token(start + size, "eds") if start + size < len(stores) else None


class ImportBackend(BaseBackend):
    """Imports of one account (AWS allows one running import per account)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.imports: dict[str, Import] = {}

    def get(self, import_id: str) -> Import:
        imp = self.imports.get(import_id)
        if imp is None:
            raise ImportNotFoundException(f"The specified import {import_id} was not found.")
        imp.refresh()
        return imp


lake_backends = BackendDict(LakeBackend, "cloudtrail")
import_backends = BackendDict(ImportBackend, "cloudtrail-imports", use_boto3_regions=False, additional_regions=PARTITION_NAMES)


def lake_backend(account: str, region: str) -> LakeBackend:
    return lake_backends[account][region]


def find_store_any_region(account: str, arn: str) -> EventDataStore:
    """A store from its ARN, in the ARN's region (imports, tags and policies name stores by ARN)."""
    match = ARN_RE.match(arn)
    if not match:
        raise EventDataStoreARNInvalidException(f"The specified event data store ARN is not valid: {arn}")
    if match.group(3) != account:
        raise EventDataStoreNotFoundException(f"The specified event data store {arn} was not found.")
    return lake_backends[account][match.group(2)].find(arn)


def _check_tags(tags: Any) -> dict[str, str]:
    result: dict[str, str] = {}
    for tag in tags or []:
        key = tag.get("Key")
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.startswith("aws:"):
            raise InvalidTagParameterException(f"Tag key {key!r} is not valid.")
        result[key] = tag.get("Value") or ""
    if len(result) > 50:
        raise TagsLimitExceededException("A resource can have at most 50 tags.")
    return result


# Imports: reading CloudTrail log files from the emulator's S3 -----------------------------------


def _parse_s3_uri(uri: Any) -> tuple[str, str]:
    if not isinstance(uri, str) or not uri.startswith("s3://") or len(uri) <= 5:
        raise InvalidImportSourceException(f"S3LocationUri must look like s3://bucket/prefix, got {uri!r}.")
    bucket, dummy, prefix = uri[5:].partition("/")
    if not bucket:
        raise InvalidImportSourceException(f"S3LocationUri must name a bucket: {uri!r}.")
    return bucket, prefix


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _event_time(record: dict[str, Any]) -> float | None:
    try:
        return datetime.strptime(record["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
    except (KeyError, TypeError, ValueError):
        return None


def read_log_files(imp: Import, stores: list[EventDataStore]) -> None:
    """Read the source's log files now; the import reports the result when it completes."""
    from moto.s3.models import s3_backends

    bucket_name, prefix = _parse_s3_uri(imp.source["S3"]["S3LocationUri"])
    s3 = s3_backends[imp.account_id]["global"]
    bucket = s3.buckets.get(bucket_name)
    stats = _zero_stats()
    if bucket is None:
        imp.outcome = "FAILED"
        imp.failures.append(_failure(f"s3://{bucket_name}", "S3BucketNotFound", f"The S3 bucket {bucket_name} does not exist."))
        imp.result_statistics = stats
        return
    prefixes: set[str] = set()
    events: list[dict[str, Any]] = []
    for key_name in sorted(bucket.keys.keys()):
        if not key_name.startswith(prefix):
            continue
        match = LOG_KEY_RE.search(key_name)
        if not match:
            continue
        prefixes.add(key_name[: match.end(5)])
        key = bucket.keys.get(key_name)
        try:
            raw = key.value
            text = gzip.decompress(raw) if key_name.endswith(".gz") else raw
            records = json.loads(text)["Records"]
            if not isinstance(records, list):
                raise TypeError("Records is not a list")
        except (OSError, EOFError, ValueError, KeyError, TypeError) as e:
            stats["FailedEntries"] += 1
            imp.failures.append(_failure(f"s3://{bucket_name}/{key_name}", "FileParseFailure", f"Could not read CloudTrail records: {e}"))
            continue
        stats["FilesCompleted"] += 1
        for record in records:
            when = _event_time(record)
            if (imp.start is not None and (when is None or when < imp.start)) or (imp.end is not None and (when is None or when > imp.end)):
                continue
            events.append(record)
    stats["PrefixesFound"] = stats["PrefixesCompleted"] = len(prefixes)
    stats["EventsCompleted"] = len(events)
    imp.result_statistics = stats
    imp.outcome = "COMPLETED"
    for store in stores:
        store.events.extend(events)


def _failure(location: str, error_type: str, message: str) -> dict[str, Any]:
    return {"Location": location, "Status": "FAILED", "ErrorType": error_type, "ErrorMessage": message, "LastUpdatedTime": time.time()}


def start_import(account: str, params: dict[str, Any]) -> Import:
    backend = import_backends[account]["global"]
    if any(imp.running for imp in backend.imports.values()):
        raise AccountHasOngoingImportException("This account already has an import in progress.")
    if params.get("ImportId"):
        imp = backend.get(params["ImportId"])
        if imp.status not in ("STOPPED", "FAILED"):
            raise InvalidParameterException(f"Only a STOPPED or FAILED import can be restarted; import {imp.id} is {imp.status}.")
        imp.status, imp.failures = "INITIALIZING", []
        imp.ready_at = time.time() + IMPORT_DELAY_S
        imp.updated = time.time()
    else:
        destinations = params.get("Destinations") or []
        source = params.get("ImportSource")
        if not destinations or not source:
            raise InvalidParameterException("A new import needs Destinations and ImportSource.")
        if len(destinations) != 1:
            raise InvalidParameterException("An import has exactly one destination event data store.")
        s3 = source.get("S3") or {}
        _parse_s3_uri(s3.get("S3LocationUri"))
        if not ROLE_ARN_RE.match(s3.get("S3BucketAccessRoleArn") or ""):
            raise InvalidParameterException("S3BucketAccessRoleArn must be an IAM role ARN.")
        start, end = _epoch(params.get("StartEventTime")), _epoch(params.get("EndEventTime"))
        if start is not None and end is not None and start > end:
            raise InvalidParameterException("StartEventTime must be before EndEventTime.")
        imp = Import(account, str(uuid.uuid4()), destinations, source, start, end)
    stores = []
    for arn in imp.destinations:
        store = find_store_any_region(account, arn)
        if not store.active:
            raise InactiveEventDataStoreException(f"The event data store {arn} is inactive.")
        stores.append(store)
    read_log_files(imp, stores)
    backend.imports[imp.id] = imp
    return imp


# Response handlers -------------------------------------------------------------------------------


def _params(self: CloudTrailResponse) -> dict[str, Any]:
    return json.loads(self.body or "{}")


def _backend(self: CloudTrailResponse) -> LakeBackend:
    return lake_backend(self.current_account, self.region)


@checked("cloudtrail", "CreateEventDataStore")
def create_event_data_store(self: CloudTrailResponse) -> str:
    store = _backend(self).create(_params(self))
    return json.dumps({**store.describe(), "TagsList": store.tags_list()})


@checked("cloudtrail", "GetEventDataStore")
def get_event_data_store(self: CloudTrailResponse) -> str:
    store = _backend(self).find(_params(self).get("EventDataStore", ""))
    data = store.describe()
    data["FederationStatus"] = store.federation_status
    if store.federation_role_arn:
        data["FederationRoleArn"] = store.federation_role_arn
    return json.dumps(data)


@checked("cloudtrail", "ListEventDataStores")
def list_event_data_stores(self: CloudTrailResponse) -> str:
    params = _params(self)
    page, token = _backend(self).list_page(params.get("MaxResults"), params.get("NextToken"))
    # As AWS does now: ARN and name only (botocore marks every other member "no longer returned by ListEventDataStores"),
    # so code that reads a store's status, retention or billing mode from the list fails here as it would on AWS.
    data: dict[str, Any] = {"EventDataStores": [{"EventDataStoreArn": s.arn, "Name": s.name} for s in page]}
    if token:
        data["NextToken"] = token
    return json.dumps(data)


@checked("cloudtrail", "UpdateEventDataStore")
def update_event_data_store(self: CloudTrailResponse) -> str:
    store = _backend(self).update(_params(self))
    data = store.describe()
    data["FederationStatus"] = store.federation_status
    if store.federation_role_arn:
        data["FederationRoleArn"] = store.federation_role_arn
    return json.dumps(data)


@checked("cloudtrail", "DeleteEventDataStore")
def delete_event_data_store(self: CloudTrailResponse) -> str:
    _backend(self).delete(_params(self).get("EventDataStore", ""))
    return "{}"


@checked("cloudtrail", "RestoreEventDataStore")
def restore_event_data_store(self: CloudTrailResponse) -> str:
    return json.dumps(_backend(self).restore(_params(self).get("EventDataStore", "")).describe())


@checked("cloudtrail", "StartEventDataStoreIngestion")
def start_event_data_store_ingestion(self: CloudTrailResponse) -> str:
    _backend(self).set_ingestion(_params(self).get("EventDataStore", ""), start=True)
    return "{}"


@checked("cloudtrail", "StopEventDataStoreIngestion")
def stop_event_data_store_ingestion(self: CloudTrailResponse) -> str:
    _backend(self).set_ingestion(_params(self).get("EventDataStore", ""), start=False)
    return "{}"


@checked("cloudtrail", "StartImport")
def start_import_handler(self: CloudTrailResponse) -> str:
    return json.dumps(start_import(self.current_account, _params(self)).describe(with_statistics=False))


@checked("cloudtrail", "GetImport")
def get_import(self: CloudTrailResponse) -> str:
    return json.dumps(import_backends[self.current_account]["global"].get(_params(self).get("ImportId", "")).describe())


@checked("cloudtrail", "ListImports")
def list_imports(self: CloudTrailResponse) -> str:
    params = _params(self)
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= int(max_results) <= 1000:
        raise InvalidMaxResultsException("MaxResults must be between 1 and 1000.")
    destination = params.get("Destination")
    if destination and not ARN_RE.match(destination):
        raise EventDataStoreARNInvalidException(f"The specified event data store ARN is not valid: {destination}")
    imports = list(import_backends[self.current_account]["global"].imports.values())
    for imp in imports:
        imp.refresh()
    imports = [
        i for i in imports if (not destination or destination in i.destinations) and (not params.get("ImportStatus") or i.status == params["ImportStatus"])
    ]
    scope = f"imports:{destination}:{params.get('ImportStatus')}"
    start = decode_token(params.get("NextToken"), scope)
    size = max_results or 1000
    data: dict[str, Any] = {"Imports": [i.summary() for i in imports[start : start + size]]}
    if start + size < len(imports):
        data["NextToken"] = encode_token(start + size, scope)
    return json.dumps(data)


@checked("cloudtrail", "StopImport")
def stop_import(self: CloudTrailResponse) -> str:
    imp = import_backends[self.current_account]["global"].get(_params(self).get("ImportId", ""))
    if imp.status in ("INITIALIZING", "IN_PROGRESS"):
        imp.status = "STOPPED"
        imp.updated = time.time()
    return json.dumps(imp.describe())


@checked("cloudtrail", "ListImportFailures")
def list_import_failures(self: CloudTrailResponse) -> str:
    params = _params(self)
    imp = import_backends[self.current_account]["global"].get(params.get("ImportId", ""))
    failures = imp.failures if imp.status in ("FAILED", "COMPLETED", "STOPPED") else []
    scope = f"failures:{imp.id}"
    start = decode_token(params.get("NextToken"), scope)
    size = params.get("MaxResults") or 1000
    data: dict[str, Any] = {"Failures": failures[start : start + size]}
    if start + size < len(failures):
        data["NextToken"] = encode_token(start + size, scope)
    return json.dumps(data)


# Tags: event data store ARNs here, everything else to moto -------------------------------------

_moto_add_tags = CloudTrailResponse.add_tags
_moto_remove_tags = CloudTrailResponse.remove_tags
_moto_list_tags = CloudTrailResponse.list_tags


def _is_store_arn(resource_id: Any) -> bool:
    return isinstance(resource_id, str) and ":eventdatastore/" in resource_id


def _tag_store(self: CloudTrailResponse, resource_id: str) -> EventDataStore:
    store = find_store_any_region(self.current_account, resource_id)
    if not store.active:
        raise InactiveEventDataStoreException(f"The event data store {resource_id} is inactive.")
    return store


def add_tags(self: CloudTrailResponse) -> str:
    params = _params(self)
    if not _is_store_arn(params.get("ResourceId")):
        return _moto_add_tags(self)
    store = _tag_store(self, params["ResourceId"])
    new = _check_tags(params.get("TagsList"))
    if len({**store.tags, **new}) > 50:
        raise TagsLimitExceededException("A resource can have at most 50 tags.")
    store.tags.update(new)
    return "{}"


def remove_tags(self: CloudTrailResponse) -> str:
    params = _params(self)
    if not _is_store_arn(params.get("ResourceId")):
        return _moto_remove_tags(self)
    store = _tag_store(self, params["ResourceId"])
    for tag in params.get("TagsList") or []:
        if tag.get("Key") in store.tags and (tag.get("Value") is None or store.tags[tag["Key"]] == tag["Value"]):
            del store.tags[tag["Key"]]
    return "{}"


def list_tags(self: CloudTrailResponse) -> str:
    ids = _params(self).get("ResourceIdList") or []
    if not any(_is_store_arn(i) for i in ids):
        return _moto_list_tags(self)
    others = [i for i in ids if not _is_store_arn(i)]
    moto_tags: dict[str, Any] = {}
    if others:
        backend = self.cloudtrail_backend
        moto_tags = {item["ResourceId"]: item["TagsList"] for item in backend.list_tags(resource_id_list=others)}
    result = []
    for resource_id in ids:
        if _is_store_arn(resource_id):
            result.append({"ResourceId": resource_id, "TagsList": find_store_any_region(self.current_account, resource_id).tags_list()})
        else:
            result.append({"ResourceId": resource_id, "TagsList": moto_tags.get(resource_id, [])})
    return json.dumps({"ResourceTagList": result})


HANDLERS = {
    "create_event_data_store": create_event_data_store,
    "get_event_data_store": get_event_data_store,
    "list_event_data_stores": list_event_data_stores,
    "update_event_data_store": update_event_data_store,
    "delete_event_data_store": delete_event_data_store,
    "restore_event_data_store": restore_event_data_store,
    "start_event_data_store_ingestion": start_event_data_store_ingestion,
    "stop_event_data_store_ingestion": stop_event_data_store_ingestion,
    "start_import": start_import_handler,
    "get_import": get_import,
    "list_imports": list_imports,
    "stop_import": stop_import,
    "list_import_failures": list_import_failures,
    "add_tags": checked("cloudtrail", "AddTags")(add_tags),
    "remove_tags": checked("cloudtrail", "RemoveTags")(remove_tags),
    "list_tags": checked("cloudtrail", "ListTags")(list_tags),
}

for _name, _handler in HANDLERS.items():
    setattr(CloudTrailResponse, _name, _handler)
