# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon S3 Control (account-level S3 settings): one wrapper per call, shared by every area.

Every wrapper is retried by aws_retry and takes the client and the account id. An account without
a Block Public Access configuration comes back as None. The IAM actions are not the API's names
(s3:GetAccountPublicAccessBlock for GetPublicAccessBlock): a failing call carries the right one, so a
denied call names the permission it needs. The wrappers decide nothing.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from .notfound import none_when
from .retry import aws_retry


def _iam_action(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator (below aws_retry): an AWS error of the call names the IAM action and the account."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(client: Any, account_id: str, *args: Any) -> Any:
            try:
                return fn(client, account_id, *args)
            except Exception as e:
                if getattr(e, "operation_name", None):
                    e.cloudaudit_call = {"action": action, "resource": f"account {account_id}"}
                raise

        return wrapper

    return decorator


@aws_retry
@none_when("NoSuchPublicAccessBlockConfiguration")
@_iam_action("s3:GetAccountPublicAccessBlock")
def get_public_access_block(client: Any, account_id: str) -> dict[str, bool] | None:
    """The account's PublicAccessBlockConfiguration (four flags); None when it has none."""
    return client.get_public_access_block(AccountId=account_id)["PublicAccessBlockConfiguration"]


@aws_retry
@_iam_action("s3:PutAccountPublicAccessBlock")
def put_public_access_block(client: Any, account_id: str, configuration: dict[str, bool]) -> None:
    client.put_public_access_block(AccountId=account_id, PublicAccessBlockConfiguration=dict(configuration))


@aws_retry
@_iam_action("s3:DeleteAccountPublicAccessBlock")
def delete_public_access_block(client: Any, account_id: str) -> None:
    client.delete_public_access_block(AccountId=account_id)
