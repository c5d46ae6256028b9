#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudtrail_log_validation_info
short_description: Prove a trail's delivered log files intact, as aws cloudtrail validate-logs does
version_added: 1.0.0
description:
  - Verifies the log files a trail delivered to S3 with its digest files (log file integrity validation,
    O(cloudaudit.aws.cloudtrail_trail#module:enable_log_file_validation)), for a time window.
  - Reads the trail (C(GetTrail)) for its bucket, key prefix and home region, lists the trail's digest files that end in the window,
    and walks each region's digest chain from the newest digest back through C(previousDigestS3Object).
  - A digest is valid when it is where it says it was delivered, its signature (object metadata C(signature), SHA256withRSA)
    verifies with the region's CloudTrail public key of its fingerprint (C(ListPublicKeys)), and its content and signature are
    those the next digest recorded (C(previousDigestHashValue), C(previousDigestSignature)). A digest the chain names but S3 no longer
    holds is missing.
  - Each log file a valid digest lists is valid when its uncompressed content has the SHA-256 the digest recorded, modified when not,
    missing when S3 no longer holds it. Log files of an invalid digest are not checked (nothing vouches for their hashes).
  - Read-only. Needs C(s3:ListBucket) and C(s3:GetObject) on the bucket, C(cloudtrail:ListPublicKeys), C(cloudtrail:GetTrail) (unless the
    trail is given by ARN with O(s3_bucket)) and, for an organization trail read that way, C(organizations:DescribeOrganization);
    the Python library C(cryptography) (an ansible-core dependency).
author: cloudaudit.aws maintainers (@cloudaudit)
requirements:
  - cryptography
options:
  trail:
    description:
      - The trail, by name (a trail of the module's region) or ARN (also a shadow or organization trail seen from a member account).
      - With an ARN and O(s3_bucket) the trail is not read (no C(cloudtrail:GetTrail)); its name, home region and account come from the ARN and
        the layout from O(s3_prefix) and O(organization_id). So the account that owns the audit bucket (the only one that may read it) verifies
        the files of every account's trail.
    type: str
    required: true
  start_time:
    description:
      - Start of the window, ISO 8601 (V(2026-11-01T00:00:00Z)) or relative to now (V(-7d), V(-12h), V(-30m)).
      - Digest files ending from then on are checked, and the chain is followed until a digest starts before it.
    type: str
    required: true
  end_time:
    description:
      - End of the window, as O(start_time). Now when unset.
    type: str
  s3_bucket:
    description:
      - The bucket to read instead of the trail's current one, for the files the trail delivered there before it changed buckets.
      - Digests record where CloudTrail delivered them; copies in a bucket CloudTrail did not deliver them to are reported as moved.
        The chain is followed into the bucket each digest names for the previous one.
    type: str
  s3_prefix:
    description:
      - The key prefix in front of C(AWSLogs/), instead of the trail's C(S3KeyPrefix). V("") for none.
    type: str
  account_id:
    description:
      - The account whose log files to verify. The trail's account when unset.
      - For an organization trail, the member account (its files are under C(AWSLogs/<organization id>/<account id>/)).
    type: str
  organization_id:
    description:
      - The organization id of an organization trail's layout (C(AWSLogs/<organization id>/<account id>/)), with O(s3_bucket) and a trail ARN
        in O(trail); otherwise the trail's own setting is used (read from the trail).
    type: str
  log_regions:
    description:
      - The regions whose digest files to verify (a multi-region trail delivers a digest chain per region). The trail's home region when unset.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Verify the last week of the audit trail's logs
  cloudaudit.aws.cloudtrail_log_validation_info:
    trail: audit
    start_time: -7d
  register: validation

- name: Fail when a log file or digest was changed, deleted or forged
  ansible.builtin.assert:
    that: validation.valid
    fail_msg: >-
      {{ validation.log_files | rejectattr('status', 'equalto', 'valid') | map(attribute='s3_object') | list
         + validation.digest_files | rejectattr('status', 'equalto', 'valid') | map(attribute='s3_object') | list }}

- name: One member account of an organization trail, in two regions
  cloudaudit.aws.cloudtrail_log_validation_info:
    trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit
    account_id: "444455556666"
    log_regions: [us-east-1, eu-west-1]
    start_time: "2026-11-01T00:00:00Z"
    end_time: "2026-11-02T00:00:00Z"
"""

RETURN = r"""
valid:
  description:
    - True when at least one digest file was verified and no digest file is invalid or missing and no log file modified or missing.
  returned: always
  type: bool
  sample: true
counts:
  description: How many digest files are valid, invalid, missing and how many log files are valid, modified, missing.
  returned: always
  type: dict
  sample: {digest_files: {valid: 24, invalid: 0, missing: 0}, log_files: {valid: 130, modified: 0, missing: 0}}
digest_files:
  description:
    - Every digest file looked at, newest first per region. C(status) is V(valid), V(invalid) or V(missing);
      C(reasons) says why (signature does not verify, hash chain broken, moved, no public key, named by the next digest but missing).
  returned: always
  type: list
  elements: dict
  sample:
    - s3_bucket: audit-logs
      s3_object: AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30/123456789012_CloudTrail-Digest_us-east-1_audit_us-east-1_20261130T120000Z.json.gz
      region: us-east-1
      status: invalid
      reasons: ["signature does not verify: the digest was changed after CloudTrail signed it"]
      digest_end_time: "2026-11-30T12:00:00Z"
      log_file_count: 3
log_files:
  description:
    - Every log file the valid digest files list. C(status) is V(valid), V(modified) or V(missing); C(digest_s3_object) is the digest that lists it.
  returned: always
  type: list
  elements: dict
  sample:
    - s3_bucket: audit-logs
      s3_object: AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30/123456789012_CloudTrail_us-east-1_20261130T1155Z_a1b2c3d4e5f6g7h8.json.gz
      region: us-east-1
      status: modified
      digest_s3_object: >-
        AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30/123456789012_CloudTrail-Digest_us-east-1_audit_us-east-1_20261130T120000Z.json.gz
      oldest_event_time: "2026-11-30T11:50:02Z"
      newest_event_time: "2026-11-30T11:54:40Z"
trail_arn:
  description: The trail verified.
  returned: always
  type: str
  sample: arn:aws:cloudtrail:us-east-1:123456789012:trail/audit
log_file_validation_enabled:
  description:
    - Whether the trail has log file validation on now (digests of earlier periods may exist either way).
    - Null when the trail was not read (given by ARN with O(s3_bucket)).
  returned: always
  type: bool
s3_bucket:
  description: The bucket read.
  returned: always
  type: str
s3_prefix:
  description: The key prefix in front of C(AWSLogs/), null for none.
  returned: always
  type: str
account_id:
  description: The account whose files were verified.
  returned: always
  type: str
organization_id:
  description: The organization id in the keys of an organization trail, null otherwise.
  returned: always
  type: str
regions:
  description: The regions whose digest chains were walked.
  returned: always
  type: list
  elements: str
start_time:
  description: Start of the window, ISO 8601 UTC.
  returned: always
  type: str
end_time:
  description: End of the window, ISO 8601 UTC.
  returned: always
  type: str
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._log_validation.info import ensure_info


def argument_spec() -> dict:
    return dict(
        trail=dict(type="str", required=True),
        start_time=dict(type="str", required=True),
        end_time=dict(type="str"),
        s3_bucket=dict(type="str"),
        s3_prefix=dict(type="str"),
        account_id=dict(type="str"),
        organization_id=dict(type="str"),
        log_regions=dict(type="list", elements="str"),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure_info)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
