# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM-style policy documents compared as documents, not as strings."""

from __future__ import annotations

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies


def load_policy(document: Any) -> dict[str, Any] | None:
    """A policy as a dict, from a JSON string or a dict; None when empty."""
    if document in (None, "", {}):
        return None
    if isinstance(document, str):
        return json.loads(document)
    return document


def policies_equal(current: Any, desired: Any) -> bool:
    """True when two policy documents grant the same thing (order-insensitive)."""
    current, desired = load_policy(current), load_policy(desired)
    if current is None or desired is None:
        return current is desired
    return not compare_policies(current, desired)


def statements_by_sid(policy: Any) -> dict[str, dict[str, Any]]:
    """The statements of a policy keyed by Sid (statements without Sid get a positional key)."""
    document = load_policy(policy) or {}
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return {s.get("Sid") or f"__unnamed_{i}": s for i, s in enumerate(statements)}


def deny_insecure_transport(bucket: str, partition: str, sid: str) -> dict[str, Any]:
    """The bucket-policy statement that refuses every request without TLS (aws:SecureTransport false)."""
    arn = f"arn:{partition}:s3:::{bucket}"
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
