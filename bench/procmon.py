"""Peak memory and process counts of a process tree, read from /proc (no psutil needed).

A sampler thread walks the tree under one pid every `interval` seconds and classifies each
process: the agent's Python, Playwright's driver (node), the browser (Chromium's main process
and its children). Peaks:
- python: VmHWM (the kernel's own high-water mark of resident memory), read while it runs;
- driver and browser: the highest sum of PSS (proportional set size, so memory shared between
  Chromium's processes is counted once) over the samples; PSS is read every `pss_every`-th
  sample only, since the kernel takes milliseconds per process to compute it.
Browser launches are counted as distinct Chromium main processes (no `--type=`) seen; CPU time is
the last utime + stime seen per process (the exact total comes from wait4, see bench.runner).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return None


def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _read(f"/proc/{entry.name}/stat")
        if not stat:
            continue
        # the command name may hold spaces and parentheses: fields start after the last ')'
        rest = stat[stat.rfind(")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(entry.name))
    return kids


def tree(root: int) -> list[int]:
    kids = children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(kids.get(pid, []))
    return found


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return None
    rest = stat[stat.rfind(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) / _TICK  # utime + stime


def status_kb(pid: int, key: str) -> int | None:
    text = _read(f"/proc/{pid}/status")
    if not text:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


def pss_kb(pid: int) -> int | None:
    text = _read(f"/proc/{pid}/smaps_rollup")
    if not text:
        return status_kb(pid, "VmRSS")
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None


def cmdline(pid: int) -> list[str]:
    text = _read(f"/proc/{pid}/cmdline")
    return [part for part in (text or "").split("\0") if part]


def kind_of(args: list[str]) -> str:
    if not args:
        return "other"
    exe = os.path.basename(args[0])
    joined = " ".join(args)
    if "chrom" in exe or "chrome" in exe or "headless_shell" in exe:
        return "browser"
    if exe == "node" or "playwright" in joined and "driver" in joined:
        return "driver"
    if "python" in exe:
        return "python"
    return "other"


@dataclass
class TreeStats:
    python_peak_kb: int = 0
    driver_peak_kb: int = 0
    browser_peak_kb: int = 0
    browser_processes_max: int = 0
    browser_launches: int = 0  # distinct Chromium main processes seen
    driver_starts: int = 0  # distinct Playwright driver processes seen
    samples: int = 0
    cpu: dict = field(default_factory=dict)  # pid -> (kind, last CPU seconds seen)
    _main_pids: set = field(default_factory=set)
    _driver_pids: set = field(default_factory=set)

    def as_dict(self) -> dict:
        mb = lambda kb: round(kb / 1024, 1)  # noqa: E731
        cpu: dict[str, float] = {}
        for kind, seconds in self.cpu.values():
            cpu[kind] = round(cpu.get(kind, 0.0) + seconds, 2)
        return {"cpu_s": cpu, "python_peak_mb": mb(self.python_peak_kb), "driver_peak_mb": mb(self.driver_peak_kb),
                "browser_peak_mb": mb(self.browser_peak_kb), "browser_processes_max": self.browser_processes_max,
                "browser_launches_seen": self.browser_launches, "driver_starts_seen": self.driver_starts,
                "samples": self.samples}


class TreeMonitor:
    """`with TreeMonitor(pid) as mon: ...`; then `mon.stats`. Several roots: `add(pid)`."""

    def __init__(self, root: int | None = None, *, interval: float = 0.25, pss_every: int = 4):
        self.roots: list[int] = [root] if root else []
        self.interval = interval
        self.pss_every = pss_every  # PSS costs ~3 ms of kernel time per process: read it less often
        self.stats = TreeStats()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="procmon", daemon=True)

    def add(self, pid: int) -> None:
        self.roots.append(pid)

    def __enter__(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        stats = self.stats
        kids = children_map()
        driver = browser = processes = 0
        pythons = []
        with_pss = stats.samples % self.pss_every == 0
        kinds: dict[int, str] = {}
        for root in list(self.roots):
            todo = [(root, None)]
            while todo:
                pid, parent = todo.pop()
                args = cmdline(pid)
                if not args:
                    continue
                kind = kinds[pid] = kind_of(args)
                todo.extend((kid, pid) for kid in kids.get(pid, []))
                # Chromium's main process: no --type=, and not a child forked by another Chromium
                # process (a fresh fork shows its parent's command line until it execs)
                if kind == "browser" and kinds.get(parent) != "browser" and not any(a.startswith("--type=") for a in args):
                    stats._main_pids.add(pid)
                if kind == "driver":
                    stats._driver_pids.add(pid)
                seconds = cpu_seconds(pid)
                if seconds is not None:
                    stats.cpu[pid] = (kind, seconds)
                if kind == "python":
                    pythons.append(pid)
                elif kind == "driver" and with_pss:
                    driver += pss_kb(pid) or 0
                elif kind == "browser":
                    browser += (pss_kb(pid) or 0) if with_pss else 0
                    processes += 1
        for pid in pythons:
            stats.python_peak_kb = max(stats.python_peak_kb, status_kb(pid, "VmHWM") or 0)
        stats.driver_peak_kb = max(stats.driver_peak_kb, driver)
        stats.browser_peak_kb = max(stats.browser_peak_kb, browser)
        stats.browser_processes_max = max(stats.browser_processes_max, processes)
        stats.browser_launches = len(stats._main_pids)
        stats.driver_starts = len(stats._driver_pids)
        stats.samples += 1


def folder_size(path: Path) -> dict:
    total = files = 0
    by_kind: dict[str, int] = {}
    for item in Path(path).rglob("*"):
        if item.is_file():
            size = item.stat().st_size
            total += size
            files += 1
            top = item.relative_to(path).parts[0] if len(item.relative_to(path).parts) > 1 else "(files)"
            by_kind[top] = by_kind.get(top, 0) + size
    return {"bytes": total, "files": files, "by_folder": by_kind}
