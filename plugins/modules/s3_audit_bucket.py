#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: s3_audit_bucket
short_description: Manage the hardened S3 bucket that receives CloudTrail logs
version_added: 1.0.0
description:
  - Creates, updates or deletes an S3 bucket meant to hold audit logs, with the CloudTrail bucket policy generated from the accounts,
    organization and trails that deliver to it, and the security defaults of an audit bucket (all four public access block flags,
    object ownership C(BucketOwnerEnforced), versioning, default encryption).
  - Also manages server access logging, Object Lock, the lifecycle rules (transitions to Glacier, expiration, noncurrent versions) and tags.
  - Only the settings the task manages are read, concurrently; a run that changes nothing on a fully managed bucket makes at most 9 read calls
    and no write. The Requester Pays setting is read only when the run is about to change an existing bucket (one more call), so a no-op
    run does not see it; M(cloudaudit.aws.s3_audit_bucket_info) always reports it.
  - Data-loss guards. Deleting a bucket that holds any object version needs O(force_delete_logs=true). Shortening an existing expiration
    needs O(allow_retention_decrease=true). An expiration shorter than the Object Lock default retention is refused. A Requester Pays bucket
    (which cannot receive CloudTrail logs) is refused. A real run refuses a guarded change before any write; check mode reports it (changed,
    diff) with a warning naming the option, so a drift check shows the drift instead of stopping.
  - The bucket is created in the region of the connection (O(region)).
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  name:
    description:
      - The bucket name (3-63 characters; lowercase letters, digits, dots and hyphens).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the bucket, V(absent) deletes it (see O(force_delete_logs)).
    type: str
    choices: [present, absent]
    default: present
  expected_owner:
    description:
      - The 12-digit account id that must own the bucket. Sent as C(ExpectedBucketOwner) on every call that accepts it, so a bucket name
        owned by another account fails with a clear message instead of being changed.
    type: str
  cloudtrail_access:
    description:
      - Generate the bucket policy statements that let CloudTrail deliver logs (Sids C(CloudAuditCloudTrailAclCheck) and C(CloudAuditCloudTrailWrite)).
      - C(s3:GetBucketAcl) on the bucket, and C(s3:PutObject) on C([key_prefix/]AWSLogs/<account-id>/*) for each account and
        C([key_prefix/]AWSLogs/<organization-id>/*) for an organization, with C(s3:x-amz-acl=bucket-owner-full-control).
      - Against the confused-deputy problem the statements carry an C(aws:SourceArn) condition with O(cloudtrail_access.trail_arns) when given,
        otherwise C(aws:SourceOrgID) when O(cloudtrail_access.organization_id) is given, otherwise C(aws:SourceAccount) with the account ids.
      - Without O(cloudtrail_access.account_ids) and O(cloudtrail_access.organization_id), the account of the credentials in use is allowed (one STS call).
      - Unset leaves every statement that grants CloudTrail as it is, whoever wrote it and whatever O(purge_policy_statements) says, so a task that
        manages only, say, the lifecycle of an existing audit bucket never cuts the delivery of the trails writing into it.
      - Removing CloudTrail's access stops the delivery of audit logs, so it is explicit and guarded like deleting logs, with
        O(cloudtrail_access.state=absent) together with O(force_stop_delivery=true).
    type: dict
    suboptions:
      state:
        description:
          - V(present) generates the statements from the other sub-options. V(absent) removes the generated statements (and, with
            O(purge_policy_statements=true), every other statement granting CloudTrail); it needs O(force_stop_delivery=true) when the policy
            holds any. Without it a real run fails before any change, and check mode reports the removal with a warning.
        type: str
        choices: [present, absent]
        default: present
      account_ids:
        description: Accounts whose trails deliver into the bucket.
        type: list
        elements: str
      organization_id:
        description: The AWS Organizations id (C(o-...)) whose organization trail delivers into the bucket.
        type: str
      trail_arns:
        description:
          - ARNs of the trails allowed to deliver (they become C(aws:SourceArn) conditions).
          - The trail ARNs the generated statements already allow stay, as the accounts do, unless O(cloudtrail_access.purge_account_ids=true).
        type: list
        elements: str
      key_prefix:
        description: The S3 key prefix the trails use (without leading or trailing C(/); at most 200 characters).
        type: str
      purge_account_ids:
        description:
          - V(false) keeps the accounts that the generated statements already let deliver, adding those of O(cloudtrail_access.account_ids),
            so that a run seeing only some accounts (C(--limit), an AWX / AAP job slice, a second inventory) never stops the delivery of
            the others.
          - V(true) makes the list (and O(cloudtrail_access.trail_arns)) exact. Taking an account or trail away stops the delivery of its
            trails into the bucket, so it also needs O(force_stop_delivery=true); without it a real run fails before any change, and check
            mode reports it with a warning.
        type: bool
        default: false
  deny_insecure_transport:
    description:
      - Add a statement (Sid C(CloudAuditDenyInsecureTransport)) denying every request made without TLS.
    type: bool
    default: true
  policy_statements:
    description:
      - Further bucket policy statements of your own, as dictionaries (C(Sid), C(Effect), C(Principal), C(Action), C(Resource), C(Condition)).
      - Sids starting with C(CloudAudit) are reserved for the generated statements.
    type: list
    elements: dict
  purge_policy_statements:
    description:
      - When V(true) the policy holds exactly the generated statements and O(policy_statements).
      - When V(false), statements already in the policy that the task does not name (by Sid or by content) are kept.
    type: bool
    default: false
  public_access_block:
    description:
      - V(true) sets all four public access block flags of the bucket. V(false) leaves them as they are (not read).
    type: bool
    default: true
  object_ownership:
    description:
      - The object ownership setting. C(BucketOwnerEnforced) disables ACLs, as AWS recommends for log buckets.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
    default: BucketOwnerEnforced
  versioning:
    description:
      - V(true) enables versioning; V(false) suspends it (refused with Object Lock).
    type: bool
    default: true
  encryption:
    description:
      - Default encryption. C(AES256) is SSE-S3; C(aws:kms) is SSE-KMS with O(kms_key_id) (or the AWS managed key when unset).
      - Defaults to C(aws:kms) when O(kms_key_id) is set, otherwise C(AES256).
    type: str
    choices: [AES256, 'aws:kms']
  kms_key_id:
    description:
      - The KMS key for SSE-KMS (key id, key ARN, alias or alias ARN), compared as given.
    type: str
  bucket_key_enabled:
    description:
      - Use an S3 Bucket Key with SSE-KMS (fewer KMS requests). Ignored with C(AES256).
    type: bool
    default: true
  access_logging:
    description:
      - Server access logging (CIS 3.4). An empty dictionary (no O(access_logging.target_bucket)) turns logging off; unset leaves it as it is.
    type: dict
    suboptions:
      target_bucket:
        description: The bucket receiving the access logs (another bucket).
        type: str
      target_prefix:
        description: The key prefix of the access logs.
        type: str
      key_format:
        description: C(simple) (C([prefix]YYYY-mm-DD-HH-MM-SS-UniqueString)) or C(partitioned) (by account, region and date). Defaults to C(simple).
        type: str
        choices: [simple, partitioned]
      partition_date_source:
        description: With C(partitioned) keys, the date used in the key. Defaults to C(EventTime).
        type: str
        choices: [EventTime, DeliveryTime]
  object_lock:
    description:
      - Object Lock, enabled at creation or on an existing versioned bucket, and its default retention.
      - The default retention is exactly what is given; without O(object_lock.mode) the bucket has no default retention.
      - Object Lock cannot be disabled once enabled.
    type: dict
    suboptions:
      enabled:
        description: Whether Object Lock is enabled.
        type: bool
        default: true
      mode:
        description: The default retention mode.
        type: str
        choices: [GOVERNANCE, COMPLIANCE]
      days:
        description: Default retention in days (1-36500). Mutually exclusive with O(object_lock.years).
        type: int
      years:
        description: Default retention in years (1-100). Mutually exclusive with O(object_lock.days).
        type: int
  lifecycle_rules:
    description:
      - Lifecycle rules, merged by C(id) with the rules already on the bucket (S3 replaces the whole configuration on each write).
      - A rule named here is set exactly as given (fields left out are removed from that rule).
      - An empty list with O(purge_lifecycle_rules=true) removes the lifecycle configuration.
    type: list
    elements: dict
    suboptions:
      id:
        description: The rule id (1-255 characters), unique.
        type: str
        required: true
      enabled:
        description: Whether the rule is enabled.
        type: bool
        default: true
      prefix:
        description: Only objects with this key prefix.
        type: str
      tags:
        description: Only objects with all these tags.
        type: dict
      object_size_greater_than:
        description: Only objects larger than this many bytes.
        type: int
      object_size_less_than:
        description: Only objects smaller than this many bytes.
        type: int
      transitions:
        description: Transitions of current versions; days must increase as the storage class gets colder.
        type: list
        elements: dict
        suboptions:
          days:
            description: Days after creation.
            type: int
            required: true
          storage_class:
            description: The target storage class.
            type: str
            required: true
            choices: [STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE]
      expiration_days:
        description: Expire current versions this many days after creation (after the last transition).
        type: int
      expired_object_delete_marker:
        description: Remove delete markers that have no noncurrent version left (not with O(lifecycle_rules[].expiration_days) or a tag filter).
        type: bool
      noncurrent_transitions:
        description: Transitions of noncurrent versions.
        type: list
        elements: dict
        suboptions:
          days:
            description: Days after the version became noncurrent.
            type: int
            required: true
          storage_class:
            description: The target storage class.
            type: str
            required: true
            choices: [STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE]
          newer_versions:
            description: Keep this many newer noncurrent versions in the current class (1-100).
            type: int
      noncurrent_expiration_days:
        description: Delete noncurrent versions this many days after they became noncurrent.
        type: int
      noncurrent_newer_versions:
        description: With O(lifecycle_rules[].noncurrent_expiration_days), keep this many newer noncurrent versions (1-100).
        type: int
      abort_incomplete_multipart_days:
        description: Abort incomplete multipart uploads after this many days.
        type: int
  purge_lifecycle_rules:
    description:
      - When V(true) the configuration holds exactly the rules of the task; when V(false) other existing rules are kept.
    type: bool
    default: false
  transition_default_minimum_object_size:
    description:
      - Which objects the lifecycle transitions move by default (C(TransitionDefaultMinimumObjectSize) of the lifecycle configuration).
      - V(all_storage_classes_128K), what S3 applies since September 2024 unless told otherwise, moves no object smaller than 128 KB, and
        most CloudTrail log files are smaller, so a transition to Glacier then moves almost nothing and the logs stay in S3 Standard.
        V(varies_by_storage_class) lets objects of any size transition (to Glacier Flexible Retrieval and Deep Archive), each paying the
        per-object transition charge and, in Glacier classes, about 40 KB of metadata billed with it.
      - Unset leaves it as it is (and a lifecycle write of this module keeps it). It is part of the lifecycle configuration, so it needs
        lifecycle rules (O(retention), O(lifecycle_rules) or existing ones), and it is read only when it or the rules are managed.
    type: str
    choices: [all_storage_classes_128K, varies_by_storage_class]
  retention:
    description:
      - A one-line preset that expands to a lifecycle rule with id C(cloudaudit-retention) for the whole bucket.
    type: dict
    suboptions:
      glacier_after_days:
        description: Transition to GLACIER after this many days.
        type: int
      deep_archive_after_days:
        description: Transition to DEEP_ARCHIVE after this many days.
        type: int
      expire_after_days:
        description: Expire the logs after this many days.
        type: int
  force_delete_logs:
    description:
      - With O(state=absent), delete every object version and delete marker (the audit logs) before deleting the bucket.
        Without it, deleting a bucket that holds any object version fails and nothing is deleted.
    type: bool
    default: false
  force_stop_delivery:
    description:
      - Allow O(cloudtrail_access.state=absent) to remove statements that let CloudTrail write into the bucket, which stops the delivery of
        every trail logging to it, and O(cloudtrail_access.purge_account_ids=true) to take accounts out of them, which stops the delivery
        of those accounts' trails. Without it such a task fails and nothing is changed.
    type: bool
    default: false
  allow_retention_decrease:
    description:
      - Allow a lifecycle rule to shorten an existing expiration or noncurrent expiration (which deletes logs earlier).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
notes:
  - RV(bucket) holds the settings the task manages (the ones it read); use M(cloudaudit.aws.s3_audit_bucket_info) for all of them.
seealso:
  - module: cloudaudit.aws.s3_audit_bucket_info
"""

EXAMPLES = r"""
- name: Central log-archive bucket for an organization trail
  cloudaudit.aws.s3_audit_bucket:
    name: acme-org-cloudtrail-logs
    expected_owner: "111122223333"
    cloudtrail_access:
      account_ids: ["111122223333"]
      organization_id: o-a1b2c3d4e5
      trail_arns:
        - arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail
    kms_key_id: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    access_logging:
      target_bucket: acme-s3-access-logs
      target_prefix: cloudtrail/
      key_format: partitioned
    object_lock:
      mode: GOVERNANCE
      days: 365
    retention:
      glacier_after_days: 90
      deep_archive_after_days: 365
      expire_after_days: 2555
    lifecycle_rules:
      - id: noncurrent-versions
        noncurrent_expiration_days: 400
        abort_incomplete_multipart_days: 7
    tags:
      purpose: audit-logs

- name: Single-account bucket with SSE-S3 and a one-year retention
  cloudaudit.aws.s3_audit_bucket:
    name: acme-dev-cloudtrail
    cloudtrail_access: {}
    retention:
      expire_after_days: 365

- name: Drift check of the bucket (no change made)
  cloudaudit.aws.s3_audit_bucket:
    name: acme-dev-cloudtrail
    cloudtrail_access: {}
  check_mode: true
  diff: true
  register: drift

- name: Add retention to an existing audit bucket (the statements granting CloudTrail stay as they are)
  cloudaudit.aws.s3_audit_bucket:
    name: acme-org-cloudtrail-logs
    retention:
      glacier_after_days: 90

- name: Stop CloudTrail delivery into a bucket being retired (explicit and guarded)
  cloudaudit.aws.s3_audit_bucket:
    name: acme-old-cloudtrail
    cloudtrail_access:
      state: absent
    force_stop_delivery: true

- name: Delete a test bucket and every log in it
  cloudaudit.aws.s3_audit_bucket:
    name: acme-sandbox-cloudtrail
    state: absent
    force_delete_logs: true
"""

RETURN = r"""
bucket:
  description:
    - The normalised configuration of the bucket after the run (predicted in check mode). Holds the settings the task manages.
    - With O(state=absent), only RV(bucket.name) and RV(bucket.exists).
  returned: always
  type: dict
  contains:
    name:
      description: The bucket name.
      type: str
      sample: acme-org-cloudtrail-logs
    arn:
      description: The bucket ARN.
      type: str
      returned: when O(state=present)
      sample: arn:aws:s3:::acme-org-cloudtrail-logs
    region:
      description: The region of the connection (where the bucket is created).
      type: str
      returned: when O(state=present)
      sample: us-east-1
    exists:
      description: Whether the bucket exists after the run.
      type: bool
      returned: when O(state=absent)
    policy:
      description: The bucket policy document (null when none).
      type: dict
      returned: when O(state=present)
    public_access_block:
      description: The four public access block flags (null when unset).
      type: dict
      returned: when O(public_access_block=true)
      sample: {block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true}
    object_ownership:
      description: The object ownership setting.
      type: str
      returned: when O(state=present)
      sample: BucketOwnerEnforced
    versioning:
      description: C(Enabled), C(Suspended) or C(Disabled) (never enabled).
      type: str
      returned: when O(state=present)
      sample: Enabled
    encryption:
      description: Default encryption, keys C(sse_algorithm), C(kms_key_id), C(bucket_key_enabled).
      type: dict
      returned: when O(state=present)
      sample: {sse_algorithm: AES256, kms_key_id: null, bucket_key_enabled: false}
    access_logging:
      description: Server access logging, keys C(target_bucket), C(target_prefix), C(key_format), C(partition_date_source); null when off.
      type: dict
      returned: when O(access_logging) is set
    lifecycle_rules:
      description: Every lifecycle rule of the bucket, in the shape of O(lifecycle_rules) (unset fields null).
      type: list
      elements: dict
      returned: when O(lifecycle_rules) or O(retention) is set
    object_lock:
      description: Object Lock, keys C(enabled), C(mode), C(days), C(years).
      type: dict
      returned: when O(object_lock) is set
    tags:
      description: The bucket tags.
      type: dict
      returned: when O(tags) is set
changes:
  description: The changes made (or that would be made in check mode), in the order applied.
  returned: always
  type: list
  elements: dict
  contains:
    setting:
      description:
        - C(bucket), C(object_ownership), C(public_access_block), C(versioning), C(object_lock), C(encryption), C(policy),
          C(access_logging), C(lifecycle_rules) or C(tags).
      type: str
    action:
      description: C(create), C(update) or C(delete).
      type: str
    before:
      description: The setting before.
      type: raw
    after:
      description: The setting after.
      type: raw
deleted_objects:
  description: With O(state=absent), the number of object versions and delete markers deleted (or that would be deleted in check mode).
  returned: when O(state=absent)
  type: int
  sample: 0
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3.ensure import ensure
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3.lifecycle import STORAGE_CLASSES


def argument_spec() -> dict:
    transition = dict(
        days=dict(type="int", required=True),
        storage_class=dict(type="str", required=True, choices=STORAGE_CLASSES),
    )
    noncurrent_transition = dict(transition, newer_versions=dict(type="int"))
    rule = dict(
        id=dict(type="str", required=True),
        enabled=dict(type="bool", default=True),
        prefix=dict(type="str"),
        tags=dict(type="dict"),
        object_size_greater_than=dict(type="int"),
        object_size_less_than=dict(type="int"),
        transitions=dict(type="list", elements="dict", options=transition),
        expiration_days=dict(type="int"),
        expired_object_delete_marker=dict(type="bool"),
        noncurrent_transitions=dict(type="list", elements="dict", options=noncurrent_transition),
        noncurrent_expiration_days=dict(type="int"),
        noncurrent_newer_versions=dict(type="int"),
        abort_incomplete_multipart_days=dict(type="int"),
    )
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        expected_owner=dict(type="str"),
        cloudtrail_access=dict(
            type="dict",
            options=dict(
                state=dict(type="str", choices=["present", "absent"], default="present"),
                account_ids=dict(type="list", elements="str"),
                organization_id=dict(type="str"),
                trail_arns=dict(type="list", elements="str"),
                key_prefix=dict(type="str", no_log=False),
                purge_account_ids=dict(type="bool", default=False),
            ),
        ),
        deny_insecure_transport=dict(type="bool", default=True),
        policy_statements=dict(type="list", elements="dict"),
        purge_policy_statements=dict(type="bool", default=False),
        public_access_block=dict(type="bool", default=True),
        object_ownership=dict(type="str", choices=["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"], default="BucketOwnerEnforced"),
        versioning=dict(type="bool", default=True),
        encryption=dict(type="str", choices=["AES256", "aws:kms"]),
        kms_key_id=dict(type="str", no_log=False),
        bucket_key_enabled=dict(type="bool", default=True),
        access_logging=dict(
            type="dict",
            options=dict(
                target_bucket=dict(type="str"),
                target_prefix=dict(type="str"),
                key_format=dict(type="str", choices=["simple", "partitioned"]),
                partition_date_source=dict(type="str", choices=["EventTime", "DeliveryTime"]),
            ),
        ),
        object_lock=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                mode=dict(type="str", choices=["GOVERNANCE", "COMPLIANCE"]),
                days=dict(type="int"),
                years=dict(type="int"),
            ),
        ),
        lifecycle_rules=dict(type="list", elements="dict", options=rule),
        purge_lifecycle_rules=dict(type="bool", default=False),
        transition_default_minimum_object_size=dict(type="str", choices=["all_storage_classes_128K", "varies_by_storage_class"]),
        retention=dict(
            type="dict",
            options=dict(
                glacier_after_days=dict(type="int"),
                deep_archive_after_days=dict(type="int"),
                expire_after_days=dict(type="int"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        force_delete_logs=dict(type="bool", default=False),
        force_stop_delivery=dict(type="bool", default=False),
        allow_retention_decrease=dict(type="bool", default=False),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
