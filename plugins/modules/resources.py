#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: the work is done by the action plugin of the same name (plugins/action/resources.py).

from __future__ import annotations

DOCUMENTATION = r"""
module: resources
short_description: Run several of the collection's modules as the steps of one task
version_added: 1.0.0
description:
  - Runs a list of steps, each a task of one of the collection's modules (C(cloudaudit.aws.*)) with its options and an optional
    C(register) and C(when), one after the other, as one task. The roles of the collection manage their resources this way.
  - Why one task? Every task costs the controller about as much for each host as the AWS work of a no-op account (variables,
    a forked worker, templating, the result sent back), even a skipped task. Four resources in four tasks pay that four times per
    account, as four steps of one task they pay it once.
  - Each step runs through its module's own action plugin, as its own task would; in the controller process or as the classic
    module (see the variable C(cloudaudit_execution)), in check mode and with diff when the task is, with the C(module_defaults) of the module and
    of its action group (C(group/cloudaudit.aws.aws)).
  - The options of a step are templated when the step runs, with the results of the earlier steps as variables under their C(register)
    names, so a step can use what an earlier one returned (the ARN of a key it created, say). Within a step, a variable that several
    options use is rendered once for them; the options of a step whose C(when) is false are never templated.
  - The first step that fails ends the task, which fails with the step's name and message; the steps after it are not run and the
    changes of the steps before it are kept (and returned). A step whose C(when) is false is skipped, its registered result says so.
  - Before the first step of a real run, every step's input is validated by its module (arguments, shapes, white space, tags,
    the module's own checks, and read-only checks such as an organization trail's organization rights), so that a bad input of a
    later step fails the task before an earlier step writes; the message names the step and the option and ends with
    C((no step has run)). An option that uses an earlier step's result is validated when its step runs. Check mode, which writes
    nothing, validates each step when it runs. Steps that run as the classic module are validated when they run.
  - Needs ansible-core 2.21 or later (the collection's C(requires_ansible)); an action plugin templating its options itself
    needs 2.19.
author: cloudaudit.aws maintainers (@cloudaudit)
options:
  steps:
    description:
      - The steps, in order. Each is a dictionary with the full name of one module of the collection as key and its options as value,
        and optionally C(name) (shown in messages, diffs and the drift report; default the module's name), C(register) (a variable name;
        the step's result is a variable of the later steps and is returned under RV(results)) and C(when) (a condition or a list of
        conditions, all must hold).
      - Loops, delegation, C(no_log), C(ignore_errors) and the other task keywords are not step keys; set them on the task.
    type: list
    elements: dict
    required: true
  outputs:
    description:
      - A dictionary templated after the last step, with the steps' registered results as variables (and C(resources_changed), whether
        any step changed something), and returned at the top level of the result; register the task to use it.
      - Its keys must not be keys of the result itself (RV(changed), RV(steps), RV(results), RV(diff), C(failed), C(msg), C(warnings)).
    type: dict
  input_errors:
    description:
      - Messages of input checks made before the task (a role's checks of what its argument spec cannot express). When the list is not
        empty the task fails with them joined, before any step runs, so before any change.
    type: list
    elements: str
  input_checks:
    description:
      - Checks of the task's variables made before any step, as data (a role's checks of what its argument spec cannot express);
        the task fails with the messages of those that fail (after those of O(input_errors)), before any step.
      - Each check names the variable in C(var), the text of its message in C(error), and one rule. C(match) is a regular
        expression the whole value must match, without surrounding whitespace (C(each=true) for every item of a list,
        C(optional=true) lets an empty value pass). C(not_match) is an expression the value must not start with a match of.
        C(max_length) is the most characters allowed. C(differs_from) names another variable the value must not equal.
        C(keys) lists the keys a dictionary may have. C(whole_days=true) wants every value of a dictionary a whole number of at least 1.
      - A message is the variable's name, a colon, then the value and C(error) for C(match) (the value as JSON; with C(each=true)
        the items that fail, as JSON those with surrounding whitespace) and C(not_match) (the value as it is), C(error) alone for the
        others. C(name), when given, is written instead of C(var) (for a variable computed from an input, to name the input).
      - Why data and not a Jinja expression in O(input_errors) - ansible-core compiles a template every time it renders it, and a role's
        checks written as one expression cost about 0.3 CPU-s per account to compile.
    type: list
    elements: dict
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - Every step runs in check mode; RV(changed) is whether any step would change something.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - One diff per step that changes something, headed by the step's name.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
notes:
  - The drift report callback P(cloudaudit.aws.drift_report#callback) reports each step as its own resource.
seealso:
  - module: cloudaudit.aws.s3_audit_bucket
  - module: cloudaudit.aws.cloudtrail_trail
"""

EXAMPLES = r"""
- name: A KMS key and the trail encrypted with it, as one task
  cloudaudit.aws.resources:
    steps:
      - name: Key of the trail
        cloudaudit.aws.cloudtrail_kms_key:
          alias: alias/ops-trail
          enable_rotation: true
        register: ops_key
      - name: The trail
        cloudaudit.aws.cloudtrail_trail:
          name: ops
          s3_bucket_name: audit-123456789012
          kms_key_id: "{{ ops_key.key_arn }}"
          enable_log_file_validation: true
        register: ops_trail
    outputs:
      trail_arn: "{{ ops_trail.trail.trail_arn | default('') }}"
  register: ops

- name: The trail's ARN
  ansible.builtin.debug:
    msg: "{{ ops.trail_arn }} (changed: {{ ops is changed }})"

- name: Checks of the play's inputs before the first step
  cloudaudit.aws.resources:
    input_checks:
      - var: ops_trail_name
        match: '^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$'
        error: is not a trail name
      - var: ops_key_alias
        not_match: '^(alias/)?aws/'
        error: is reserved for AWS managed keys
    steps:
      - name: The trail
        cloudaudit.aws.cloudtrail_trail:
          name: "{{ ops_trail_name }}"
          s3_bucket_name: audit-123456789012
"""

RETURN = r"""
changed:
  description: Whether any step changed something (would change, in check mode).
  returned: always
  type: bool
steps:
  description: Each step run or skipped, in order, with its name, its module (C(action)) and the result its module returned.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Key of the trail", "action": "cloudaudit.aws.cloudtrail_kms_key", "changed": false, "key_arn": "arn:aws:kms:..."}]
results:
  description: The results of the steps with a C(register), by that name.
  returned: always
  type: dict
failed_step:
  description: The name of the step that failed.
  returned: failure in a step
  type: str
diff:
  description: The diffs of the steps that changed something, each headed by its step's name.
  returned: changed, in diff mode
  type: list
  elements: dict
"""
