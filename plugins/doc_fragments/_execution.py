# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How every module of the collection runs: its action plugin runs the same code in the controller process.
    DOCUMENTATION = r"""
options: {}
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - >-
        On a local connection (C(connection: local), the implicit C(localhost), or C(delegate_to) a host whose connection is local)
        the action plugin runs the module's code in the controller process, without starting a module process; the result is the same.
      - >-
        The classic module runs instead on any other connection, with C(become), with C(async), when the task sets C(environment),
        when boto3/botocore cannot be imported by the controller's Python, or when the variable C(cloudaudit_execution) is C(module).
  async:
    description: Supports being used with the C(async) keyword.
    support: full
    details:
      - An C(async) task always runs the classic module.
notes:
  - >-
    Set the variable C(cloudaudit_execution) (extra var, host or group var, play or task var) to C(module) to always run the classic
    module process, as for a remote host; C(auto) (the default when unset) runs in the controller process when the task runs on the
    controller. Any other value fails the task.
  - >-
    In the controller process the module uses the controller's Python, boto3 and environment (the same a local module process
    would see, since tasks with C(environment) or C(become) run the module); the run is not logged to the syslog/journal of the
    host, as a module process does. C(-vvv) shows which way each task ran and why.
"""
