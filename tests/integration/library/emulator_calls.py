# Test-only module: read the emulator's call recorder from a playbook.
from __future__ import annotations

DOCUMENTATION = r"""
module: emulator_calls
short_description: Count the AWS calls the test emulator recorded (tests only)
description:
  - C(mark) returns the sequence number of the last recorded call; C(summary) counts the calls after O(since).
options:
  action:
    type: str
    choices: [mark, summary]
    default: summary
  since:
    type: int
    default: 0
  account:
    type: str
  url:
    type: str
    description: Defaults to the EMULATOR_URL environment variable.
author: cloudaudit.aws tests
"""

import json
import os
import urllib.request

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec=dict(
            action=dict(type="str", choices=["mark", "summary"], default="summary"),
            since=dict(type="int", default=0),
            account=dict(type="str"),
            url=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    url = (module.params["url"] or os.environ["EMULATOR_URL"]).rstrip("/")
    since = 10**12 if module.params["action"] == "mark" else module.params["since"]
    query = f"since={since}"
    if module.params["account"]:
        query += f"&account={module.params['account']}"
    with urllib.request.urlopen(f"{url}/_emulator/calls/summary?{query}", timeout=30) as response:
        summary = json.loads(response.read())
    if module.params["action"] == "mark":
        module.exit_json(changed=False, mark=summary["last_seq"])
    module.exit_json(changed=False, **summary)


if __name__ == "__main__":
    main()
