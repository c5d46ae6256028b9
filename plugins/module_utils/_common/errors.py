# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one error type of the collection's modules.

Decision code raises CloudAuditError; the module shell turns it into fail_json.
"""

from __future__ import annotations

from typing import Any


class CloudAuditError(Exception):
    """A failure the user can act on: bad input, a guard, an AWS refusal explained.

    option names the module option at fault (shown in the message), details are
    returned with the failure so playbooks can inspect them.
    """

    def __init__(self, msg: str, option: str | None = None, **details: Any) -> None:
        self.msg = f"{option}: {msg}" if option else msg
        self.option = option
        self.details = details
        super().__init__(self.msg)
