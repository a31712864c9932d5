"""Before the pause, keep what the old account loses access to with the move:

- every list as CSV (the export step downloaded them into exports/; listed here);
- the notifications and the private mentions (conversations) as the web app shows them, each
  column scrolled to its end: the entities the app received as JSON, a readable HTML page made
  from them, and screenshots of the column (backup/);
- the account archive ("Request your archive" on the export page, downloaded once compiled).
  The server allows one a week: when the button is not offered, the latest archive is downloaded
  and the next allowed time is said. The request is written down before it is sent, so a rerun
  never asks twice;
- last, right before the pause, the followers as the web app shows them to the person
  (followers.csv and .json, flows/steps/followers.py): after the move, `mastomove watch` and the
  end of the migration compare them with the new account's followers.

Also notes the follower counts of both accounts right before the move, for `mastomove watch`.
Skipping the backup (a setting) skips the saving of notifications, private mentions and the
archive (never the default; the step then says so at the pause); the followers list is still
kept, as the comparison after the move needs it.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tenacity

from mastomove.agent.files import make_private, write_private
from mastomove.agent.errors import Transient
from mastomove.agent.steps import SAVED, Cell, FollowUp, Results, Role, Section, StepContext, StepResult, Table
from mastomove.flows.pages.export import ArchiveRow, ExportPage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.pages.webapp import Collected, ConversationsColumn, NotificationsColumn, WebAppColumn
from mastomove.flows.steps.common import attempt, poll, screenshot, view
from mastomove.flows.steps.export import ExportResult
from mastomove.flows.steps.followers import FollowersSaved, save_old_followers

FOLDER = "backup"
SCREENSHOT_PAGES = 10  # a screenshot of each of the first pages, then of every tenth


def _write(path: Path, text: str) -> Path:
    return write_private(path, text)


def _root(ctx: StepContext) -> Path:
    """The run folder."""
    return ctx.evidence.path("log.jsonl").parent


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if value else "unknown"


# --- readable copies ------------------------------------------------------------------------------
_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def text_of(content: str | None) -> str:
    """A post's HTML as plain text (nothing from a server is kept as markup)."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", content or ""))).strip()


def _who(account: dict[str, Any] | None) -> str:
    if not account:
        return "?"
    name = account.get("display_name") or account.get("username") or ""
    return f"{name} (@{account.get('acct', '?')})"


def notification_rows(found: Collected) -> list[dict[str, Any]]:
    """One readable row per notification (or notification group, 4.3+)."""
    rows = []
    for item in found.items:
        if "group_key" in item:  # grouped: accounts and the status are given by id
            accounts = [found.accounts.get(str(i)) for i in item.get("sample_account_ids") or []]
            status = found.statuses.get(str(item.get("status_id"))) if item.get("status_id") else None
            when = item.get("latest_page_notification_at") or item.get("created_at")
        else:
            accounts, status, when = [item.get("account")], item.get("status"), item.get("created_at")
        rows.append({"type": item.get("type"), "when": when, "who": ", ".join(_who(a) for a in accounts if a),
                     "text": text_of((status or {}).get("content")), "url": (status or {}).get("url") or (status or {}).get("uri")})
    return rows


def conversation_rows(found: Collected) -> list[dict[str, Any]]:
    rows = []
    for item in found.items:
        status = item.get("last_status") or {}
        rows.append({"type": "conversation", "when": status.get("created_at"),
                     "who": ", ".join(_who(a) for a in item.get("accounts") or []),
                     "text": text_of(status.get("content")), "url": status.get("url") or status.get("uri"),
                     "from": _who(status.get("account"))})
    return rows


def _web_address(url: str | None) -> bool:
    """Only http(s) addresses become links in the saved page (a server could send any scheme)."""
    return bool(url) and url.lower().startswith(("https://", "http://"))


def readable_page(title: str, account: str, rows: list[dict[str, Any]], complete: bool) -> str:
    esc = html.escape
    items = "".join(
        f"<article><header><b>{esc(str(r.get('type') or ''))}</b> · {esc(str(r.get('when') or ''))}</header>"
        f"<p class=who>{esc(r.get('who') or '')}</p>"
        + (f"<p class=from>last message from {esc(r['from'])}</p>" if r.get("from") else "")
        + (f"<blockquote>{esc(r['text']).replace(chr(10), '<br>')}</blockquote>" if r.get("text") else "")
        + (f"<p><a href=\"{esc(r['url'])}\">{esc(r['url'])}</a></p>" if _web_address(r.get("url")) else "")
        + "</article>" for r in rows)
    note = "" if complete else "<p><b>The column did not load to its end: this copy is incomplete.</b></p>"
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{esc(title)}: {esc(account)}</title><style>"
            "body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:24px auto;color:#222}"
            "article{border-bottom:1px solid #ddd;padding:10px 0}blockquote{margin:6px 0 6px 12px;white-space:normal}"
            f".who{{margin:2px 0;color:#444}}</style></head><body><h1>{esc(title)}</h1><p>{esc(account)} · "
            f"{len(rows)} item(s), saved {esc(_when(dt.datetime.now(dt.timezone.utc)))}</p>{note}{items}</body></html>")


class DamagedDownload(Transient):
    """A downloaded file is not what it should be (cut off, or an error page)."""


def zip_problem(path: Path) -> str | None:
    """Why `path` is not a whole zip file, or None when it is one (every member's CRC checked)."""
    if not zipfile.is_zipfile(path):
        return "not a zip file"
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return str(error) or type(error).__name__
    return f"{bad} is damaged" if bad else None


# --- the result ------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class SavedItem:
    what: str  # "lists (CSV)", "notifications", "conversations", "archive"
    count: int | None = None
    files: list[str] = field(default_factory=list)  # relative to the run folder
    complete: bool | None = None  # a column or the followers list: loaded to its end
    screenshots: list[str] = field(default_factory=list)  # a column: its screenshots (also in files)
    pages: int | None = None  # the followers list: pages read


@dataclass(kw_only=True)
class Archive:
    """The account archive: `state` is not_offered, requested, compiling, downloaded or cooldown
    (a new one is not allowed yet: the latest was downloaded, if there is one)."""

    state: str
    line: str = ""  # the report line
    created_at: str | None = None
    next_allowed_at: str | None = None
    page: str | None = None  # the export page, where it can be downloaded later
    file: str | None = None  # relative to the run folder
    bytes: int | None = None
    entries: int | None = None  # files in the zip


@dataclass(kw_only=True)
class FollowerBaseline:
    """Both accounts' follower counts right before the move (None: could not be read)."""

    at: str | None = None
    old_followers: int | None = None
    new_followers: int | None = None


@dataclass(kw_only=True)
class BackupResult(StepResult):
    step = "backup"
    skipped: bool = False  # the skip_backup setting: nothing was saved
    folder: str | None = None
    saved: list[SavedItem] = field(default_factory=list)
    archive: Archive | None = None
    baseline: FollowerBaseline | None = None


def _saved(followers: FollowersSaved) -> SavedItem:
    return SavedItem(what="followers", count=followers.count, complete=followers.complete, pages=followers.pages,
                     files=followers.files)


# --- the step --------------------------------------------------------------------------------------
class BackupStep:
    name = "backup"
    title = "Save what the old account loses: notifications, private mentions, archive, the followers list"
    irreversible = False
    result_type = BackupResult

    def run(self, ctx: StepContext) -> BackupResult:
        baseline = attempt(ctx, lambda: self._follower_counts(ctx))
        folder = _root(ctx) / FOLDER
        if ctx.settings.skip_backup:
            ctx.evidence.log.warning("backup.skipped")
            followers = save_old_followers(ctx)
            return BackupResult(skipped=True, baseline=baseline, saved=[_saved(followers)], report=[
                "Backup: skipped as asked: notifications, private mentions and the archive were not saved; the old "
                "account's notifications and private mentions will not be reachable after the move",
                followers.line])
        saved: list[SavedItem] = []
        report: list[str] = []
        export = ctx.result_of(ExportResult)
        exported = export.files if export else {}
        if exported:
            files = [os.path.relpath(Path(entry.path).resolve(), _root(ctx).resolve()) for entry in exported.values()]
            saved.append(SavedItem(what="lists (CSV)", count=len(files), files=files))
            report.append(SAVED + f"{len(files)} exported lists (CSV, filters as JSON) in "
                          f"{Path(next(iter(exported.values())).path).parent}")
        for column, label, rows in ((NotificationsColumn, "notifications", notification_rows),
                                    (ConversationsColumn, "conversations", conversation_rows)):
            entry = attempt(ctx, lambda column=column, label=label, rows=rows: self._column(ctx, column, label, rows))
            saved.append(entry)
            shown = "private mention conversation(s)" if label == "conversations" else "notification(s)"
            line = (f"{entry.count} {shown} in {folder / (label + '.json')} and .html "
                    f"({len(entry.screenshots)} screenshot(s))")
            report.append(SAVED + line + ("" if entry.complete else "; the column did not load to its end"))
        archive = self._archive(ctx)
        if archive.file:
            saved.append(SavedItem(what="archive", count=archive.entries, files=[archive.file]))
        report.append(SAVED + archive.line)
        followers = save_old_followers(ctx)
        saved.append(_saved(followers))
        report.append(followers.line)
        ctx.evidence.log.info("backup.done", saved=[s.what for s in saved], archive=archive.state)
        return BackupResult(folder=str(folder), saved=saved, archive=archive, baseline=baseline, report=report)

    def verify(self, ctx: StepContext) -> bool:
        result = ctx.result_of(BackupResult)
        if result is None:
            return False
        if result.skipped and not ctx.settings.skip_backup:
            return False  # asked for a backup this time: make it now
        root = _root(ctx)
        return all((root / f).is_file() for item in result.saved for f in item.files)

    # --- the report, and what is left to the person ----------------------------------------------
    def report_section(self, result: BackupResult | None, results: Results) -> Section | None:
        title = "Saved before the move"
        if result is None:
            return None
        rows = [[Cell(item.what), Cell("" if item.count is None else str(item.count), numeric=True),
                 Cell(", ".join(item.files))] for item in result.saved]
        table = Table([Cell("saved"), Cell("count", numeric=True), Cell("files in the run folder")], rows) if rows else None
        lines = []
        if result.skipped:
            lines.append(Cell("Skipped as asked: notifications, private mentions and the archive were not saved.", "bad"))
        if result.archive and result.archive.next_allowed_at:
            lines.append(Cell(f"The old server allows the next archive from {result.archive.next_allowed_at}.", "muted"))
        return Section(title, table, lines)

    def followups(self, result: BackupResult | None, results: Results) -> list[FollowUp]:
        if result is None:
            return []
        if result.skipped:
            return [FollowUp(kind="backup_skipped",
                             what="Notifications, private mentions and the archive were not saved (the backup was "
                                  "skipped as asked)",
                             how="the old account can still sign in after the move: request the archive on its "
                                 "Export page; its notifications and conversations are no longer reachable in the "
                                 "web app")]
        archive = result.archive
        if archive is None:
            return []
        if archive.state in ("compiling", "requested"):
            return [FollowUp(kind="archive_pending", what="The archive was still being compiled by the old server",
                             how=f"download it later from {archive.page or 'the old account Export page'} "
                                 "(the old account can still sign in after the move)")]
        if archive.state == "cooldown" and not archive.file:
            return [FollowUp(kind="archive_cooldown", what="No archive could be requested (the server allows one a week)",
                             how=f"request it on the old account's Export page after {archive.next_allowed_at}")]
        return []

    # --- follower counts right before the move -----------------------------------------------
    def _follower_counts(self, ctx: StepContext) -> FollowerBaseline:
        counts = FollowerBaseline(at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        for role in (Role.OLD, Role.NEW):
            account = ctx.accounts[role]
            entity = PublicSide(ctx.page(role)).lookup(account, account.handle.username) or {}
            if role is Role.OLD:
                counts.old_followers = entity.get("followers_count")
            else:
                counts.new_followers = entity.get("followers_count")
        return counts

    # --- notifications and conversations -------------------------------------------------------
    def _column(self, ctx: StepContext, column_class: type[WebAppColumn], label: str, rows_of) -> SavedItem:
        old = ctx.accounts[Role.OLD]
        column = view(ctx, Role.OLD, column_class)
        root = _root(ctx)
        shots: list[str] = []

        def shoot(action: str) -> None:
            file = ctx.evidence.screenshot(column.page, action, mask=column.masked())
            if file is not None:
                shots.append(str(Path(file).resolve().relative_to(root.resolve())))

        def on_page(found: Collected) -> None:
            ctx.person.progress(f"Saving {label}", len(found.items), None)
            if found.pages <= SCREENSHOT_PAGES or found.pages % 10 == 0:
                shoot(f"{label}-page-{found.pages}")

        found = column.collect(on_page=on_page)
        shoot(f"{label}-end")
        files = [
            _write(ctx.evidence.path(FOLDER, f"{label}.json"), json.dumps({
                "account": str(old.handle), "column": column.PATH, "api": found.api, "complete": found.complete,
                "pages": found.pages, "count": len(found.items), "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                "items": found.items, "accounts": found.accounts, "statuses": found.statuses}, indent=2, default=str)),
            _write(ctx.evidence.path(FOLDER, f"{label}.html"), readable_page(
                "Notifications" if label == "notifications" else "Private mentions", str(old.handle),
                rows_of(found), found.complete)),
        ]
        ctx.evidence.log.info(f"backup.{label}", count=len(found.items), pages=found.pages, complete=found.complete)
        return SavedItem(what=label, count=len(found.items), complete=found.complete, screenshots=shots,
                         files=[str(Path(p).resolve().relative_to(root.resolve())) for p in files] + shots)

    # --- the archive ------------------------------------------------------------------------------
    def _archive(self, ctx: StepContext) -> Archive:
        notes = ctx.notes.setdefault("archive", {})
        page = view(ctx, Role.OLD, ExportPage)

        def look() -> tuple[bool, list[ArchiveRow]]:
            page.open()
            return page.can_request_archive(), page.archives()

        allowed, rows = attempt(ctx, look)
        known = {row.id for row in rows}
        asked_before = set(notes.get("rows_before", [])) if notes.get("requested") else None
        ours = [row for row in rows if asked_before is not None and row.id not in asked_before]
        if not ours and allowed:
            # Written down first: a rerun finds the new row instead of asking again.
            notes.update({"requested": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                          "rows_before": sorted(r for r in known if r)})
            ctx.save_notes()

            def ask_once() -> tuple[bool, list[ArchiveRow]]:
                # A retry reads the page again first: after a refused form (422) the browser is on
                # an error page, and after a lost answer the request may have got through.
                now_allowed, now_rows = look()
                if not now_allowed or any(row.id not in set(notes["rows_before"]) for row in now_rows):
                    return now_allowed, now_rows
                page.request_archive()
                return look()

            allowed, rows = attempt(ctx, ask_once)
            screenshot(ctx, page, "archive-requested")
            ours = [row for row in rows if row.id not in set(notes["rows_before"])]
            ctx.evidence.log.info("backup.archive_requested", rows=len(rows))
        elif not ours:
            screenshot(ctx, page, "archive-cooldown")
        if not rows:
            return Archive(state="not_offered", line="the archive: this server offers none on its export page")

        newest = (ours or rows)[0]
        fresh = bool(ours)
        next_allowed = _when(newest.next_allowed_at)
        result = Archive(state="cooldown" if not fresh else "requested", created_at=_when(newest.created_at),
                         next_allowed_at=next_allowed, page=page.url_for(page.PATH))
        if not newest.ready:
            newest = self._wait_until_compiled(ctx, page, newest)
        if newest is None or not newest.ready:
            result.state = "compiling"
            minutes = ctx.settings.archive_wait_seconds / 60
            result.line = (f"the archive: requested, still compiling after {minutes:.0f} min; download it later "
                           f"from {result.page} (the old account can still sign in after the move)")
            return result
        target = ctx.evidence.path(FOLDER, f"archive-{newest.created_at:%Y%m%d-%H%M%S}.zip" if newest.created_at
                                   else "archive.zip")
        entries = attempt(ctx, lambda: self._download_archive(ctx, page, newest, target))
        size = target.stat().st_size
        result.file, result.bytes, result.entries = str(target.resolve().relative_to(_root(ctx).resolve())), size, entries
        result.state = "downloaded" if fresh else "cooldown"
        if fresh:
            result.line = (f"the archive (posts and media), requested now, in {target} ({size:,} bytes, "
                           f"{entries} files); the server allows the next one from {next_allowed}")
        else:
            result.line = (f"the latest archive, made {result.created_at}, in {target} ({size:,} bytes): a new "
                           f"one is not allowed yet (one a week), the next from {next_allowed}; posts since "
                           "then are not in it")
        ctx.evidence.log.info("backup.archive_downloaded", bytes=size, entries=entries, fresh=fresh,
                              next_allowed_at=next_allowed)
        return result

    def _download_archive(self, ctx: StepContext, page: ExportPage, row: ArchiveRow, target: Path) -> int:
        """Download the archive (the server redirects to its storage, often another host, with a
        link that expires: each try follows the page's link afresh) and check it is a whole zip.
        The number of files in it."""
        if not page.on(page.PATH) or not page.has_archive_link(row):
            page.open()
        page.download_archive(row, target)
        make_private(target)
        problem = zip_problem(target)
        if problem:
            ctx.evidence.log.warning("backup.archive_damaged", problem=problem, bytes=target.stat().st_size)
            raise DamagedDownload(f"The archive downloaded from the old server is not a whole zip file ({problem})",
                                  hint="it is downloaded again")
        with zipfile.ZipFile(target) as archive:
            return len(archive.namelist())

    def _wait_until_compiled(self, ctx: StepContext, page: ExportPage, row: ArchiveRow) -> ArchiveRow | None:
        old = ctx.accounts[Role.OLD]

        def read() -> ArchiveRow | None:
            page.open()
            return next((r for r in page.archives() if r.id == row.id), None)

        def tell(state: tenacity.RetryCallState) -> None:
            ctx.person.waiting(f"{old.handle.domain} to compile the archive", state.upcoming_sleep)

        return poll(ctx, read, until=lambda r: r is None or r.ready, within=ctx.settings.archive_wait_seconds,
                    first_wait=1.0, before_sleep=tell)
