"""Who came along, without a browser: the three groups, the reason for each kind of server (asked
over real HTTP on loopback: one that says what it runs, one gone, one that refuses connections),
the files the person keeps, the suggested post, and the paging budget's waits."""
from __future__ import annotations

import contextlib
import csv
import http.server
import json
import socket
import threading

from mastomove.agent import followers as files
from mastomove.flows.followers import (ARRIVED, GONE, IGNORES_MOVE, NOT_ARRIVED, SHOULD_HAVE, UNKNOWN_SOFTWARE,
                                       UNREACHABLE, WAITING, PagingBudget, ServerAnswer, ask_to_follow_posts,
                                       by_server, compare, follower_record, judge, may_still_arrive, servers_to_ask)
from mastomove.flows.pages.nodeinfo import ask_servers


def record(handle: str, origin: str | None = None) -> dict:
    user, server = handle.split("@")
    return follower_record({"acct": handle, "display_name": f"{user.title()}",
                            "url": f"{origin or 'https://' + server}/@{user}", "id": user}, "old.example")


class Nodeinfo(http.server.BaseHTTPRequestHandler):
    """A server that says what it runs (`software`), or answers 410 to everything (`gone`)."""

    software: dict | None = None
    gone = False

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.gone:
            self.send_response(410)
            self.end_headers()
            return
        host = f"http://{self.headers['Host']}"
        if self.path == "/.well-known/nodeinfo":
            body = {"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f"{host}/nodeinfo/2.0"}]}
        elif self.path == "/nodeinfo/2.0":
            body = {"version": "2.0", "software": self.software}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # quiet
        pass


@contextlib.contextmanager
def serving(**attributes):
    handler = type("Handler", (Nodeinfo,), attributes)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def refused_origin() -> str:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_the_three_groups_by_server_with_the_reasons_from_real_answers(tmp_path):
    with serving(software={"name": "gotosocial", "version": "0.14.2"}) as old_gts, \
            serving(software={"name": "mastodon", "version": "4.3.1"}) as mastodon, \
            serving(software={"name": "somethingelse", "version": "1.0"}) as other, \
            serving(gone=True) as gone:
        down = refused_origin()
        saved = [record("ann@moved.example", mastodon), record("bob@moved.example", mastodon),
                 record("cat@locked.example"), record("dan@gts.example", old_gts), record("eve@gts.example", old_gts),
                 record("fay@down.example", down), record("gus@gone.example", gone),
                 record("hal@other.example", other), record("ivy@moved.example", mastodon),
                 record("alice@new.example"), record("ann@moved.example", mastodon)]  # the new account; a repeat
        comparison = compare(saved, ["ann@moved.example", "bob@moved.example"], ["cat@locked.example"],
                             old="alice@old.example", new="alice@new.example")
        where = servers_to_ask(comparison)
        assert where == {"gone.example": gone, "down.example": down, "gts.example": old_gts,
                         "moved.example": mastodon, "other.example": other}
        answers = ask_servers(where, allow_private=True, timeout=3)
    assert [r["handle"] for r in comparison.groups[ARRIVED]] == ["ann@moved.example", "bob@moved.example"]
    assert [r["handle"] for r in comparison.groups[WAITING]] == ["cat@locked.example"]
    assert {r["handle"] for r in comparison.groups[NOT_ARRIVED]} == {
        "dan@gts.example", "eve@gts.example", "fay@down.example", "gus@gone.example", "hal@other.example",
        "ivy@moved.example"}
    assert [r["handle"] for r in comparison.excluded] == ["alice@new.example"]
    assert comparison.counts == {"saved": 10, "arrived": 2, "waiting": 1, "not_arrived": 6, "excluded": 1}
    assert not comparison.everyone_arrived

    comparison.servers = by_server(comparison, answers)
    rows = {row["server"]: row for row in comparison.servers}
    assert comparison.servers[0]["server"] == "gts.example"  # most not arrived first
    assert (rows["gts.example"]["kind"], rows["gts.example"]["software"]) == (IGNORES_MOVE, "GoToSocial 0.14.2")
    assert "does not process Move" in rows["gts.example"]["reason"]
    assert rows["down.example"]["kind"] == UNREACHABLE and "refuses connections" in rows["down.example"]["reason"]
    assert rows["gone.example"]["kind"] == GONE and rows["gone.example"]["answer"]["status"] == 410
    assert rows["other.example"]["kind"] == UNKNOWN_SOFTWARE
    assert (rows["moved.example"]["arrived"], rows["moved.example"]["not_arrived"]) == (2, 1)
    assert rows["moved.example"]["kind"] == SHOULD_HAVE and "Mastodon 4.3.1" in rows["moved.example"]["reason"]
    assert (rows["locked.example"]["waiting"], rows["locked.example"]["kind"]) == (1, None)
    check = comparison.as_dict()
    assert may_still_arrive(check) == 2  # the one on Mastodon, the one on the server that is down

    # the files the person keeps
    written = files.write_check(tmp_path, check, ask_to_follow_posts(comparison, "https://new.example/@alice"))
    assert {p.name for p in written} == {files.CHECK_JSON, files.NOT_ARRIVED_CSV, files.POST_TXT}
    with (tmp_path / files.NOT_ARRIVED_CSV).open(newline="") as handle:
        missing = list(csv.DictReader(handle))
    assert {r["handle"]: r["software"] for r in missing} == {
        "dan@gts.example": "GoToSocial 0.14.2", "eve@gts.example": "GoToSocial 0.14.2", "fay@down.example": "unknown",
        "gus@gone.example": "unknown", "hal@other.example": "somethingelse 1.0", "ivy@moved.example": "Mastodon 4.3.1"}
    assert all(r["reason"] == rows[r["server"]]["reason"] for r in missing)
    post = (tmp_path / files.POST_TXT).read_text()
    assert "did not post" in post and "@dan@gts.example" in post and "@gus@gone.example" not in post
    assert all(p.stat().st_mode & 0o077 == 0 for p in written), "owner-only files"

    # everyone arrived later: nothing to ask any more
    later = compare(saved, [r["handle"] for r in saved], [], old="alice@old.example", new="alice@new.example")
    assert later.everyone_arrived and ask_to_follow_posts(later) == []
    files.write_check(tmp_path, later.as_dict(), [])
    assert not (tmp_path / files.POST_TXT).exists()


def test_an_unread_answer_is_never_the_fine_case():
    unknown = ServerAnswer("x.example", "https://x.example", None, "not_asked", detail="no web address")
    private = ServerAnswer("y.example", "http://10.0.0.2", False, "refused_address")
    nameless = ServerAnswer("z.example", "https://z.example", True, None, 200, detail="its nodeinfo names no software")
    kinds = {judge(answer, "new.example")[0] for answer in (unknown, private, nameless)}
    assert SHOULD_HAVE not in kinds and len(kinds) == 3
    # a private address is not asked unless the person's own servers are on one
    answers = ask_servers({"y.example": "http://10.0.0.2"}, allow_private=False)
    assert answers["y.example"].failure == "refused_address" and answers["y.example"].answers is False


def test_many_missing_followers_get_one_general_post_and_short_posts_stay_within_the_limit():
    few = compare([record(f"user{i}@far.example") for i in range(30)], [], [], old="a@old.example", new="a@new.example")
    posts = ask_to_follow_posts(few)
    assert len(posts) > 1 and all(len(p) <= 500 for p in posts)
    assert sorted(m for p in posts for m in p.split() if m.startswith("@user")) == sorted(
        f"@user{i}@far.example" for i in range(30))
    many = compare([record(f"user{i}@far.example") for i in range(41)], [], [], old="a@old.example", new="a@new.example")
    (general,) = ask_to_follow_posts(many)
    assert "@user" not in general and "@a@new.example" in general


def test_a_display_name_cannot_become_a_spreadsheet_formula(tmp_path):
    evil = follower_record({"acct": "eve@x.example", "display_name": "=HYPERLINK(\"http://x\")", "url": ""}, "old.example")
    files.write_followers(tmp_path, [evil], {"account": "alice@old.example"})
    with (tmp_path / files.FOLLOWERS_CSV).open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["display_name"].startswith("'=") and row["reblogs"] == "not shown"
    assert files.read_followers(tmp_path)[0]["handle"] == "eve@x.example"


def test_the_paging_budget_waits_for_the_window_and_for_the_servers_reset():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    budget = PagingBudget(requests=3, window=60.0, reserve=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        budget.before_request()
        now[0] += 1.0
    budget.before_request()  # the fourth in the window waits until the first leaves it
    assert slept == [57.0]
    budget.after_response(remaining=2, reset_in=30.0)  # the server says few are left
    budget.before_request()
    assert slept[-1] == 31.0 and budget.waited == 88.0


def test_a_watch_compares_long_lists_less_often():
    from mastomove.flows.steps.watch import compare_every

    assert compare_every(2) == 60.0  # a short list: at most once a minute
    # 5,000 followers are 63 pages: spaced so that comparisons read at most 100 pages per 15 minutes
    assert compare_every(63) == 900 * 63 / 100
