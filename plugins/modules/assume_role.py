#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: assume_role
short_description: Assume an IAM role and return credentials ready for module_defaults
version_added: 1.0.0
description:
  - Calls C(sts:AssumeRole) once and returns temporary credentials, plus a RV(connection) dictionary
    that can be given as it is to C(module_defaults) for the C(group/cloudaudit.aws.aws) action group
    (which also covers the amazon.aws modules).
  - Assuming a role changes nothing in AWS, so the module runs the same way in check mode and never
    reports C(changed).
  - >-
    The action plugin of this module marks its result C(no_log), so the secret key and the session
    token never appear in the output, even with C(-vvv), in callbacks or in reports; the registered
    variable still holds them. Keep them out of output yourself when you copy them elsewhere
    (set C(no_log=true) on tasks such as M(ansible.builtin.set_fact) or M(ansible.builtin.debug)).
  - The role R(cloudaudit.aws.account,ansible_collections.cloudaudit.aws.account_role) uses this module to
    assume each host's role once per playbook run.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  role_arn:
    description:
      - ARN of the IAM role to assume, for example V(arn:aws:iam::123456789012:role/OrganizationAccountAccessRole).
    type: str
    required: true
  session_name:
    description:
      - Name of the role session (2-64 characters of letters, digits and C(+=,.@_-)); it appears in CloudTrail events
        as the user name of the calls made with the credentials.
    type: str
    default: cloudaudit
  external_id:
    description:
      - External ID required by the role's trust policy (2-1224 characters of letters, digits and C(+=,.@:/_-)).
      - It is not a secret, so it is not hidden.
    type: str
  duration_seconds:
    description:
      - Lifetime of the credentials in seconds, from 900 (15 minutes) to 43200 (12 hours); the role's maximum
        session duration must allow it.
    type: int
    default: 3600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - cloudaudit.aws._attributes.INFO
  - cloudaudit.aws._execution
"""

EXAMPLES = r"""
- name: Assume the account's role once (the result is hidden from output)
  cloudaudit.aws.assume_role:
    role_arn: "arn:aws:iam::{{ account_id }}:role/OrganizationAccountAccessRole"
    session_name: cloudaudit-audit
    duration_seconds: 3600
  register: audit_role

- name: Act in that account
  module_defaults:
    group/cloudaudit.aws.aws: "{{ audit_role.connection }}"
  block:
    - name: Who am I
      amazon.aws.aws_caller_info:
      register: me
"""

RETURN = r"""
account_id:
  description: The account of the role (from its ARN).
  returned: success
  type: str
  sample: "111122223333"
role_arn:
  description: The role assumed.
  returned: success
  type: str
  sample: arn:aws:iam::111122223333:role/OrganizationAccountAccessRole
credentials:
  description:
    - The temporary credentials. The result is marked C(no_log), so they are never displayed.
  returned: success
  type: dict
  contains:
    access_key:
      description: The access key id.
      type: str
      sample: ASIAEXAMPLE
    secret_key:
      description: The secret access key.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    session_token:
      description: The session token.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    expiration:
      description: When the credentials expire (ISO 8601).
      type: str
      sample: "2026-11-23T21:15:00+00:00"
connection:
  description:
    - Connection options for C(module_defaults) of C(group/cloudaudit.aws.aws) (amazon.aws option names).
    - C(region) is the module's region, when one is set.
  returned: success
  type: dict
  sample: {"access_key": "ASIAEXAMPLE", "secret_key": "...", "session_token": "...", "region": "us-east-1"}
"""

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.module import ModuleDefinition, new_module, run
from ansible_collections.cloudaudit.aws.plugins.module_utils._sts.ensure import ensure_credentials


def argument_spec() -> dict:
    return dict(
        role_arn=dict(type="str", required=True),
        session_name=dict(type="str", default="cloudaudit"),
        external_id=dict(type="str", no_log=False),
        duration_seconds=dict(type="int", default=3600),
    )


DEFINITION = ModuleDefinition(argument_spec, ensure_credentials)


def main() -> None:
    run(new_module(DEFINITION.argument_spec(), **DEFINITION.rules), DEFINITION.ensure)


if __name__ == "__main__":
    main()
