# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon EventBridge (default event bus): one wrapper per call, shared by every area.

Each wrapper retries (aws_retry) and turns "not found" into None; it decides nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .notfound import none_when
from .retry import aws_retry


@aws_retry
def list_rules_page(client: Any, prefix: str, token: str | None = None) -> dict[str, Any]:
    """One ListRules page of the default bus's rules whose name starts with prefix."""
    kwargs: dict[str, Any] = {"NamePrefix": prefix}
    if token:
        kwargs["NextToken"] = token
    return client.list_rules(**kwargs)


def list_rules(client: Any, prefix: str) -> list[dict[str, Any]]:
    """Every rule of the default bus whose name starts with prefix (all pages)."""
    rules: list[dict[str, Any]] = []
    token = None
    while True:
        page = list_rules_page(client, prefix, token)
        rules.extend(page.get("Rules", []))
        token = page.get("NextToken")
        if not token:
            return rules


@aws_retry
@none_when("ResourceNotFoundException")
def list_targets_by_rule(client: Any, rule: str) -> list[dict[str, Any]] | None:
    """The targets of a rule (all pages); None when the rule does not exist."""
    targets: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"Rule": rule}
    while True:
        page = client.list_targets_by_rule(**kwargs)
        targets.extend(page.get("Targets", []))
        if not page.get("NextToken"):
            return targets
        kwargs["NextToken"] = page["NextToken"]


@aws_retry
def put_rule(client: Any, name: str, event_pattern: str, state: str, description: str) -> str:
    """Create or update a rule; its ARN."""
    return client.put_rule(Name=name, EventPattern=event_pattern, State=state, Description=description)["RuleArn"]


@aws_retry
@none_when("ResourceNotFoundException")
def delete_rule(client: Any, name: str) -> None:
    client.delete_rule(Name=name)


@aws_retry
def put_targets(client: Any, rule: str, targets: list[dict[str, Any]]) -> dict[str, Any]:
    """PutTargets; the answer (FailedEntryCount, FailedEntries) for the caller to judge."""
    return client.put_targets(Rule=rule, Targets=targets)


@aws_retry
@none_when("ResourceNotFoundException")
def remove_targets(client: Any, rule: str, ids: list[str]) -> dict[str, Any] | None:
    return client.remove_targets(Rule=rule, Ids=ids)


@aws_retry
def describe_default_bus_policy(client: Any) -> dict[str, Any] | None:
    """The resource policy of the account's default event bus (None without one)."""
    policy = client.describe_event_bus(Name="default").get("Policy")
    return json.loads(policy) if policy else None


@aws_retry
def put_permission(client: Any, statement_id: str, principal: str, condition: dict[str, str] | None = None) -> None:
    """Add or replace one statement of the default bus's policy: principal (an account id, or * with condition) may PutEvents."""
    kwargs: dict[str, Any] = {"EventBusName": "default", "Action": "events:PutEvents", "Principal": principal, "StatementId": statement_id}
    if condition:
        kwargs["Condition"] = condition
    client.put_permission(**kwargs)


@aws_retry
@none_when("ResourceNotFoundException")
def remove_permission(client: Any, statement_id: str) -> None:
    client.remove_permission(EventBusName="default", StatementId=statement_id)
