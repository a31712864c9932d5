"""Runs the real `mastomove` CLI in this process, counting what the benchmark checks:

- Playwright driver starts, browser launches, contexts and pages (the classes' methods are
  wrapped before the agent imports Playwright);
- every `time.sleep` and `page.wait_for_timeout` with the code that asked for it, so fixed
  sleeps and backoff can be told apart.

    python -m bench.probe COUNTS.json migrate --confirm-move ...

The counts are written to COUNTS.json when the command exits, whatever its exit code.
"""
from __future__ import annotations

import atexit
import json
import os
import sys
import time
from pathlib import Path

_REAL_SLEEP = time.sleep
_CLOCK = time.monotonic
_START = _CLOCK()
counts: dict = {"driver_starts": 0, "browser_launches": 0, "contexts": 0, "pages": 0, "sleeps": [],
                "timeouts": [], "first_output_s": None}
_HERE = os.path.dirname(os.path.abspath(__file__))


def _site(depth: int = 2) -> str:
    """The first caller outside tenacity, time and this file: `file.py:function:line`."""
    frame = sys._getframe(depth)
    while frame is not None:
        name = frame.f_code.co_filename
        if "tenacity" not in name and os.path.dirname(os.path.abspath(name)) != _HERE:
            parts = Path(name).parts
            short = "/".join(parts[-2:])
            return f"{short}:{frame.f_code.co_name}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


def _project_site() -> str:
    """The innermost caller in agent/ or flows/: `flows/pages/base.py:open:123`."""
    frame = sys._getframe(2)
    while frame is not None:
        parts = Path(frame.f_code.co_filename).parts
        if len(parts) >= 2 and parts[-2] in ("agent", "flows", "pages", "steps"):
            return f"{'/'.join(parts[-2:])}:{frame.f_code.co_name}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


def _sleep(seconds: float) -> None:
    counts["sleeps"].append({"at_s": round(_CLOCK() - _START, 3), "t": time.time(), "s": round(float(seconds), 3),
                             "site": _site()})
    _REAL_SLEEP(seconds)


def _wrap_playwright() -> None:
    from playwright.sync_api import Browser, BrowserContext, BrowserType, Page
    from playwright.sync_api._context_manager import PlaywrightContextManager

    def counting(cls, method: str, key: str):
        original = getattr(cls, method)

        def wrapper(self, *args, **kwargs):
            counts[key] += 1
            return original(self, *args, **kwargs)

        setattr(cls, method, wrapper)

    counting(PlaywrightContextManager, "__enter__", "driver_starts")
    counting(BrowserType, "launch", "browser_launches")
    counting(Browser, "new_context", "contexts")
    counting(BrowserContext, "new_page", "pages")
    original_timeout = Page.wait_for_timeout

    def wait_for_timeout(self, timeout):
        counts["timeouts"].append({"ms": timeout, "site": _site()})
        return original_timeout(self, timeout)

    Page.wait_for_timeout = wait_for_timeout
    install_call_counter(counts, _structlog_step)


def _structlog_step() -> str:
    import structlog

    return structlog.contextvars.get_contextvars().get("step", "-")


def install_call_counter(into: dict, current_step) -> None:
    """Every Playwright call (one round trip to the browser or more) by step and API name, with
    its duration; `current_step()` says which step is running. Nested calls count once.
    `step_marks`: [wall-clock time, step] at each call whose step differs from the call before
    (which step a request the servers counted belongs to)."""
    from playwright._impl._sync_base import SyncBase

    original = SyncBase._sync
    calls: dict = into.setdefault("calls", {})
    sites: dict = into.setdefault("call_sites", {})
    marks: list = into.setdefault("step_marks", [])
    depth = [0]

    def _sync(self, awaitable):
        if depth[0]:
            return original(self, awaitable)
        depth[0] += 1
        step_now = current_step()
        if not marks or marks[-1][1] != step_now:
            marks.append([time.time(), step_now])
        started = _CLOCK()
        try:
            return original(self, awaitable)
        finally:
            depth[0] -= 1
            took = _CLOCK() - started
            api = sys._getframe(1).f_code.co_name
            step = "shutdown" if api == "close" else current_step()  # closing comes after the last step
            for table, key in ((calls.setdefault(step, {}), api), (sites, f"{step} {_project_site()} {api}")):
                entry = table.setdefault(key, [0, 0.0])
                entry[0] += 1
                entry[1] = round(entry[1] + took, 4)

    SyncBase._sync = _sync


def main() -> None:
    out = Path(sys.argv[1])
    sys.argv = ["mastomove", *sys.argv[2:]]
    time.sleep = _sleep
    _wrap_playwright()

    def write() -> None:
        counts["total_s"] = round(_CLOCK() - _START, 3)
        out.write_text(json.dumps(counts, indent=1))

    atexit.register(write)
    from mastomove.agent.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
