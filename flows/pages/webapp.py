"""Columns of Mastodon's React web app that a person scrolls: Notifications (/notifications),
Private mentions (/conversations) and Follow requests (/follow_requests).

The web app fills a column through the REST API as the person scrolls (app/javascript/mastodon/
actions/notifications.js, conversations.js, accounts.js): the first page when the column opens,
then the URL of each answer's `Link: <...>; rel="next"` header when the list is scrolled to its
end or its "Load more" button is pressed; a page without a `next` link is the last one. So a
column is read by scrolling it while listening to those answers: the entities are what the
person's browser received, whatever language or theme the pages are in, and reaching a page
without `next` means the column was scrolled to its end.

Markup used, from components/scrollable_list.jsx and load_more.jsx: the column's items are the
`article` elements of `div.scrollable [role=feed]`, and `button.load-more` loads more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import PageChanged, SessionExpired
from mastomove.flows.pages.base import MastodonPage, raise_for_status, same_origin

if TYPE_CHECKING:
    from playwright.sync_api import Response

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
POLLING_PARAMS = ("since_id", "min_id")  # the app asking for newer items, not the next page


def next_link(header: str | None) -> str | None:
    """The rel="next" URL of a Link header, if any."""
    match = _NEXT.search(header or "")
    return match.group(1) if match else None


@dataclass
class Collected:
    """What a column received: its items (raw API entities, deduplicated, in order)."""

    items: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    complete: bool = False  # a page without a `next` link arrived: the column was read to its end
    api: str = ""  # the API path the web app used (e.g. /api/v1/notifications or /api/v2/notifications)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # grouped answers carry these apart
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)


class WebAppColumn(MastodonPage):
    PATH: ClassVar[str] = "/"
    API_PATHS: ClassVar[tuple[str, ...]] = ()
    ITEMS = "div.scrollable [role='feed'] > article"
    LOAD_MORE = "div.scrollable button.load-more"
    WAIT_MS = 20_000

    def _is_page(self, response: "Response") -> bool:
        parts = urlsplit(response.url)
        if response.request.method != "GET" or not same_origin(response.url, self.account.origin):
            return False
        if parts.path.rstrip("/") not in self.API_PATHS:
            return False
        query = parse_qs(parts.query)
        return not any(name in query for name in POLLING_PARAMS)

    def items(self) -> int:
        return self.page.locator(self.ITEMS).count()

    def collect(self, *, on_page: Callable[[Collected], None] | None = None, max_pages: int = 5000) -> Collected:
        """Open the column and scroll it to its end. `on_page(found)` runs after each page arrived
        (for progress and screenshots)."""
        arrived: list["Response"] = []

        def listen(response: "Response") -> None:
            if self._is_page(response):
                arrived.append(response)

        found = Collected()
        seen: set[str] = set()
        self.page.on("response", listen)
        try:
            try:
                with self.page.expect_response(self._is_page, timeout=self.WAIT_MS):
                    self.open()
            except PlaywrightTimeoutError as error:
                raise PageChanged(f"{self.PATH} did not load its items through the web app's API") from error
            done = 0
            while True:
                next_url = None
                for response in arrived[done:]:
                    next_url = self._take(response, found, seen)
                done = len(arrived)
                if on_page:
                    on_page(found)
                if next_url is None:
                    found.complete = True
                    return found
                if found.pages >= max_pages:
                    return found
                if not self._load_more() and len(arrived) == done:
                    raise PageChanged(f"The {self.PATH} column stopped loading before its end "
                                      f"({len(found.items)} items, {found.pages} pages)")
        finally:
            self.page.remove_listener("response", listen)

    def _take(self, response: "Response", found: Collected, seen: set[str]) -> str | None:
        raise_for_status(response.status, response.headers, response.url)
        if response.status == 401:
            raise SessionExpired(str(self.account.role))
        if not response.ok:
            raise PageChanged(f"{response.url} answered HTTP {response.status}")
        data = response.json()
        found.pages += 1
        found.api = urlsplit(response.url).path
        if isinstance(data, dict):  # grouped notifications (4.3+): groups, with accounts and statuses apart
            for account in data.get("accounts") or []:
                found.accounts[str(account.get("id"))] = account
            for status in data.get("statuses") or []:
                found.statuses[str(status.get("id"))] = status
            entries = data.get("notification_groups") or []
            key = "group_key"
        else:
            entries, key = data or [], "id"
        for entry in entries:
            ident = str(entry.get(key) or entry.get("id"))
            if ident not in seen:
                seen.add(ident)
                found.items.append(entry)
        return next_link(response.headers.get("link"))

    def _load_more(self) -> bool:
        """Scroll to the end of the column the ways a person does, until the app asks for the
        next page: the last item into view, the mouse wheel, the "Load more" button."""
        for nudge in (self._scroll_last_into_view, self._wheel, self._press_load_more):
            try:
                with self.page.expect_response(self._is_page, timeout=self.WAIT_MS / 3):
                    if not nudge():
                        raise PlaywrightTimeoutError("nothing to do")
            except PlaywrightTimeoutError:
                continue
            return True
        return False

    def _scroll_last_into_view(self) -> bool:
        items = self.page.locator(self.ITEMS)
        if items.count() == 0:
            return False
        items.last.scroll_into_view_if_needed()
        return True

    def _wheel(self) -> bool:
        column = self.page.locator("div.scrollable").first
        box = column.bounding_box() if column.count() else None
        if box:
            self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"], 600) / 2)
        self.page.mouse.wheel(0, 4000)
        return True

    def _press_load_more(self) -> bool:
        button = self.page.locator(self.LOAD_MORE)
        if button.count() == 0 or not button.first.is_visible():
            return False
        button.first.click()
        return True


class NotificationsColumn(WebAppColumn):
    PATH = "/notifications"
    API_PATHS = ("/api/v1/notifications", "/api/v2/notifications")


class ConversationsColumn(WebAppColumn):
    """Private mentions ("Direct messages" before 4.0): one item per conversation, with its last post."""

    PATH = "/conversations"
    API_PATHS = ("/api/v1/conversations",)


class FollowRequestsColumn(WebAppColumn):
    """People waiting for the account's approval to follow it."""

    PATH = "/follow_requests"
    API_PATHS = ("/api/v1/follow_requests",)
