#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_athena
short_description: Athena over the CloudTrail audit bucket - a Glue table with partition projection, a workgroup and its results bucket
version_added: 1.0.0
description:
  - Makes years of CloudTrail log files in the audit bucket searchable with SQL in Amazon Athena. Creates or updates the Glue
    database O(database), the table O(table) over C(s3://<bucket>/<prefix/>AWSLogs/[<organization id>/]) with the CloudTrail
    columns AWS documents for Athena, CloudTrail's input format and SerDe, and partition projection over C(account), C(region)
    and C(day) (C(yyyy/MM/dd)); the Athena workgroup O(workgroup.name) that writes query results to the results bucket; and,
    with O(manage_results_bucket=true), that results bucket.
  - Partition projection means no Glue crawler and no C(MSCK REPAIR TABLE) or C(ALTER TABLE ADD PARTITION), ever. Athena computes
    the partitions from the table's parameters at query time, for the accounts, regions and days the table lists.
  - Cost. Athena bills per terabyte of data scanned, with a minimum of 10 MB per query. The workgroup's per-query cutoff
    O(workgroup.bytes_scanned_cutoff) (10 GiB by default) cancels a query that would scan more, and with O(workgroup.enforce=true)
    no query in the workgroup can override it. Filter on C(day), C(account) and C(region) so a query reads only those partitions.
    The results bucket's objects expire after O(workgroup.results_expire_days).
  - Before any write, in check mode too, the module checks that O(bucket) exists and that its keys under
    C(<s3_key_prefix/>AWSLogs/) match O(s3_key_prefix) and O(organization_id) (it lists the first folder level there, and when
    that is empty the first 100 keys of the bucket). Logs under another prefix, or an organization trail's C(AWSLogs/<o-id>/)
    while O(organization_id) is unset (or the reverse), fail naming the option and the layout found. A bucket without any
    CloudTrail log yet is accepted with a warning.
  - The table is updated in place (Glue C(UpdateTable)) when its columns, location, formats or projection parameters differ,
    never deleted and created again. Table parameters the module does not manage are kept.
  - O(accounts), O(regions) and O(projection_start) left unset leave the table's values as they are; for a new table they
    default to the account of the credentials in use, the regions enabled for it (C(ec2:DescribeRegions)) and January 1st of
    last year.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  state:
    description:
      - V(present) creates or updates the database, table, workgroup and (with O(manage_results_bucket)) the results bucket.
      - V(absent) deletes the table and the workgroup (with its saved queries and query history). The Glue database and the
        audit bucket are never deleted; the results bucket only with O(delete_results_bucket=true).
    type: str
    choices: [present, absent]
    default: present
  bucket:
    description:
      - The audit bucket the trail delivers to. It must exist. Required with O(state=present).
    type: str
  s3_key_prefix:
    description:
      - The trail's S3 key prefix (without a leading or trailing C(/)); unset for a trail without prefix.
    type: str
  organization_id:
    description:
      - The organization id (C(o-...)) of an organization trail, whose logs are under C(AWSLogs/<organization id>/<account>/).
        Unset for an account trail (C(AWSLogs/<account>/)).
    type: str
  accounts:
    description:
      - The 12-digit account ids whose logs the table covers (C(projection.account.values)).
      - Mutually exclusive with O(accounts_from_organization). Unset leaves the table's list; a new table covers the account
        of the credentials in use.
    type: list
    elements: str
  accounts_from_organization:
    description:
      - Cover every account of the organization, read with C(organizations:ListAccounts) (from the management account or a
        delegated administrator). Run again after accounts join.
    type: bool
    default: false
  regions:
    description:
      - The regions whose logs the table covers (C(projection.region.values)).
      - Unset leaves the table's list; a new table covers the regions enabled for the account (C(ec2:DescribeRegions)).
    type: list
    elements: str
  projection_start:
    description:
      - The first day the table covers, C(yyyy/MM/dd) (C(projection.day.range) is C(<projection_start>,NOW)). Not in the future.
      - Unset leaves the table's value; a new table starts on January 1st of last year (a fixed date, so that the table does
        not change every day). Days without logs cost nothing to project.
    type: str
  database:
    description: The Glue database (created when missing, never deleted). Lowercase letters, digits and C(_).
    type: str
    default: cloudaudit
  table:
    description: The Glue table. Lowercase letters, digits and C(_).
    type: str
    default: cloudtrail_logs
  workgroup:
    description: The Athena workgroup queries run in, and where their results go.
    type: dict
    default: {}
    suboptions:
      name:
        description: The workgroup's name.
        type: str
        default: cloudaudit
      bytes_scanned_cutoff:
        description:
          - C(BytesScannedCutoffPerQuery) - the most bytes one query may scan before Athena cancels it. At least 10000000 (10 MB,
            Athena's minimum). Default 10 GiB.
        type: int
        default: 10737418240
      enforce:
        description:
          - C(EnforceWorkGroupConfiguration) - queries cannot override the workgroup's results location, encryption and cutoff.
        type: bool
        default: true
      publish_cloudwatch_metrics:
        description: C(PublishCloudWatchMetricsEnabled) - per-query metrics (data scanned) in CloudWatch.
        type: bool
        default: true
      results_bucket:
        description:
          - The bucket query results are written to. Default C(cloudaudit-athena-results-<account id>-<region>).
          - A bucket of the account of the credentials in use.
        type: str
      results_prefix:
        description: The key prefix of the results (the output location is C(s3://<results_bucket>/<results_prefix>/)).
        type: str
        default: athena
      results_kms_key_id:
        description:
          - A KMS key ARN or key id (of the connection's region; Athena takes no alias) to encrypt results with C(SSE_KMS) (and the
            results bucket's default encryption, with a bucket key). Unset means C(SSE_S3).
        type: str
      results_expire_days:
        description:
          - With O(manage_results_bucket=true), query results expire after this many days (a lifecycle rule on the results prefix).
        type: int
        default: 30
  manage_results_bucket:
    description:
      - Create the results bucket when missing, and keep it protected - public access blocked (all four settings), object
        ownership C(BucketOwnerEnforced), default encryption (SSE-S3, or SSE-KMS with O(workgroup.results_kms_key_id)),
        a policy statement denying requests without TLS (other statements kept), and a lifecycle rule expiring results
        after O(workgroup.results_expire_days) (other rules kept). V(false) uses an existing bucket as it is.
    type: bool
    default: true
  delete_results_bucket:
    description:
      - With O(state=absent), also empty and delete the results bucket (query results only, never audit logs).
    type: bool
    default: false
notes:
  - A no-op run reads C(sts:GetCallerIdentity), C(s3:HeadBucket) and one or two C(s3:ListObjectsV2) on the audit bucket,
    C(glue:GetTable), C(glue:GetDatabase), C(athena:GetWorkGroup) (and C(athena:ListTagsForResource) with O(tags)), and with
    O(manage_results_bucket) six reads of the results bucket; it writes nothing.
  - Querying needs C(athena:StartQueryExecution), C(athena:GetQueryExecution), C(athena:GetQueryResults), C(glue:GetTable),
    C(glue:GetDatabase), C(s3:GetObject) and C(s3:ListBucket) on the audit bucket, and write access to the results bucket.
  - With an SSE-KMS trail, readers also need C(kms:Decrypt) on the trail's key.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Search the account trail's logs of two regions since 2025
  cloudaudit.aws.cloudtrail_athena:
    bucket: audit-logs-123456789012
    s3_key_prefix: trails
    accounts: ["123456789012"]
    regions: [us-east-1, eu-west-1]
    projection_start: "2025/01/01"

- name: The organization trail's logs, every account of the organization, a 1 GiB cutoff per query, KMS-encrypted results
  cloudaudit.aws.cloudtrail_athena:
    bucket: org-audit-logs
    organization_id: o-a1b2c3d4e5
    accounts_from_organization: true
    regions: [us-east-1, eu-west-1, eu-central-1]
    workgroup:
      name: security
      bytes_scanned_cutoff: 1073741824
      results_kms_key_id: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
      results_expire_days: 7
    tags:
      team: security

- name: Drift check (no write; what would change)
  cloudaudit.aws.cloudtrail_athena:
    bucket: audit-logs-123456789012
  check_mode: true
  diff: true
  register: athena_drift

- name: Remove the table and the workgroup, and the results bucket
  cloudaudit.aws.cloudtrail_athena:
    state: absent
    delete_results_bucket: true
"""

RETURN = r"""
database:
  description: The Glue database.
  returned: always
  type: str
  sample: cloudaudit
table:
  description: The Glue table (query it as C(<database>.<table>) in the workgroup).
  returned: always
  type: str
  sample: cloudtrail_logs
location:
  description: The table's location (null after O(state=absent)).
  returned: always
  type: str
  sample: s3://audit-logs-123456789012/trails/AWSLogs/
location_template:
  description: C(storage.location.template) - where Athena finds the logs of one account, region and day.
  returned: always
  type: str
  sample: s3://audit-logs-123456789012/trails/AWSLogs/${account}/CloudTrail/${region}/${day}
accounts:
  description: The accounts the table covers.
  returned: always
  type: list
  elements: str
  sample: ["123456789012"]
regions:
  description: The regions the table covers.
  returned: always
  type: list
  elements: str
  sample: [eu-west-1, us-east-1]
projection_start:
  description: The first day the table covers.
  returned: always
  type: str
  sample: "2025/01/01"
workgroup:
  description: The workgroup after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    name:
      description: Its name.
      type: str
      returned: always
    output_location:
      description: Where query results go (null after O(state=absent)).
      type: str
      returned: always
    bytes_scanned_cutoff:
      description: The per-query cutoff in bytes (null after O(state=absent)).
      type: int
      returned: always
  sample: {"name": "cloudaudit", "output_location": "s3://cloudaudit-athena-results-123456789012-us-east-1/athena/", "bytes_scanned_cutoff": 10737418240}
results_bucket:
  description: The results bucket's name.
  returned: always
  type: str
  sample: cloudaudit-athena-results-123456789012-us-east-1
changes:
  description: The changes made (or that would be made in check mode), in the order applied.
  returned: always
  type: list
  elements: dict
  sample:
    - {"setting": "workgroup", "action": "update", "before": {"BytesScannedCutoffPerQuery": 20000000}, "after": {"BytesScannedCutoffPerQuery": 10737418240}}
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._athena.ensure import ensure
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run

GIB = 1024**3


def argument_spec() -> dict:
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        bucket=dict(type="str"),
        s3_key_prefix=dict(type="str", no_log=False),
        organization_id=dict(type="str"),
        accounts=dict(type="list", elements="str"),
        accounts_from_organization=dict(type="bool", default=False),
        regions=dict(type="list", elements="str"),
        projection_start=dict(type="str"),
        database=dict(type="str", default="cloudaudit"),
        table=dict(type="str", default="cloudtrail_logs"),
        workgroup=dict(
            type="dict",
            default={},
            options=dict(
                name=dict(type="str", default="cloudaudit"),
                bytes_scanned_cutoff=dict(type="int", default=10 * GIB),
                enforce=dict(type="bool", default=True),
                publish_cloudwatch_metrics=dict(type="bool", default=True),
                results_bucket=dict(type="str"),
                results_prefix=dict(type="str", default="athena"),
                results_kms_key_id=dict(type="str"),
                results_expire_days=dict(type="int", default=30),
            ),
        ),
        manage_results_bucket=dict(type="bool", default=True),
        delete_results_bucket=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure, {"required_if": [("state", "present", ["bucket"])]})


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
