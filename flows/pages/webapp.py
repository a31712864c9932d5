"""Columns of Mastodon's React web app that a person scrolls: Notifications (/notifications),
Private mentions (/conversations), Follow requests (/follow_requests) and an account's Followers
(/@username/followers).

The web app fills a column through the REST API as the person scrolls (app/javascript/mastodon/
actions/notifications.js, conversations.js, accounts.js): the first page when the column opens,
then the URL of each answer's `Link: <...>; rel="next"` header when the list is scrolled to its
end or its "Load more" button is pressed; a page without a `next` link is the last one. So a
column is read by scrolling it while listening to those answers: the entities are what the
person's browser received, whatever language or theme the pages are in, and reaching a page
without `next` means the column was scrolled to its end.

Markup used, from components/scrollable_list.jsx and load_more.jsx: the column's items are the
`article` elements of `div.scrollable [role=feed]`, and `button.load-more` loads more.

Long account lists (thousands of followers) are read page by page instead (`first_page`, then
`page_at` each `next` link): the column is opened as a person opens it, its first page is the one
the app asked for, and the following pages are the same API requests the app makes when scrolled,
sent with the app's own session (the Authorization header of its first request, never stored)
and Mastodon's largest page (80 accounts, `limit_param`: twice the default 40). A page read so
can be resumed from its `next` link, which scrolling cannot, and costs half the requests.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, ContextManager
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import PageChanged, SessionExpired
from mastomove.flows.pages.base import MastodonPage, network_errors, raise_for_status, same_origin

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse, Response

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


@dataclass
class ColumnPage:
    """One page of a column's API answers: its entities and the link to the next page."""

    items: list[dict[str, Any]]
    next_url: str | None
    rate_remaining: int | None = None  # X-RateLimit-Remaining
    rate_reset_in: float | None = None  # seconds until X-RateLimit-Reset


def with_limit(url: str, limit: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, values in parse_qs(parts.query, keep_blank_values=True).items() for v in values if k != "limit"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode([*query, ("limit", str(limit))]), ""))


def _rate(headers: dict[str, str]) -> tuple[int | None, float | None]:
    remaining = headers.get("x-ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset")
    left = int(remaining) if remaining and remaining.strip().isdigit() else None
    reset_in = None
    if reset:
        try:
            when = dt.datetime.fromisoformat(reset.strip().replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            reset_in = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
        except ValueError:
            reset_in = None
    return left, reset_in


class WebAppColumn(MastodonPage):
    PATH: ClassVar[str] = "/"
    API_PATHS: ClassVar[tuple[str, ...]] = ()
    ITEMS = "div.scrollable [role='feed'] > article"
    LOAD_MORE = "div.scrollable button.load-more"
    WAIT_MS = 20_000
    LARGEST_PAGE = 80  # Mastodon's limit_param: twice DEFAULT_ACCOUNTS_LIMIT (40)

    _authorization: str | None = None

    def _api_path(self, path: str) -> bool:
        return path.rstrip("/") in self.API_PATHS

    def _is_page(self, response: "Response") -> bool:
        parts = urlsplit(response.url)
        if response.request.method != "GET" or not same_origin(response.url, self.account.origin):
            return False
        if not self._api_path(parts.path):
            return False
        query = parse_qs(parts.query)
        return not any(name in query for name in POLLING_PARAMS)

    # --- page by page ------------------------------------------------------------------------------
    def first_page(self, untraced: "Callable[[Page], ContextManager[None]]") -> ColumnPage:
        """Open the column as a person does and take the first page the web app asked for (its
        Authorization header is kept in this object for `page_at`, read where no trace records it:
        `untraced` is the run's secret entry)."""
        try:
            with self.page.expect_response(self._is_page, timeout=self.WAIT_MS) as answer:
                self.open()
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"{self.PATH} did not load its items through the web app's API") from error
        response = answer.value
        with untraced(self.page):  # the app's session token: a secret, never in a trace
            self._authorization = response.request.all_headers().get("authorization")
        return self._page_of(response.status, response.headers, response.url, response.json)

    @property
    def pages_directly(self) -> bool:
        """Can the next pages be asked for as the app asks (it sent its session's token)?"""
        return bool(self._authorization)

    def page_at(self, url: str, *, limit: int | None = None) -> ColumnPage:
        """The page at a `next` link, asked for with the app's own session, `limit` accounts long.
        Playwright's trace records the call's headers: call it inside the run's secret entry."""
        if not self._authorization:
            raise PageChanged(f"The {self.PATH} column's web app sent no session token: it cannot be read page by page")
        if not self.same_server(url) or not self._api_path(urlsplit(url).path):
            raise PageChanged(f"The {self.PATH} column's next page is not on {self.account.origin}: {url}")
        url = with_limit(url, limit or self.LARGEST_PAGE)
        with network_errors(url):
            response: "APIResponse" = self.page.context.request.get(
                url, headers={"Authorization": self._authorization, "Accept": "application/json"},
                timeout=30_000, max_redirects=0)
        return self._page_of(response.status, response.headers, url, response.json)

    def _page_of(self, status: int, headers: dict[str, str], url: str, body: Callable[[], Any]) -> ColumnPage:
        raise_for_status(status, headers, url)
        if status == 401:
            raise SessionExpired(str(self.account.role))
        if not 200 <= status < 300:
            raise PageChanged(f"{urlsplit(url).path} answered HTTP {status}")
        try:
            data = body()
        except Exception as error:  # noqa: BLE001 - not JSON: not the app's answer
            raise PageChanged(f"{urlsplit(url).path} did not answer JSON") from error
        if not isinstance(data, list):
            raise PageChanged(f"{urlsplit(url).path} did not answer a list")
        remaining, reset_in = _rate(headers)
        return ColumnPage([item for item in data if isinstance(item, dict)], next_link(headers.get("link")),
                          remaining, reset_in)

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


class FollowersColumn(WebAppColumn):
    """The account's own followers (features/followers): /@username/followers, filled from
    GET /api/v1/accounts/:id/followers. The owner sees them even when hidden from others."""

    API_PATH = re.compile(r"/api/v1/accounts/[^/]+/followers")

    def __init__(self, page, account):  # noqa: ANN001 - as MastodonPage
        super().__init__(page, account)
        self.PATH = f"/@{account.handle.username}/followers"

    def _api_path(self, path: str) -> bool:
        return self.API_PATH.fullmatch(path.rstrip("/")) is not None
