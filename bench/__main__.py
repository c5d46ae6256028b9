"""python -m bench: amazon.aws and the cloudaudit.aws roles side by side on the same audit setup.

Each side has its own emulator process (started once for the run) and N accounts.
Phases, in order: first (converge from empty), noop, check (--check --diff),
drift (drift injected with boto3, then --check --diff), repair (converge).
Repetitions are interleaved A B A B; state is reset (first) or drift reinjected
(drift, repair) before each repetition, untimed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import drift, report
from bench.sides import SPECS, Side
from tests.harness import ROOT

PHASES = ("first", "noop", "check", "drift", "repair")
CHECK_PHASES = ("check", "drift")
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10, help="accounts (inventory hosts) per side (default 10)")
    parser.add_argument("--forks", type=int, default=None, help="ansible-playbook --forks (default: the number of accounts)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per phase and side; the median is reported (default 3)")
    parser.add_argument("--latency-ms", type=int, default=30, help="latency the emulator adds to every AWS call (default 30)")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {','.join(PHASES)} (run in that order)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"raw results (default {DEFAULT_JSON.relative_to(ROOT)})")
    parser.add_argument("--smoke", action="store_true", help="quick mode: 2 accounts, 1 run, no latency, every phase")
    args = parser.parse_args(argv)
    if args.smoke:
        args.accounts, args.runs, args.latency_ms, args.phases = 2, 1, 0, ",".join(PHASES)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown or not phases:
        parser.error(f"unknown phases {unknown}; choose from {', '.join(PHASES)}")
    if args.accounts < 1 or args.runs < 1 or args.latency_ms < 0:
        parser.error("--accounts and --runs must be >= 1, --latency-ms >= 0")
    args.phases = [p for p in PHASES if p in phases]
    args.forks = args.forks or args.accounts
    return args


def _prepare(side: Side, phase: str, args: argparse.Namespace) -> None:
    """Untimed: bring the side to the state the phase starts from."""
    if phase == "first":
        side.reset(args.accounts)
        return
    if not side.converged:
        _setup(side, args)
    if phase in ("drift", "repair"):
        drift.inject(side.emulator.url, side.accounts)


def _setup(side: Side, args: argparse.Namespace) -> dict[str, Any]:
    """Untimed converge from empty, for a phase subset without `first` (its figures are kept apart, as `setup`)."""
    side.reset(args.accounts)
    run, calls = side.play(args.forks)
    side.converged = True
    setup = {"wall_s": round(run.wall_s, 3), "cpu_s": round(run.cpu_s, 3), "tree_rss_peak_mb": round(run.tree_rss_peak_mb, 1), "api_calls": calls["total"]}
    print(f"setup   converge    {side.name:<15} wall {setup['wall_s']:7.2f} s  peak {setup['tree_rss_peak_mb']:6.0f} MB (untimed)", file=sys.stderr, flush=True)
    side.setup = setup
    return setup


def _measure(side: Side, phase: str, args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    run, calls = side.play(args.forks, check=phase in CHECK_PHASES)
    stats = run.stats()
    record: dict[str, Any] = {
        "load_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # machine load before / after the run
        "wall_s": round(run.wall_s, 3),
        "cpu_s": round(run.cpu_s, 3),
        "max_rss_mb": round(run.max_rss_mb, 1),
        "tree_rss_peak_mb": round(run.tree_rss_peak_mb, 1),
        "api_calls": calls["total"],
        "api_calls_per_account": round(calls["total"] / args.accounts, 2),
        "writes": calls["writes"],
        "write_operations": sorted(set(calls["write_operations"])),
        "calls_by_operation": dict(sorted(calls["by_operation"].items())),
        "calls_by_account": calls["by_account"],
        "changed_hosts": sum(1 for s in stats.values() if s.get("changed")),
        "changed_tasks": sum(s.get("changed", 0) for s in stats.values()),
        "failed": sum(s.get("failures", 0) + s.get("unreachable", 0) for s in stats.values()),
        "hosts": len(stats),
    }
    if phase == "drift":
        record["drift_findings"] = side.drift_findings(run)
    if phase in ("first", "repair"):
        side.converged = True
    if phase == "repair":
        record["state_after"] = drift.state(side.emulator.url, side.accounts)
    return record


def _median(runs: list[dict[str, Any]], accounts: int) -> dict[str, Any]:
    keys = ("wall_s", "cpu_s", "max_rss_mb", "tree_rss_peak_mb", "api_calls", "writes")
    med = {k: round(statistics.median(r[k] for r in runs), 3) for k in keys}
    med["api_calls_per_account"] = round(med["api_calls"] / accounts, 2)
    ops: dict[str, float] = {}
    for op in {o for r in runs for o in r["calls_by_operation"]}:
        ops[op] = round(statistics.median(r["calls_by_operation"].get(op, 0) for r in runs) / accounts, 2)
    med["calls_per_account_by_operation"] = dict(sorted(ops.items()))
    return med


def _verdicts(phases: dict[str, Any], accounts: int) -> dict[str, Any]:
    """What the runs show, phase by phase (None: the phase was not run)."""
    verdicts: dict[str, Any] = {"idempotent": None, "check_zero_writes": None, "drift_found": None, "repaired": None}
    if "noop" in phases:
        verdicts["idempotent"] = all(r["changed_hosts"] == 0 and r["writes"] == 0 for r in phases["noop"]["runs"])
    checked = [r for p in CHECK_PHASES if p in phases for r in phases[p]["runs"]]
    if checked:
        verdicts["check_zero_writes"] = all(r["writes"] == 0 for r in checked)
    if "drift" in phases:
        per_resource: dict[str, Any] = {}
        for resource in drift.RESOURCES:
            hosts = [r["drift_findings"].get(resource, {}) for r in phases["drift"]["runs"]]
            per_resource[resource] = {
                "accounts": accounts,
                "changed": min(sum(1 for h in run.values() if h["changed"]) for run in hosts),
                "with_diff": min(sum(1 for h in run.values() if h["changed"] and h["diff"]) for run in hosts),
                "setting_in_diff": min(sum(1 for h in run.values() if h["changed"] and h["setting_in_diff"]) for run in hosts),
                "skipped": max(sum(1 for h in run.values() if h["skipped"]) for run in hosts),
            }
            per_resource[resource]["found"] = per_resource[resource]["with_diff"] == accounts
        verdicts["drift_found"] = all(v["found"] for v in per_resource.values())
        verdicts["drift_by_resource"] = per_resource
    if "repair" in phases:
        verdicts["repaired"] = all(all(all(s.values()) for s in r["state_after"].values()) for r in phases["repair"]["runs"])
    return verdicts


def _environment(args: argparse.Namespace) -> dict[str, Any]:
    from ansible import __version__ as ansible_core

    return {
        "accounts": args.accounts,
        "forks": args.forks,
        "runs": args.runs,
        "latency_ms": args.latency_ms,
        "phases": args.phases,
        "smoke": args.smoke,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "ansible_core": ansible_core,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    results: dict[str, Any] = {"config": _environment(args), "sides": {}}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cloudaudit-bench-") as tmp:
        sides = [Side(spec, Path(tmp) / spec.name, args.latency_ms) for spec in SPECS]
        try:
            with ThreadPoolExecutor(len(sides)) as pool:  # both emulators boot at once
                list(pool.map(Side.start, sides))
            phases: dict[str, dict[str, Any]] = {s.name: {} for s in sides}
            if "first" not in args.phases:
                # Untimed setup, one side after the other: at 100 accounts both at once were 200 forks on the machine.
                for side in sides:
                    _setup(side, args)
            for phase in args.phases:
                for rep in range(args.runs):
                    for side in sides:  # interleaved: A B A B
                        _prepare(side, phase, args)
                        record = _measure(side, phase, args)
                        phases[side.name].setdefault(phase, {"runs": []})["runs"].append(record)
                        print(
                            f"{phase:<7} run {rep + 1}/{args.runs} {side.name:<15} wall {record['wall_s']:7.2f} s  cpu {record['cpu_s']:7.2f} s"
                            f"  peak {record['tree_rss_peak_mb']:6.0f} MB  calls {record['api_calls']:5}  writes {record['writes']:4}"
                            f"  changed hosts {record['changed_hosts']}",
                            file=sys.stderr,
                            flush=True,
                        )
        finally:
            for side in sides:
                if hasattr(side, "emulator"):
                    side.stop()
    for name, side_phases in phases.items():
        for phase, data in side_phases.items():
            data["median"] = _median(data["runs"], args.accounts)
        results["sides"][name] = {"phases": side_phases, "verdicts": _verdicts(side_phases, args.accounts)}
    for side in sides:
        if side.setup:
            results["sides"][side.name]["setup"] = side.setup
    results["ratios"] = report.ratios(results)
    results["config"]["total_wall_s"] = round(time.monotonic() - started, 1)
    results["config"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(report.table(results))
    print(f"\nraw figures: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
