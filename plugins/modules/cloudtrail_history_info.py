#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_history_info
short_description: Search years of CloudTrail logs in the audit bucket with Athena
version_added: 1.0.0
description:
  - Searches the CloudTrail log files of the audit bucket through Amazon Athena, over the Glue table with partition
    projection on C(account), C(region) and C(day) that the collection creates for the bucket.
  - Takes the filters of M(cloudaudit.aws.cloudtrail_events_info) (event name, user name, resource name and type, event
    source, access key, event id, read-only) without its limits (one attribute, 90 days), plus accounts, and turns them
    into ONE SQL query. Every value becomes a quoted string literal; nothing given by the user is pasted into the SQL.
  - The query names the partitions it needs (C(account IN), C(region IN), C(day BETWEEN) from the time window, and the day
    after the window, where CloudTrail may have delivered its last events), so Athena reads and bills only those files; the
    C(eventtime) bounds keep the window exact. Results are newest first.
  - Starts the query in the workgroup (its result location, encryption and per-query scan limit apply), polls it with a
    growing delay until it ends or O(timeout) passes, and pages through the results.
  - Returns the events in the shape of M(cloudaudit.aws.cloudtrail_events_info), with the bytes Athena scanned, the SQL
    and the query execution id.
  - Read-only (Athena writes the result file to the workgroup's output location); it runs the same in check mode.
options:
  event_name:
    description: The API calls to find (any of them), e.g. V(StopLogging).
    type: list
    elements: str
  username:
    description:
      - The callers to find (any of them), by user name or by the last part of the caller's ARN (an assumed role's session name),
        as the event history's C(Username).
    type: list
    elements: str
  resource_name:
    description: Events that reference any of these resources, by ARN or by the name that ends the ARN.
    type: list
    elements: str
  resource_type:
    description: Events that reference a resource of any of these types, e.g. V(AWS::CloudTrail::Trail).
    type: list
    elements: str
  event_source:
    description: The services (any of them), e.g. V(cloudtrail.amazonaws.com).
    type: list
    elements: str
  access_key_id:
    description: Events made with any of these access keys.
    type: list
    elements: str
  event_id:
    description: Events with any of these ids.
    type: list
    elements: str
  read_only:
    description: V(true) finds read calls only, V(false) write calls only; unset finds both.
    type: bool
  start_time:
    description:
      - Start of the window, ISO 8601 (V(2026-11-01T10:00:00Z)) or relative to now (V(-7d), V(-12h), V(-30m), V(-45s)).
      - Any age the bucket keeps; the longer the window, the more files Athena reads.
    type: str
    default: -7d
  end_time:
    description: End of the window, in the same formats as O(start_time); default now.
    type: str
  accounts:
    description: The accounts whose logs are searched (12-digit ids); default every account of the table.
    type: list
    elements: str
  regions:
    description: The regions whose logs are searched; default every region of the table.
    type: list
    elements: str
  database:
    description: The Glue database holding the table.
    type: str
    default: cloudaudit
  table:
    description: The Glue table over the audit bucket.
    type: str
    default: cloudtrail_logs
  workgroup:
    description:
      - The Athena workgroup the query runs in. Its C(BytesScannedCutoffPerQuery) cancels a query that would read more;
        the failure says so.
    type: str
    default: cloudaudit
  max_results:
    description: The most events returned (newest first); RV(truncated) tells when more matched.
    type: int
    default: 1000
  timeout:
    description: Seconds to wait for the query to finish; the module then fails naming the query execution id.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
author: cloudaudit.aws maintainers (@cloudaudit)
"""

EXAMPLES = r"""
- name: Who stopped logging or deleted a trail this year, in two accounts
  cloudaudit.aws.cloudtrail_history_info:
    event_name: [StopLogging, DeleteTrail]
    start_time: "2026-01-01T00:00:00Z"
    accounts: ["111111111111", "222222222222"]
  register: stopped

- name: What one user changed in eu-west-1 last month
  cloudaudit.aws.cloudtrail_history_info:
    username: [alice]
    read_only: false
    start_time: -30d
    regions: [eu-west-1]
    workgroup: audit-queries
    max_results: 200
"""

RETURN = r"""
events:
  description: The events found, newest first, as M(cloudaudit.aws.cloudtrail_events_info) returns them.
  returned: success
  type: list
  elements: dict
  contains:
    event_id:
      description: The event id.
      type: str
    event_name:
      description: The API call, e.g. C(StopLogging).
      type: str
    event_source:
      description: The service, e.g. C(cloudtrail.amazonaws.com).
      type: str
    event_time:
      description: When the call was made (ISO 8601).
      type: str
    read_only:
      description: C(true) for read calls.
      type: str
    username:
      description: Who made the call.
      type: str
    access_key_id:
      description: The access key used.
      type: str
    resources:
      description: Resources referenced (C(resource_type), C(resource_name)).
      type: list
      elements: dict
    region:
      description: The region of the event.
      type: str
    account:
      description: The account that recorded the event.
      type: str
    cloud_trail_event:
      description: The CloudTrail record (camelCase keys; request parameters and response elements parsed from JSON).
      type: dict
truncated:
  description: Whether more events matched than O(max_results).
  returned: success
  type: bool
bytes_scanned:
  description: The bytes Athena read for the query (what it bills).
  returned: always
  type: int
  sample: 48213
query:
  description: The SQL the module ran.
  returned: always
  type: str
query_execution_id:
  description: The Athena query execution id.
  returned: always
  type: str
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._history.search import ensure


def argument_spec() -> dict:
    return dict(
        event_name=dict(type="list", elements="str"),
        username=dict(type="list", elements="str"),
        resource_name=dict(type="list", elements="str"),
        resource_type=dict(type="list", elements="str"),
        event_source=dict(type="list", elements="str"),
        access_key_id=dict(type="list", elements="str", no_log=False),
        event_id=dict(type="list", elements="str"),
        read_only=dict(type="bool"),
        start_time=dict(type="str", default="-7d"),
        end_time=dict(type="str"),
        accounts=dict(type="list", elements="str"),
        regions=dict(type="list", elements="str"),
        database=dict(type="str", default="cloudaudit"),
        table=dict(type="str", default="cloudtrail_logs"),
        workgroup=dict(type="str", default="cloudaudit"),
        max_results=dict(type="int", default=1000),
        timeout=dict(type="int", default=300),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
