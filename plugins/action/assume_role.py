# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the assume_role module's core (in-process or as the module) and hides its successful result.

A module cannot hide its own return values (AnsibleModule would also strip them from the result),
so the action marks the result no_log, on both paths: callbacks and -v output show it censored,
while the registered variable keeps the credentials. Failures stay visible (they carry no credentials).
"""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.modules.assume_role import DEFINITION
from ansible_collections.cloudaudit.aws.plugins.plugin_utils._action import CloudAuditAction


class ActionModule(CloudAuditAction):
    DEFINITION = DEFINITION
    HIDE_SUCCESSFUL_RESULT = True
