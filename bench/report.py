"""The one table of both sides, the ratios amazon.aws / cloudaudit.aws, and the verdict lines."""

from __future__ import annotations

from typing import Any

BASE, OURS = "amazon.aws", "cloudaudit.aws"
RATIO_KEYS = {"wall": "wall_s", "cpu": "cpu_s", "api_calls_per_account": "api_calls_per_account"}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def ratios(results: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Per phase: amazon.aws / cloudaudit.aws of the medians (above 1: cloudaudit.aws is faster / makes fewer calls)."""
    base, ours = results["sides"][BASE]["phases"], results["sides"][OURS]["phases"]
    return {
        phase: {name: _ratio(base[phase]["median"][key], ours[phase]["median"][key]) for name, key in RATIO_KEYS.items()} for phase in base if phase in ours
    }


def _fmt(value: float | None, width: int, digits: int = 1) -> str:
    return f"{'-' if value is None else f'{value:.{digits}f}':>{width}}"


def table(results: dict[str, Any]) -> str:
    cfg = results["config"]
    base, ours = results["sides"][BASE]["phases"], results["sides"][OURS]["phases"]
    head = (
        f"{cfg['accounts']} accounts, forks {cfg['forks']}, {cfg['runs']} run(s) per phase (median), "
        f"latency {cfg['latency_ms']} ms per AWS call, {cfg['cpus']} CPUs; A = {BASE}, B = {OURS}, A/B = ratio"
    )
    cols = (
        f"{'phase':<7}|{'wall A':>8}{'wall B':>8}{'A/B':>6} |{'CPU A':>8}{'CPU B':>8}{'A/B':>6} |"
        f"{'calls/acct A':>13}{'B':>7}{'A/B':>6} |{'writes A':>9}{'B':>5} |{'peak MB A':>10}{'B':>7}"
    )
    lines = [head, "", cols, "-" * len(cols)]
    for phase, ratio in results["ratios"].items():
        a, b = base[phase]["median"], ours[phase]["median"]
        lines.append(
            f"{phase:<7}|{_fmt(a['wall_s'], 8)}{_fmt(b['wall_s'], 8)}{_fmt(ratio['wall'], 6)} |"
            f"{_fmt(a['cpu_s'], 8)}{_fmt(b['cpu_s'], 8)}{_fmt(ratio['cpu'], 6)} |"
            f"{_fmt(a['api_calls_per_account'], 13)}{_fmt(b['api_calls_per_account'], 7)}{_fmt(ratio['api_calls_per_account'], 6)} |"
            f"{a['writes']:>9.0f}{b['writes']:>5.0f} |{_fmt(a['tree_rss_peak_mb'], 10, 0)}{_fmt(b['tree_rss_peak_mb'], 7, 0)}"
        )
    lines += ["", "wall and CPU in seconds; peak MB: peak of the summed RSS of the ansible-playbook process tree", ""]
    for side in (BASE, OURS):
        lines.append(f"{side}:\n  {verdict_line(results['sides'][side]['verdicts'])}")
    return "\n".join(lines)


def verdict_line(verdicts: dict[str, Any]) -> str:
    def word(value: bool | None) -> str:
        return "not run" if value is None else ("yes" if value else "NO")

    parts = [f"{key} {word(verdicts[key])}" for key in ("idempotent", "check_zero_writes", "drift_found", "repaired")]
    for resource, found in verdicts.get("drift_by_resource", {}).items():
        parts.append(
            f"{resource}: changed on {found['changed']}/{found['accounts']}, with a diff on {found['with_diff']},"
            f" setting in the diff on {found['setting_in_diff']}, task skipped on {found['skipped']}"
        )
    return "\n  ".join(["; ".join(parts[:4])] + parts[4:])
