# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the assume_role module and hides its successful result from every output.

A module cannot hide its own return values (AnsibleModule would also strip
them from the result), so the action marks the result no_log: callbacks and
-v output show it censored, while the registered variable keeps the
credentials. Failures stay visible (they carry no credentials).
"""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(task_vars=task_vars))
        if not result.get("failed"):
            result["_ansible_no_log"] = True
        return result
