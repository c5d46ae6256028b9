"""cloudtrail_events_info against the emulator: paging in two regions at once stays within
2 LookupEvents requests per second per region, and throttling is retried (also within the limit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - cloudaudit.aws.cloudtrail_events_info:
        lookup_attribute: EventName
        lookup_value: DescribeLogGroups
        start_time: -1h
        regions: [us-east-1, us-west-2]
      register: found
    - ansible.builtin.copy:
        content: "{{ found | to_json }}"
        dest: "{{ out }}"
"""


@pytest.mark.integration
def test_pages_two_regions_within_rate_and_retries_throttling(aws, playbook, tmp_path: Path) -> None:
    for region, count in (("us-east-1", 120), ("us-west-2", 60)):
        logs = aws.client("logs", region=region)
        for dummy in range(count):
            logs.describe_log_groups()
    aws.emulator.add_fault("throttle", operation="cloudtrail:LookupEvents", count=2)
    mark = aws.emulator.mark()

    play, out = tmp_path / "play.yml", tmp_path / "found.json"
    play.write_text(PLAY)
    result = playbook.run(play, extra_vars={"out": str(out)})
    assert result.rc == 0, result.stdout[-5000:] + result.stderr[-3000:]
    found = json.loads(out.read_text())

    assert found["counts"] == {"us-east-1": 120, "us-west-2": 60}
    assert {e["event_name"] for e in found["events"]} == {"DescribeLogGroups"}
    assert {e["region"] for e in found["events"]} == {"us-east-1", "us-west-2"}
    assert len({e["event_id"] for e in found["events"]}) == 180

    lookups = [c for c in aws.emulator.calls(since=mark) if c["operation"] == "LookupEvents"]
    ok = [c for c in lookups if c["status"] == 200]
    throttled = [c for c in lookups if c["status"] != 200]
    assert len(throttled) == 2
    assert sorted(c["region"] for c in ok) == ["us-east-1"] * 3 + ["us-west-2"] * 2  # 50-event pages
    for region in ("us-east-1", "us-west-2"):
        times = sorted(c["time"] for c in lookups if c["region"] == region)
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert all(gap >= 0.45 for gap in gaps), f"{region}: requests {gaps} s apart (limit 2/s)"
    # the regions were queried concurrently: their first requests are close together
    first = {region: min(c["time"] for c in lookups if c["region"] == region) for region in ("us-east-1", "us-west-2")}
    assert abs(first["us-east-1"] - first["us-west-2"]) < 0.45
