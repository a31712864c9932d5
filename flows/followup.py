"""What is left to the person after a run, and how to finish each: read from the steps' results
(no page is opened). The summary, the terminal and the report show these.

Each item: {"what": ..., "how": ..., "kind": ...}; `accounts` when it names accounts."""
from __future__ import annotations

from typing import Any

SHOWN = 5

UNSUPPORTED_HOW = {
    "lists": "recreate them in the new account's web app (Lists): exports/lists.csv has one "
             "'list title,account' row per member; or import the file once the server runs Mastodon 4.2 or newer",
    "bookmarks": "open the posts listed in exports/bookmarks.csv on the new server and bookmark them, or import "
                 "the file once the server runs Mastodon 4.2 or newer",
    "domain_blocks": "block the domains listed in exports/domain_blocks.csv in the new account's web app, or "
                     "import the file once the server runs Mastodon 4.2 or newer",
}
FAILED_HOW = {
    "follows": "the accounts are in {file}; their servers may be down or gone. Import that file again later "
               "on the new account's Import page (merge mode), or follow them by hand",
    "lists": "the list members are in {file}; a list can only hold accounts you follow, so follow them first, "
             "then add them to the lists by hand in the web app (Lists) or import the file again (merge mode)",
}


def _shown(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def left_to_person(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    todo: list[dict[str, Any]] = []
    imports = results.get("imports") or {}
    for name, entry in (imports.get("lists") or {}).items():
        entry = entry or {}
        if entry.get("skipped") == "unsupported" and name == "custom_filters":
            todo.append({"kind": "filters_not_carried", "list": name,
                         "what": "Filters were not carried: the new server is older than Mastodon 4.6",
                         "how": "recreate them in the new account's preferences (Filters); they are listed in "
                                "exports/custom_filters.json"})
        elif entry.get("skipped") == "unsupported" and name == "lists" and (results.get("lists") or {}).get("recreated"):
            for title, outcome in results["lists"]["recreated"].items():
                if outcome.get("not_added"):
                    missing = list(outcome["not_added"])
                    todo.append({"kind": "list_members_missing", "list": name, "accounts": missing,
                                 "count": len(missing),
                                 "what": f"{len(missing)} member(s) of the list \"{title}\" could not be added (the new "
                                         f"account does not follow them): {_shown(missing)}",
                                 "how": "follow them from the new account (or wait until they approve its follow "
                                        "request), then add them to the list in the web app (Lists)"})
        elif entry.get("skipped") == "unsupported":
            todo.append({"kind": "not_importable", "list": name,
                         "what": f"The new server cannot import {name.replace('_', ' ')} (Mastodon 4.1 or older)",
                         "how": UNSUPPORTED_HOW.get(name, f"add them by hand from exports/{name}.csv")})
        if entry.get("failures"):
            where = entry.get("failures_file") or f"imports/{name}_failures.csv"
            how = FAILED_HOW.get(name, "the rows are in {file}; import that file again later (merge mode) or "
                                       "add them by hand").format(file=where)
            todo.append({"kind": "import_failures", "list": name, "count": entry["failures"],
                         "what": f"{entry['failures']} of {entry.get('total', '?')} {name.replace('_', ' ')} "
                                 "could not be imported", "how": how})
        if entry.get("legacy") and entry.get("finished") is None:
            todo.append({"kind": "unverified_import", "list": name,
                         "what": f"{name.replace('_', ' ').capitalize()} were handed to a Mastodon 4.1 server, which "
                                 "imports in the background and shows no progress",
                         "how": "compare the counts on the new account's Export page with the old one's in a while"})
        elif entry.get("finished") is False:
            todo.append({"kind": "import_running", "list": name,
                         "what": f"The {name.replace('_', ' ')} import was still running",
                         "how": "run mastomove again with the same run folder: it keeps waiting and checks the counts"})
        pending = entry.get("follow_requests") or []
        if pending:
            todo.append({"kind": "follow_requests", "accounts": list(pending), "count": len(pending),
                         "what": f"{len(pending)} follow request(s) of the new account wait for approval by locked "
                                 f"accounts: {_shown(list(pending))}",
                         "how": "nothing to do: each becomes a follow when that person approves it. If one stays "
                                "pending for days, ask them, or cancel and follow again from their profile"})
    export = results.get("export") or {}
    if export and export.get("filters_offered") is False:
        todo.append({"kind": "filters_not_exported", "list": "custom_filters",
                     "what": "Filters were not carried: the old server is older than Mastodon 4.6 and cannot export them",
                     "how": "if the old account has filters, recreate them in the new account's preferences (Filters), "
                            "copying them from the old account's Filters page while it still signs in"})
    for name in export.get("not_offered") or []:
        todo.append({"kind": "not_exported", "list": name,
                     "what": f"The old server offers no {name.replace('_', ' ')} export",
                     "how": "copy them by hand from the old account's web app while it still signs in"})

    backup = results.get("backup") or {}
    if backup.get("skipped"):
        todo.append({"kind": "backup_skipped",
                     "what": "Notifications, private mentions and the archive were not saved (the backup was skipped as asked)",
                     "how": "the old account can still sign in after the move: request the archive on its Export "
                            "page; its notifications and conversations are no longer reachable in the web app"})
    archive = backup.get("archive") or {}
    if archive.get("state") in ("compiling", "requested"):
        todo.append({"kind": "archive_pending",
                     "what": "The archive was still being compiled by the old server",
                     "how": f"download it later from {archive.get('page', 'the old account Export page')} "
                            "(the old account can still sign in after the move)"})
    elif archive.get("state") == "cooldown" and not archive.get("file"):
        todo.append({"kind": "archive_cooldown",
                     "what": "No archive could be requested (the server allows one a week)",
                     "how": f"request it on the old account's Export page after {archive.get('next_allowed_at')}"})

    if (results.get("preflight") or {}).get("checks", {}).get("new_unlocked") == "unlocked":
        todo.append({"kind": "unlocked",
                     "what": "The new account was unlocked (follow approval off) so that followers could move",
                     "how": "switch \"Require follow requests\" back on in the new account's settings once the "
                            "followers have arrived, if you want it"})
    arrivals = results.get("arrivals") or {}
    if arrivals.get("compared"):
        todo.extend(followers_left(arrivals))
        return todo
    followers = (results.get("verify") or {}).get("followers") or {}
    expected, arrived = followers.get("expected"), followers.get("at_end")
    if expected is not None and arrived is not None and arrived < expected:
        todo.append({"kind": "followers_moving", "count": expected - arrived,
                     "what": f"{arrived} of {expected} followers had arrived on the new account",
                     "how": "the rest arrive as their servers process the move (minutes to hours): run "
                            "`mastomove watch` later to follow them"})
    return todo


FOLLOWER_KINDS = ("followers_not_arrived", "followers_waiting", "followers_moving")


def followers_left(check: dict[str, Any]) -> list[dict[str, Any]]:
    """What is left about the followers, from a comparison (flows.followers.Comparison.as_dict):
    those who did not arrive, by likely reason, and those waiting for approval."""
    todo: list[dict[str, Any]] = []
    counts = check.get("counts") or {}
    missing = counts.get("not_arrived") or 0
    if missing:
        servers = [row for row in check.get("servers") or [] if row.get("not_arrived")]
        named = _shown([f"{row['server']} ({row['not_arrived']})" for row in servers])
        todo.append({"kind": "followers_not_arrived", "count": missing,
                     "what": f"{missing} of {counts.get('saved', '?')} followers have not arrived on the new account "
                             f"(by server: {named})",
                     "how": "not-arrived.csv lists them with their server, what it runs and the likely reason. Those on "
                            "Mastodon servers may still arrive: run `mastomove watch` later. The others' servers do not "
                            "process the move (or are down or gone): ask them to follow the new account; "
                            "ask-to-follow.txt has a post to adapt (mastomove posted nothing)"})
    waiting = counts.get("waiting") or 0
    if waiting:
        todo.append({"kind": "followers_waiting", "count": waiting,
                     "what": f"{waiting} follower(s) asked to follow the new account and wait for your approval "
                             "(it requires approval)",
                     "how": f"approve them in the new account's web app, Follow requests ({FOLLOW_REQUESTS_PATH})"})
    return todo


# --- after the move: `mastomove watch` -----------------------------------------------------------
FOLLOW_REQUESTS_PATH = "/follow_requests"  # the web app's Follow requests column


def follow_requests_url(server_url: str) -> str:
    """Where the new account approves waiting follow requests."""
    return server_url.rstrip("/") + FOLLOW_REQUESTS_PATH


def watch_baseline(results: dict[str, dict[str, Any]],
                   readings: list[dict[str, Any]]) -> tuple[int | None, int | None]:
    """(followers the old account had at the move, followers the new one had before it), from the
    migration's step results, else from an earlier watch (which read the old account's migration
    page); None where unknown."""
    baseline = (results.get("backup") or {}).get("baseline") or {}
    expected = (results.get("move") or {}).get("followers_before")
    if expected is None:
        expected = baseline.get("old_followers")
    if expected is None and readings:
        expected = readings[-1].get("expected")
    return expected, baseline.get("new_followers")
