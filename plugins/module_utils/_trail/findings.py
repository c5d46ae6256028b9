# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure: CIS / Security Hub CloudTrail controls evaluated on the trails cloudtrail_trail_info read.

Each trail is the dict cloudtrail_trail_info returns (trail view + status + selectors in the
module's shape). A finding: {control, title, status: PASSED|FAILED, resource, reason}.
"""

from __future__ import annotations

from typing import Any


def _finding(control: str, title: str, passed: bool, resource: str, reason: str) -> dict[str, Any]:
    return {"control": control, "title": title, "status": "PASSED" if passed else "FAILED", "resource": resource, "reason": reason}


def _fields(selector: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f.get("field"): f for f in selector.get("field_selectors") or []}


def management_read_write(trail: dict[str, Any]) -> bool:
    """True when the trail records read and write management events (no read/write filter)."""
    for s in trail.get("event_selectors") or []:
        if s.get("include_management_events") and s.get("read_write_type") == "All":
            return True
    for s in trail.get("advanced_event_selectors") or []:
        fields = _fields(s)
        if (fields.get("eventCategory") or {}).get("equals") == ["Management"] and "readOnly" not in fields:
            return True
    return False


CONTROL_TOWER_PREFIX = "aws-controltower"


def control_tower_owned(name: str | None) -> bool:
    """Resources of an AWS Control Tower landing zone are named aws-controltower-* (trails, buckets) or
    aws-controltower/* (log groups); its SCPs deny changes to them. name: a name or an ARN."""
    if not name:
        return False
    if name.startswith("arn:"):
        name = name.split(":", 5)[-1]
        for kind in ("trail/", "log-group:"):
            name = name[len(kind) :] if name.startswith(kind) else name
    return name.startswith(CONTROL_TOWER_PREFIX + "-") or name.startswith(CONTROL_TOWER_PREFIX + "/")


def coverage(trails: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trails that record the account's read and write management events in every region (logging, multi-region),
    one entry per trail: which trail covers the account, and whether it is an organization or Control Tower trail."""
    covering: dict[str, dict[str, Any]] = {}
    for trail in trails:
        if not (trail.get("is_multi_region_trail") and (trail.get("status") or {}).get("is_logging") and management_read_write(trail)):
            continue
        covering.setdefault(
            trail["trail_arn"],
            {
                "trail_arn": trail["trail_arn"],
                "name": trail.get("name"),
                "home_region": trail.get("home_region"),
                "owner_account_id": trail["trail_arn"].split(":")[4],
                "organization": bool(trail.get("is_organization_trail")),
                "control_tower": any(control_tower_owned(trail.get(k)) for k in ("name", "s3_bucket_name", "cloud_watch_logs_log_group_arn")),
                "s3_bucket_name": trail.get("s3_bucket_name"),
                "cloud_watch_logs_log_group_arn": trail.get("cloud_watch_logs_log_group_arn"),
            },
        )
    return sorted(covering.values(), key=lambda c: (not c["organization"], c["trail_arn"]))


def s3_data_events(trail: dict[str, Any], kind: str) -> bool:
    """True when the trail records S3 object-level events of every bucket for kind 'write' or 'read'."""
    wanted = ("All", "WriteOnly") if kind == "write" else ("All", "ReadOnly")
    for s in trail.get("event_selectors") or []:
        if s.get("read_write_type") not in wanted:
            continue
        for r in s.get("data_resources") or []:
            if r.get("type") == "AWS::S3::Object" and any(
                v.rstrip(":/") in ("arn:aws:s3", "arn:aws-cn:s3", "arn:aws-us-gov:s3") for v in r.get("values") or []
            ):
                return True
    for s in trail.get("advanced_event_selectors") or []:
        fields = _fields(s)
        if (fields.get("eventCategory") or {}).get("equals") != ["Data"]:
            continue
        if (fields.get("resources.type") or {}).get("equals") != ["AWS::S3::Object"]:
            continue
        if "resources.ARN" in fields:
            continue
        read_only = (fields.get("readOnly") or {}).get("equals")
        if read_only is None or read_only == ["false" if kind == "write" else "true"]:
            return True
    return False


def evaluate(trails: list[dict[str, Any]], account: str) -> list[dict[str, Any]]:
    """Account-level and per-trail findings; shadow copies of a trail are evaluated once, at home."""
    own = [t for t in trails if not t.get("shadow")]
    seen: dict[str, dict[str, Any]] = {}
    for trail in trails:
        seen.setdefault(trail["trail_arn"], trail)
    unique = list(seen.values())
    multi_logging = [t for t in unique if t.get("is_multi_region_trail") and (t.get("status") or {}).get("is_logging")]
    findings = [
        _finding(
            "CIS 3.1 / CloudTrail.1",
            "A multi-region trail logs read and write management events",
            any(management_read_write(t) for t in multi_logging),
            account,
            "needs a logging multi-region trail whose selectors record all management events",
        ),
        _finding(
            "CIS 3.8",
            "S3 object-level write events are logged for all buckets",
            any(s3_data_events(t, "write") for t in multi_logging),
            account,
            "needs a logging multi-region trail with S3 data events (write) for every bucket",
        ),
        _finding(
            "CIS 3.9",
            "S3 object-level read events are logged for all buckets",
            any(s3_data_events(t, "read") for t in multi_logging),
            account,
            "needs a logging multi-region trail with S3 data events (read) for every bucket",
        ),
    ]
    for trail in own:
        arn = trail["trail_arn"]
        findings.append(
            _finding(
                "CIS 3.2 / CloudTrail.4", "Log file validation is enabled", bool(trail.get("log_file_validation_enabled")), arn, "enable_log_file_validation"
            )
        )
        findings.append(_finding("CIS 3.5 / CloudTrail.2", "Logs are encrypted with a KMS key", bool(trail.get("kms_key_id")), arn, "kms_key_id"))
        findings.append(
            _finding("CloudTrail.5", "The trail delivers to CloudWatch Logs", bool(trail.get("cloud_watch_logs_log_group_arn")), arn, "cloudwatch_logs")
        )
        if trail.get("tags") is not None:
            findings.append(_finding("CloudTrail.9", "The trail is tagged", bool(trail.get("tags")), arn, "tags"))
    return findings
