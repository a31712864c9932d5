"""The run report: one self-contained HTML file in the run folder (report.html), readable anywhere,
built only from what the run folder holds (summary.json, state.json, log.jsonl, screenshots/,
backup/, watch/, followers-check.json). `mastomove report RUN_DIR` builds it again at any time.

Each step with its screenshots (thumbnails that open full size), its time, attempts and retries,
what was verified (the counts of the CSVs against the servers' counts), errors, what is left to
the person, and the closing summary. `write_batch_report` makes the page of a batch.

Nothing from a server is trusted as HTML: every text is escaped. No password reaches the run
folder (see agent.evidence), so none reaches the report.
"""
from __future__ import annotations

import base64
import html
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from mastomove.agent import followers as follower_files
from mastomove.agent.evidence import read_json
from mastomove.agent.files import write_private
from mastomove.agent.results import SavedResults, sections
from mastomove.agent.steps import Cell, Section, Step

REPORT = "report.html"

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d1f2b;background:#f4f5fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px}h3{font-size:16px;margin:0}
.muted{color:#60647a}.card{background:#fff;border-radius:10px;padding:16px 18px;margin:12px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
.outcome{font-weight:700;padding:2px 10px;border-radius:12px;color:#fff}
.completed,.done{background:#1f8a4c}.stopped,.started,.interrupted{background:#b7791f}
.crashed,.failed{background:#c53030}.pending,.skipped{background:#8a8fa3}
.step-head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;color:#fff}
ul{margin:6px 0 0 0;padding-left:20px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:5px 8px;
border-bottom:1px solid #e4e6ef;vertical-align:top}th{font-weight:600;background:#fafbfe}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1f8a4c;font-weight:600}.bad{color:#c53030;font-weight:600}
.shots{display:flex;flex-wrap:wrap;gap:10px;margin-top:10px}
figure{margin:0;width:180px}figure img{width:180px;border:1px solid #d5d8e3;border-radius:6px;cursor:zoom-in;
display:block}figcaption{font-size:12px;color:#60647a;word-break:break-word}
.error{color:#c53030}.retry{color:#b7791f}
dialog{padding:0;border:0;max-width:96vw;max-height:96vh;background:transparent}
dialog img{max-width:96vw;max-height:92vh;display:block;cursor:zoom-out}
dialog::backdrop{background:rgba(10,12,30,.8)}
svg text{font-size:11px;fill:#60647a}
pre.post{white-space:pre-wrap;background:#fafbfe;border:1px solid #e4e6ef;border-radius:6px;padding:10px}
"""
SCRIPT = """
document.addEventListener('click', function (event) {
  var shot = event.target.closest('img.zoom');
  var dialog = document.getElementById('full');
  if (shot) { event.preventDefault(); dialog.querySelector('img').src = shot.src;
              dialog.querySelector('img').alt = shot.alt; dialog.showModal(); }
  else if (event.target.closest('dialog')) { dialog.close(); }
});
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


# --- reading the run folder -------------------------------------------------------------------
def _log(run_dir: Path) -> list[dict[str, Any]]:
    events = []
    try:
        lines = (run_dir / "log.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return events
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events


def _steps(summary: dict[str, Any] | None, state: dict[str, Any] | None) -> list[dict[str, Any]]:
    if summary and summary.get("steps"):
        return summary["steps"]
    steps = []
    for name, record in ((state or {}).get("steps") or {}).items():
        steps.append({"name": name, "title": name.replace("_", " ").capitalize(), "status": record.get("status"),
                      "attempts": record.get("attempts", 0), "seconds": None,
                      "report": (record.get("result") or {}).get("report", [])})
    return steps


def _image(path: Path) -> str | None:
    """A screenshot as a data URI, or None if unreadable. Embedded once: the page shows it small and
    opens the same image full size (decoding 35 PNGs to make thumbnails took a second per run)."""
    try:
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    except OSError:
        return None


# --- pieces -----------------------------------------------------------------------------------
def _screenshots_html(run_dir: Path, shots: list[dict[str, Any]]) -> str:
    figures = []
    for shot in shots:
        image = _image(run_dir / shot["file"])
        if image is None:
            continue
        name = Path(shot["file"]).name
        figures.append(
            f'<figure><img src="{image}" class="zoom" alt="{esc(name)}" loading="lazy" '
            f'data-file="{esc(shot["file"])}"><figcaption>{esc(name)}<br>{esc(shot.get("url", ""))}</figcaption></figure>')
    return f'<div class="shots">{"".join(figures)}</div>' if figures else ""


def _cell(cell: Cell, tag: str = "td") -> str:
    text = f'<span class="{esc(cell.tone)}">{esc(cell.text)}</span>' if cell.tone else esc(cell.text)
    return f"<{tag}{' class=num' if cell.numeric else ''}>{text}</{tag}>"


def _section_html(section: Section) -> str:
    """A step's part of the report (agent.steps.Section): its table, then its lines."""
    parts = []
    table = section.table
    if table is not None:
        parts.append(f"<table{f' class={esc(table.name)}' if table.name else ''}><thead><tr>"
                     + "".join(_cell(c, "th") for c in table.columns) + "</tr></thead><tbody>"
                     + "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows)
                     + "</tbody></table>")
    parts.extend(f'<p{f" class={esc(line.tone)}" if line.tone else ""}>{esc(line.text)}</p>' for line in section.lines)
    return "".join(parts)


def _watch_html(run_dir: Path) -> str:
    readings = read_json(run_dir / "watch" / "readings.json") or []
    if not readings:
        return ""
    expected = next((r.get("expected") for r in reversed(readings) if r.get("expected")), None)
    last = readings[-1]
    top = max([expected or 0, *[r.get("followers") or 0 for r in readings]]) or 1
    width, height = 640, 160
    points = []
    for index, reading in enumerate(readings):
        x = 40 + (width - 60) * (index / max(1, len(readings) - 1))
        y = height - 20 - (height - 40) * ((reading.get("followers") or 0) / top)
        points.append(f"{x:.1f},{y:.1f}")
    goal = ""
    if expected:
        gy = height - 20 - (height - 40) * (expected / top)
        goal = (f'<line x1="40" x2="{width - 20}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="#1f8a4c" stroke-dasharray="4"/>'
                f'<text x="{width - 20}" y="{gy - 4:.1f}" text-anchor="end">{esc(expected)} expected</text>')
    chart = (f'<svg width="{width}" height="{height}" role="img" aria-label="followers over time">{goal}'
             f'<polyline fill="none" stroke="#3b46c4" stroke-width="2" points="{" ".join(points)}"/>'
             f'<text x="40" y="{height - 4}">{esc(readings[0].get("at"))}</text>'
             f'<text x="{width - 20}" y="{height - 4}" text-anchor="end">{esc(last.get("at"))}</text></svg>')
    share = f" ({last.get('percent')}%)" if last.get("percent") is not None else ""
    return (f"<p>{esc(last.get('followers'))} follower(s) on the new account{share}"
            f"{', ' + esc(last.get('pending')) + ' follow request(s) waiting' if last.get('pending') else ''}; "
            f"{len(readings)} reading(s).</p>{chart}")


PEOPLE_SHOWN = 100


def _followers_html(run_dir: Path) -> str:
    """Who came along: the latest comparison of the followers saved before the move with the new
    account's (the end of the migration, or the last `mastomove watch`), by server."""
    check = follower_files.read_check(run_dir)
    if not check:
        return ""
    counts = check.get("counts") or {}
    rows = []
    for row in check.get("servers") or []:
        answer = row.get("answer") or {}
        answers = "" if not row.get("not_arrived") else (
            "yes" if answer.get("answers") else "gone" if answer.get("failure") == "gone"
            else f"no ({answer.get('failure')})" if answer.get("answers") is False else "not asked")
        missing = row.get("not_arrived") or 0
        rows.append(
            f'<tr data-server="{esc(row.get("server"))}" data-kind="{esc(row.get("kind") or "")}">'
            f"<td>{esc(row.get('server'))}</td><td class=num>{esc(row.get('arrived', 0))}</td>"
            f"<td class=num>{esc(row.get('waiting', 0))}</td>"
            f"<td class=num>{'<span class=bad>' + esc(missing) + '</span>' if missing else 0}</td>"
            f"<td>{esc(row.get('software') or '')}</td><td>{esc(answers)}</td><td>{esc(row.get('reason') or '')}</td></tr>")
    table = ("<table class=arrivals><thead><tr><th>server</th><th class=num>arrived</th><th class=num>waiting for "
             "your approval</th><th class=num>not arrived</th><th>runs</th><th>answers</th><th>likely reason</th>"
             "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    head = (f'<p class=followers-counts data-saved="{esc(counts.get("saved"))}" data-arrived="{esc(counts.get("arrived"))}" '
            f'data-waiting="{esc(counts.get("waiting"))}" data-not-arrived="{esc(counts.get("not_arrived"))}">'
            f"{esc(follower_files.headline(check))}. <span class=muted>Compared {esc(check.get('at'))}; "
            "`mastomove watch` brings this up to date.</span></p>")
    people = ""
    missing = check.get("not_arrived") or []
    if missing:
        shown = "".join(f"<li>{esc(r.get('handle'))} <span class=muted>{esc(r.get('display_name') or '')}</span></li>"
                        for r in missing[:PEOPLE_SHOWN])
        more = f"<p class=muted>… and {len(missing) - PEOPLE_SHOWN} more.</p>" if len(missing) > PEOPLE_SHOWN else ""
        people = (f'<h3>Not arrived</h3><p>All of them, with their server and the likely reason, in '
                  f'<a href="{esc(follower_files.NOT_ARRIVED_CSV)}">{esc(follower_files.NOT_ARRIVED_CSV)}</a>.</p>'
                  f"<ul class=not-arrived>{shown}</ul>{more}")
    posts = follower_files.read_posts(run_dir)
    if posts and missing:
        people += (f"<h3>A post to ask them (not posted)</h3><p class=muted>From {esc(follower_files.POST_TXT)}: "
                   f"adapt it and post it from the new account yourself.</p><pre class=post>{esc(posts)}</pre>")
    return head + table + people


def _left_html(items: Iterable[dict[str, Any]]) -> str:
    items = list(items)
    if not items:
        return "<p class=ok>Nothing: every step finished and checked out.</p>"
    return "<ul>" + "".join(f"<li><b>{esc(i.get('what'))}</b><br><span class=muted>How: {esc(i.get('how'))}</span></li>"
                            for i in items) + "</ul>"


# --- the page ---------------------------------------------------------------------------------
def build_report(run_dir: Path, steps: Sequence[Step] = ()) -> str:
    """`steps`: the plan's, each adding its own section from its result (agent.steps.Reporting)."""
    run_dir = Path(run_dir)
    summary = read_json(run_dir / "summary.json") or {}
    state = read_json(run_dir / "state.json") or {}
    events = _log(run_dir)
    outcome = summary.get("outcome") or (state.get("outcome") or {}).get("status") or "unknown"
    message = summary.get("message") or (state.get("outcome") or {}).get("message")
    title = f"mastomove: {state.get('old', '?')} → {state.get('new', '?')}"

    by_step: dict[str, dict[str, list]] = {}
    for event in events:
        bucket = by_step.setdefault(event.get("step") or "start", {"shots": [], "retries": [], "errors": []})
        if event.get("event") == "screenshot" and event.get("file"):
            bucket["shots"].append(event)
        elif event.get("event") == "retrying":
            bucket["retries"].append(event)
        elif event.get("level") in ("error", "critical") or event.get("event") in ("crash", "step_no_longer_done"):
            bucket["errors"].append(event)
        elif event.get("level") == "warning":
            bucket["errors"].append(event)

    parts = [f"<h1>{esc(title)}</h1>",
             f'<p><span class="outcome {esc(outcome)}">{esc(outcome)}</span> '
             f"{esc(message or '')}</p>",
             f"<p class=muted>Run folder {esc(run_dir.resolve())} · "
             f"{esc(summary.get('seconds', '?'))} s · report made {datetime.now():%Y-%m-%d %H:%M}</p>"]

    for section in sections(steps, SavedResults(state.get("steps"))):
        parts += [f"<h2>{esc(section.title)}</h2>", f'<div class="card">{_section_html(section)}</div>']
    followers = _followers_html(run_dir)
    if followers:
        parts += ["<h2>Followers: who came along</h2>", f'<div class="card" id="followers">{followers}</div>']
    watch = _watch_html(run_dir)
    if watch:
        parts += ["<h2>Followers arriving</h2>", f'<div class="card">{watch}</div>']

    parts.append("<h2>Steps</h2>")
    shown = _steps(summary, state)
    for number, step in enumerate(shown, 1):
        bucket = by_step.get(step["name"], {"shots": [], "retries": [], "errors": []})
        status = step.get("status") or "pending"
        seconds = f"{step['seconds']} s" if step.get("seconds") else ""
        attempts = f"{step['attempts']} attempt(s)" if step.get("attempts") else ""
        lines = "".join(f"<li>{esc(line)}</li>" for line in step.get("report") or [])
        retries = "".join(f'<li class=retry>retry {esc(r.get("attempt"))}: {esc(r.get("error"))} — {esc(r.get("reason"))}'
                          f' (waited {esc(r.get("wait_s"))} s)</li>' for r in bucket["retries"])
        errors = "".join(f'<li class=error>{esc(e.get("event"))}: '
                         f'{esc(e.get("reason") or e.get("error") or e.get("exception") or "")}</li>'
                         for e in bucket["errors"])
        parts.append(
            f'<section class="card step" id="step-{esc(step["name"])}" data-step="{esc(step["name"])}">'
            f'<div class="step-head"><h3>{number}. {esc(step.get("title"))}</h3>'
            f'<span class="badge {esc(status)}">{esc(status)}</span><span class=muted>{esc(seconds)} {esc(attempts)}'
            f' · {len(bucket["shots"])} screenshot(s)</span></div>'
            f'{"<ul>" + lines + "</ul>" if lines else ""}'
            f'{"<ul>" + retries + "</ul>" if retries else ""}{"<ul>" + errors + "</ul>" if errors else ""}'
            f"{_screenshots_html(run_dir, bucket['shots'])}</section>")
    leftover = by_step.get("plan") or by_step.get("start")
    if leftover and leftover["shots"]:
        parts.append(f'<section class="card"><h3>Other screenshots</h3>{_screenshots_html(run_dir, leftover["shots"])}</section>')

    parts += ["<h2>Left for you</h2>", f'<div class="card left">{_left_html(summary.get("left_to_you") or [])}</div>',
              "<h2>Summary</h2>", f'<div class="card">{_closing(outcome, message, shown, state)}</div>']
    return _page(title, "".join(parts))


def _closing(outcome: str, message: str | None, steps: list[dict[str, Any]], state: dict[str, Any]) -> str:
    done = sum(1 for s in steps if s.get("status") == "done")
    text = {"completed": f"The move is done: {state.get('old')} redirects to {state.get('new')}.",
            "stopped": "The run stopped; run the same command again with the same run folder to resume.",
            "interrupted": "The run was interrupted; run the same command again to resume.",
            "crashed": "The run crashed; run the same command again to resume, and keep this folder for a bug report."}
    return f"<p>{esc(text.get(outcome, outcome))} {done} of {len(steps)} steps done.</p>" + (
        f"<p class=error>{esc(message)}</p>" if message and outcome != "completed" else "")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{STYLE}</style></head>'
            f'<body><main>{body}</main><dialog id="full"><img alt=""></dialog><script>{SCRIPT}</script></body></html>')


def write_report(run_dir: Path, redact: Callable[[str], str] | None = None, steps: Sequence[Step] = ()) -> Path:
    """report.html, owner-only; `redact`: the run's redactor, applied to the page once rendered
    (what the page is built from is redacted already); `steps`: the plan's (their sections)."""
    page = build_report(Path(run_dir), steps)
    return write_private(Path(run_dir) / REPORT, redact(page) if redact else page)


# --- batches ----------------------------------------------------------------------------------
def write_batch_report(batch_dir: Path, rows: list[dict[str, Any]]) -> Path:
    """One page for a batch: each account's outcome, time, what is left, and its own report."""
    batch_dir = Path(batch_dir)
    lines = []
    for row in rows:
        run_dir = Path(row["run_dir"])
        link = os.path.relpath(run_dir / REPORT, batch_dir) if (run_dir / REPORT).exists() else None
        left = row.get("left_to_you") or []
        lines.append(
            f'<tr data-account="{esc(row.get("old"))}"><td>{esc(row.get("old"))}</td><td>{esc(row.get("new"))}</td>'
            f'<td><span class="badge {esc(row.get("outcome"))}">{esc(row.get("outcome"))}</span></td>'
            f'<td class=num>{esc(row.get("exit_code"))}</td><td class=num>{esc(row.get("seconds"))}</td>'
            f'<td>{esc(row.get("message") or "")}</td><td class=num>{len(left)}</td>'
            f'<td>{f"<a href={chr(34)}{esc(link)}{chr(34)}>report</a>" if link else ""}</td></tr>')
    done = sum(1 for row in rows if row.get("outcome") == "completed")
    body = (f"<h1>mastomove batch: {done} of {len(rows)} moved</h1>"
            f"<p class=muted>{esc(batch_dir.resolve())} · made {datetime.now():%Y-%m-%d %H:%M}</p>"
            '<div class="card"><table><thead><tr><th>old</th><th>new</th><th>outcome</th><th class=num>exit</th>'
            "<th class=num>seconds</th><th>message</th><th class=num>left for them</th><th></th></tr></thead><tbody>"
            + "".join(lines) + "</tbody></table></div>")
    return write_private(batch_dir / REPORT, _page("mastomove batch", body))
