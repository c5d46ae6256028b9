"""The lake role: an event data store and an import, check mode -> apply -> unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import PlaybookRunner

PLAY = """
- name: Lake role in a play of its own
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: A bucket to import from
      cloudaudit.aws.s3_audit_bucket:
        name: lake-import-source-123456789012
        cloudtrail_access:
          account_ids: ["123456789012"]
      when: with_import | bool
    - name: Lake
      ansible.builtin.include_role:
        name: cloudaudit.aws.lake
      vars:
        lake_event_data_stores:
          - name: audit-store
            retention_days: 400
            event_selector_preset: all_management
            termination_protection: true
        lake_imports: "{{ [{'destination': 'audit-store', 'source': 's3://lake-import-source-123456789012/AWSLogs/',
                             'source_region': 'us-east-1', 'access_role_arn': 'arn:aws:iam::123456789012:role/LakeImport',
                             'wait': true, 'wait_timeout': 60}] if with_import | bool else [] }}"
        lake_tags:
          owner: security
"""


@pytest.mark.integration
def test_lake_role(aws: Any, playbook: PlaybookRunner, tmp_path: Path) -> None:
    play = tmp_path / "lake.yml"
    play.write_text(PLAY)
    check = playbook.run(play, check=True, json_output=True, extra_vars={"with_import": False})
    assert check.rc == 0, check.stdout[-10000:]
    assert check.changed_resources() == {"localhost": 1}
    assert aws.emulator.summary()["write_operations"] == []

    apply = playbook.run(play, json_output=True, extra_vars={"with_import": True})
    assert apply.rc == 0, apply.stdout[-10000:]
    assert apply.changed_resources()["localhost"] >= 3  # bucket, store, import
    store = aws.client("cloudtrail").get_event_data_store(EventDataStore="audit-store")
    assert store["RetentionPeriod"] == 400 and store["TerminationProtectionEnabled"]
    tags = aws.client("cloudtrail").list_tags(ResourceIdList=[store["EventDataStoreArn"]])["ResourceTagList"][0]["TagsList"]
    assert {"Key": "owner", "Value": "security"} in tags

    again = playbook.run(play, json_output=True, extra_vars={"with_import": True})
    assert again.rc == 0, again.stdout[-10000:]
    assert again.changed_hosts() == {"localhost": 0}, "the same import is returned, not started again"
