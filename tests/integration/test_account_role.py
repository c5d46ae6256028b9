"""The account role across two hosts in two accounts: one AssumeRole each, right account, no secret in output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

PLAY = """
- name: Two accounts, the account role included three times
  hosts: all
  gather_facts: false
  tasks:
    - name: First inclusion
      ansible.builtin.include_role: {name: cloudaudit.aws.account}
    - name: Second inclusion (as another role of ours would)
      ansible.builtin.include_role: {name: cloudaudit.aws.account}
    - name: Third inclusion, static
      ansible.builtin.import_role: {name: cloudaudit.aws.account}
    - name: Act in the host's account
      module_defaults:
        group/cloudaudit.aws.aws: "{{ cloudaudit_aws_connection }}"
      block:
        - name: Who am I
          amazon.aws.aws_caller_info:
          register: me
        - name: A cloudaudit module with the same defaults
          cloudaudit.aws.assume_role:
            role_arn: "arn:aws:iam::{{ me.account }}:role/Nested"
          register: nested
        - name: In the host's account and region
          ansible.builtin.assert:
            that:
              - me.account == role_arn.split(':')[4]
              - cloudaudit_aws_connection.region == (aws_region | default('us-east-1'))
    - name: Leave the secrets where the test can grep the output for them
      ansible.builtin.copy:
        content: "{{ cloudaudit_aws_connection.secret_key }}\\n{{ cloudaudit_aws_connection.session_token }}\\n"
        dest: "{{ secrets_dir }}/{{ inventory_hostname }}"
        mode: "0600"
      no_log: true
"""

INVENTORY = """
all:
  vars:
    ansible_connection: local
  hosts:
    acct_a:
      role_arn: arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
    acct_b:
      role_arn: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole
      aws_region: eu-west-1
"""


@pytest.mark.integration
@pytest.mark.parametrize("verbosity", ["-v", "-vvv"])
def test_one_assume_role_per_account_and_no_secret_in_output(aws, playbook, tmp_path: Path, verbosity: str) -> None:
    (tmp_path / "play.yml").write_text(PLAY)
    (tmp_path / "hosts.yml").write_text(INVENTORY)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    mark = aws.emulator.mark()

    result = playbook.run(tmp_path / "play.yml", inventory=tmp_path / "hosts.yml", extra_vars={"secrets_dir": str(secrets)}, args=[verbosity])

    assert result.rc == 0, result.stdout[-5000:] + result.stderr[-3000:]
    calls = aws.emulator.calls(since=mark, operation="AssumeRole")
    # 1 per host by the account role + 1 per host by the nested cloudaudit.aws.assume_role task
    by_caller: dict[str, int] = {}
    for call in calls:
        by_caller[call["account"]] = by_caller.get(call["account"], 0) + 1
    assert by_caller == {"123456789012": 2, "111111111111": 1, "222222222222": 1}, calls
    output = result.stdout + result.stderr
    for host in ("acct_a", "acct_b"):
        secret_key, session_token = (secrets / host).read_text().split()
        assert len(secret_key) >= 16 and len(session_token) >= 16
        assert secret_key not in output
        assert session_token not in output
    assert "censored" in output


DENIED_PLAY = """
- name: The account role when AWS refuses the role
  hosts: all
  gather_facts: false
  tasks:
    - name: Assume
      ansible.builtin.include_role: {name: cloudaudit.aws.account}
"""


@pytest.mark.integration
def test_a_refused_role_says_why_without_secrets(aws: Any, playbook: Any, tmp_path: Path) -> None:
    """no_log hides the credentials, not the failure: the role ARN, the operation and the AWS code are shown."""
    (tmp_path / "play.yml").write_text(DENIED_PLAY)
    (tmp_path / "hosts.yml").write_text(INVENTORY)
    aws.emulator.add_fault("access_denied", operation="sts:AssumeRole")
    result = playbook.run(tmp_path / "play.yml", inventory=tmp_path / "hosts.yml", args=["-v"])
    output = result.stdout + result.stderr
    assert result.rc != 0, output[-3000:]
    assert "AWS refused AssumeRole" in output and "AccessDenied" in output, output[-3000:]
    assert "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole" in output, output[-3000:]
