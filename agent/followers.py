"""The files about the old account's followers that the person keeps, in the run folder (owner-only,
through agent.files), and the table of who came along as plain text:

- followers.csv / followers.json: the followers right before the move (the backup step);
- followers-check.json: the latest comparison after the move (the end of `migrate`, each `watch`):
  counts, the table by server, and the people who did not arrive or wait for approval;
- not-arrived.csv: the followers who did not arrive, with their server, what it runs and the likely
  reason; ask-to-follow.txt: suggested posts (never posted) asking them to follow the new account.

What the records hold is decided by mastomove.flows.followers; this module only writes and reads.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from mastomove.agent.files import write_private

FOLLOWERS_CSV = "followers.csv"
FOLLOWERS_JSON = "followers.json"
CHECK_JSON = "followers-check.json"
NOT_ARRIVED_CSV = "not-arrived.csv"
POST_TXT = "ask-to-follow.txt"

FOLLOWERS_COLUMNS = ("handle", "display_name", "server", "profile", "reblogs", "notifications")
NOT_ARRIVED_COLUMNS = ("handle", "display_name", "server", "software", "reason")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a display name is anyone's text)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


# --- before the move -----------------------------------------------------------------------------
def write_followers(root: Path, records: list[dict[str, Any]], meta: dict[str, Any]) -> list[Path]:
    rows = [[r.get("handle"), r.get("display_name"), r.get("server"), r.get("url"), r.get("reblogs"),
             r.get("notifications")] for r in records]
    return [write_private(Path(root) / FOLLOWERS_CSV, _csv(FOLLOWERS_COLUMNS, rows)),
            write_private(Path(root) / FOLLOWERS_JSON,
                          json.dumps({**meta, "count": len(records), "followers": records}, indent=1, ensure_ascii=False))]


def read_followers(root: Path) -> list[dict[str, Any]] | None:
    """The saved followers, or None when the run folder has no (readable) list."""
    try:
        data = json.loads((Path(root) / FOLLOWERS_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    followers = data.get("followers") if isinstance(data, dict) else None
    return followers if isinstance(followers, list) else None


# --- after the move ------------------------------------------------------------------------------
def write_check(root: Path, check: dict[str, Any], posts: list[str]) -> list[Path]:
    """followers-check.json, not-arrived.csv and ask-to-follow.txt from a comparison
    (mastomove.flows.followers.Comparison.as_dict())."""
    root = Path(root)
    servers = {row["server"]: row for row in check.get("servers") or []}
    rows = []
    for record in check.get("not_arrived") or []:
        server = servers.get(record.get("server")) or {}
        rows.append([record.get("handle"), record.get("display_name"), record.get("server"),
                     server.get("software") or "unknown", server.get("reason") or ""])
    files = [write_private(root / CHECK_JSON, json.dumps(check, indent=1, ensure_ascii=False)),
             write_private(root / NOT_ARRIVED_CSV, _csv(NOT_ARRIVED_COLUMNS, rows))]
    post_file = root / POST_TXT
    if posts:
        note = ("Suggested post(s) for your new account, to ask the followers who did not come along to follow it.\n"
                "mastomove did not post anything: adapt the text, then post it yourself. Mentioned people are "
                "notified even though they do not follow the new account.\n")
        body = "\n".join(f"\n--- post {i} of {len(posts)} ---\n{post}\n" for i, post in enumerate(posts, 1))
        files.append(write_private(post_file, note + body))
    elif post_file.exists():
        post_file.unlink()  # everyone arrived since: nothing to ask
    return files


def read_check(root: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(root) / CHECK_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_posts(root: Path) -> str | None:
    try:
        return (Path(root) / POST_TXT).read_text(encoding="utf-8")
    except OSError:
        return None


def headline(check: dict[str, Any]) -> str:
    counts = check.get("counts") or {}
    line = (f"{counts.get('arrived', 0)} of {counts.get('saved', 0)} follower(s) arrived, "
            f"{counts.get('waiting', 0)} wait for your approval, {counts.get('not_arrived', 0)} not arrived")
    if not check.get("complete", True):
        line += " (a list could not be read to its end: the numbers are not final)"
    return line


def table_lines(check: dict[str, Any], *, markdown: bool = False, shown: int = 20) -> list[str]:
    """The table by server as text lines (for summary.md with `markdown`, else for the terminal)."""
    servers = check.get("servers") or []
    if not servers:
        return []
    lines = []
    if markdown:
        lines += ["| server | arrived | waiting | not arrived | runs | likely reason for those not arrived |",
                  "|---|---:|---:|---:|---|---|"]
        for row in servers[:shown]:
            reason = (row.get("reason") or "").replace("|", "/")
            lines.append(f"| {row['server']} | {row.get('arrived', 0)} | {row.get('waiting', 0)} | "
                         f"{row.get('not_arrived', 0)} | {row.get('software') or ''} | {reason} |")
    else:
        for row in servers[:shown]:
            text = (f"{row['server']}: {row.get('arrived', 0)} arrived, {row.get('waiting', 0)} waiting, "
                    f"{row.get('not_arrived', 0)} not arrived")
            if row.get("not_arrived"):
                text += f" ({row.get('reason')})"
            lines.append(text)
    if len(servers) > shown:
        lines.append(f"… and {len(servers) - shown} more server(s): see {CHECK_JSON}")
    return lines
