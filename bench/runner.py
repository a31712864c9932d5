"""Running one migration by the agent (the real CLI, under bench.probe) or by the floor, against a
fixture cluster in this process, and measuring it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench import logtimes
from bench.procmon import TreeMonitor, folder_size
from bench.world import PROJECT, agent_env


def execute(command: list[str], env: dict[str, str], timeout: float,
            monitor: bool = True) -> tuple[int, str, float, float, TreeMonitor]:
    """Run `command` in the project folder: (exit code, output, wall seconds, CPU seconds of the
    whole process tree (user + system, from the kernel's accounting of reaped children), monitor)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=PROJECT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    watcher = TreeMonitor(proc.pid)
    try:
        if monitor:
            watcher.__enter__()
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
        if monitor:
            watcher.__exit__(None, None, None)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    return proc.returncode, output.decode("utf-8", "replace"), wall, usage.ru_utime + usage.ru_stime, watcher


def agent_has_backup() -> bool:
    from mastomove.agent.settings import Settings

    return "skip_backup" in Settings.model_fields


def _wait_total(waits: dict[str, dict[str, float]]) -> float:
    return sum(sum(kinds.values()) for kinds in waits.values())


def _sleeps_summary(sleeps: list[dict[str, Any]]) -> dict[str, Any]:
    by_site: dict[str, list[float]] = {}
    for sleep in sleeps:
        by_site.setdefault(sleep["site"], []).append(sleep["s"])
    return {site: {"count": len(values), "total_s": round(sum(values), 2), "sequence": values[:12]}
            for site, values in by_site.items()}


def _slept_by_step(sleeps: list[dict[str, Any]], marks: list[list[Any]]) -> dict[str, float]:
    """Seconds in time.sleep by step: each sleep under the last step mark before it."""
    import bisect

    times = [mark[0] for mark in marks]
    slept: dict[str, float] = {}
    for sleep in sleeps:
        at = bisect.bisect_right(times, sleep.get("t", 0)) - 1
        step = marks[at][1] if at >= 0 else "startup"
        slept[step] = slept.get(step, 0.0) + sleep["s"]
    return slept


def run_agent(cluster, run_dir: Path, *args: str, timeout: float = 900, monitor: bool = True, confirm: bool = True,
              **env: str) -> dict[str, Any]:
    """`mastomove migrate --confirm-move NEW` (plus `args`) in its own process; measured. Without
    `confirm` the run stops at the pause before the move (nobody at the terminal to type it)."""
    counts_file = run_dir.parent / f"{run_dir.name}.counts.json"
    new = cluster.credentials["new"]
    confirmation = ["--confirm-move", new.acct] if confirm else []
    command = [sys.executable, "-m", "bench.probe", str(counts_file), "migrate", *confirmation, *args]
    started_wall = time.time()
    code, output, wall, cpu, monitor = execute(command, agent_env(cluster, run_dir, **env), timeout, monitor)
    ended_wall = started_wall + wall
    counts = json.loads(counts_file.read_text()) if counts_file.is_file() else {}
    analysed = logtimes.analyse(run_dir, counts.get("sleeps"))
    steps = dict(analysed["steps"])
    if analysed["first_t"] and analysed["last_step_done_t"]:
        steps["shutdown"] = ended_wall - analysed["last_step_done_t"]
        steps["startup"] = max(0.0, wall - sum(steps.values()))
    return {
        **_timed("agent", code, output, wall, cpu, steps, analysed["waits"]),
        "screenshots": analysed["screenshots"],
        "screenshots_taken_by": analysed["screenshots_taken_by"],
        "warnings": analysed["outcome_events"],
        "memory": monitor.stats.as_dict(),
        "run_folder": folder_size(run_dir) if run_dir.is_dir() else {},
        "playwright": {k: counts.get(k) for k in ("driver_starts", "browser_launches", "contexts", "pages")},
        "calls": counts.get("calls", {}),
        "call_sites": counts.get("call_sites", {}),
        "step_marks": counts.get("step_marks", []),
        "first_output_s": _first_output(run_dir, started_wall),
        "confirmed_at": {e.get("list"): e["_t"] for e in logtimes.events(run_dir) if e.get("event") == "imports.confirmed"},
        "import_waits": [{**w, "sleeps": [x["s"] for x in counts.get("sleeps", []) if w["start"] <= x.get("t", 0) <= w["end"]]}
                         for w in analysed["import_waits"]],
        "sleeps": _sleeps_summary(counts.get("sleeps", [])),
        "slept": _slept_by_step(counts.get("sleeps", []), counts.get("step_marks", [])),
        "wait_for_timeouts": counts.get("timeouts", []),
    }


def _timed(who: str, code: int, output: str, wall: float, cpu: float, steps: dict[str, float],
           waits: dict[str, dict[str, float]]) -> dict[str, Any]:
    """What the agent's and the floor's results share: times, with the server's waits apart."""
    wait_total = _wait_total(waits)
    return {"who": who, "code": code, "output_tail": output[-1500:] if code else "", "wall_s": wall, "cpu_s": cpu,
            "server_wait_s": wait_total, "active_s": wall - wait_total, "steps": steps, "waits": waits}


def _first_output(run_dir: Path, started_wall: float) -> float | None:
    """Seconds from the start to the first log line (the agent says "Run folder: ..." just before)."""
    log = logtimes.events(run_dir)
    return log[0]["_t"] - started_wall if log else None


_LAUNCH: dict[str, Any] = {}


def launch_args() -> dict[str, Any]:
    """The agent's browser launch arguments (same executable and flags), worked out once."""
    if not _LAUNCH:
        from mastomove.agent.browser import BrowserConfig

        _LAUNCH.update(BrowserConfig.load().launch_args())
    return dict(_LAUNCH)


def context_args() -> dict[str, Any]:
    """The agent's browser context arguments (viewport, locale, downloads)."""
    from mastomove.agent.browser import BrowserConfig

    return BrowserConfig.load().context_args()


def floor_params(cluster, work_dir: Path) -> dict[str, Any]:
    from mastomove.agent.browser import BrowserConfig
    from mastomove.agent.settings import DEFAULT_ANNOUNCEMENT

    config = BrowserConfig.load()
    old, new = cluster.credentials["old"], cluster.credentials["new"]

    def account(cred, url):
        return {"url": url, "email": cred.email, "password": cred.password, "otp_secret": cred.otp_secret,
                "handle": cred.acct}

    return {
        "old": account(old, cluster.old.url), "new": account(new, cluster.new.url), "work_dir": str(work_dir),
        "launch": launch_args(), "context": config.context_args(),
        "announcement": DEFAULT_ANNOUNCEMENT.replace("{old}", old.acct).replace("{new}", new.acct),
        "followers_expected": cluster.counts.get("followers"), "follower_watch_s": 20,
    }


def run_floor(cluster, work_dir: Path, timeout: float = 900) -> dict[str, Any]:
    work_dir.mkdir(parents=True, exist_ok=True)
    params = floor_params(cluster, work_dir)
    params_file = work_dir / "params.json"
    params_file.write_text(json.dumps(params))
    out = work_dir / "floor.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTOMOVE_")}
    code, output, wall, cpu, monitor = execute([sys.executable, "-m", "bench.floor", str(params_file), str(out)],
                                               env, timeout)
    params_file.unlink(missing_ok=True)  # it holds passwords
    data = json.loads(out.read_text()) if out.is_file() else {}
    steps = dict(data.get("steps", {}))
    steps["sign_in"] = steps.get("sign_in", 0.0) + steps.pop("launch", 0.0)  # the agent launches inside sign_in
    steps["startup"] = max(0.0, wall - sum(v for k, v in steps.items() if k != "startup"))
    floor_waits = data.get("waits", {})
    waits = {"imports": {"imports": floor_waits.get("imports", 0.0)},
             "verify": {"followers": floor_waits.get("followers", 0.0)}}
    return {
        **_timed("floor", code, output, wall, cpu, steps, waits),
        "moved": data.get("moved"),
        "calls": data.get("calls", {}),
        "step_marks": data.get("step_marks", []),
        "slept": dict(data.get("slept", {})),
        "memory": monitor.stats.as_dict(),
    }


def step_active(result: dict[str, Any], step: str) -> float:
    return result["steps"].get(step, 0.0) - sum(result["waits"].get(step, {}).values())


def check_migrated(cluster, username: str = "alice") -> dict[str, Any]:
    """Did the old account move (read from the server, not from the agent)?"""
    old = cluster.old.account(username, include=["migrations"])
    return {"moved_to": old.get("moved_to"), "migrations": len(old.get("migrations") or [])}


# --- many accounts ---------------------------------------------------------------------------
def run_batch(cluster, movers: list[dict[str, Any]], folder: Path, parallel: int, *args: str,
              timeout: float = 1800) -> dict[str, Any]:
    """`mastomove batch accounts.csv --parallel N --confirm-moves` for the movers; measured."""
    from mastomove.agent.demo import batch_files

    accounts_csv, secrets = batch_files(movers, folder)
    counts_file = folder / "counts.json"
    env = {k: v for k, v in agent_env(cluster, folder / "unused").items() if not k.startswith(
        ("MASTOMOVE_OLD_", "MASTOMOVE_NEW_", "MASTOMOVE_RUN_DIR"))}
    command = [sys.executable, "-m", "bench.probe", str(counts_file), "batch", str(accounts_csv), "--secrets",
               str(secrets), "--parallel", str(parallel), "--confirm-moves", "--batch-dir", str(folder / "batch"), *args]
    code, output, wall, cpu, monitor = execute(command, env, timeout)
    secrets.unlink(missing_ok=True)
    counts = json.loads(counts_file.read_text()) if counts_file.is_file() else {}
    return {"code": code, "output_tail": output[-1500:] if code else "", "wall_s": wall, "cpu_s": cpu,
            "memory": monitor.stats.as_dict(), "run_folder": folder_size(folder / "batch") if (folder / "batch").is_dir() else {},
            "playwright": {k: counts.get(k) for k in ("driver_starts", "browser_launches", "contexts", "pages")}}
