#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: s3_audit_bucket_info
short_description: Read S3 audit buckets and report what an auditor would flag
version_added: 1.0.0
description:
  - Reads one bucket (O(name)) or every bucket of the account whose name starts with O(name_prefix), and returns the same normalised
    configuration as M(cloudaudit.aws.s3_audit_bucket) (every setting, read concurrently) plus the Requester Pays setting, the bucket
    region and a list of findings.
  - Findings are public access not fully blocked, no default encryption, versioning off, no lifecycle rules, no server access logging,
    ACLs enabled, Requester Pays on, and a bucket policy that does not let CloudTrail deliver the logs of the accounts in O(cloudtrail_account_ids).
  - Only reads; fully safe in check mode.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  name:
    description:
      - The bucket to read. A bucket that does not exist gives an empty RV(buckets) list.
      - One of O(name) and O(name_prefix) is required.
    type: str
  name_prefix:
    description:
      - Read every bucket of the account whose name starts with this prefix (an empty string reads every bucket).
    type: str
  expected_owner:
    description:
      - The 12-digit account id that must own the bucket (sent as C(ExpectedBucketOwner)).
    type: str
  cloudtrail_account_ids:
    description:
      - Accounts whose CloudTrail logs the bucket policy must accept (one finding per account that is not allowed).
    type: list
    elements: str
    default: []
  cloudtrail_key_prefix:
    description:
      - The S3 key prefix the trails use, for the policy check.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
seealso:
  - module: cloudaudit.aws.s3_audit_bucket
"""

EXAMPLES = r"""
- name: Audit the central log bucket for two accounts
  cloudaudit.aws.s3_audit_bucket_info:
    name: acme-org-cloudtrail-logs
    cloudtrail_account_ids: ["111122223333", "444455556666"]
  register: audit

- name: Fail when anything was found
  ansible.builtin.assert:
    that: audit.buckets | map(attribute='findings') | flatten | length == 0

- name: Every bucket whose name starts with acme-
  cloudaudit.aws.s3_audit_bucket_info:
    name_prefix: acme-
  register: all_buckets
"""

RETURN = r"""
buckets:
  description: The buckets read, each with its normalised configuration and findings.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The bucket name.
      type: str
    arn:
      description: The bucket ARN.
      type: str
    region:
      description: The region of the bucket.
      type: str
    policy:
      description: The bucket policy document (null when none).
      type: dict
    public_access_block:
      description: The four public access block flags.
      type: dict
    object_ownership:
      description: The object ownership setting (null when unset).
      type: str
    versioning:
      description: C(Enabled), C(Suspended) or C(Disabled).
      type: str
    mfa_delete:
      description: Whether MFA delete is enabled.
      type: bool
    encryption:
      description: Default encryption, keys C(sse_algorithm), C(kms_key_id), C(bucket_key_enabled); null when none.
      type: dict
    access_logging:
      description: Server access logging, keys C(target_bucket), C(target_prefix), C(key_format), C(partition_date_source); null when off.
      type: dict
    lifecycle_rules:
      description: The lifecycle rules, in the shape of the O(cloudaudit.aws.s3_audit_bucket#module:lifecycle_rules) option.
      type: list
      elements: dict
    object_lock:
      description: Object Lock, keys C(enabled), C(mode), C(days), C(years).
      type: dict
    tags:
      description: The bucket tags.
      type: dict
    requester_pays:
      description: Whether Requester Pays is on.
      type: bool
    findings:
      description: What an auditor would flag, each with C(id) and C(message).
      type: list
      elements: dict
      sample: [{id: no_access_logging, message: server access logging is off (CIS 3.4)}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3.info import list_info


def argument_spec() -> dict:
    return dict(
        name=dict(type="str"),
        name_prefix=dict(type="str"),
        expected_owner=dict(type="str"),
        cloudtrail_account_ids=dict(type="list", elements="str", default=[]),
        cloudtrail_key_prefix=dict(type="str", no_log=False),
    )


DEFINITION = ModuleDefinition(argument_spec, list_info, rules=dict(mutually_exclusive=[["name", "name_prefix"]]))


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
