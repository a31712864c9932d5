"""What a run sends over the network, as the servers count it (fixtures/latency.py): requests per
server and kind, sign-ins, and which step sent each request (from the probe's step marks).

The latency the `network` section adds on the server side (fixtures config keys):
80 ms to every request of a client (a round trip to a server one country away, plus its own
time) and 250 ms to every form submission (POST, PUT, PATCH, DELETE: the server writes).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Any

import httpx

LATENCY: dict[str, float] = {"latency_seconds": 0.08, "write_latency_seconds": 0.25}
SERVERS = ("old", "new")  # the two a migration talks to (remote.test only hears from them)
KINDS = ("document", "form_post", "api", "download", "static")
NAMED_KINDS = ("document", "form_post", "api", "download")  # the requests a step names (assets apart)
_ID = re.compile(r"/(?:\d+|[0-9a-f]{12,})(?=/|$)")  # numeric ids, hex media ids


def _get(url: str, method: str = "GET") -> dict[str, Any]:
    response = httpx.request(method, url + "/_fixtures/requests", trust_env=False, timeout=60)
    response.raise_for_status()
    return response.json()


def clear(cluster) -> None:
    for instance in cluster.instances.values():
        _get(instance.url, "DELETE")


def read(cluster) -> dict[str, dict[str, Any]]:
    """Each instance's count since the last clear: {"old": {...}, "new": {...}, "remote": {...}}."""
    return {name: _get(instance.url) for name, instance in cluster.instances.items()}


def shape(path: str) -> str:
    """A request's path with its ids as {id}: /settings/imports/{id}/confirm, /system/media/{id}."""
    return _ID.sub("/{id}", path)


def name(request: dict[str, Any]) -> str:
    return f"{request['method']} {shape(request['path'])}"


def totals(counted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Client requests over the two servers, per kind and per server, and the sign-ins."""
    per_server = {server: {kind: counted[server]["by_kind"].get(kind, 0) for kind in KINDS} for server in SERVERS}
    return {
        "total": sum(counted[server]["total"] for server in SERVERS),
        "by_kind": {kind: sum(per_server[s][kind] for s in SERVERS) for kind in KINDS},
        "by_server": {server: {"total": counted[server]["total"], **per_server[server]} for server in SERVERS},
        "sign_in_posts": {server: counted[server]["sign_in_posts"] for server in SERVERS},
        "sign_ins": {server: counted[server]["sign_ins"] for server in SERVERS},
    }


def by_step(counted: dict[str, dict[str, Any]], marks: list[list[Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each client request of the two servers under the step that was running when it arrived
    (the last step mark at or before it; "startup" before the first)."""
    times = [mark[0] for mark in marks]
    steps: dict[str, list[dict[str, Any]]] = {}
    for server in SERVERS:
        for request in counted[server]["requests"]:
            if request["kind"] == "federation":
                continue
            at = bisect.bisect_right(times, request["t"]) - 1
            step = marks[at][1] if at >= 0 else "startup"
            steps.setdefault(step, []).append({**request, "server": server})
    return steps


def compare(agent: dict[str, list[dict[str, Any]]], floor: dict[str, list[dict[str, Any]]],
            order: list[str]) -> list[dict[str, Any]]:
    """Per step: requests by kind on each side, and the agent's requests beyond the floor's,
    named ("GET /settings/profile x2" where the floor sent none)."""
    rows = []
    for step in [*order, *sorted((set(agent) | set(floor)) - set(order))]:
        mine, theirs = agent.get(step, []), floor.get(step, [])
        if not mine and not theirs:
            continue
        kinds_a, kinds_f = Counter(r["kind"] for r in mine), Counter(r["kind"] for r in theirs)
        named_a = Counter(f"{r['server']}: {name(r)}" for r in mine if r["kind"] in NAMED_KINDS)
        named_f = Counter(f"{r['server']}: {name(r)}" for r in theirs if r["kind"] in NAMED_KINDS)
        extra = named_a - named_f
        fewer = named_f - named_a
        rows.append({
            "step": step, "agent": len(mine), "floor": len(theirs),
            "agent_by_kind": {k: kinds_a.get(k, 0) for k in KINDS}, "floor_by_kind": {k: kinds_f.get(k, 0) for k in KINDS},
            "extra": [f"{what}{f' x{n}' if n > 1 else ''}" for what, n in sorted(extra.items(), key=lambda i: (-i[1], i[0]))],
            "fewer": [f"{what}{f' x{n}' if n > 1 else ''}" for what, n in sorted(fewer.items(), key=lambda i: (-i[1], i[0]))],
        })
    return rows
