"""Drift made with boto3 directly against a side's emulator, and the check that it was repaired."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

TRAIL = "bench-trail"
REGION = "us-east-1"
# The drifted resources, as named in the results.
RESOURCES = ("trail_validation", "lifecycle")


def bucket_name(account: str) -> str:
    return f"bench-audit-{account}"


def _clients(url: str, creds: dict[str, str]) -> tuple[Any, Any]:
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], region_name=REGION
    )
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return session.client("cloudtrail", endpoint_url=url, config=config), session.client("s3", endpoint_url=url, config=config)


def _inject_one(url: str, account: str, creds: dict[str, str]) -> None:
    cloudtrail, s3 = _clients(url, creds)
    cloudtrail.update_trail(Name=TRAIL, EnableLogFileValidation=False)
    s3.delete_bucket_lifecycle(Bucket=bucket_name(account))


def _state_one(url: str, account: str, creds: dict[str, str]) -> dict[str, bool]:
    cloudtrail, s3 = _clients(url, creds)
    trail = cloudtrail.get_trail(Name=TRAIL)["Trail"]
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket_name(account))["Rules"]
    except s3.exceptions.ClientError as err:
        if err.response["Error"]["Code"] != "NoSuchLifecycleConfiguration":
            raise
        rules = []
    lifecycle = any(
        rule.get("Status") == "Enabled"
        and rule.get("Expiration", {}).get("Days") == 2557
        and any(t.get("Days") == 90 and t.get("StorageClass") == "GLACIER" for t in rule.get("Transitions", []))
        for rule in rules
    )
    return {"trail_validation": bool(trail.get("LogFileValidationEnabled")), "lifecycle": lifecycle}


def inject(url: str, accounts: dict[str, dict[str, str]]) -> None:
    """In every account: the trail's log file validation off, the bucket's lifecycle deleted."""
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: _inject_one(url, *item), accounts.items()))


def state(url: str, accounts: dict[str, dict[str, str]]) -> dict[str, dict[str, bool]]:
    """Per account: whether validation is on and the lifecycle (Glacier after 90 days, expiry 2557) is there."""
    with ThreadPoolExecutor(8) as pool:
        return dict(zip(accounts, pool.map(lambda item: _state_one(url, *item), accounts.items())))
