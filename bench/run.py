"""`python -m bench [--quick] [--only floor,scaling,...]`: how fast a migration is, how its cost grows,
and how close the agent is to the floor. Prints tables and writes bench/results.json.

Sections (each measured within this one invocation; compared runs are back to back):
  capture   ways to capture the viewport side by side on fixture pages: time, bytes, legibility, masks
  floor     the agent (real CLI, screenshots at every step) against bench/floor.py, interleaved
  network   the agent and the floor with server-side latency: wall time, requests per server and
            kind (counted by the servers), sign-ins, a resumed run; each step's requests, the
            agent's extra ones named
  scaling   100, 1,000, 10,000 follows: wall time without the server's processing, memory, run folder
  evidence  screenshots off / on / full-page / trace on
  polling   Mastodon-paced imports: how the agent waits (backoff, not fixed sleeps)
  cold      `mastomove --help` and `mastomove plan`: time to first output
  batch     10 accounts at concurrency 1, 2, 4 (accounts per minute)
  csv       peak memory of the CSV handling (tracemalloc) against one parsed copy of the file
  checkui   `mastomove check-ui` against the local servers: its wall time (target: under a minute),
            the slowest checks
  followers 1,000 and 5,000 followers: the followers list saved before the move and compared after
            it (time per 1,000 followers, memory), within one invocation
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench import logtimes, runner, world

STEPS = ["startup", "sign_in", "profile", "announce", "export", "imports", "alias", "preflight", "move", "verify",
         "shutdown"]
SECTIONS = ["cold", "csv", "capture", "floor", "network", "checkui", "scaling", "evidence", "polling", "batch",
            "followers"]
RESULTS = Path(__file__).resolve().parent / "results.json"
# Where the agent's screenshots make their Playwright calls (the probe's call sites).
SCREENSHOT_SITES = re.compile(r" agent/evidence\.py:(capture|playwright|_session):")
# Fixed waits in the code that do not wait on the server's processing, and why they are fixed.
NOT_SERVER_WAITS = {
    "flows/steps/sign_in.py": "waits for the next TOTP time step: the clock, not the server",
    "agent/watchalong.py": "the opt-in watch-along mode pauses on purpose for a person watching",
    "agent/retry.py:213": "wait_until's fixed beat, used by the sign-in alone to wait for the next TOTP time step",
}


# --- small helpers ---------------------------------------------------------------------------
def say(text: str = "") -> None:
    print(text, flush=True)


def median(values: list[float]) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else 0.0


def table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.2f}"
        return "" if value is None else str(value)

    text = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) if text else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, text)])


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine() -> dict[str, Any]:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    mem_gb = None
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem_gb = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    chromium = runner.launch_args().get("executable_path") or "Playwright's Chromium"
    version = ""
    try:
        version = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import version as pkg_version

    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform(),
            "python": platform.python_version(), "playwright": pkg_version("playwright"), "browser": version or chromium,
            "load_average_at_start": load_average()}


def fmt_mb(n_bytes: int) -> float:
    return round(n_bytes / 1024 / 1024, 1)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures of one run worth keeping (the rest stays in the run's own files)."""
    keep = ("who", "code", "wall_s", "cpu_s", "active_s", "server_wait_s", "steps", "waits", "screenshots",
            "screenshots_taken_by", "memory",
            "playwright", "first_output_s", "sleeps", "wait_for_timeouts", "warnings", "output_tail")
    out = {k: result[k] for k in keep if k in result}
    if "run_folder" in result:
        out["run_folder_mb"] = fmt_mb(result["run_folder"].get("bytes", 0))
        out["run_folder_files"] = result["run_folder"].get("files", 0)
        out["run_folder_by_folder_mb"] = {k: fmt_mb(v) for k, v in result["run_folder"].get("by_folder", {}).items()}
    calls = result.get("calls", {})
    out["calls_per_step"] = {step: sum(v[0] for v in apis.values()) for step, apis in calls.items()}
    out["page_loads_per_step"] = {step: sum(apis.get(name, [0])[0] for name in ("goto", "reload"))
                                  for step, apis in calls.items()}
    return out


def _screenshot_calls(result: dict[str, Any], step: str, index: int) -> float:
    """Count (index 0) or seconds (1) of `step`'s Playwright calls made inside the agent's
    screenshots (agent/evidence.py: the mask, Chromium's capture): they are the screenshots' time."""
    return sum(entry[index] for key, entry in result.get("call_sites", {}).items()
               if key.startswith(f"{step} ") and SCREENSHOT_SITES.search(key))


def calls_time(result: dict[str, Any], step: str, exclude: str = "") -> float:
    """Seconds the run spent in Playwright calls during `step` (the floor's sleeps are not calls),
    screenshots' calls left out (`exclude`: an API name also left out)."""
    total = sum(total for api, (_, total) in result.get("calls", {}).get(step, {}).items() if api != exclude)
    return total - _screenshot_calls(result, step, 1)


def active_calls_time(result: dict[str, Any], step: str) -> float:
    """Seconds in Playwright calls during `step` outside the waits on the server: a wait is
    polls (browser calls) and sleeps between them, and only its calls are taken off."""
    waited = sum(result.get("waits", {}).get(step, {}).values())
    in_wait_calls = max(0.0, waited - result.get("slept", {}).get(step, 0.0))
    return max(0.0, calls_time(result, step, exclude="screenshot") - in_wait_calls)


def calls_count(result: dict[str, Any], step: str) -> float:
    """Playwright calls (round trips to the browser) during `step`, screenshots' calls left out."""
    total = sum(v[0] for api, v in result.get("calls", {}).get(step, {}).items() if api != "screenshot")
    return total - _screenshot_calls(result, step, 0)


def ok(result: dict[str, Any]) -> bool:
    return result.get("code") == 0


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.quick = args.quick
        self.tmp = Path(tempfile.mkdtemp(prefix="mastomove-bench-"))
        self.results: dict[str, Any] = {}
        self.cluster = None
        self.counter = 0

    # --- the cluster --------------------------------------------------------------------------
    def fresh(self, follows: int, config: dict[str, Any] | None = None):
        if self.cluster is None:
            self.cluster = world.start_cluster(follows, config)
        world.reset(self.cluster, follows, config)
        return self.cluster

    def run_dir(self, label: str) -> Path:
        self.counter += 1
        return self.tmp / f"{self.counter:02d}-{label}"

    @property
    def common_args(self) -> tuple[str, ...]:
        """`--skip-backup` where the agent has a backup step (saving the old account's notifications,
        private mentions and archive before the move), unless --with-backup: the floor has no
        such step, so the comparison leaves it out of both."""
        return ("--skip-backup",) if runner.agent_has_backup() and not self.args.with_backup else ()

    def agent(self, label: str, follows: int, *args: str, config: dict[str, Any] | None = None, **env: str) -> dict:
        cluster = self.fresh(follows, config)
        result = runner.run_agent(cluster, self.run_dir(f"agent-{label}"), *self.common_args, *args, **env)
        result["migrated"] = runner.check_migrated(cluster)["moved_to"] is not None
        if not ok(result):
            say(f"  ! agent run {label} exited {result['code']}: {result['output_tail'][-600:]}")
        return result

    def floor(self, label: str, follows: int) -> dict:
        cluster = self.fresh(follows)
        result = runner.run_floor(cluster, self.run_dir(f"floor-{label}"))
        result["migrated"] = runner.check_migrated(cluster)["moved_to"] is not None
        if not ok(result):
            say(f"  ! floor run {label} exited {result['code']}: {result['output_tail'][-600:]}")
        return result

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        if not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- sections ---------------------------------------------------------------------------
    def section_floor(self) -> None:
        follows = 200 if self.quick else 1000
        pairs = 1 if self.quick else 3
        say(f"\n## Agent against the floor: {follows} follows, screenshots at every step ({pairs} pair(s), interleaved)")
        agents, floors = [], []
        for index in range(pairs):
            first, second = ("floor", "agent") if index % 2 == 0 else ("agent", "floor")
            for who in (first, second):
                run = self.floor(f"{follows}-{index}", follows) if who == "floor" else self.agent(f"{follows}-{index}", follows)
                (floors if who == "floor" else agents).append(run)
                say(f"  {who:5} run {index + 1}: {run['wall_s']:.1f} s wall, {run['active_s']:.1f} s without server waits,"
                    f" {run['cpu_s']:.1f} s CPU (exit {run['code']}, load {load_average()[0]})")
        good = [(a, f) for a, f in zip(agents, floors) if ok(a) and ok(f)]
        if not good:
            say("  no pair where both the agent and the floor completed: no ratio")
            self.results["floor"] = {"follows": follows, "pairs": 0,
                                     "runs": {"agent": [summary(a) for a in agents], "floor": [summary(f) for f in floors]}}
            return
        ratios = [a["active_s"] / f["active_s"] for a, f in good]
        wall_ratios = [a["wall_s"] / f["wall_s"] for a, f in good]
        per_step = []
        for step in STEPS:
            agent_s = median([runner.step_active(a, step) for a, _ in good])
            floor_s = median([runner.step_active(f, step) for _, f in good])
            shots = median([a.get("screenshots", {}).get(step, {}).get("s", 0.0) for a, _ in good])
            n_shots = median([a.get("screenshots", {}).get(step, {}).get("count", 0) for a, _ in good])
            agent_calls = median([calls_count(a, step) for a, _ in good])
            floor_calls = median([calls_count(f, step) for _, f in good])
            agent_wait = median([sum(a["waits"].get(step, {}).values()) for a, _ in good])
            floor_wait = median([sum(f["waits"].get(step, {}).values()) for _, f in good])
            agent_page = median([active_calls_time(a, step) for a, _ in good])
            floor_page = median([active_calls_time(f, step) for _, f in good])
            per_step.append({
                "step": step, "agent_s": agent_s, "floor_s": floor_s, "overhead_s": agent_s - floor_s,
                "agent_page_s": agent_page, "floor_page_s": floor_page,
                "ratio": agent_s / floor_s if floor_s > 0.05 else None, "screenshots": n_shots, "screenshots_s": shots,
                "agent_calls": agent_calls, "floor_calls": floor_calls,
                "agent_server_wait_s": agent_wait, "floor_server_wait_s": floor_wait,
            })
        self.results["floor"] = {
            "follows": follows, "pairs": len(good), "ratio_active": median(ratios), "ratio_active_all": ratios,
            "ratio_wall": median(wall_ratios),
            # CPU seconds of the whole process tree (Python, Playwright's driver, Chromium): the work
            # done, which depends much less than wall time on how busy the machine is
            "ratio_cpu": median([a["cpu_s"] / f["cpu_s"] for a, f in good]),
            "agent_cpu_s": median([a["cpu_s"] for a, _ in good]),
            "floor_cpu_s": median([f["cpu_s"] for _, f in good]),
            "agent_active_s": median([a["active_s"] for a, _ in good]),
            "floor_active_s": median([f["active_s"] for _, f in good]),
            "agent_wall_s": median([a["wall_s"] for a, _ in good]),
            "floor_wall_s": median([f["wall_s"] for _, f in good]),
            "agent_server_wait_s": median([a["server_wait_s"] for a, _ in good]),
            "floor_server_wait_s": median([f["server_wait_s"] for _, f in good]),
            "per_step": per_step,
            "runs": {"agent": [summary(a) for a in agents], "floor": [summary(f) for f in floors]},
        }
        say(table(["step", "agent s", "floor s", "overhead s", "ratio", "shots", "in shots s", "browser calls a/f",
                   "in calls s a/f (no waits)", "server wait s a/f"],
                  [[p["step"], p["agent_s"], p["floor_s"], p["overhead_s"],
                    f"{p['ratio']:.2f}x" if p["ratio"] else "-", int(p["screenshots"]), p["screenshots_s"],
                    f"{int(p['agent_calls'])}/{int(p['floor_calls'])}",
                    f"{p['agent_page_s']:.2f}/{p['floor_page_s']:.2f}",
                    f"{p['agent_server_wait_s']:.2f}/{p['floor_server_wait_s']:.2f}"] for p in per_step]))
        # where the overhead goes: screenshots, more browser calls (checks, reads), everything else
        # (the agent's own Python: start-up imports, state file, log); server waits are out of both
        shots_total = sum(p["screenshots_s"] for p in per_step)
        page_extra = sum(p["agent_page_s"] - p["floor_page_s"] for p in per_step)
        overhead = self.results["floor"]["agent_active_s"] - self.results["floor"]["floor_active_s"]
        self.results["floor"]["overhead_split"] = {
            "total_s": overhead, "screenshots_s": shots_total, "more_browser_calls_s": page_extra,
            "rest_s": overhead - shots_total - page_extra}
        f = self.results["floor"]
        say(f"  total without server waits: agent {f['agent_active_s']:.2f} s, floor {f['floor_active_s']:.2f} s "
            f"-> {f['ratio_active']:.2f}x (per pair: {', '.join(f'{r:.2f}' for r in ratios)}); "
            f"wall {f['agent_wall_s']:.1f} s vs {f['floor_wall_s']:.1f} s -> {f['ratio_wall']:.2f}x; "
            f"CPU {f['agent_cpu_s']:.1f} s vs {f['floor_cpu_s']:.1f} s -> {f['ratio_cpu']:.2f}x")
        split = f["overhead_split"]
        taken = {}
        for a, _ in good:
            for way, n in a.get("screenshots_taken_by", {}).items():
                taken[way] = taken.get(way, 0) + n
        f["screenshots_taken_by"] = taken
        say(f"  screenshots taken by: {', '.join(f'{way} {n}' for way, n in sorted(taken.items())) or '-'} "
            f"(playwright: the fallback, when the page changed under the mask)")
        say(f"  the agent's {split['total_s']:.2f} s over the floor: screenshots {split['screenshots_s']:.2f} s, "
            f"more browser calls (checks, re-reads) ~{split['more_browser_calls_s']:.2f} s, "
            f"the rest (Python start-up, state file, log, ...) ~{split['rest_s']:.2f} s")

    def section_capture(self) -> None:
        from bench import capture

        rounds = 4 if self.quick else 12
        say(f"\n## Capturing the viewport: ways side by side on fixture pages ({rounds} rounds, interleaved)")
        self.fresh(100)
        folder = self.run_dir("capture")
        found = capture.measure(self.cluster, folder, rounds, runner.launch_args(), runner.context_args())
        self.results["capture"] = found
        for page, data in found["pages"].items():
            say(f"  {page} page (the next browser call alone: {data['next_call_ms']:.1f} ms)")
            say(table(["way", "ms per shot", "min ms", "CPU ms", "KB", "PSNR dB", "text edges dB", "note"],
                      [[w["way"], w["ms"], w["ms_min"], w["cpu_ms"], w["kb"], _db(w["psnr_db"]), _db(w["edge_psnr_db"]),
                        w["note"]]
                       for w in data["ways"]]))
        mask = found["mask_check"]
        say("  mask check (two typed secrets, shown in clear, masked shots identical): "
            + ", ".join(f"{way} {'yes' if held else 'NO'}" for way, held in mask.items()))
        say(f"  load average during the section: {found['load_average']}; pictures to look at: {folder / 'look'}")

    def network_run(self, who: str, label: str, follows: int, *args: str, confirm: bool = True,
                    reseed: bool = True, run_dir: Path | None = None) -> dict[str, Any]:
        """One run of the agent or the floor with the servers' latency on; the servers' count of
        its requests under "network" and "by_step"."""
        from bench import network

        cluster = self.fresh(follows, network.LATENCY) if reseed else self.cluster
        network.clear(cluster)
        folder = run_dir or self.run_dir(f"{who}-net-{label}")
        if who == "floor":
            run = runner.run_floor(cluster, folder)
        else:
            run = runner.run_agent(cluster, folder, *self.common_args, *args, confirm=confirm)
        counted = network.read(cluster)
        folder.parent.joinpath(f"{folder.name}.requests.json").write_text(json.dumps(counted, indent=1))
        run["network"] = network.totals(counted)
        run["by_step"] = network.by_step(counted, run.get("step_marks", []))
        if not ok(run) and confirm:
            say(f"  ! {who} run {label} exited {run['code']}: {run['output_tail'][-600:]}")
        return run

    def section_network(self) -> None:
        from bench import network

        follows = 200 if self.quick else 1000
        pairs = 1 if self.quick else 2
        lat = network.LATENCY
        say(f"\n## Over a network: {lat['latency_seconds'] * 1000:.0f} ms per request, "
            f"{lat['write_latency_seconds'] * 1000:.0f} ms per form submission, added by the servers; "
            f"{follows} follows ({pairs} pair(s), interleaved)")
        agents, floors = [], []
        for index in range(pairs):
            for who in (("floor", "agent") if index % 2 == 0 else ("agent", "floor")):
                run = self.network_run(who, f"{follows}-{index}", follows)
                (floors if who == "floor" else agents).append(run)
                n = run["network"]
                say(f"  {who:5} run {index + 1}: {run['wall_s']:.1f} s wall, {run['cpu_s']:.1f} s CPU, "
                    f"{n['total']} requests, sign-in posts {n['sign_in_posts']} (exit {run['code']}, "
                    f"load {load_average()[0]})")
        good = [(a, f) for a, f in zip(agents, floors) if ok(a) and ok(f)]
        result: dict[str, Any] = {"latency": lat, "follows": follows, "pairs": len(good),
                                  "runs": {"agent": [self.network_summary(a) for a in agents],
                                           "floor": [self.network_summary(f) for f in floors]}}
        self.results["network"] = result
        if not good:
            say("  no pair where both the agent and the floor completed: no ratio")
            return
        agent_requests = median([a["network"]["total"] for a, _ in good])
        floor_requests = median([f["network"]["total"] for _, f in good])
        result.update({
            "ratio_wall": median([a["wall_s"] / f["wall_s"] for a, f in good]),
            "ratio_cpu": median([a["cpu_s"] / f["cpu_s"] for a, f in good]),
            "agent_wall_s": median([a["wall_s"] for a, _ in good]),
            "floor_wall_s": median([f["wall_s"] for _, f in good]),
            "agent_server_wait_s": median([a["server_wait_s"] for a, _ in good]),
            "floor_server_wait_s": median([f["server_wait_s"] for _, f in good]),
            "requests": {"agent": agent_requests, "floor": floor_requests,
                         "ratio": agent_requests / floor_requests if floor_requests else None,
                         "agent_by_kind": good[0][0]["network"]["by_kind"],
                         "floor_by_kind": good[0][1]["network"]["by_kind"],
                         "agent_by_server": good[0][0]["network"]["by_server"],
                         "floor_by_server": good[0][1]["network"]["by_server"]},
            "sign_ins": {"agent": good[0][0]["network"]["sign_ins"], "floor": good[0][1]["network"]["sign_ins"],
                         "agent_posts": good[0][0]["network"]["sign_in_posts"],
                         "floor_posts": good[0][1]["network"]["sign_in_posts"]},
        })
        say(f"  wall: agent {result['agent_wall_s']:.1f} s, floor {result['floor_wall_s']:.1f} s -> "
            f"{result['ratio_wall']:.2f}x (server waits {result['agent_server_wait_s']:.1f} s / "
            f"{result['floor_server_wait_s']:.1f} s); CPU {result['ratio_cpu']:.2f}x")
        req = result["requests"]
        rows = [[kind, req["agent_by_kind"][kind], req["floor_by_kind"][kind],
                 f"{req['agent_by_kind'][kind] / req['floor_by_kind'][kind]:.2f}x" if req["floor_by_kind"][kind] else "-"]
                for kind in network.KINDS]
        for server in network.SERVERS:
            a, f = req["agent_by_server"][server]["total"], req["floor_by_server"][server]["total"]
            rows.append([f"{server}.test (all kinds)", a, f, f"{a / f:.2f}x" if f else "-"])
        rows.append(["total (both servers)", f"{agent_requests:g}", f"{floor_requests:g}", f"{req['ratio']:.2f}x"])
        say(table(["requests (counted by the servers)", "agent", "floor", "agent/floor"], rows))
        signs = result["sign_ins"]
        say(f"  sign-ins (POST /auth/sign_in answered with a redirect): agent {signs['agent']}, floor {signs['floor']}; "
            f"POSTs to /auth/sign_in (each throttled, 25 per 5 min per IP): agent {signs['agent_posts']}, "
            f"floor {signs['floor_posts']}")
        self.network_resumed(follows)
        per_step = network.compare(good[0][0]["by_step"], good[0][1]["by_step"], STEPS)
        for row in per_step:
            row["agent_s"] = median([a["steps"].get(row["step"], 0.0) for a, _ in good])
            row["floor_s"] = median([f["steps"].get(row["step"], 0.0) for _, f in good])
        result["per_step"] = per_step
        say(table(["step", "time s a/f", "requests a/f", "documents a/f", "form posts a/f", "API a/f", "downloads a/f",
                   "static a/f"],
                  [[row["step"], f"{row['agent_s']:.2f}/{row['floor_s']:.2f}", f"{row['agent']}/{row['floor']}",
                    *(f"{row['agent_by_kind'][k]}/{row['floor_by_kind'][k]}" for k in network.KINDS)]
                   for row in per_step]))
        for row in per_step:
            if row["extra"]:
                say(f"  {row['step']}: the agent's extra requests: {', '.join(row['extra'])}")
            if row["fewer"]:
                say(f"  {row['step']}: the floor's requests the agent does not make: {', '.join(row['fewer'])}")

    def network_resumed(self, follows: int) -> None:
        """A run stopped at the pause before the move, then resumed with the confirmation: how
        often each half signs in (a resumed run could reuse the session)."""
        folder = self.run_dir("agent-net-resumed")
        first = self.network_run("agent", "first-half", follows, confirm=False, run_dir=folder)
        second = self.network_run("agent", "resumed", follows, reseed=False, run_dir=folder)
        self.results["network"]["resumed"] = {
            "first": {"code": first["code"], "sign_ins": first["network"]["sign_ins"],
                      "sign_in_posts": first["network"]["sign_in_posts"], "requests": first["network"]["total"],
                      "wall_s": first["wall_s"]},
            "second": {"code": second["code"], "sign_ins": second["network"]["sign_ins"],
                       "sign_in_posts": second["network"]["sign_in_posts"], "requests": second["network"]["total"],
                       "wall_s": second["wall_s"], "migrated": runner.check_migrated(self.cluster)["moved_to"] is not None},
        }
        r = self.results["network"]["resumed"]
        say(f"  resumed: stopped at the pause (exit {r['first']['code']}) after sign-ins {r['first']['sign_ins']}; "
            f"the resumed run (exit {r['second']['code']}, moved: {r['second']['migrated']}) signed in "
            f"{r['second']['sign_ins']} (POSTs {r['second']['sign_in_posts']}), {r['second']['requests']} requests")

    @staticmethod
    def network_summary(run: dict[str, Any]) -> dict[str, Any]:
        return {"code": run["code"], "wall_s": run["wall_s"], "cpu_s": run["cpu_s"],
                "server_wait_s": run["server_wait_s"], "network": run["network"],
                "requests_by_step": {step: len(items) for step, items in run["by_step"].items()}}

    def section_checkui(self) -> None:
        """`mastomove check-ui` as an admin's CI runs it (not --destructive), against the local
        servers: wall time, CPU, and each check's time from its JUnit XML."""
        import xml.etree.ElementTree as ET

        say("\n## check-ui's own time (the shipped UI checks against the local servers)")
        cluster = self.fresh(100)
        folder = self.run_dir("checkui")
        env = world.agent_env(cluster, folder / "unused")
        for name in ("MASTOMOVE_NEW_EMAIL", "MASTOMOVE_NEW_PASSWORD", "MASTOMOVE_RUN_DIR"):
            env.pop(name, None)  # without --destructive the suite signs in as the account under test only
        command = [sys.executable, "-m", "mastomove.agent.cli", "check-ui", "--output", str(folder)]
        code, output, wall, cpu, monitor = runner.execute(command, env, timeout=600)
        cases = []
        junit = folder / "junit.xml"
        if junit.is_file():
            for case in ET.parse(junit).getroot().iter("testcase"):
                outcome = next((kind for kind in ("failure", "error", "skipped") if case.find(kind) is not None), "passed")
                cases.append({"name": case.get("name"), "s": float(case.get("time") or 0), "outcome": outcome})
        cases.sort(key=lambda c: -c["s"])
        self.results["checkui"] = {"code": code, "wall_s": wall, "cpu_s": cpu, "checks": len(cases),
                                   "passed": sum(1 for c in cases if c["outcome"] == "passed"),
                                   "in_checks_s": sum(c["s"] for c in cases), "slowest": cases[:8],
                                   "browser_peak_mb": monitor.stats.as_dict().get("browser_peak_mb"),
                                   "load_average": load_average(),
                                   "output_tail": output[-1500:] if code else ""}
        c = self.results["checkui"]
        say(f"  {c['wall_s']:.1f} s wall ({c['cpu_s']:.1f} s CPU), exit {code}: {c['passed']}/{c['checks']} checks passed, "
            f"{c['in_checks_s']:.1f} s inside the checks (load {c['load_average'][0]})")
        say(table(["slowest checks", "s", "outcome"], [[x["name"], x["s"], x["outcome"]] for x in cases[:8]]))
        if code:
            say("    " + output[-800:].replace("\n", "\n    "))

    def section_scaling(self) -> None:
        sizes = self.args.sizes or ([100, 1000] if self.quick else [100, 1000, 10000])
        say(f"\n## Scaling with the account's size ({', '.join(map(str, sizes))} follows; lists, blocks, mutes along)")
        rows = []
        for follows in sizes:
            run = self.agent(f"scale-{follows}", follows)
            cluster = self.cluster
            rows.append({"follows": follows, "ok": ok(run), "counts": cluster.counts, "wall_s": run["wall_s"],
                         "active_s": run["active_s"], "server_wait_s": run["server_wait_s"],
                         "python_peak_mb": run["memory"]["python_peak_mb"], "driver_peak_mb": run["memory"]["driver_peak_mb"],
                         "browser_peak_mb": run["memory"]["browser_peak_mb"], "cpu_s": run.get("cpu_s"),
                         "cpu_s_by_process": run["memory"].get("cpu_s"),
                         "run_folder_mb": fmt_mb(run["run_folder"].get("bytes", 0)),
                         "exports_mb": fmt_mb(run["run_folder"].get("by_folder", {}).get("exports", 0)),
                         "screenshots_mb": fmt_mb(run["run_folder"].get("by_folder", {}).get("screenshots", 0)),
                         "run": summary(run)})
            say(f"  {follows:>6} follows: {run['wall_s']:.1f} s wall, {run['active_s']:.1f} s without server waits, "
                f"agent {run['memory']['python_peak_mb']} MB (exit {run['code']})")
        growth = []
        good = [row for row in rows if row["ok"]]
        for small, big in zip(good, good[1:]):
            n = big["follows"] / small["follows"]
            growth.append({
                "from": small["follows"], "to": big["follows"], "size_x": n,
                "time_x": big["active_s"] / small["active_s"],
                "cpu_x": big["cpu_s"] / small["cpu_s"] if small.get("cpu_s") else None,
                "agent_memory_x": big["python_peak_mb"] / small["python_peak_mb"],
                # marginal cost per 1,000 follows over this interval
                "s_per_1000": (big["active_s"] - small["active_s"]) / (big["follows"] - small["follows"]) * 1000,
                "agent_mb_per_1000": (big["python_peak_mb"] - small["python_peak_mb"]) / (big["follows"] - small["follows"]) * 1000,
            })
        self.results["scaling"] = {"sizes": rows, "growth": growth}
        say(table(["follows", "wall s", "no-server s", "server wait s", "CPU s", "agent MB", "driver MB", "browser MB",
                   "run folder MB", "of which exports MB"],
                  [[r["follows"], r["wall_s"], r["active_s"], r["server_wait_s"], r["cpu_s"], r["python_peak_mb"],
                    r["driver_peak_mb"], r["browser_peak_mb"], r["run_folder_mb"], r["exports_mb"]] for r in rows]))
        say(table(["follows", "size x", "time x", "CPU x", "agent memory x", "s per 1,000 follows", "agent MB per 1,000"],
                  [[f"{g['from']}->{g['to']}", g["size_x"], g["time_x"], g["cpu_x"], g["agent_memory_x"],
                    g["s_per_1000"], g["agent_mb_per_1000"]] for g in growth]))

    def section_evidence(self) -> None:
        follows = 100 if self.quick else 1000
        say(f"\n## The cost of evidence ({follows} follows)")
        variants = [("screenshots off", {"MASTOMOVE_SCREENSHOTS": "false"}, ()),
                    ("screenshots on", {}, ()),
                    ("full-page screenshots", {"MASTOMOVE_FULL_PAGE_SCREENSHOTS": "true"}, ()),
                    ("screenshots on + trace", {}, ("--trace",))]
        rows = []
        for label, env, args in variants:
            run = self.agent(label.replace(" ", "-"), follows, *args, **env)
            shots = sum(v["count"] for v in run.get("screenshots", {}).values())
            shot_s = sum(v["s"] for v in run.get("screenshots", {}).values())
            rows.append({"variant": label, "ok": ok(run), "wall_s": run["wall_s"], "active_s": run["active_s"],
                         "cpu_s": run["cpu_s"],
                         "screenshots": shots, "screenshots_s": shot_s,
                         "run_folder_mb": fmt_mb(run["run_folder"].get("bytes", 0)),
                         "browser_peak_mb": run["memory"]["browser_peak_mb"], "python_peak_mb": run["memory"]["python_peak_mb"],
                         "run": summary(run)})
        base, base_cpu = rows[0]["active_s"], rows[0]["cpu_s"]
        for row in rows:
            row["vs_off"] = row["active_s"] / base if base else None
            row["cpu_vs_off"] = row["cpu_s"] / base_cpu if base_cpu else None
        self.results["evidence"] = rows
        say(table(["variant", "no-server s", "vs off", "CPU s", "CPU vs off", "screenshots", "in screenshot() s",
                   "run folder MB", "browser MB"],
                  [[r["variant"], r["active_s"], f"{r['vs_off']:.2f}x", r["cpu_s"], f"{r['cpu_vs_off']:.2f}x",
                    r["screenshots"], r["screenshots_s"], r["run_folder_mb"], r["browser_peak_mb"]] for r in rows]))

    def section_polling(self) -> None:
        follows = 1000
        say(f"\n## Waiting on the server: imports at Mastodon's pace (100 rows per 0.5 s), {follows} follows")
        run = self.agent("paced", follows, config=world.PACED_JOBS)
        imports = self.cluster.new.account("alice", include=["imports"]).get("imports", [])
        jobs = {job["list"]: job for job in self.server_jobs(run, imports)}
        waits = []
        for wait in run.get("import_waits", []):
            job = jobs.get(wait["list"], {})
            waited = wait["end"] - wait["start"]
            waits.append({"list": wait["list"], "rows": job.get("rows"), "server_s": job.get("processing_s"),
                          "agent_wait_s": waited, "latency_s": waited - job["processing_s"] if job else None,
                          "sleeps": wait["sleeps"]})
        # backoff: within one wait, each sleep longer than the one before (jitter aside), except the
        # last, which the import's pace may cut short (the agent reads again when the rest should be
        # done); and at least one wait long enough to show the growth
        sequences = [w["sleeps"] for w in waits if len(w["sleeps"]) >= 2]
        backoff = bool(sequences) and all(all(b >= a * 0.9 for a, b in zip(seq[:-1], seq[1:-1])) for seq in sequences) \
            and any(len(seq) >= 3 and seq[-2] > seq[0] for seq in sequences)
        fixed = self.static_sleeps()
        job_s = sum(w["server_s"] or 0.0 for w in waits)
        wait_s = sum(w["agent_wait_s"] for w in waits)
        self.results["polling"] = {"follows": follows, "ok": ok(run), "waits": waits, "backoff": backoff,
                                   "backoff_sequences": len(sequences), "sleeps_by_site": run.get("sleeps", {}),
                                   "wait_for_timeouts": run.get("wait_for_timeouts", []), "static_scan": fixed,
                                   "imports_server_processing_s": job_s, "imports_agent_wait_s": wait_s,
                                   "latency_s": wait_s - job_s, "run": summary(run)}
        say(table(["list", "rows", "server s", "agent waited s", "latency s", "sleeps between polls (s)"],
                  [[w["list"], w["rows"], w["server_s"], w["agent_wait_s"], w["latency_s"],
                    ", ".join(f"{x:.1f}" for x in w["sleeps"]) or "-"] for w in waits]))
        say(f"  the server worked {job_s:.1f} s on the imports; the agent saw them finished {wait_s - job_s:+.1f} s later "
            f"in all (waits double from 0.25 s plus as much jitter, and are cut short where an import's pace says it ends)")
        say(f"  backoff within a wait: {'yes' if backoff else 'NO'} ({len(sequences)} wait(s) with 2+ sleeps); "
            f"sleeps by site: " + (", ".join(f"{site} x{info['count']}" for site, info in run.get("sleeps", {}).items())
                                   or "none"))
        for item in fixed:
            say(f"  fixed wait in the code: {item}")

    def server_jobs(self, run: dict[str, Any], imports: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each import job's own time on the server: from the agent's confirming it (log) to the
        job's finished_at (the server's state)."""
        confirmed = run.get("confirmed_at", {})
        jobs = []
        for item in imports:
            kind = {"following": "follows", "lists": "lists", "blocking": "blocks", "muting": "mutes",
                    "domain_blocking": "domain_blocks", "bookmarks": "bookmarks"}.get(item["type"], item["type"])
            start = confirmed.get(kind)
            end = item.get("finished_at")
            if start and end:
                end_t = datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp()
                jobs.append({"list": kind, "rows": item.get("total"), "processing_s": max(0.0, end_t - start)})
        return jobs

    @staticmethod
    def static_sleeps() -> list[str]:
        """Fixed sleeps in agent/ and flows/: `time.sleep(<number>)`, `wait_for_timeout(`, `wait_fixed(`."""
        project = world.PROJECT
        found = []
        pattern = re.compile(r"time\.sleep\(\s*[\d.]+\s*\)|wait_for_timeout\(|wait_fixed\(")
        for folder in ("agent", "flows"):
            for path in sorted((project / folder).rglob("*.py")):
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if pattern.search(line) and "allow-sleep" not in line:
                        found.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
        return found

    def section_cold(self) -> None:
        say("\n## Cold start")
        exe = Path(sys.executable).parent / "mastomove"
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "mastomove.agent.cli"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MASTOMOVE_")}
        env["COLUMNS"] = "120"
        tries = 3 if self.quick else 7
        help_first, help_total, help_cpu = [], [], []
        for _ in range(tries):
            first, total, _, cpu = timed_first_output([*command, "--help"], env)
            help_first.append(first)
            help_total.append(total)
            help_cpu.append(cpu)
        imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "mastomove.agent.cli", "--help"], cwd=world.PROJECT,
                                 env=env, capture_output=True, text=True).stderr
        heavy = sorted({m for m in ("playwright", "flows", "fixtures", "markdown_it", "pygments")
                        if re.search(rf"\|\s+{m}(\.|\s*$)", imports, re.M)})
        cluster = self.fresh(100)
        plan_dir = self.run_dir("plan")
        plan_env = world.agent_env(cluster, plan_dir)
        plan_first, plan_total, code, plan_cpu = timed_first_output([*command, "plan"], plan_env)
        self.results["cold_start"] = {"help_first_output_s": median(help_first), "help_total_s": median(help_total),
                                      "help_cpu_s": median(help_cpu), "help_tries": help_first,
                                      "modules_imported_by_help": heavy,
                                      "plan_first_output_s": plan_first, "plan_total_s": plan_total,
                                      "plan_cpu_s_python": plan_cpu, "plan_exit": code}
        say(table(["command", "first output s", "total s", "CPU s", "note"], [
            ["mastomove --help", median(help_first), median(help_total), median(help_cpu),
             f"median of {tries}; heavy imports: {', '.join(heavy) or 'none'}"],
            ["mastomove plan", plan_first, plan_total, plan_cpu,
             f"signs in to both accounts, reads them, then prints; exit {code}"],
        ]))

    def section_batch(self) -> None:
        accounts = 3 if self.quick else 10
        levels = [1, 3] if self.quick else [1, 2, 4]
        follows = 100
        say(f"\n## Many accounts: {accounts} accounts of {follows} follows at concurrency {', '.join(map(str, levels))}")
        say(f"  `mastomove batch` (one browser, a context per account) on one cluster seeded with {accounts} movers")
        rows = self.batch_command(accounts, levels, follows)
        base = rows[0]["accounts_per_minute"] if rows and rows[0]["accounts_per_minute"] else None
        for row in rows:
            row["speedup"] = row["accounts_per_minute"] / base if base else None
        self.results["batch"] = {"mode": "command", "accounts": accounts, "follows": follows, "levels": rows}
        say(table(["concurrency", "migrated", "wall s", "accounts/min", "speed-up", "CPU s", "browser launches",
                   "contexts", "peak browsers MB"],
                  [[r["concurrency"], f"{r['migrated']}/{r['accounts']}", r["wall_s"], r["accounts_per_minute"],
                    f"{r['speedup']:.2f}x" if r["speedup"] else "-", r["cpu_s"], r["browser_launches"], r["contexts"],
                    round(r["peak_browsers_mb"])] for r in rows]))

    def batch_command(self, accounts: int, levels: list[int], follows: int) -> list[dict[str, Any]]:
        rows = []
        for level in levels:
            cluster = self.fresh(follows)
            movers = cluster.old.add_movers(accounts, follows=follows, followers=3, notifications=2)
            folder = self.run_dir(f"batch-c{level}")
            run = runner.run_batch(cluster, movers, folder, level, *self.common_args)
            done = sum(1 for mover in movers if runner.check_migrated(cluster, mover["old"]["username"])["moved_to"])
            rows.append({"concurrency": level, "accounts": len(movers), "migrated": done, "wall_s": run["wall_s"],
                         "accounts_per_minute": done / run["wall_s"] * 60, "cpu_s": run["cpu_s"],
                         "code": run["code"], "peak_browsers_mb": run["memory"]["browser_peak_mb"],
                         "peak_drivers_mb": run["memory"]["driver_peak_mb"],
                         "agent_python_peak_mb": run["memory"]["python_peak_mb"],
                         "browser_launches": run["playwright"].get("browser_launches"),
                         "contexts": run["playwright"].get("contexts"),
                         "browser_main_processes_seen": run["memory"].get("browser_launches_seen"),
                         "run_folder_mb": fmt_mb(run["run_folder"].get("bytes", 0)),
                         "output_tail": run.get("output_tail", ""), "load_average": load_average()})
            say(f"  concurrency {level}: {done}/{len(movers)} migrated in {run['wall_s']:.1f} s -> "
                f"{rows[-1]['accounts_per_minute']:.1f} accounts/min (exit {run['code']})")
            if run["code"] and run.get("output_tail"):
                say("    " + run["output_tail"][-400:].replace("\n", "\n    "))
        return rows

    def section_csv(self) -> None:
        """Peak Python memory of the agent's CSV handling, against one parsed copy of the file."""
        from mastomove.flows import csv_formats
        from mastomove.flows.csv_formats import FOLLOWS

        n = 10_000
        say(f"\n## CSV handling: peak memory for a {n:,}-row follows.csv (tracemalloc)")
        text = "Account address,Show boosts,Notify on new posts,Languages\n" + "".join(
            f"user{i}@remote{i % 50}.example,{'true' if i % 3 else 'false'},false,{'en' if i % 7 == 0 else ''}\n"
            for i in range(n))
        lists_text = "".join(f"List {i % 6},user{i}@remote{i % 50}.example\n" for i in range(n))

        def peak(fn) -> int:
            tracemalloc.start()
            try:
                tracemalloc.reset_peak()
                result = fn()
                _, top = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            del result
            return top

        one_copy = peak(lambda: [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))])
        measured = {
            "count_rows (export step)": peak(lambda: csv_formats.count_rows(text)),
            "accounts (follow-request check)": peak(lambda: csv_formats.accounts(FOLLOWS, text)),
            "list_names (export step)": peak(lambda: csv_formats.list_names(lists_text)),
        }
        rows = [{"function": name, "peak_mb": fmt_mb(value), "copies": value / one_copy} for name, value in measured.items()]
        self.results["csv"] = {"rows": n, "one_parsed_copy_mb": fmt_mb(one_copy), "file_mb": fmt_mb(len(text)),
                               "functions": rows, "max_copies": max(r["copies"] for r in rows)}
        say(table(["function", "peak MB", "parsed copies"],
                  [["one parsed copy of the file", fmt_mb(one_copy), "1.00"]]
                  + [[r["function"], r["peak_mb"], f"{r['copies']:.2f}"] for r in rows]))

    def section_followers(self) -> None:
        """The followers list (issue 14) at size: the real `mastomove migrate` on an account of few
        follows and N followers (30 of them on servers that do not move them: ignore, down, gone),
        timed from its log (the list saved before the pause: opening the column, then paging; the
        arrivals step after the move), its memory from the process monitor; sizes interleaved, medians.
        Plus, in this process (tracemalloc), the Python side alone: the records kept and written, and
        the comparison."""
        import tempfile as _tempfile

        from mastomove.agent import followers as follower_files
        from mastomove.flows.followers import compare, follower_record

        sizes = [200, 1000] if self.quick else [1000, 5000]
        rounds = 1 if self.quick else 2
        left_behind = 30  # a third each on ignore.test, down.test and gone.test (seed followers_spread)
        say(f"\n## Followers: saved before the move, compared after it ({', '.join(f'{n:,}' for n in sizes)} "
            f"followers, {rounds} round(s) interleaved)")
        runs: dict[int, list[dict[str, Any]]] = {size: [] for size in sizes}
        for _ in range(rounds):
            for size in sizes:
                runs[size].append(self.followers_run(size, left_behind))
        rows = []
        for size in sizes:
            good = [r for r in runs[size] if r["ok"] and r["paging_s"] is not None and r["compare_s"] is not None]
            row = {"followers": size, "ok": len(good) == len(runs[size]), "runs": runs[size]}
            for key in ("open_s", "paging_s", "save_s", "compare_s", "python_peak_mb", "browser_peak_mb"):
                row[key] = median([r[key] for r in good]) if good else None
            row["pages"] = good[0]["pages"] if good else None
            row["files_kb"] = good[0]["files_kb"] if good else {}
            row["counts"] = good[0]["counts"] if good else None
            row.update(self.followers_python(size, left_behind, follower_files, compare, follower_record, _tempfile))
            rows.append(row)
        growth = []
        for small, big in zip(rows, rows[1:]):
            if not (small["ok"] and big["ok"]):
                continue
            per = (big["followers"] - small["followers"]) / 1000
            growth.append({
                "from": small["followers"], "to": big["followers"], "size_x": big["followers"] / small["followers"],
                "paging_s_per_1000": [small["paging_s"] / small["followers"] * 1000,
                                      big["paging_s"] / big["followers"] * 1000],
                "save_x": big["save_s"] / small["save_s"], "compare_x": big["compare_s"] / small["compare_s"],
                "marginal_save_s_per_1000": (big["save_s"] - small["save_s"]) / per,
                "marginal_compare_s_per_1000": (big["compare_s"] - small["compare_s"]) / per,
                "agent_memory_x": big["python_peak_mb"] / small["python_peak_mb"],
                "kept_mb_per_1000": (big["kept_peak_mb"] - small["kept_peak_mb"]) / per,
                "compare_mb_per_1000": (big["compare_peak_mb"] - small["compare_peak_mb"]) / per})
        self.results["followers"] = {"sizes": rows, "growth": growth, "left_behind": left_behind, "rounds": rounds}
        say(table(["followers", "pages", "open column s", "paging s", "save s", "compare s", "not arrived",
                   "agent MB (whole run)", "browser MB", "followers.csv KB", "kept+written MB", "compare MB"],
                  [[r["followers"], r["pages"], r["open_s"], r["paging_s"], r["save_s"], r["compare_s"],
                    (r["counts"] or {}).get("not_arrived"), r["python_peak_mb"], r["browser_peak_mb"],
                    r["files_kb"].get("followers.csv"), r["kept_peak_mb"], r["compare_peak_mb"]] for r in rows]))
        say(table(["followers", "size x", "paging s per 1,000 (small, big)", "save x", "compare x",
                   "marginal save s per 1,000", "marginal compare s per 1,000", "agent memory x",
                   "kept MB per 1,000", "compare MB per 1,000"],
                  [[f"{g['from']}->{g['to']}", g["size_x"],
                    f"{g['paging_s_per_1000'][0]:.2f}, {g['paging_s_per_1000'][1]:.2f}", g["save_x"], g["compare_x"],
                    g["marginal_save_s_per_1000"], g["marginal_compare_s_per_1000"], g["agent_memory_x"],
                    g["kept_mb_per_1000"], g["compare_mb_per_1000"]] for g in growth]))

    def followers_run(self, size: int, left_behind: int) -> dict[str, Any]:
        from mastomove.agent.followers import read_check

        seed = {**world.seed_for(100), "followers_old": 0, "followers_new": 0,
                "followers_remote": size - left_behind, "followers_spread": left_behind}
        if self.cluster is None:
            self.cluster = world.start_cluster(100)
        self.cluster.reset(seed=seed)
        run_dir = self.run_dir(f"followers-{size}")
        run = runner.run_agent(self.cluster, run_dir, *self.common_args)
        log = logtimes.events(run_dir)

        def at(event: str) -> dict[str, Any]:
            return next((e for e in log if e.get("event") == event), {})

        began, first, saved = at("followers.saving"), at("followers.first_page"), at("backup.followers")
        check = read_check(run_dir)
        row = {"followers": size, "ok": ok(run) and saved.get("count") == size, "pages": saved.get("pages"),
               "open_s": first["_t"] - began["_t"] if first and began else None,
               "paging_s": saved["_t"] - first["_t"] if saved and first else None,
               "save_s": saved["_t"] - began["_t"] if saved and began else None,
               "compare_s": run["steps"].get("arrivals"), "counts": (check or {}).get("counts"),
               "wall_s": run["wall_s"], "cpu_s": run["cpu_s"], "python_peak_mb": run["memory"]["python_peak_mb"],
               "browser_peak_mb": run["memory"]["browser_peak_mb"],
               "files_kb": {name: round((run_dir / name).stat().st_size / 1024, 1)
                            for name in ("followers.csv", "followers.json", "not-arrived.csv") if (run_dir / name).is_file()}}
        say(f"  {size:>6,} followers: saved {saved.get('count')} in {row['pages']} pages, {row['save_s'] or 0:.1f} s "
            f"({row['open_s'] or 0:.1f} s to open the column); compared in {row['compare_s'] or 0:.1f} s "
            f"({row['counts']}); agent {row['python_peak_mb']} MB (exit {run['code']})")
        return row

    @staticmethod
    def followers_python(size, left_behind, follower_files, compare, follower_record, tempfile_module) -> dict[str, Any]:
        """Peak Python memory (tracemalloc) of keeping `size` follower records and writing
        followers.csv/.json, and of the comparison, on entities shaped like the API's."""
        entities = [{"id": str(i), "acct": f"user{i}@remote{i % 40}.example", "display_name": f"User number {i}",
                     "url": f"https://remote{i % 40}.example/@user{i}", "note": "<p>" + "x" * 200 + "</p>"}
                    for i in range(size)]
        measured: dict[str, Any] = {}
        with tempfile_module.TemporaryDirectory() as folder:
            tracemalloc.start()
            try:
                tracemalloc.reset_peak()
                records = {}
                for entity in entities:
                    record = follower_record(entity, "old.example")
                    records[record["handle"]] = record
                follower_files.write_followers(Path(folder), list(records.values()), {"account": "alice@old.example"})
                measured["kept_peak_mb"] = fmt_mb(tracemalloc.get_traced_memory()[1])
                arrived = [h for h in list(records)[left_behind:]]
                tracemalloc.reset_peak()
                began = time.perf_counter()
                compare(list(records.values()), arrived, [], old="alice@old.example", new="alice@new.example")
                measured["compare_ms"] = round((time.perf_counter() - began) * 1000, 1)
                measured["compare_peak_mb"] = fmt_mb(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
        return measured

    # --- targets ----------------------------------------------------------------------------
    def targets(self) -> list[dict[str, Any]]:
        r = self.results
        found = []

        def add(name: str, measured: str, passed: bool | None, note: str = "") -> None:
            found.append({"target": name, "measured": measured, "pass": passed, "note": note})

        if r.get("floor", {}).get("pairs"):
            f = r["floor"]
            worst = max((p for p in f["per_step"] if p["step"] not in ("startup", "shutdown")),
                        key=lambda p: p["overhead_s"])
            add(f"agent within 1.25x of the floor ({f['follows']} follows, screenshots on)",
                f"{f['ratio_active']:.2f}x ({f['agent_active_s']:.1f} s vs {f['floor_active_s']:.1f} s without server "
                f"waits, median of {f['pairs']} pair(s)); CPU {f['ratio_cpu']:.2f}x",
                f["ratio_active"] <= 1.25, f"worst step: {worst['step']} +{worst['overhead_s']:.2f} s")
        if r.get("capture", {}).get("pages"):
            cap = r["capture"]
            # the settled pages (a page loaded anew before each shot is too noisy to judge by)
            settled = {page: data for page, data in cap["pages"].items() if "just loaded" not in page}
            chosen = {page: next(w for w in data["ways"] if "chosen" in w["way"]) for page, data in settled.items()}
            before = {page: next(w for w in data["ways"] if "before" in w["way"]) for page, data in settled.items()}
            mask = cap["mask_check"]
            add("screenshots: fast, lossless, secrets masked",
                "; ".join(f"{page}: {chosen[page]['ms']:.0f} ms (was {before[page]['ms']:.0f}), CPU {chosen[page]['cpu_ms']:.0f} ms "
                          f"(was {before[page]['cpu_ms']:.0f})" for page in chosen),
                bool(mask.get("unmasked pictures differ")) and all(v for k, v in mask.items() if "chosen" in k)
                and all(c["ms"] <= before[p]["ms"] for p, c in chosen.items()),
                "mask check: " + ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in mask.items() if "chosen" in k or "later" in k))
        n = r.get("network", {})
        if n.get("pairs"):
            lat = n["latency"]
            add(f"over a network ({lat['latency_seconds'] * 1000:.0f}/{lat['write_latency_seconds'] * 1000:.0f} ms): "
                "agent within 1.25x of the floor",
                f"{n['ratio_wall']:.2f}x ({n['agent_wall_s']:.1f} s vs {n['floor_wall_s']:.1f} s wall); CPU {n['ratio_cpu']:.2f}x",
                n["ratio_wall"] <= 1.25)
            add("requests: agent within 1.3x of the floor (both servers, counted by them)",
                f"{n['requests']['agent']:g} vs {n['requests']['floor']:g} -> {n['requests']['ratio']:.2f}x",
                n["requests"]["ratio"] <= 1.3,
                "extra: " + "; ".join(f"{row['step']} {len(row['extra'])}" for row in n.get("per_step", []) if row["extra"]))
            resumed = n.get("resumed", {})
            agent_signs = n["sign_ins"]["agent"]
            resumed_signs = resumed.get("second", {}).get("sign_ins", {})
            add("one sign-in per account per run; a resumed run reuses the session",
                f"sign-ins per server: run {agent_signs}, resumed run {resumed_signs or '?'}; POSTs to /auth/sign_in: "
                f"agent {n['sign_ins']['agent_posts']}, floor {n['sign_ins']['floor_posts']}",
                all(v == 1 for v in agent_signs.values()) and n["sign_ins"]["agent_posts"] == n["sign_ins"]["floor_posts"]
                and bool(resumed_signs) and all(v == 0 for v in resumed_signs.values()),
                "a resumed run is a new browser: it signs in again unless a session was saved (`mastomove login`)")
        if "wall_s" in r.get("checkui", {}):
            c = r["checkui"]
            add("`mastomove check-ui` under a minute on the local servers",
                f"{c['wall_s']:.1f} s wall, {c['cpu_s']:.1f} s CPU, {c['passed']}/{c['checks']} passed (load {c['load_average'][0]})",
                c["wall_s"] < 60 and c["code"] == 0)
        if "scaling" in r and r["scaling"]["growth"]:
            last = r["scaling"]["growth"][-1]
            add("wall time grows no faster than linearly",
                f"{last['from']}->{last['to']} follows ({last['size_x']:.0f}x): time {last['time_x']:.2f}x",
                last["time_x"] <= last["size_x"] * 1.1 and all(g["time_x"] <= g["size_x"] * 1.1 for g in r["scaling"]["growth"]))
            add("agent memory grows no faster than linearly",
                f"{last['from']}->{last['to']} follows: agent memory {last['agent_memory_x']:.2f}x",
                all(g["agent_memory_x"] <= g["size_x"] * 1.1 for g in r["scaling"]["growth"]))
        if "csv" in r:
            add("a CSV's parsed rows held at most once", f"at most {r['csv']['max_copies']:.2f} parsed copies",
                r["csv"]["max_copies"] <= 1.2)
        if "polling" in r:
            p = r["polling"]
            server_waits = [s for s in p["static_scan"] if not any(known in s for known in NOT_SERVER_WAITS)]
            add("waits on the server by polling with backoff, not fixed sleeps",
                f"backoff in {p['backoff_sequences']} import wait(s): {'yes' if p['backoff'] else 'no'}; "
                f"fixed sleeps on server work in the code: {len(server_waits)}",
                p["backoff"] and not server_waits,
                "; ".join(server_waits) or "fixed waits that are not on the server: " + "; ".join(
                    f"{where} ({why})" for where, why in NOT_SERVER_WAITS.items()
                    if any(where in s for s in p["static_scan"])))
        if "help_first_output_s" in r.get("cold_start", {}):
            c = r["cold_start"]
            add("`mastomove --help` under 0.3 s", f"{c['help_first_output_s']:.3f} s to first output",
                c["help_first_output_s"] < 0.3,
                f"CPU {c['help_cpu_s']:.2f} s (about its wall time on an idle machine); of playwright, flows, "
                f"fixtures, markdown_it, pygments it imports: " + (", ".join(c["modules_imported_by_help"]) or "none"))
        counted = [run for section in ("floor",) for run in r.get(section, {}).get("runs", {}).get("agent", [])]
        counted += [row["run"] for row in r.get("scaling", {}).get("sizes", [])]
        if counted:
            launches = {run["playwright"].get("browser_launches") for run in counted}
            contexts = {run["playwright"].get("contexts") for run in counted}
            drivers = {run["playwright"].get("driver_starts") for run in counted}
            seen = {run["memory"].get("browser_launches_seen") for run in counted}
            add("Chromium launched once per run, one context per account",
                f"migrate: launches {sorted(launches)}, contexts {sorted(contexts)} (2 accounts), Playwright drivers "
                f"{sorted(drivers)}, Chromium main processes seen {sorted(seen)}",
                launches == {1} and contexts == {2})
        batch = r.get("batch", {})
        if batch.get("mode") == "command":
            levels = batch["levels"]
            add("`mastomove batch`: one browser per account, one context per account and server",
                "; ".join(f"parallel {row['concurrency']}: {row['browser_launches']} launch(es), {row['contexts']} "
                          f"contexts for {row['accounts']} accounts" for row in levels),
                all(row["browser_launches"] == row["accounts"] and row["contexts"] == 2 * row["accounts"]
                    for row in levels),
                "each account runs in its own thread with a browser of its own, launched over a pipe (no DevTools "
                "port open: agent/batch.py), two contexts each (its old and its new server)")
        return found

    def run(self) -> None:
        only = self.args.only or SECTIONS
        self.results["machine"] = machine()
        self.results["started"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.results["quick"] = self.quick
        self.results["agent_args"] = list(self.common_args)
        started = time.perf_counter()
        say(f"mastomove benchmarks{' (quick)' if self.quick else ''} on {self.results['machine']['cpu']} "
            f"({self.results['machine']['cores']} cores), load {self.results['machine']['load_average_at_start']}")
        if self.common_args:
            say("The agent runs with --skip-backup: its backup step has no counterpart in the floor "
                "(--with-backup includes it).")
        try:
            for name in SECTIONS:
                if name in only:
                    getattr(self, f"section_{name}")()
        finally:
            self.close()
        agent_runs = [run for run in self.results.get("floor", {}).get("runs", {}).get("agent", []) if ok(run)]
        if agent_runs:
            first = median([run.get("first_output_s") for run in agent_runs])
            self.results.setdefault("cold_start", {})["migrate_first_output_s"] = first
            say(f"\n`mastomove migrate` printed its first line (the run folder) {first:.2f} s after it started "
                f"(median of the floor section's agent runs)")
        self.results["targets"] = self.targets()
        self.results["seconds"] = round(time.perf_counter() - started, 1)
        self.results["machine"]["load_average_at_end"] = load_average()
        say("\n## Targets")
        say(table(["target", "measured", "holds", "note"],
                  [[t["target"], t["measured"], {True: "yes", False: "NO", None: "?"}[t["pass"]], t["note"][:90]]
                   for t in self.results["targets"]]))
        out = Path(self.args.out)
        out.write_text(json.dumps(self.results, indent=1, default=str) + "\n", encoding="utf-8")
        say(f"\nWritten {out} ({self.results['seconds']:.0f} s).")


def _db(value: float | None) -> str:
    if value is None:
        return "-"
    return "identical" if value == float("inf") else f"{value:.1f}"


def timed_first_output(command: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """(seconds to the first byte of output, seconds to exit, exit code, CPU seconds used). The CPU
    time (user + system, from the kernel) hardly depends on how busy the machine is: on an idle
    machine the wall time of a command this short is about its CPU time."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=world.PROJECT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    proc.stdout.read(1)
    first = time.perf_counter() - started
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    total = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return first, total, proc.returncode, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition: a smoke test of the harness")
    parser.add_argument("--only", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                        help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="follow counts for scaling")
    parser.add_argument("--out", default=str(RESULTS), help="where the JSON goes (default bench/results.json)")
    parser.add_argument("--keep", action="store_true", help="keep the run folders (printed path)")
    parser.add_argument("--with-backup", action="store_true",
                        help="let the agent run its backup step (left out by default: the floor has none)")
    args = parser.parse_args(argv)
    bench = Bench(args)
    if args.keep:
        say(f"run folders: {bench.tmp}")
    bench.run()
    return 0
