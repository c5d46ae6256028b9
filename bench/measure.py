"""One timed ansible-playbook run: wall time, CPU and memory of its process tree only.

CPU: the bench starts ansible-playbook itself and reaps it with ``os.wait4``, whose
rusage covers that process and every descendant it reaped (forked workers, module
processes) - and nothing else: the emulators are other children of the bench that
are not reaped during the run, and their usage would not be in this rusage anyway.

Memory: ``ru_maxrss`` of that rusage is the largest RSS of any single process of the
tree (the kernel keeps the max over reaped descendants) - but Linux carries the
spawning process's own peak RSS into a child across fork/exec, so it is never below
the bench process's RSS at that moment (which grows once boto3 has injected drift).
The primary figure is therefore the sampler's: it also sums the RSS
of every live process of the tree (``/proc/<pid>/task/<tid>/children``, ``statm``)
every SAMPLE_S seconds and keeps the peak: an upper bound of the tree's footprint,
since copy-on-write pages shared by forked workers count once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.harness import kill_tree

SAMPLE_S = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    rc: int
    wall_s: float
    cpu_s: float
    max_rss_mb: float
    tree_rss_peak_mb: float
    stdout: str
    stderr: str
    json: dict[str, Any] | None

    def stats(self) -> dict[str, dict[str, int]]:
        return (self.json or {}).get("stats", {})


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as handle:
                kids.extend(int(k) for k in handle.read().split())
    except OSError:
        pass
    return kids


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Sum of the RSS of root and all its live descendants."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_bytes(pid)
        todo.extend(_children(pid))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._done.wait(SAMPLE_S)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_playbook(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 3600) -> Run:
    """Run cmd (an ansible-playbook command line with the JSON callback), measured."""
    out_path, err_path = Path(cwd) / "stdout.json", Path(cwd) / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)  # pylint: disable=consider-using-with
        sampler = _Sampler(proc.pid)
        sampler.start()
        killer = threading.Timer(timeout, lambda: kill_tree(proc.pid))  # the workers run in sessions of their own
        killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
            sampler.stop()
        wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    stdout = out_path.read_text(errors="replace")
    begin = stdout.find("{")
    try:
        parsed = json.loads(stdout[begin:]) if begin >= 0 else None
    except ValueError:
        parsed = None
    return Run(
        rc=proc.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024.0,  # KiB on Linux
        tree_rss_peak_mb=sampler.peak / 2**20,
        stdout=stdout,
        stderr=err_path.read_text(errors="replace"),
        json=parsed,
    )
