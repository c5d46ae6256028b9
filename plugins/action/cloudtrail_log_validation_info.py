# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the cloudtrail_log_validation_info module's core in-process on the controller, or the module (see plugin_utils/_action.py)."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.modules.cloudtrail_log_validation_info import DEFINITION
from ansible_collections.cloudaudit.aws.plugins.plugin_utils._action import CloudAuditAction


class ActionModule(CloudAuditAction):
    DEFINITION = DEFINITION
