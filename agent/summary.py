"""How a migration run ended, in the run folder (summary.md, summary.json) and at the terminal.
Written whatever the outcome, a crash included, and redacted after it is rendered.

summary.md is rendered from summary.json alone, so that `mastomove watch` can bring its followers
table (who came along, by server: agent/followers.py) and what is left about them up to date
without the migration's runner (`refresh_followers`)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from mastomove.agent import followers as follower_files
from mastomove.agent.errors import ExitCode
from mastomove.agent.evidence import read_json
from mastomove.agent.files import write_private
from mastomove.agent.person import ConsolePerson
from mastomove.agent.results import followups
from mastomove.agent.steps import Role

MARKS = {"done": "✓", "started": "…", "pending": "·"}
FOLLOWER_ITEMS = ("followers_not_arrived", "followers_waiting", "followers_moving")


@dataclass
class Summary:
    path: Path  # summary.md (summary.json beside it)
    left_to_you: list[dict[str, str]]


def _followers_part(check: dict[str, Any] | None) -> dict[str, Any] | None:
    if not check:
        return None
    return {"at": check.get("at"), "counts": check.get("counts"), "complete": check.get("complete", True),
            "servers": check.get("servers") or []}


def write_summary(run: Any, runner: Any, outcome: str, message: str | None, seconds: float) -> Summary:
    """`run`: agent.run.Run; `runner`: the agent.runner.Runner that ran its plan."""
    steps = []
    for step in runner.plan.steps:
        record = run.state.step(step.name)
        steps.append({"name": step.name, "title": step.title, "status": record["status"],
                      "attempts": record.get("attempts", 0),
                      "seconds": round(runner.timings.get(step.name, 0.0), 2),
                      "report": run.state.result(step.name).get("report", [])})
    left = [item.as_dict() for item in followups(runner.plan.steps, run.state.results())]
    data = {"outcome": outcome, "message": message, "seconds": round(seconds, 1), "old": str(run.accounts[Role.OLD].handle),
            "new": str(run.accounts[Role.NEW].handle), "steps": steps, "left_to_you": left,
            "followers": _followers_part(follower_files.read_check(run.run_dir))}
    run.evidence.write_json("summary.json", data)
    return Summary(run.evidence.write_text("summary.md", render_markdown(data)), left)


def render_markdown(data: dict[str, Any]) -> str:
    message = data.get("message")
    lines = [f"# mastomove: {data.get('old', '?')} → {data.get('new', '?')}", "",
             f"Outcome: **{data.get('outcome')}**" + (f": {message}" if message else ""),
             f"Time: {data.get('seconds') or 0:.0f} s", ""]
    for item in data.get("steps") or []:
        lines.append(f"- {MARKS.get(item['status'], '?')} {item['title']} ({item['status']}, {item['seconds']} s)")
        lines.extend(f"  - {line}" for line in item["report"])
    followers = data.get("followers")
    if followers and followers.get("servers") is not None:
        lines += ["", "## Followers: who came along", "",
                  f"{follower_files.headline(followers)} (compared {followers.get('at')}).", ""]
        lines += follower_files.table_lines(followers, markdown=True)
        if (followers.get("counts") or {}).get("not_arrived"):
            lines += ["", f"Who did not arrive: {follower_files.NOT_ARRIVED_CSV}; a post to ask them to follow the new "
                          f"account: {follower_files.POST_TXT} (not posted). `mastomove watch` brings this table up "
                          "to date."]
    left = data.get("left_to_you") or []
    if left:
        lines += ["", "## Left for you", ""]
        lines.extend(f"- {item['what']}\n  - how: {item['how']}" for item in left)
    lines += ["", "Screenshots: screenshots/ · log: log.jsonl · state: state.json · report: report.html"]
    return "\n".join(lines) + "\n"


def refresh_followers(run_dir: Path, check: dict[str, Any], left_about_followers: list[dict[str, Any]],
                      redact: Callable[[str], str] | None = None) -> Path | None:
    """After a `watch`: the migration's summary with the latest followers table, and what is left
    about the followers replaced by `left_about_followers`. None when the folder has no summary."""
    run_dir = Path(run_dir)
    data = read_json(run_dir / "summary.json")
    if not isinstance(data, dict):
        return None
    data["followers"] = _followers_part(check)
    others = [item for item in data.get("left_to_you") or [] if item.get("kind") not in FOLLOWER_ITEMS]
    data["left_to_you"] = others + list(left_about_followers)
    scrub = redact or (lambda text: text)
    write_private(run_dir / "summary.json", scrub(json.dumps(data, indent=2, default=str)))
    return write_private(run_dir / "summary.md", scrub(render_markdown(data)))


def tell_outcome(person: ConsolePerson, run: Any, outcome: str, message: str | None, code: ExitCode,
                 summary: Summary, report: Path | None = None) -> None:
    old, new = run.accounts[Role.OLD].handle, run.accounts[Role.NEW].handle
    person.say("")
    if outcome == "completed":
        person.say(f"{old} now redirects to {new}.", label="Done.", label_style="green bold")
    elif code == ExitCode.INTERRUPTED:
        person.say("Nothing is lost: run the same command again to resume.", label="Interrupted.",
                   label_style="yellow")
    else:
        person.say(message or outcome, label="Stopped:", label_style="red")
    check = follower_files.read_check(run.run_dir)
    if check:
        person.say("Followers: who came along", "bold")
        person.say(f"  {follower_files.headline(check)}")
        for line in follower_files.table_lines(check, shown=10):
            person.say(f"    {line}")
        if (check.get("counts") or {}).get("not_arrived"):
            person.say(f"  Who did not arrive: {run.run_dir / follower_files.NOT_ARRIVED_CSV}; a post to ask them: "
                       f"{run.run_dir / follower_files.POST_TXT} (not posted)")
    if summary.left_to_you:
        person.say("Left for you", "bold")
        for item in summary.left_to_you:
            person.say(f"  • {item['what']}\n    how: {item['how']}")
    person.say(f"Summary: {summary.path}")
    if report is not None:
        person.say(f"Report: {report}  (mastomove report {run.run_dir} --open)")
    person.say(f"Screenshots: {run.run_dir / 'screenshots'}")
