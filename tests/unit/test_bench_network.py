"""The benchmark's reading of the servers' request counts (bench/network.py): each request under
the step that sent it, the agent's extra requests named per step, totals without federation."""
from __future__ import annotations

from bench import network


def _request(t: float, method: str, path: str, kind: str, status: int = 200) -> dict:
    return {"t": t, "method": method, "path": path, "kind": kind, "status": status}


def _counted(old: list[dict], new: list[dict]) -> dict:
    def server(requests: list[dict]) -> dict:
        clients = [r for r in requests if r["kind"] != "federation"]
        posts = [r for r in clients if r["method"] == "POST" and r["path"] == "/auth/sign_in"]
        return {"total": len(clients),
                "by_kind": {k: sum(1 for r in requests if r["kind"] == k) for k in (*network.KINDS, "federation")},
                "sign_in_posts": len(posts), "sign_ins": sum(1 for r in posts if r["status"] == 302),
                "requests": requests}
    return {"old": server(old), "new": server(new), "remote": server([])}


def test_ids_are_shapes_not_names():
    assert network.shape("/settings/imports/1234/confirm") == "/settings/imports/{id}/confirm"
    assert network.shape("/system/media/296b5942e142da7a") == "/system/media/{id}"
    assert network.shape("/api/v1/accounts/109/statuses") == "/api/v1/accounts/{id}/statuses"
    assert network.shape("/@alice") == "/@alice" and network.shape("/settings/aliases") == "/settings/aliases"


def test_each_request_goes_to_the_step_running_when_it_arrived():
    counted = _counted(
        old=[_request(0.5, "GET", "/api/v1/instance", "api"), _request(1.5, "GET", "/auth/edit", "document"),
             _request(1.6, "POST", "/inbox", "federation"), _request(3.5, "GET", "/settings/export", "document")],
        new=[_request(2.5, "GET", "/settings/profile", "document")])
    steps = network.by_step(counted, [[1.0, "sign_in"], [2.0, "profile"], [3.0, "export"]])
    assert {step: [r["path"] for r in items] for step, items in steps.items()} == {
        "startup": ["/api/v1/instance"], "sign_in": ["/auth/edit"], "profile": ["/settings/profile"],
        "export": ["/settings/export"]}  # the other server's inbox post is federation, not the run's
    assert steps["profile"][0]["server"] == "new"


def test_the_agents_extra_requests_are_named_per_step():
    agent = {"sign_in": [{**_request(1, "GET", "/auth/edit", "document"), "server": "old"}] * 3
             + [{**_request(1, "GET", "/packs/app.js", "static"), "server": "old"}]}
    floor = {"sign_in": [{**_request(1, "GET", "/auth/edit", "document"), "server": "old"},
                         {**_request(1, "GET", "/", "document"), "server": "old"}]}
    (row,) = network.compare(agent, floor, ["sign_in", "profile"])
    assert (row["step"], row["agent"], row["floor"]) == ("sign_in", 4, 2)
    assert row["agent_by_kind"]["document"] == 3 and row["agent_by_kind"]["static"] == 1
    assert row["extra"] == ["old: GET /auth/edit x2"]  # assets are counted, not named
    assert row["fewer"] == ["old: GET /"]


def test_totals_are_the_clients_requests_on_both_servers():
    counted = _counted(
        old=[_request(1, "POST", "/auth/sign_in", "form_post", 200), _request(2, "POST", "/auth/sign_in", "form_post", 302),
             _request(3, "GET", "/users/alice", "federation")],
        new=[_request(1, "POST", "/auth/sign_in", "form_post", 302), _request(2, "GET", "/packs/a.css", "static")])
    totals = network.totals(counted)
    assert totals["total"] == 4 and totals["by_kind"]["form_post"] == 3 and totals["by_kind"]["static"] == 1
    assert totals["sign_in_posts"] == {"old": 2, "new": 1} and totals["sign_ins"] == {"old": 1, "new": 1}
    assert totals["by_server"]["old"]["total"] == 2
