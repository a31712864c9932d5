"""mastomove.fixtures.breaks itself, without a browser: the proxy passes the instance through unchanged
except where a break applies, keeps the browser on its own address, and counts what it changed."""
from __future__ import annotations

import httpx
import pytest

from mastomove.fixtures.breaks import Break, BrokenProxy


def client(proxy: BrokenProxy, **kwargs) -> httpx.Client:
    return httpx.Client(base_url=proxy.url, follow_redirects=False, trust_env=False, **kwargs)


def test_unbroken_pages_pass_through_unchanged(mastodon):
    untouched = Break("never matches", path=r"/nowhere")
    with BrokenProxy(mastodon.old.url, untouched) as proxy, client(proxy) as http:
        direct = httpx.get(mastodon.old.url + "/auth/sign_in", trust_env=False)
        proxied = http.get("/auth/sign_in")
        assert proxied.status_code == direct.status_code == 200 and 'name="user[email]"' in proxied.text
        # the instance's own address becomes the proxy's, so the browser never leaves it
        profile = http.get("/@alice").text
        assert f"{proxy.url}/users/alice" in profile or f"{proxy.url}/@alice" in profile
        assert mastodon.old.url not in profile
        assert http.get("/_fixtures/state").json()["instance"]["domain"] == "old.test"
        assert proxy.applied == {"never matches": 0}


def test_a_replacement_changes_the_page_and_is_counted(mastodon):
    renamed = Break("renamed", path=r"/auth/sign_in", method="GET",
                    replace=((r'name="user\[email\]"', 'name="user[login]"'),))
    with BrokenProxy(mastodon.old.url, renamed) as proxy, client(proxy) as http:
        page = http.get("/auth/sign_in").text
        assert 'name="user[login]"' in page and 'name="user[email]"' not in page
        assert proxy.applied["renamed"] == 1


def test_answers_stay_on_the_proxy_and_stalls_never_answer(mastodon):
    answered = Break("answered", path=r"/settings/imports/\d+", method="POST",
                     answer=(302, (("Location", "{origin}/settings/imports"),)))
    stalled = Break("stalled", path=r"/settings/export", method="GET", stall=True)
    with BrokenProxy(mastodon.old.url, answered, stalled) as proxy, client(proxy, timeout=1.5) as http:
        response = http.post("/settings/imports/7", data={"_method": "delete"})
        assert response.status_code == 302 and response.headers["location"] == f"{proxy.url}/settings/imports"
        with pytest.raises(httpx.ReadTimeout):
            http.get("/settings/export")
        assert proxy.applied == {"answered": 1, "stalled": 1}
