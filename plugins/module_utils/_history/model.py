# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Searches of the audit bucket's CloudTrail logs through Athena, as plain data (pure: no boto3).

The search becomes ONE SQL query (Athena engine v3, Trino) over the table of the contract
(partition projection on account, region, day): the partition predicates (account IN, region IN,
day BETWEEN) keep Athena to the files the search needs (it bills by the bytes it reads), the eventtime
bounds make the window exact, and every user value is a quoted literal, never pasted SQL.
The answer rows become events in the shape cloudtrail_events_info returns.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any, Mapping

from .._common.errors import CloudAuditError
from .._common.times import parse_iso_time, parse_time
from .._common.validate import ACCOUNT_ID_RE, REGION_RE

DEFAULT_DATABASE = "cloudaudit"
DEFAULT_TABLE = "cloudtrail_logs"
DEFAULT_WORKGROUP = "cloudaudit"
DEFAULT_START = "-7d"
DEFAULT_MAX_RESULTS = 1000
MAX_MAX_RESULTS = 100000
MAX_VALUE_LENGTH = 2000
NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,255}$")  # Glue database and table names (Athena: letters, digits, underscore)
WORKGROUP_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
DAY_FORMAT = "%Y/%m/%d"  # projection.day.format yyyy/MM/dd
EVENT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # as CloudTrail writes eventTime: ISO strings of one format compare in time order
CUTOFF_MARK = "Bytes scanned limit"

# Filter option -> the condition it puts on a row, for one value list.
FILTERS = ("event_id", "event_name", "event_source", "username", "access_key_id", "resource_name", "resource_type")

# Scalar columns selected as they are; struct columns as JSON text.
SCALAR_COLUMNS = (
    "eventid", "eventname", "eventsource", "eventtime", "readonly", "awsregion", "recipientaccountid", "eventversion",
    "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata",
    "requestid", "eventtype", "apiversion", "serviceeventdetails", "sharedeventid", "vpcendpointid", "eventcategory",
)
JSON_COLUMNS = ("useridentity", "resources", "tlsdetails", "addendum")
JSON_STRING_COLUMNS = ("requestparameters", "responseelements", "additionaleventdata", "serviceeventdetails")
PARTITION_COLUMNS = ("account", "region")

# CloudTrailSerde's lower-case names back to the record's camelCase keys.
CAMEL = {
    "eventversion": "eventVersion", "useridentity": "userIdentity", "eventtime": "eventTime", "eventsource": "eventSource",
    "eventname": "eventName", "awsregion": "awsRegion", "sourceipaddress": "sourceIPAddress", "useragent": "userAgent",
    "errorcode": "errorCode", "errormessage": "errorMessage", "requestparameters": "requestParameters",
    "responseelements": "responseElements", "additionaleventdata": "additionalEventData", "requestid": "requestID",
    "eventid": "eventID", "eventtype": "eventType", "apiversion": "apiVersion", "readonly": "readOnly",
    "recipientaccountid": "recipientAccountId", "serviceeventdetails": "serviceEventDetails", "sharedeventid": "sharedEventID",
    "vpcendpointid": "vpcEndpointId", "eventcategory": "eventCategory", "tlsdetails": "tlsDetails",
    "principalid": "principalId", "accountid": "accountId", "invokedby": "invokedBy", "accesskeyid": "accessKeyId",
    "username": "userName", "sessioncontext": "sessionContext", "mfaauthenticated": "mfaAuthenticated", "creationdate": "creationDate",
    "sessionissuer": "sessionIssuer", "ec2roledelivery": "ec2RoleDelivery", "webidfederationdata": "webIdFederationData",
    "federatedprovider": "federatedProvider", "onbehalfof": "onBehalfOf", "userid": "userId", "identitystorearn": "identityStoreArn",
    "sourceidentity": "sourceIdentity", "tlsversion": "tlsVersion", "ciphersuite": "cipherSuite",
    "clientprovidedhostheader": "clientProvidedHostHeader", "updatedfields": "updatedFields", "originalrequestid": "originalRequestId",
    "originaleventid": "originalEventId",
}


# ---------------------------------------------------------------- validation
def _values(params: Mapping[str, Any], option: str) -> list[str]:
    values = [str(v) for v in params.get(option) or []]
    for value in values:
        if not 1 <= len(value) <= MAX_VALUE_LENGTH:
            raise CloudAuditError(f"each value must be 1-{MAX_VALUE_LENGTH} characters", option)
        if "\x00" in value:
            raise CloudAuditError("a value cannot contain a NUL character", option)
    return values


def validate(params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The search, checked before any AWS call."""
    search: dict[str, Any] = {option: _values(params, option) for option in FILTERS}
    read_only = params.get("read_only")
    search["read_only"] = None if read_only is None else bool(read_only)
    start = parse_time(params.get("start_time") or DEFAULT_START, "start_time", now)
    end = parse_time(params.get("end_time"), "end_time", now) or now
    if start > end:
        raise CloudAuditError("is after end_time", "start_time")
    search["start"], search["end"] = start, end
    search["accounts"] = [str(a) for a in params.get("accounts") or []]
    for account in search["accounts"]:
        if not ACCOUNT_ID_RE.fullmatch(account):
            raise CloudAuditError(f"'{account}' is not a 12-digit account id", "accounts")
    search["regions"] = [str(r) for r in params.get("regions") or []]
    for region in search["regions"]:
        if not REGION_RE.fullmatch(region):
            raise CloudAuditError(f"'{region}' is not a region name", "regions")
    names = (("database", DEFAULT_DATABASE, NAME_RE), ("table", DEFAULT_TABLE, NAME_RE), ("workgroup", DEFAULT_WORKGROUP, WORKGROUP_RE))
    for option, default, pattern in names:
        value = params.get(option) or default
        if not pattern.fullmatch(value):
            raise CloudAuditError(f"'{value}' is not a valid name (pattern {pattern.pattern})", option)
        search[option] = value
    max_results = DEFAULT_MAX_RESULTS if params.get("max_results") is None else params["max_results"]
    if not 1 <= max_results <= MAX_MAX_RESULTS:
        raise CloudAuditError(f"must be 1-{MAX_MAX_RESULTS}", "max_results")
    search["max_results"] = max_results
    timeout = 300 if params.get("timeout") is None else params["timeout"]
    if timeout < 1:
        raise CloudAuditError("must be at least 1 second", "timeout")
    search["timeout"] = timeout
    return search


# ---------------------------------------------------------------- SQL
def literal(value: str) -> str:
    """A Trino string literal: quotes doubled (Trino gives backslashes no meaning), so the value cannot end the literal."""
    return "'" + value.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A quoted identifier (names are validated first; the quotes keep reserved words usable)."""
    return '"' + name.replace('"', '""') + '"'


def in_list(expression: str, values: list[str]) -> str:
    return f"{expression} IN ({', '.join(literal(v) for v in values)})"


def partition_days(start: datetime, end: datetime) -> tuple[str, str]:
    """The day partitions (yyyy/MM/dd) a window needs. CloudTrail writes a file under the day it delivers it, up to
    about 15 minutes after the events, so the day after end is read too (the eventtime bounds keep the result exact)."""
    return start.strftime(DAY_FORMAT), (end + timedelta(days=1)).strftime(DAY_FORMAT)


def _any_resource(condition: str) -> str:
    return f"cardinality(filter(resources, r -> {condition})) > 0"


def _resource_name(value: str) -> str:
    """A resource given by ARN, or by the name ending its ARN (after '/' or ':'), as LookupEvents' ResourceName matches."""
    suffixes = [f"substr(r.arn, -{len(sep + value)}) = {literal(sep + value)}" for sep in ("/", ":")]
    return "(" + " OR ".join([f"r.arn = {literal(value)}"] + suffixes) + ")"


def conditions(search: Mapping[str, Any]) -> list[str]:
    """The WHERE conjuncts: partitions first (Athena prunes on them), then the time window, then the filters."""
    where: list[str] = []
    if search["accounts"]:
        where.append(in_list("account", search["accounts"]))
    if search["regions"]:
        where.append(in_list("region", search["regions"]))
    first_day, last_day = partition_days(search["start"], search["end"])
    where.append(f"day BETWEEN {literal(first_day)} AND {literal(last_day)}")
    where.append(f"eventtime >= {literal(search['start'].strftime(EVENT_TIME_FORMAT))}")
    where.append(f"eventtime <= {literal(search['end'].strftime(EVENT_TIME_FORMAT))}")
    plain = (("event_id", "eventid"), ("event_name", "eventname"), ("event_source", "eventsource"), ("access_key_id", "useridentity.accesskeyid"))
    for option, column in plain:
        if search[option]:
            where.append(in_list(column, search[option]))
    if search["username"]:
        # The user name, or the last part of the caller's ARN (an assumed role's session name), as LookupEvents' Username.
        by_name = in_list("useridentity.username", search["username"])
        by_arn = in_list("element_at(split(useridentity.arn, '/'), -1)", search["username"])
        where.append(f"({by_name} OR {by_arn})")
    if search["resource_name"]:
        where.append(_any_resource(" OR ".join(_resource_name(v) for v in search["resource_name"])))
    if search["resource_type"]:
        where.append(_any_resource(in_list("r.type", search["resource_type"])))
    if search["read_only"] is not None:
        where.append(f"readonly = {literal('true' if search['read_only'] else 'false')}")
    return where


def build_query(search: Mapping[str, Any]) -> str:
    """The one query of a search: newest first, one row more than max_results (to tell that more matched)."""
    columns = list(SCALAR_COLUMNS) + list(PARTITION_COLUMNS) + [f"json_format(CAST({c} AS JSON)) AS {c}_json" for c in JSON_COLUMNS]
    return (
        f"SELECT {', '.join(columns)}\n"
        f"FROM {identifier(search['database'])}.{identifier(search['table'])}\n"
        "WHERE " + "\n  AND ".join(conditions(search)) + "\n"
        f"ORDER BY eventtime DESC\nLIMIT {int(search['max_results']) + 1}"
    )


# ---------------------------------------------------------------- answers
def failure(execution: Mapping[str, Any], workgroup: str, timeout: float) -> CloudAuditError | None:
    """The error to report for a query that did not succeed (None when it did)."""
    status = execution.get("Status") or {}
    state = status.get("State")
    query_id = execution.get("QueryExecutionId")
    if state == "SUCCEEDED":
        return None
    if state not in ("FAILED", "CANCELLED"):
        said = f"the Athena query {query_id} did not finish within {timeout} seconds (state {state}); it may still run in Athena"
        return CloudAuditError(said, "timeout", query_execution_id=query_id)
    reason = status.get("StateChangeReason") or (status.get("AthenaError") or {}).get("ErrorMessage") or "no reason given"
    if CUTOFF_MARK in reason:
        return CloudAuditError(
            f"the Athena query {query_id} was cancelled: {reason}. The workgroup {workgroup!r} limits the bytes one query may scan "
            "(BytesScannedCutoffPerQuery): narrow the search (start_time, end_time, accounts, regions) or raise the workgroup's limit",
            "workgroup",
            query_execution_id=query_id,
            reason=reason,
        )
    return CloudAuditError(f"the Athena query {query_id} {state}: {reason}", query_execution_id=query_id, reason=reason)


def _json(text: str | None) -> Any:
    if text in (None, ""):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _camel(value: Any) -> Any:
    """Serde names back to CloudTrail's keys, nulls dropped (a record leaves absent fields out)."""
    if isinstance(value, dict):
        return {CAMEL.get(key, key): _camel(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_camel(item) for item in value]
    return value


def record(row: Mapping[str, str | None]) -> dict[str, Any]:
    """The CloudTrail record of one result row (camelCase keys, JSON-string columns parsed, readOnly a boolean)."""
    raw: dict[str, Any] = {c: row.get(c) for c in SCALAR_COLUMNS}
    for column in JSON_STRING_COLUMNS:
        raw[column] = _json(raw[column])
    for column in JSON_COLUMNS:
        raw[column] = _json(row.get(f"{column}_json"))
    if raw.get("readonly") in ("true", "false"):
        raw["readonly"] = raw["readonly"] == "true"
    resources = raw.pop("resources") or []
    event = _camel(raw)
    if resources:  # CloudTrail spells a resource's ARN in capitals
        event["resources"] = [_camel({"ARN": r.get("arn"), "accountid": r.get("accountid"), "type": r.get("type")}) for r in resources if isinstance(r, dict)]
    return event


def _username(identity: Mapping[str, Any]) -> str | None:
    if identity.get("userName"):
        return identity["userName"]
    arn = identity.get("arn") or ""
    if identity.get("type") == "Root":
        return "root"
    return arn.rsplit("/", 1)[-1] if "/" in arn else identity.get("principalId")


def _event_time(text: str | None) -> str | None:
    try:
        return parse_iso_time(text).isoformat() if text else None
    except ValueError:
        return text


def normalize(row: Mapping[str, str | None]) -> dict[str, Any]:
    """A result row as cloudtrail_events_info returns an event."""
    event = record(row)
    identity = event.get("userIdentity") or {}
    return {
        "event_id": row.get("eventid"),
        "event_name": row.get("eventname"),
        "event_source": row.get("eventsource"),
        "event_time": _event_time(row.get("eventtime")),
        "read_only": row.get("readonly"),
        "username": _username(identity),
        "access_key_id": identity.get("accessKeyId"),
        "resources": [{"resource_type": r.get("type"), "resource_name": r.get("ARN")} for r in event.get("resources") or []],
        "region": row.get("awsregion") or row.get("region"),
        "account": row.get("recipientaccountid") or row.get("account"),
        "cloud_trail_event": event,
    }


def events(rows: list[list[str | None]], max_results: int) -> tuple[list[dict[str, Any]], bool]:
    """(events, more matched) from GetQueryResults rows, the first being the header row."""
    if not rows:
        return [], False
    header = [str(name) for name in rows[0]]
    found = [normalize(dict(zip(header, row))) for row in rows[1:]]
    return found[:max_results], len(found) > max_results
