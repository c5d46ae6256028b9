#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_events_info
short_description: Search the CloudTrail event history (90 days) in one or more regions
version_added: 1.0.0
description:
  - Searches the CloudTrail event history (LookupEvents) of the account, the free record of the last 90 days of
    management events (or Insights events), in one region, a list of regions, or every enabled region.
  - Regions are queried concurrently; within each region the module pages through the results at most 2 requests
    per second (the LookupEvents quota per account and region) and retries throttling with backoff.
  - Returns the events with the C(CloudTrailEvent) JSON parsed, and the number of events found per region.
  - Read-only; it runs the same in check mode.
options:
  lookup_attribute:
    description:
      - The one attribute AWS filters on (AWS allows one per search). Requires O(lookup_value).
      - Without it, every event of the time window is returned.
    type: str
    choices: [EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId]
  lookup_value:
    description:
      - The value of O(lookup_attribute) (1-2000 characters; V(true) or V(false) for V(ReadOnly)).
    type: str
  start_time:
    description:
      - Start of the window, ISO 8601 (V(2026-11-01T10:00:00Z)) or relative to now (V(-7d), V(-12h), V(-30m), V(-45s)).
      - Must lie within the last 90 days (older is an error; older events are in the trail's S3 bucket or a Lake store).
    type: str
  end_time:
    description:
      - End of the window, in the same formats as O(start_time); default now.
    type: str
  event_category:
    description:
      - V(management) searches management events; V(insight) searches CloudTrail Insights events.
    type: str
    choices: [management, insight]
    default: management
  regions:
    description:
      - Regions to search; V([all]) searches every region enabled for the account (ec2 DescribeRegions).
      - Default is the module's region.
    type: list
    elements: str
  max_results:
    description:
      - The most events returned per region (newest first). Regions with more matching events are listed in RV(truncated).
      - Unset returns every matching event, which can take a long time without O(lookup_attribute).
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
author: cloudaudit.aws maintainers (@cloudaudit)
"""

EXAMPLES = r"""
- name: Who stopped logging last week, in every enabled region
  cloudaudit.aws.cloudtrail_events_info:
    lookup_attribute: EventName
    lookup_value: StopLogging
    start_time: -7d
    regions: [all]
  register: stopped

- name: What did one user do in the last 12 hours in two regions
  cloudaudit.aws.cloudtrail_events_info:
    lookup_attribute: Username
    lookup_value: alice
    start_time: -12h
    regions: [us-east-1, eu-west-1]
    max_results: 200
"""

RETURN = r"""
events:
  description: The events found, newest first.
  returned: always
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
      description: The full CloudTrail record, parsed from JSON.
      type: dict
counts:
  description: The number of events returned per region.
  returned: always
  type: dict
  sample: {"us-east-1": 3, "eu-west-1": 0}
regions:
  description: The regions searched.
  returned: always
  type: list
  elements: str
truncated:
  description: Regions where more events matched than O(max_results).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._events.model import LOOKUP_KEYS
from ansible_collections.cloudaudit.aws.plugins.module_utils._events.search import ensure


def argument_spec() -> dict:
    return dict(
        lookup_attribute=dict(type="str", choices=list(LOOKUP_KEYS)),
        lookup_value=dict(type="str"),
        start_time=dict(type="str"),
        end_time=dict(type="str"),
        event_category=dict(type="str", choices=["management", "insight"], default="management"),
        regions=dict(type="list", elements="str"),
        max_results=dict(type="int"),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure, rules=dict(required_together=[("lookup_attribute", "lookup_value")]))


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
