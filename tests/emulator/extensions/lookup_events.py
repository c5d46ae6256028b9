"""CloudTrail LookupEvents built from the management calls the emulator really served.

Each call the emulator's recorder saw becomes one CloudTrail management event,
visible only to the caller's account in the call's region (global services
IAM/STS/Organizations: the region the request was signed for). S3 object
calls are data events and never appear. LookupEvents calls are themselves
recorded (AWS records them as read-only management events), so an earlier
lookup shows up in a later one; the call being answered is not yet recorded.

Events come newest first; NextToken is a cursor on the recorder's sequence, so
pages stay stable while new calls arrive. The 90-day window is the default.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.cloudtrail.responses import CloudTrailResponse

from ..operations import Operation, is_management_event
from ..recorder import RECORDER, Call
from ..shapes import checked
from .cloudtrail_lake import _error, _params

LOOKUP_ATTRIBUTES = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId")
WINDOW_S = 90 * 86400
EVENT_NAMESPACE = uuid.UUID("6f1c4d0e-2b1a-4c55-9a7e-1d5c3b7a9e21")

InvalidLookupAttributesException = _error("InvalidLookupAttributesException")
InvalidTimeRangeException = _error("InvalidTimeRangeException")
InvalidMaxResultsException = _error("InvalidMaxResultsException")
InvalidNextTokenException = _error("InvalidNextTokenException")
InvalidEventCategoryException = _error("InvalidEventCategoryException")

# (service, request parameter) -> resource type; CloudTrail's Name depends on the operation.
_RESOURCE_PARAMS: dict[tuple[str, str], str] = {
    ("s3", "Bucket"): "AWS::S3::Bucket",
    ("logs", "logGroupName"): "AWS::Logs::LogGroup",
    ("kms", "KeyId"): "AWS::KMS::Key",
    ("kms", "TargetKeyId"): "AWS::KMS::Key",
    ("iam", "RoleName"): "AWS::IAM::Role",
    ("sns", "TopicArn"): "AWS::SNS::Topic",
    ("cloudtrail", "TrailName"): "AWS::CloudTrail::Trail",
    ("cloudtrail", "EventDataStore"): "AWS::CloudTrail::EventDataStore",
}


def event_id(call: Call) -> str:
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{call.seq}:{call.time}:{call.account}"))


def resources(call: Call) -> list[dict[str, str]]:
    """[{ResourceType, ResourceName}] named by the call's parameters."""
    found: list[dict[str, str]] = []
    for (service, param), resource_type in _RESOURCE_PARAMS.items():
        value = call.params.get(param)
        if service == call.service and isinstance(value, str) and value:
            found.append({"ResourceType": resource_type, "ResourceName": value})
    name = call.params.get("Name")
    if call.service == "cloudtrail" and isinstance(name, str) and name:
        kind = "AWS::CloudTrail::EventDataStore" if "EventDataStore" in call.operation else "AWS::CloudTrail::Trail"
        found.append({"ResourceType": kind, "ResourceName": name})
    return found


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _resource_arn(call: Call, resource: dict[str, str]) -> str:
    name, kind, acct, region = resource["ResourceName"], resource["ResourceType"], call.account, call.region
    if name.startswith("arn:"):
        return name
    return {
        "AWS::CloudTrail::Trail": f"arn:aws:cloudtrail:{region}:{acct}:trail/{name}",
        "AWS::CloudTrail::EventDataStore": f"arn:aws:cloudtrail:{region}:{acct}:eventdatastore/{name}",
        "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
        "AWS::Logs::LogGroup": f"arn:aws:logs:{region}:{acct}:log-group:{name}",
        "AWS::KMS::Key": f"arn:aws:kms:{region}:{acct}:key/{name}",
        "AWS::IAM::Role": f"arn:aws:iam::{acct}:role/{name}",
    }.get(kind, name)


def cloudtrail_event(call: Call) -> dict[str, Any]:
    """The CloudTrail record (as in a log file) of one call."""
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": call.identity,
        "eventTime": call.iso_time,
        "eventSource": f"{call.service}.amazonaws.com",
        "eventName": call.operation,
        "awsRegion": call.region,
        "sourceIPAddress": call.source_ip,
        "userAgent": call.user_agent,
        "requestParameters": _camel(call.params) or None,
        "responseElements": None,
        "requestID": str(uuid.uuid5(EVENT_NAMESPACE, f"request:{call.seq}")),
        "eventID": event_id(call),
        "readOnly": not call.mutating,
        "resources": [{"accountId": call.account, "type": r["ResourceType"], "ARN": _resource_arn(call, r)} for r in resources(call)],
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": call.account,
        "eventCategory": "Management",
    }
    if call.error_code:
        record["errorCode"] = call.error_code
        record["errorMessage"] = f"The call failed with {call.error_code} (HTTP {call.status})."
    return record


def lookup_event(call: Call) -> dict[str, Any]:
    event: dict[str, Any] = {
        "EventId": event_id(call),
        "EventName": call.operation,
        "ReadOnly": "false" if call.mutating else "true",
        "EventTime": call.time,
        "EventSource": f"{call.service}.amazonaws.com",
        "Username": call.identity.get("userName") or call.identity.get("arn", ""),
        "Resources": resources(call),
        "CloudTrailEvent": json.dumps(cloudtrail_event(call)),
    }
    if call.access_key:
        event["AccessKeyId"] = call.access_key
    return event


def _matches(call: Call, key: str, value: str) -> bool:
    if key == "EventId":
        return event_id(call) == value
    if key == "EventName":
        return call.operation == value
    if key == "ReadOnly":
        return ("false" if call.mutating else "true") == value
    if key == "Username":
        return call.identity.get("userName") == value
    if key == "ResourceType":
        return any(r["ResourceType"] == value for r in resources(call))
    if key == "ResourceName":
        return any(r["ResourceName"] == value for r in resources(call))
    if key == "EventSource":
        return f"{call.service}.amazonaws.com" == value
    return call.access_key == value  # AccessKeyId


def _time(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=timezone.utc).timestamp()
    except ValueError as e:
        raise InvalidTimeRangeException(f"{name} is not a valid time.") from e


def _decode(token: Any, scope: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        if data["s"] != scope:
            raise ValueError("token of another query")
        return int(data["before"])
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidNextTokenException("The NextToken is not valid for this query.") from e


def lookup(account: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise InvalidLookupAttributesException("You can specify at most one lookup attribute.")
    for attribute in attributes:
        if attribute.get("AttributeKey") not in LOOKUP_ATTRIBUTES or not attribute.get("AttributeValue"):
            raise InvalidLookupAttributesException(f"Lookup attribute {attribute.get('AttributeKey')!r} is not valid.")
    category = params.get("EventCategory")
    if category is not None and category != "insight":
        raise InvalidEventCategoryException(f"Event category {category!r} is not valid.")
    max_results = params.get("MaxResults")
    if max_results is not None and (isinstance(max_results, bool) or not isinstance(max_results, int) or not 1 <= max_results <= 50):
        raise InvalidMaxResultsException("MaxResults must be between 1 and 50.")
    now = time.time()
    start = _time(params.get("StartTime"), "StartTime")
    end = _time(params.get("EndTime"), "EndTime")
    if start is not None and end is not None and start > end:
        raise InvalidTimeRangeException("StartTime must be before EndTime.")
    start = max(start if start is not None else now - WINDOW_S, now - WINDOW_S)
    end = end if end is not None else now
    scope = json.dumps([attributes, params.get("StartTime"), params.get("EndTime"), category], sort_keys=True, default=str)
    before = _decode(params["NextToken"], scope) if params.get("NextToken") else None
    if category == "insight":
        return {"Events": []}
    calls = [
        c
        for c in RECORDER.calls(account=account, region=region)
        if " " not in c.operation
        and is_management_event(Operation(c.service, c.operation, c.region, c.access_key))
        and start <= c.time <= end
        and (before is None or c.seq < before)
        and all(_matches(c, a["AttributeKey"], a["AttributeValue"]) for a in attributes)
    ]
    calls.sort(key=lambda c: c.seq, reverse=True)
    size = max_results or 50
    page = calls[:size]
    result: dict[str, Any] = {"Events": [lookup_event(c) for c in page]}
    if len(calls) > size:
        token = {"s": scope, "before": page[-1].seq}
        result["NextToken"] = base64.urlsafe_b64encode(json.dumps(token).encode()).decode()
    return result


@checked("cloudtrail", "LookupEvents")
def lookup_events(self: CloudTrailResponse) -> str:
    return json.dumps(lookup(self.current_account, self.region, _params(self)))


CloudTrailResponse.lookup_events = lookup_events
