"""The followers, read as the person sees them in the web app, before and after the move.

- `save_old_followers` (the backup step, right before the pause): the old account's followers
  column, page by page (flows/pages/webapp.py: the first page as the app loads it, then the same
  API requests it makes when scrolled, with its own session), within Mastodon's paging limits, and
  resumable: each page is appended to a partial file and its `next` link noted, so an interrupted
  run goes on from there. Kept as followers.csv and followers.json (agent/followers.py).
- `compare_followers` (the end of `migrate`, each `watch`): the new account's followers and follow
  requests against that list, grouped by server, each server with followers who did not arrive
  asked what it runs (flows/pages/nodeinfo.py) and judged (flows/followers.py).
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from mastomove.agent import followers as files
from mastomove.agent.files import open_private_append
from mastomove.agent.steps import SAVED, FollowUp, Results, Role, StepContext, StepResult
from mastomove.flows.followers import (Comparison, PagingBudget, ServerAnswer, ask_to_follow_posts, by_server, compare,
                                       follower_record, servers_to_ask)
from mastomove.flows.pages import nodeinfo
from mastomove.flows.pages.webapp import ColumnPage, FollowersColumn, FollowRequestsColumn, WebAppColumn
from mastomove.flows.followup import followers_left
from mastomove.flows.steps.common import attempt, screenshot, view

PARTIAL = "followers.partial.jsonl"  # the pages read so far, while the list is read
SCREENSHOT_PAGES = 3


def _root(ctx: StepContext) -> Path:
    return ctx.evidence.path("log.jsonl").parent


def paging_budget(ctx: StepContext, role: Role) -> PagingBudget:
    """One account's paging within Mastodon's limits; share it between reads of one run or watch."""
    server = ctx.accounts[role].handle.domain

    def tell(seconds: float) -> None:
        ctx.evidence.log.info("followers.paging_paused", server=server, seconds=round(seconds, 1))
        ctx.person.waiting(f"{server} to allow more page reads (Mastodon's rate limit)", seconds)

    return PagingBudget(on_wait=tell)


def read_column(ctx: StepContext, role: Role, column_class: type[WebAppColumn], *, label: str,
                on_items: Callable[[list[dict[str, Any]], str | None], None],
                resume_from: str | None = None, budget: PagingBudget | None = None,
                shoot: bool = True) -> tuple[int, bool]:
    """Read a column to its end, each page an action with its own retry budget; `on_items(items,
    next_url)` after each page. Goes on from `resume_from` (a `next` link noted earlier) when the
    app pages with a session token; otherwise scrolls the column from its top. (pages, complete)"""
    column = view(ctx, role, column_class)
    budget = budget or paging_budget(ctx, role)
    budget.before_request()  # the column's first page counts against the server's limits too
    first: ColumnPage = attempt(ctx, lambda: column.first_page(ctx.evidence.secret_entry))
    pages, total = 1, len(first.items)
    on_items(first.items, first.next_url if resume_from is None else resume_from)
    if shoot:
        screenshot(ctx, column, f"{label.replace(' ', '-')}-page-1")
    if not column.pages_directly:
        found = attempt(ctx, column.collect)  # no token to page with: scroll as a person does
        on_items(found.items, None)
        return found.pages, found.complete
    next_url = resume_from or first.next_url
    # The pages are asked for with the app's session token: a trace must not record those calls.
    with ctx.evidence.secret_entry(column.page):
        while next_url:
            url = next_url
            budget.before_request()
            page = attempt(ctx, lambda: column.page_at(url))
            budget.after_response(page.rate_remaining, page.rate_reset_in)
            pages += 1
            total += len(page.items)
            on_items(page.items, page.next_url)
            ctx.person.progress(label.capitalize(), total, None)
            if page.next_url == url:
                break  # a server that links a page to itself: it would never end
            next_url = page.next_url
    return pages, next_url is None


# --- before the move ------------------------------------------------------------------------------
@dataclass(kw_only=True)
class FollowersSaved:
    """The old account's followers list as the backup step kept it."""

    count: int
    complete: bool  # the list loaded to its end
    pages: int
    files: list[str]  # followers.csv and .json, relative to the run folder
    line: str  # the report line


def save_old_followers(ctx: StepContext) -> FollowersSaved:
    """The old account's followers as the person sees them, kept in followers.csv/.json."""
    old = ctx.accounts[Role.OLD]
    notes = ctx.notes.setdefault("followers", {})
    partial = ctx.evidence.path(PARTIAL)
    records: dict[str, dict[str, Any]] = {}
    resume = notes.get("next") if partial.exists() else None
    if resume:
        for line in partial.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by a kill
            records.setdefault(record["handle"], record)
        ctx.evidence.log.info("followers.resumed", saved=len(records), next=resume)
    elif partial.exists():
        partial.unlink()
    out = open_private_append(partial)
    started = dt.datetime.now(dt.timezone.utc)
    ctx.evidence.log.info("followers.saving", resumed=bool(resume))
    logged_first: list[bool] = []

    def take(items: list[dict[str, Any]], next_url: str | None) -> None:
        for entity in items:
            record = follower_record(entity, old.handle.domain)
            if record is not None and record["handle"] not in records:
                records[record["handle"]] = record
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        notes["next"] = next_url
        ctx.save_notes()
        if not logged_first:
            logged_first.append(True)  # the column is open: what follows is paging alone
            ctx.evidence.log.info("followers.first_page", saved=len(records))

    try:
        pages, complete = read_column(ctx, Role.OLD, FollowersColumn, label="followers", on_items=take,
                                      resume_from=resume)
    finally:
        out.close()
    kept = list(records.values())
    root = _root(ctx)
    written = files.write_followers(root, kept, {
        "account": str(old.handle), "saved_at": started.isoformat(timespec="seconds"), "complete": complete,
        "pages": pages, "resumed": bool(resume),
        "note": "reblogs/notifications: Mastodon does not show you how a follower follows you"})
    partial.unlink(missing_ok=True)
    ctx.notes.pop("followers", None)
    ctx.save_notes()
    ctx.evidence.log.info("backup.followers", count=len(kept), pages=pages, complete=complete, resumed=bool(resume))
    line = (f"{len(kept)} follower(s) of {old.handle} in {root / files.FOLLOWERS_CSV} and .json (handle, name, "
            "server), to see after the move who came along")
    if not complete:
        line += "; the list did not load to its end"
    return FollowersSaved(count=len(kept), complete=complete, pages=pages,
                          files=[str(p.resolve().relative_to(root.resolve())) for p in written], line=SAVED + line)


# --- after the move -------------------------------------------------------------------------------
def _local_setup(ctx: StepContext) -> bool:
    """Are the person's own servers on local addresses (a test or demo setup)? Then followers'
    servers on such addresses may be asked too."""
    for account in ctx.accounts.values():
        host = urlsplit(account.url).hostname or ""
        try:
            if ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_private:
                return True
        except ValueError:
            if host == "localhost":
                return True
    return False


def read_handles(ctx: StepContext, role: Role, column_class: type[WebAppColumn], label: str,
                 budget: PagingBudget | None = None, *, shoot: bool = True) -> tuple[list[str], bool]:
    """The handles (as the server writes them) of a column's accounts, and whether it was read to its end."""
    handles: list[str] = []

    def take(items: list[dict[str, Any]], _next: str | None) -> None:
        handles.extend(str(item.get("acct") or "") for item in items)

    _, complete = read_column(ctx, role, column_class, label=label, on_items=take, budget=budget, shoot=shoot)
    return list(dict.fromkeys(handles)), complete


def compare_followers(ctx: StepContext, saved: list[dict[str, Any]],
                      answers: dict[str, ServerAnswer] | None = None, budget: PagingBudget | None = None) -> Comparison:
    """The saved followers against the new account's followers and follow requests now, the
    servers of those who did not arrive asked what they run (`answers`: asked before, kept;
    `budget`: the new account's paging budget, shared across a watch)."""
    old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
    budget = budget or paging_budget(ctx, Role.NEW)
    followers, complete = read_handles(ctx, Role.NEW, FollowersColumn, "followers of the new account", budget)
    requests, requests_complete = read_handles(ctx, Role.NEW, FollowRequestsColumn, "follow requests", budget)
    comparison = compare(saved, followers, requests, old=str(old.handle), new=str(new.handle),
                         complete=complete and requests_complete)
    answers = answers if answers is not None else {}
    where = {server: address for server, address in servers_to_ask(comparison).items() if server not in answers}
    if where:
        answers.update(nodeinfo.ask_servers(where, allow_private=_local_setup(ctx)))
    comparison.servers = by_server(comparison, answers)
    ctx.evidence.log.info("followers.compared", **comparison.counts, servers_asked=len(where),
                          complete=comparison.complete)
    return comparison


def keep_comparison(ctx: StepContext, root: Path, comparison: Comparison) -> dict[str, Any]:
    """Write the comparison's files into the migration's run folder `root`; what they hold, briefly."""
    written = files.write_check(root, comparison.as_dict(), ask_to_follow_posts(comparison, _profile_url(ctx)))
    return {**comparison.as_dict(people=False), "files": [p.name for p in written]}


def _profile_url(ctx: StepContext) -> str:
    new = ctx.accounts[Role.NEW]
    return f"{new.url.rstrip('/')}/@{new.handle.username}"


def report_lines(check: dict[str, Any]) -> list[str]:
    lines = [f"Followers: {files.headline(check)}"]
    counts = check.get("counts") or {}
    if counts.get("not_arrived"):
        lines.append(f"Followers: who did not arrive and why, by server, in {files.NOT_ARRIVED_CSV}; a post to ask "
                     f"them to follow the new account in {files.POST_TXT} (not posted)")
    return lines


@dataclass(kw_only=True)
class ArrivalsResult(StepResult):
    """The comparison at the end of the migration, briefly (the people are in its files:
    followers-check.json, not-arrived.csv; `mastomove watch` writes newer ones)."""

    step = "arrivals"
    compared: bool = False  # False: no followers list was saved before the move
    at: str | None = None
    old: str | None = None
    new: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # saved, arrived, waiting, not_arrived, excluded
    complete: bool = True  # the new account's lists were read to their end
    servers: list[dict[str, Any]] = field(default_factory=list)  # by server, as in followers-check.json
    files: list[str] = field(default_factory=list)

    def check(self) -> dict[str, Any]:
        """In the comparison files' form (agent/followers.py), which `mastomove watch` shares."""
        return {"at": self.at, "old": self.old, "new": self.new, "counts": self.counts, "complete": self.complete,
                "servers": self.servers}


class ArrivalsStep:
    """After the move: who came along, from the list saved before it."""

    name = "arrivals"
    title = "Compare the followers before and after the move"
    irreversible = False
    result_type = ArrivalsResult

    def run(self, ctx: StepContext) -> ArrivalsResult:
        root = _root(ctx)
        saved = files.read_followers(root)
        if saved is None:
            return ArrivalsResult(compared=False, report=[
                "Followers: no list of the old account's followers was saved before the move: nothing to compare"])
        comparison = compare_followers(ctx, saved)
        written = keep_comparison(ctx, root, comparison)
        return ArrivalsResult(compared=True, at=comparison.at, old=comparison.old, new=comparison.new,
                              counts=comparison.counts, complete=comparison.complete, servers=comparison.servers,
                              files=written["files"], report=report_lines(written))

    def verify(self, ctx: StepContext) -> bool:
        result = ctx.result_of(ArrivalsResult)
        return result is not None and (not result.compared or (_root(ctx) / files.CHECK_JSON).is_file())

    def followups(self, result: ArrivalsResult | None, results: Results) -> list[FollowUp]:
        """Who did not arrive, and who waits for approval (the verify step's count is then not needed)."""
        if result is None or not result.compared:
            return []
        return [FollowUp(**item) for item in followers_left(result.check())]
