"""Who came along: the old account's followers before the move against the new account's followers
and follow requests after it, grouped by server, with the likely reason for those who did not
arrive. Pure logic (no browser): the steps read the lists (flows/steps/followers.py), the servers'
own descriptions are read by flows/pages/nodeinfo.py.

Fediverse facts used here:
- a follower's server re-follows the new account only when its software processes the Move
  activity (Mastodon since 2.7.0, "Add handler for Move activity" #9629; GoToSocial since 0.15.0,
  its release notes: "Incoming and outgoing Move Activities are now processed properly"); of other
  software mastomove knows nothing, and says so;
- a Mastodon server may still have the move in its queue (low-priority Sidekiq queues: minutes to
  hours), or block or have suspended the new server;
- a locked new account receives moved followers as follow requests (MoveWorker: bypass_locked only
  for local targets);
- Mastodon throttles paging requests (max_id/since_id/min_id) at 300 per 15 minutes per user and
  every API request at 300 per 5 minutes per token (config/initializers/rack_attack.rb).
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from mastomove.flows.handles import ascii_domain, normalize_acct, unicode_domain

NOT_SHOWN = "not shown"  # Mastodon never shows how someone follows you (reblogs, notifications)

# --- the list of followers -----------------------------------------------------------------------


def follower_record(entity: dict[str, Any], local_domain: str) -> dict[str, Any] | None:
    """What is kept of one follower (an account entity of the web app's followers column): the
    handle in full, the name shown, the server, the profile address. Mastodon's web app shows
    nothing about how a follower follows you (with reblogs, with notifications): "not shown"."""
    handle = normalize_acct(str(entity.get("acct") or ""), local_domain)
    if handle is None:
        return None
    server = handle.split("@", 1)[1]
    return {"handle": handle, "display_name": str(entity.get("display_name") or ""),
            "server": unicode_domain(server), "url": str(entity.get("url") or ""),
            "reblogs": NOT_SHOWN, "notifications": NOT_SHOWN, "id": str(entity.get("id") or "")}


def handle_key(handle: str, local_domain: str | None = None) -> str | None:
    return normalize_acct(handle, local_domain)


# --- the comparison --------------------------------------------------------------------------------
ARRIVED, WAITING, NOT_ARRIVED = "arrived", "waiting", "not_arrived"


@dataclass
class ServerAnswer:
    """What a follower's server said when asked what it runs (its nodeinfo)."""

    server: str
    address: str | None  # where it was asked (the origin of its accounts' profile pages)
    answers: bool | None  # None: not asked
    failure: str | None = None  # refused | timeout | unresolved | gone | http | tls | not_asked | refused_address
    status: int | None = None
    software: str | None = None
    version: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"server": self.server, "address": self.address, "answers": self.answers, "failure": self.failure,
                "status": self.status, "software": self.software, "version": self.version, "detail": self.detail}


# Since which version each software processes an incoming Move (None: never known to).
MOVE_SINCE: dict[str, tuple[int, ...]] = {
    "mastodon": (2, 7, 0),  # #9629, in 2.7.0
    "gotosocial": (0, 15, 0),  # v0.15.0 release notes
}
SOFTWARE_NAMES = {"mastodon": "Mastodon", "gotosocial": "GoToSocial"}

# Reason kinds (stable: files and tests use them).
SHOULD_HAVE = "should_have_moved"
IGNORES_MOVE = "software_ignores_move"
UNKNOWN_SOFTWARE = "software_unknown"
UNREACHABLE = "unreachable"
GONE = "gone"
NO_SOFTWARE_INFO = "no_software_info"
NOT_ASKED = "not_asked"


def version_tuple(version: str | None) -> tuple[int, ...] | None:
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", version or "")
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def software_label(answer: ServerAnswer) -> str:
    if not answer.software:
        return ""
    name = SOFTWARE_NAMES.get(answer.software.lower(), answer.software)
    return f"{name} {answer.version}".strip() if answer.version else name


def judge(answer: ServerAnswer, new_server: str) -> tuple[str, str]:
    """(kind, the likely reason in plain words) for followers of `answer.server` who did not arrive."""
    if answer.answers is None:
        return NOT_ASKED, f"not asked: {answer.detail or 'its address is not known'}"
    if answer.failure == GONE:
        return GONE, ("the server is gone (it answers 410 Gone to everything): its people cannot follow anyone any "
                      "more; if they moved elsewhere, find them there")
    if not answer.answers:
        what = {"refused": "it refuses connections", "timeout": "it did not answer in time",
                "unresolved": "its name does not resolve", "tls": "its secure connection failed",
                "refused_address": "its address is a private one, which mastomove does not contact"}.get(
            answer.failure or "", answer.detail or "it did not answer")
        return UNREACHABLE, (f"the server is unreachable ({what}): it may be down for now or shut down; it receives "
                             "the move when it is back, if the old server still retries by then")
    if not answer.software:
        return NO_SOFTWARE_INFO, (f"the server answers but does not say what software it runs"
                                  f"{' (' + answer.detail + ')' if answer.detail else ''}; it may not process Move")
    label = software_label(answer)
    since = MOVE_SINCE.get(answer.software.lower())
    version = version_tuple(answer.version)
    if since is None:
        return UNKNOWN_SOFTWARE, (f"the server runs {label}; mastomove does not know whether it processes Move: if "
                                  "these followers have not arrived in a day, it probably does not")
    if version is not None and version < since:
        return IGNORES_MOVE, (f"the server runs {label}, which does not process Move (it does from "
                              f"{'.'.join(map(str, since))}): these followers stay with the old account unless they "
                              "follow the new one themselves")
    return SHOULD_HAVE, (f"the server runs {label}, which processes Move: the move may still be in its queue (minutes "
                         f"to hours), or it blocks or has suspended {new_server}")


@dataclass
class Comparison:
    at: str
    old: str
    new: str
    saved: int
    groups: dict[str, list[dict[str, Any]]]  # arrived / waiting / not_arrived: follower records
    excluded: list[dict[str, Any]] = field(default_factory=list)  # the new account itself
    servers: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True  # every list was read to its end

    @property
    def counts(self) -> dict[str, int]:
        return {"saved": self.saved, **{kind: len(rows) for kind, rows in self.groups.items()},
                "excluded": len(self.excluded)}

    @property
    def everyone_arrived(self) -> bool:
        """Nobody left: each follower follows the new account or waits for its approval."""
        return self.complete and not self.groups[NOT_ARRIVED]

    def as_dict(self, *, people: bool = True) -> dict[str, Any]:
        data = {"at": self.at, "old": self.old, "new": self.new, "counts": self.counts, "complete": self.complete,
                "servers": self.servers}
        if people:
            data.update({"not_arrived": self.groups[NOT_ARRIVED], "waiting": self.groups[WAITING],
                         "excluded": self.excluded})
        return data


def compare(saved: list[dict[str, Any]], new_followers: Iterable[str], new_requests: Iterable[str], *,
            old: str, new: str, complete: bool = True) -> Comparison:
    """Sort the saved followers into arrived (they follow `new`), waiting (they asked to follow it),
    not arrived. `new_followers`/`new_requests`: handles as the new server wrote them (local
    accounts without a domain). The new account itself, if it followed the old one, is left out:
    a move never makes an account follow itself."""
    new_domain = new.split("@", 1)[1]
    followers = {handle_key(h, new_domain) for h in new_followers} - {None}
    requests = {handle_key(h, new_domain) for h in new_requests} - {None}
    groups: dict[str, list[dict[str, Any]]] = {ARRIVED: [], WAITING: [], NOT_ARRIVED: []}
    excluded = []
    seen: set[str] = set()
    for record in saved:
        key = handle_key(record["handle"])
        if key is None or key in seen:
            continue
        seen.add(key)
        if key == handle_key(new):
            excluded.append(record)
        elif key in followers:
            groups[ARRIVED].append(record)
        elif key in requests:
            groups[WAITING].append(record)
        else:
            groups[NOT_ARRIVED].append(record)
    for records in groups.values():
        records.sort(key=lambda r: (r["server"], r["handle"]))
    return Comparison(at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), old=old, new=new,
                      saved=len(seen), groups=groups, excluded=excluded, complete=complete)


def servers_to_ask(comparison: Comparison) -> dict[str, str | None]:
    """Each server with followers who did not arrive -> where to ask it what it runs: the origin of
    its accounts' profile pages (the server's web address, which may differ from the handles'
    domain), else https://<domain>."""
    where: dict[str, str | None] = {}
    for record in comparison.groups[NOT_ARRIVED]:
        server = record["server"]
        if where.get(server):
            continue
        parts = urlsplit(record.get("url") or "")
        if parts.scheme in ("http", "https") and parts.hostname:
            where[server] = f"{parts.scheme}://{parts.netloc}"
        else:
            where.setdefault(server, f"https://{ascii_domain(server)}")
    return where


def by_server(comparison: Comparison, answers: dict[str, ServerAnswer]) -> list[dict[str, Any]]:
    """The table: one row per server (most not arrived first), with what it runs and the likely
    reason for those who did not arrive."""
    new_server = comparison.new.split("@", 1)[1]
    rows: dict[str, dict[str, Any]] = {}
    for kind, records in comparison.groups.items():
        for record in records:
            row = rows.setdefault(record["server"], {"server": record["server"], ARRIVED: 0, WAITING: 0, NOT_ARRIVED: 0})
            row[kind] += 1
    for row in rows.values():
        answer = answers.get(row["server"])
        if row[NOT_ARRIVED] and answer is not None:
            row["kind"], row["reason"] = judge(answer, new_server)
            row["software"] = software_label(answer) or None
            row["answer"] = answer.as_dict()
        elif row[NOT_ARRIVED]:
            row["kind"], row["reason"], row["software"] = NOT_ASKED, "not asked", None
        else:
            row["kind"], row["reason"], row["software"] = None, "", None
    return sorted(rows.values(), key=lambda r: (-r[NOT_ARRIVED], -r[WAITING], r["server"]))


MAY_STILL_ARRIVE = (SHOULD_HAVE, UNREACHABLE, NOT_ASKED)  # their servers may yet process the move


def may_still_arrive(check: dict[str, Any]) -> int:
    """How many of those not arrived are on servers that may yet move them (a Mastodon server with
    the move in its queue, a server down for now), from a comparison's table."""
    return sum(row.get(NOT_ARRIVED) or 0 for row in check.get("servers") or [] if row.get("kind") in MAY_STILL_ARRIVE)


# --- a post the person can adapt -----------------------------------------------------------------
POST_LIMIT = 500  # Mastodon's default character limit for a post
MENTIONS_AT_MOST = 40  # more than this becomes a flood of notifications: a general post instead


def ask_to_follow_posts(comparison: Comparison, new_url: str | None = None) -> list[str]:
    """Suggested posts (never posted by mastomove) for the new account, asking the followers who did
    not arrive to follow it. The people who stayed still follow the old account, which can no
    longer post: from the new account, only a mention reaches them (none reaches a server that is
    gone). Up to MENTIONS_AT_MOST are mentioned, a post at most POST_LIMIT characters (handles
    counted in full, which is more than Mastodon counts); more than that and the text is one
    general post to adapt."""
    gone = {row["server"] for row in comparison.servers if row.get("kind") == GONE}
    missing = [record for record in comparison.groups[NOT_ARRIVED] if record["server"] not in gone]
    where = f" {new_url}" if new_url else ""
    general = (f"I have moved from @{comparison.old} to this account, @{comparison.new}.{where} Mastodon moves "
               "followers along by itself, but not every server could move them. If you followed me there and do "
               "not follow me here yet, please follow this account. Thank you!")
    if not missing:
        return []
    if len(missing) > MENTIONS_AT_MOST:
        return [general]
    intro = (f"I have moved here from @{comparison.old}. Your follow did not come along with the move (your server "
             "could not move it): if you would like to keep following me, please follow this account.")
    posts: list[str] = []
    mentions: list[str] = []
    for record in missing:
        mention = f"@{record['handle']}"
        draft = " ".join([*mentions, mention]) + "\n\n" + intro
        if mentions and len(draft) > POST_LIMIT:
            posts.append(" ".join(mentions) + "\n\n" + intro)
            mentions = []
        mentions.append(mention)
    posts.append(" ".join(mentions) + "\n\n" + intro)
    return posts


# --- Mastodon's rate limits for paging ----------------------------------------------------------
class PagingBudget:
    """Keep a column's paging within Mastodon's throttles: at most `requests` page reads per
    `window` seconds (below the 300 per 15 minutes Mastodon allows a user's paging, leaving room
    for the web app's own), and a wait until the reset when the server's X-RateLimit-Remaining says
    few are left. A 429 is handled apart, by the action's retry budget (Retry-After)."""

    def __init__(self, *, requests: int = 250, window: float = 900.0, reserve: int = 10,
                 on_wait: Callable[[float], None] | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.requests, self.window, self.reserve = requests, window, reserve
        self.on_wait = on_wait
        self.clock, self.sleep = clock, sleep
        self.sent: list[float] = []
        self.pages_read = 0  # every page read through this budget, all windows
        self.waited = 0.0
        self.server_says_wait: float | None = None

    def before_request(self) -> None:
        now = self.clock()
        self.sent = [t for t in self.sent if now - t < self.window]
        wait = 0.0
        if len(self.sent) >= self.requests:
            wait = self.window - (now - self.sent[0])
        if self.server_says_wait:
            wait = max(wait, self.server_says_wait)
            self.server_says_wait = None
        if wait > 0:
            if self.on_wait:
                self.on_wait(wait)
            self.sleep(wait)  # computed from the window or the server's reset, never a fixed pause
            self.waited += wait
        self.sent.append(self.clock())
        self.pages_read += 1

    def after_response(self, remaining: int | None, reset_in: float | None) -> None:
        if remaining is not None and reset_in is not None and remaining <= self.reserve:
            self.server_says_wait = max(0.0, reset_in) + 1.0
