#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: s3_account_public_access_block
short_description: The account-level S3 Block Public Access settings that protect every bucket of an account
version_added: 1.0.0
description:
  - Sets, or deletes, the S3 Block Public Access configuration of an AWS account (S3 Control
    C(PutPublicAccessBlock) / C(DeletePublicAccessBlock)). It applies to every bucket of the account, the
    CloudTrail log buckets included, whatever their own settings are (CIS AWS Foundations Benchmark 2.1.4,
    AWS Security Hub control S3.1).
  - A task that sets none of O(block_public_acls), O(ignore_public_acls), O(block_public_policy) and
    O(restrict_public_buckets) turns all four on. A task that sets some of them leaves the others as they are
    (off, when the account has no configuration yet).
  - Never weakens the protection implicitly. Turning a flag off, or deleting a configuration that has a flag on, requires
    O(force_public_access=true). A real run refuses such a change before any write; check mode reports it (changed, diff)
    with a warning naming the option, so a drift check shows the drift.
  - The configuration is global to the account (not regional); the region only chooses the S3 Control endpoint.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  account_id:
    description:
      - The 12-digit id of the account, which must be the account of the credentials in use (AWS refuses another account's).
      - Unset means the account of the credentials in use, found with one C(sts:GetCallerIdentity) call.
    type: str
  state:
    description:
      - V(present) sets the flags the task gives (all four on when it gives none).
      - V(absent) deletes the account's configuration, after which nothing is blocked at the account level
        (each bucket's own Block Public Access settings still apply). Requires O(force_public_access=true) while a flag is on.
    type: str
    choices: [present, absent]
    default: present
  block_public_acls:
    description:
      - C(BlockPublicAcls) - refuse requests that add a public ACL to a bucket or an object.
      - Unset leaves the flag as it is, unless no flag is set (then all four are turned on).
    type: bool
  ignore_public_acls:
    description:
      - C(IgnorePublicAcls) - ignore every public ACL on the account's buckets and objects.
      - Unset leaves the flag as it is, unless no flag is set (then all four are turned on).
    type: bool
  block_public_policy:
    description:
      - C(BlockPublicPolicy) - refuse bucket policies that grant public access.
      - Unset leaves the flag as it is, unless no flag is set (then all four are turned on).
    type: bool
  restrict_public_buckets:
    description:
      - C(RestrictPublicBuckets) - limit access to buckets with a public policy to AWS services and the account's own principals.
      - Unset leaves the flag as it is, unless no flag is set (then all four are turned on).
    type: bool
  force_public_access:
    description:
      - Allow turning a flag off (V(false) for a flag that is on), or O(state=absent) while a flag is on.
        Either lets buckets of the account be made public.
    type: bool
    default: false
notes:
  - A no-op run makes one read call, C(s3:GetAccountPublicAccessBlock) (an account without configuration is
    a valid answer, meaning nothing is set), plus C(sts:GetCallerIdentity) when O(account_id) is not given, and no write.
  - Changing the configuration is one C(s3:PutAccountPublicAccessBlock) call with all four flags, or one
    C(s3:DeleteAccountPublicAccessBlock).
  - Changes can take a while to apply to every bucket, as AWS documents.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Block public access to every bucket of the account (all four flags on)
  cloudaudit.aws.s3_account_public_access_block:

- name: The same, for an explicitly named account
  cloudaudit.aws.s3_account_public_access_block:
    account_id: "123456789012"

- name: Turn on public ACL blocking only, leaving the other flags as they are
  cloudaudit.aws.s3_account_public_access_block:
    block_public_acls: true
    ignore_public_acls: true

- name: Allow public bucket policies again (weakens the protection)
  cloudaudit.aws.s3_account_public_access_block:
    block_public_policy: false
    restrict_public_buckets: false
    force_public_access: true

- name: Delete the account's configuration (nothing blocked at the account level)
  cloudaudit.aws.s3_account_public_access_block:
    state: absent
    force_public_access: true
"""

RETURN = r"""
account_id:
  description: The account whose configuration the task manages.
  returned: always
  type: str
  sample: "123456789012"
public_access_block:
  description:
    - The four flags after the run (predicted in check mode); null when the account has no configuration
      (after O(state=absent)), which blocks nothing.
  returned: always
  type: dict
  sample: {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}
  contains:
    block_public_acls:
      description: C(BlockPublicAcls).
      type: bool
      returned: always
    ignore_public_acls:
      description: C(IgnorePublicAcls).
      type: bool
      returned: always
    block_public_policy:
      description: C(BlockPublicPolicy).
      type: bool
      returned: always
    restrict_public_buckets:
      description: C(RestrictPublicBuckets).
      type: bool
      returned: always
changes:
  description: The changes made (or that would be made in check mode), at most one.
  returned: always
  type: list
  elements: dict
  sample: [{"setting": "public_access_block", "action": "update", "before": {"block_public_acls": false}, "after": {"block_public_acls": true}}]
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3control.ensure import ensure


def argument_spec() -> dict:
    return dict(
        account_id=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        block_public_acls=dict(type="bool"),
        ignore_public_acls=dict(type="bool"),
        block_public_policy=dict(type="bool"),
        restrict_public_buckets=dict(type="bool"),
        force_public_access=dict(type="bool", default=False),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
