#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_lake_import
short_description: Import trail logs from an S3 bucket into a CloudTrail Lake event data store
version_added: 1.0.0
description:
  - Starts an import (StartImport) of the CloudTrail log files a trail delivered to an S3 bucket into a CloudTrail Lake
    event data store, for example to query older events with Lake.
  - B(CloudTrail Lake is closed to new AWS customers since 2026-05-31.) Existing customers can continue to use it;
    this module serves the event data stores of existing customers.
  - Idempotent. An import into the same store from the same O(source) with the same O(start_time) and O(end_time)
    that is in progress or completed is returned instead of starting another (ListImports + GetImport).
    A failed or stopped one is not reused.
  - With O(wait=true), polls the import until it is C(COMPLETED) or C(FAILED) and returns its statistics;
    a failed import fails the task with the reasons AWS lists (ListImportFailures).
  - AWS runs one import per account at a time; the bucket must have ACLs disabled and the role must be able to read it.
options:
  destination:
    description: The event data store (name or ARN) to import into, in the module's region.
    type: str
    required: true
  source:
    description: Where the trail logs are, as V(s3://bucket/prefix) (for example V(s3://audit-logs/AWSLogs/123456789012/CloudTrail/)).
    type: str
    required: true
  source_region:
    description: The region of the source bucket; default the module's region.
    type: str
  access_role_arn:
    description: ARN of the IAM role CloudTrail assumes to read the bucket.
    type: str
    required: true
  start_time:
    description:
      - Import only events at or after this time (ISO 8601, for example V(2025-01-01T00:00:00Z)).
      - Relative times are not accepted (the window would move between runs and break idempotency).
    type: str
  end_time:
    description: Import only events at or before this time (ISO 8601).
    type: str
  wait:
    description: Wait until the import is C(COMPLETED) or C(FAILED).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true); the import is polled every O(wait_timeout)/60 seconds (1-30).
      - The task fails when the import is still running at the end (the import itself goes on).
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
notes:
  - In check mode nothing is started; C(lake_import.import_id) is C(null) for an import that would be started.
author: cloudaudit.aws maintainers (@cloudaudit)
"""

EXAMPLES = r"""
- name: Import 2025 trail logs of one account into a store, and wait
  cloudaudit.aws.cloudtrail_lake_import:
    destination: org-audit
    source: s3://audit-logs-123456789012/AWSLogs/123456789012/CloudTrail/
    source_region: us-east-1
    access_role_arn: arn:aws:iam::123456789012:role/CloudTrailLakeImport
    start_time: "2025-01-01T00:00:00Z"
    end_time: "2025-12-31T23:59:59Z"
    wait: true
    wait_timeout: 3600
  register: imported

- name: Show how many events were imported
  ansible.builtin.debug:
    msg: "{{ imported.lake_import.statistics.events_completed }} events"
"""

RETURN = r"""
lake_import:
  description: The import (existing, started, or that would be started in check mode).
  returned: always
  type: dict
  contains:
    import_id:
      description: Id of the import; C(null) in check mode for an import not started.
      type: str
    status:
      description: C(INITIALIZING), C(IN_PROGRESS), C(COMPLETED), C(FAILED) or C(STOPPED).
      type: str
    destinations:
      description: ARNs of the destination event data store.
      type: list
      elements: str
    source:
      description: The S3 URI imported.
      type: str
    source_region:
      description: Region of the bucket.
      type: str
    access_role_arn:
      description: Role used to read the bucket.
      type: str
    start_time:
      description: Start of the imported window (ISO 8601).
      type: str
    end_time:
      description: End of the imported window (ISO 8601).
      type: str
    created:
      description: When the import was started.
      type: str
    updated:
      description: Last status change.
      type: str
    statistics:
      description:
        - C(prefixes_found), C(prefixes_completed), C(files_completed), C(events_completed), C(failed_entries).
      type: dict
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake.imports import ensure


def argument_spec() -> dict:
    return dict(
        destination=dict(type="str", required=True),
        source=dict(type="str", required=True),
        source_region=dict(type="str"),
        access_role_arn=dict(type="str", required=True),
        start_time=dict(type="str"),
        end_time=dict(type="str"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
