"""Reading a run folder's log.jsonl: time per step, time spent on screenshots, and the time the
agent spent waiting on the server's background processing (reported apart)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any


def _ts(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()


def events(run_dir: Path) -> list[dict[str, Any]]:
    path = Path(run_dir) / "log.jsonl"
    if not path.is_file():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        event["_t"] = _ts(event)
        found.append(event)
    return found


def analyse(run_dir: Path, sleeps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """{steps: {name: s}, waits: {step: {kind: s}}, screenshots: {step: (count, s)}, first_t, last_t}.

    Waits on the server:
    - imports: from `imports.confirmed` to the start of the screenshot of that list's finished row
      (the polls in between included: the floor's are measured the same way);
    - followers: from the last screenshot of the verify step to `verify.followers` (the watch);
    - alias: the sleeps of the move step's "not an alias yet" retries and of preflight's wait for
      the alias to be published (from the probe's record of sleeps).
    """
    log = events(run_dir)
    steps: dict[str, float] = {}
    started: dict[str, float] = {}
    waits: dict[str, dict[str, float]] = {}
    shots: dict[str, list[float]] = {}
    confirmed: dict[str, float] = {}
    last_shot: dict[str, float] = {}
    import_waits: list[dict[str, Any]] = []
    taken_by: dict[str, int] = {}  # how the screenshots were taken: Chromium's capture, Playwright's
    for event in log:
        step = event.get("step", "")
        name = event.get("event")
        if name == "step_started":
            started[step] = event["_t"]
        elif name == "step_done" and step in started:
            steps[step] = steps.get(step, 0.0) + event["_t"] - started.pop(step)
        elif name == "screenshot":
            seconds = (event.get("duration_ms") or 0) / 1000
            if event.get("file"):  # with screenshots off the event is still logged, without a file
                shots.setdefault(step, []).append(seconds)
                taken_by[event.get("taken_by") or "?"] = taken_by.get(event.get("taken_by") or "?", 0) + 1
            last_shot[step] = event["_t"]
            action = event.get("action", "")
            for kind, at in list(confirmed.items()):
                if action in (f"{kind}-finished", f"{kind}-still-running"):
                    waits.setdefault(step, {}).setdefault("imports", 0.0)
                    waits[step]["imports"] += event["_t"] - seconds - at
                    import_waits.append({"list": kind, "start": at, "end": event["_t"] - seconds})
                    del confirmed[kind]
        elif name == "imports.confirmed":
            confirmed[event.get("list", "?")] = event["_t"]
        elif name == "verify.followers" and step in last_shot:
            waits.setdefault(step, {})["followers"] = event["_t"] - last_shot[step]
    for sleep in sleeps or []:
        site = sleep.get("site", "")
        if "flows/steps/move.py" in site or "steps/preflight.py" in site or "flows/steps/move" in site:
            step = "move" if "move.py" in site else "preflight"
            waits.setdefault(step, {}).setdefault("alias", 0.0)
            waits[step]["alias"] += sleep["s"]
    return {
        "steps": steps,
        "waits": waits,
        "import_waits": import_waits,
        "screenshots": {step: {"count": len(v), "s": round(sum(v), 3)} for step, v in shots.items()},
        "screenshots_taken_by": taken_by,
        "first_t": log[0]["_t"] if log else None,
        "last_step_done_t": max((e["_t"] for e in log if e.get("event") == "step_done"), default=None),
        "events": len(log),
        "outcome_events": [e.get("event") for e in log if e.get("level") in ("warning", "error")],
    }
