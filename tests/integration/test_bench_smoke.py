"""The benchmark in smoke mode (2 accounts, 1 run, no latency, every phase): its verdicts and its JSON, no timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ROOT, clean_environ

PHASES = ["first", "noop", "check", "drift", "repair"]
SIDES = ["amazon.aws", "cloudaudit.aws"]
RUN_KEYS = {"wall_s", "cpu_s", "max_rss_mb", "tree_rss_peak_mb", "api_calls", "api_calls_per_account", "writes", "calls_by_operation", "calls_by_account"}
MEDIAN_KEYS = {"wall_s", "cpu_s", "max_rss_mb", "tree_rss_peak_mb", "api_calls", "api_calls_per_account", "writes", "calls_per_account_by_operation"}


@pytest.mark.integration
@pytest.mark.xdist_group("bench")  # with --dist loadgroup: one worker, never split
def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**clean_environ(), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, f"{proc.stdout[-5000:]}\n{proc.stderr[-5000:]}"
    assert "cloudaudit.aws" in proc.stdout and "A/B" in proc.stdout
    results = json.loads(out.read_text())

    assert results["config"]["accounts"] == 2 and results["config"]["runs"] == 1 and results["config"]["latency_ms"] == 0
    assert results["config"]["phases"] == PHASES
    assert sorted(results["sides"]) == SIDES
    assert sorted(results["ratios"]) == sorted(PHASES)
    assert all(set(r) == {"wall", "cpu", "api_calls_per_account"} for r in results["ratios"].values())
    for side in SIDES:
        phases = results["sides"][side]["phases"]
        assert sorted(phases) == sorted(PHASES)
        for data in phases.values():
            assert len(data["runs"]) == 1 and RUN_KEYS <= set(data["runs"][0])
            assert MEDIAN_KEYS <= set(data["median"])
            assert sorted(data["runs"][0]["calls_by_account"]) == ["210000000001", "210000000002"]
        verdicts = results["sides"][side]["verdicts"]
        assert verdicts["idempotent"] is True, (side, phases["noop"]["runs"])
        assert verdicts["check_zero_writes"] is True, side
        assert verdicts["repaired"] is True, (side, phases["repair"]["runs"][0]["state_after"])
        assert sorted(verdicts["drift_by_resource"]) == ["lifecycle", "trail_validation"]

    ours = results["sides"]["cloudaudit.aws"]["verdicts"]
    assert ours["drift_found"] is True, ours["drift_by_resource"]
    for found in ours["drift_by_resource"].values():
        assert found["changed"] == found["with_diff"] == found["setting_in_diff"] == 2
