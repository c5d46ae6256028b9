"""Who made a call: the account and CloudTrail userIdentity of an access key, as moto knows it."""

from __future__ import annotations

from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import get_account_id_from, iam_backends
from moto.sts.models import sts_backends


def resolve(access_key: str, region: str) -> tuple[str, dict[str, Any]]:
    """(account id, userIdentity) for an access key; unknown keys act as the default account's root."""
    account_id = get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT_ID
    partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
    for role in list(sts_backends[account_id][partition].assumed_roles):
        if role.access_key_id == access_key:
            role_name = role.role_arn.split("/")[-1]
            return account_id, {
                "type": "AssumedRole",
                "principalId": f"AROA{account_id}:{role.session_name}",
                "arn": role.arn,
                "accountId": account_id,
                "accessKeyId": access_key,
                "userName": role.session_name,
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "arn": role.role_arn,
                        "accountId": account_id,
                        "userName": role_name,
                    }
                },
            }
    key = iam_backends[account_id][partition].access_keys.get(access_key)
    user_name = getattr(key, "user_name", None)
    if user_name:
        return account_id, {
            "type": "IAMUser",
            "principalId": f"AIDA{account_id}",
            "arn": f"arn:{partition}:iam::{account_id}:user/{user_name}",
            "accountId": account_id,
            "accessKeyId": access_key,
            "userName": user_name,
        }
    return account_id, {
        "type": "Root",
        "principalId": account_id,
        "arn": f"arn:{partition}:iam::{account_id}:root",
        "accountId": account_id,
        "accessKeyId": access_key,
        "userName": "root",
    }
