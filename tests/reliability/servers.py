"""What the servers hold, read from their state endpoints: snapshots to prove "nothing changed", and
the tally of a finished migration: side effects that happened twice, and data that did not arrive."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# What a migration (or a refused one) can change on either account. Sessions are left out: a
# sign-in opens one, and that is not a change to the account.
COMPARED = ("display_name", "note", "fields", "avatar", "header", "locked", "moved_to", "also_known_as",
            "follows", "follow_requests", "followers", "lists", "blocks", "mutes", "domain_blocks",
            "bookmarks", "statuses", "aliases", "migrations", "imports")


def full(acct: str, domain: str) -> str:
    return acct if "@" in acct else f"{acct}@{domain}"


def snapshot(cluster) -> dict[str, Any]:
    """Both accounts as their servers hold them (the comparable part)."""
    return {name: {k: v for k, v in getattr(cluster, name).account("alice").items() if k in COMPARED}
            for name in ("old", "new")}


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, as 'old.follows'-style names."""
    return [f"{side}.{key}" for side in before for key in COMPARED
            if before[side].get(key) != after[side].get(key)]


@dataclass
class Tally:
    duplicated: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)

    @property
    def duplicates(self) -> int:
        return sum(self.duplicated.values())

    @property
    def losses(self) -> int:
        return sum(self.lost.values())

    def __str__(self) -> str:
        return f"duplicated {self.duplicated or 'nothing'}; lost {self.lost or 'nothing'}"


def settled_imports(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Imports the server applies: confirmed ones (an unconfirmed upload changes nothing and expires)."""
    return [i for i in state["imports"] if i["state"] != "unconfirmed"]


def tally(cluster, before_old: dict[str, Any], *, followers_timeout: float = 60) -> Tally:
    """Count duplicated side effects and lost data after a migration that reported success.
    `before_old`: the old account's full state before the first run."""
    result = Tally()
    old_domain, new_domain = cluster.old.domain, cluster.new.domain
    old_acct, new_acct = cluster.credentials["old"].acct, cluster.credentials["new"].acct
    old = cluster.old.account("alice")
    new = cluster.new.account("alice")

    # --- side effects that must happen exactly once --------------------------------------
    announcements = [s for s in new["statuses"] if old_acct in s["text"]]
    aliases = [a for a in new["aliases"] if a["acct"].lstrip("@") == old_acct]
    migrations = old["migrations"]
    per_type: dict[str, int] = {}
    for imp in settled_imports(new):
        per_type[imp["type"]] = per_type.get(imp["type"], 0) + 1
    for name, count in (("announcement", len(announcements)), ("alias", len(aliases)), ("move", len(migrations)),
                        *((f"import:{kind}", n) for kind, n in per_type.items())):
        if count > 1:
            result.duplicated[name] = count - 1
        if count == 0:
            result.lost[name] = 1
    if len(old.get("backups") or []) > 1:  # the archive may be requested once a week: never twice
        result.duplicated["archive request"] = len(old["backups"]) - 1

    # --- data that must have arrived -------------------------------------------------------
    me = {new_acct}
    following_now = {full(f["acct"], new_domain) for f in new["follows"] + new["follow_requests"]}
    wanted = {full(f["acct"], old_domain) for f in before_old["follows"]} - me
    lists_now = {(lst["title"], full(m, new_domain)) for lst in new["lists"] for m in lst["members"]}
    lists_wanted = {(lst["title"], full(m, old_domain)) for lst in before_old["lists"] for m in lst["members"]}
    lists_wanted = {(t, a) for t, a in lists_wanted if a not in me}
    checks = {
        "follows": wanted - following_now,
        "list members": lists_wanted - lists_now,
        "blocks": {full(a, old_domain) for a in before_old["blocks"]} - {full(a, new_domain) for a in new["blocks"]},
        "mutes": {full(m["acct"], old_domain) for m in before_old["mutes"]} - {full(m["acct"], new_domain) for m in new["mutes"]},
        "domain blocks": set(before_old["domain_blocks"]) - set(new["domain_blocks"]),
        "bookmarks": set(before_old["bookmarks"]) - set(new["bookmarks"]),
    }
    for name, missing in checks.items():
        if missing:
            result.lost[name] = len(missing)
    profile = [key for key in ("display_name", "note", "fields") if new[key] != before_old[key]]
    if profile or not new["avatar"] or not new["header"]:
        result.lost["profile"] = len(profile) or 1
    if old["moved_to"] not in (new_acct, f"@{new_acct}"):
        result.lost["redirect"] = 1

    movers = {full(f["acct"], old_domain) for f in before_old["followers"]} - me
    try:
        cluster.new.wait_for(lambda s: movers <= {full(f["acct"], new_domain) for f in s["followers"]},
                             timeout=followers_timeout, interval=0.5, include=["followers"])
    except TimeoutError:
        now = {full(f["acct"], new_domain) for f in cluster.new.account("alice", ["followers"])["followers"]}
        result.lost["followers"] = len(movers - now)
    return result
