"""What every Mastodon page object shares: loading a page, submitting a form, downloading a file,
and typing secrets, with the HTTP and network outcomes turned into `mastomove.agent.errors`.

- 5xx -> ServerError, 429 -> RateLimited (Retry-After), 422 security-token page -> FormRejected,
  Playwright's own errors by agent.errors.from_playwright (one rule for the whole agent);
- a signed-in page that lands on /auth/sign_in -> SessionExpired(role);
- a password or one-time code is typed only while the page is on the account's own origin.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar, ContextManager, Iterator
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

from mastomove.agent.errors import (ConnectionFailed, FormRejected, PageChanged, RateLimited, ServerError, SessionExpired,
                          Transient, UnsafeOrigin, from_playwright)
from mastomove.agent.steps import Account

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse, Locator, Page, Response

SIGN_IN_PATH = "/auth/sign_in"
ACCOUNT_SETTINGS_PATH = "/auth/edit"

# Mastodon's re-rendered forms; the 422 security-token page has none of these.
FORM_FEEDBACK = "form input[name='authenticity_token'], .flash-message, .field_with_errors"
FIELD_ERROR = ".field_with_errors span.error"
# The box above a refused form (shared/_error_messages): `#error_explanation` up to 4.2, a bare
# `.flash-message.alert` inside the form since #27536 (4.3).
ERROR_SUMMARY = "#error_explanation, form .flash-message.alert"
LINK_TO = "a[href='{path}'], a[href='{url}']"
FORM_FIELDS = "form input:not([type='hidden']), form select, form textarea"

SecretEntry = Callable[["Page"], ContextManager[None]]

def _port(parts) -> int | None:
    return parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())


def same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme.lower(), (a.hostname or "").lower(), _port(a)) == (
        b.scheme.lower(), (b.hostname or "").lower(), _port(b))


def parse_retry_after(headers: dict[str, str], now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a 429: Retry-After (seconds or HTTP date), else Mastodon's
    X-RateLimit-Reset (an ISO 8601 time)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    value = (headers.get("retry-after") or "").strip()
    if value:
        if value.replace(".", "", 1).isdigit():
            return float(value)
        try:
            return max(0.0, (email.utils.parsedate_to_datetime(value) - now).total_seconds())
        except (TypeError, ValueError):
            pass
    reset = (headers.get("x-ratelimit-reset") or "").strip()
    if reset:
        try:
            when = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return max(0.0, (when - now).total_seconds())
    return None


@contextmanager
def network_errors(url: str) -> Iterator[None]:
    """Playwright's errors while talking to `url`, as agent errors (agent.errors.from_playwright:
    the one rule for them)."""
    try:
        yield
    except PlaywrightError as error:
        raise from_playwright(error, url=url) from error


def raise_for_status(status: int | None, headers: dict[str, str], url: str) -> None:
    if status is None:
        return
    if status == 429:
        raise RateLimited(url, parse_retry_after(headers))
    if status >= 500:
        raise ServerError(status, url)


class StorageRefused(Transient):
    """The storage host a file link redirects to refused the file: its signed URL expired (S3 signs
    archive links for 10 seconds up to 4.3, an hour since 4.4). The server gives a fresh one when
    the link is followed again."""


def _chain_starts_at(response: "Response", url: str) -> bool:
    """Is `response` an answer in the redirect chain that began with a request for `url`?"""
    request = response.request
    while request.redirected_from is not None:
        request = request.redirected_from
    return request.url == url


class MastodonPage:
    """One page of a Mastodon server, as seen by one account's browser page."""

    PATH: ClassVar[str] = "/"
    SIGNED_IN: ClassVar[bool] = True  # landing on the sign-in form means the session expired

    def __init__(self, page: "Page", account: Account):
        self.page = page
        self.account = account

    # --- where we are ----------------------------------------------------------------------
    def url_for(self, path: str) -> str:
        return self.account.url.rstrip("/") + path

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def on(self, path: str) -> bool:
        return self.path.rstrip("/") == path.rstrip("/")

    def on_own_origin(self) -> bool:
        return same_origin(self.page.url, self.account.origin)

    def same_server(self, url: str) -> bool:
        return same_origin(url, self.account.origin)

    def has(self, selector: str) -> bool:
        return self.page.locator(selector).count() > 0

    def masked(self) -> list["Locator"]:
        """Fields that show an e-mail address or a handle, hidden in screenshots."""
        return []

    # --- loading and submitting ------------------------------------------------------------
    def open(self, path: str | None = None, *, signed_in: bool | None = None) -> "Response | None":
        target = self.url_for(path or self.PATH)
        with network_errors(target):
            response = self.page.goto(target, wait_until="domcontentloaded")
        self._check(response, target, self.SIGNED_IN if signed_in is None else signed_in)
        return response

    def submit(self, trigger: "Locator", *, timeout: float | None = None,
               ends_session: bool = False) -> "Response | None":
        """Click a submit button (or a `data-method` link) and wait for the page it leads to.
        Landing on the sign-in page means the session expired, unless the click `ends_session`."""
        url = self.page.url
        with network_errors(url):
            with self.page.expect_navigation(wait_until="domcontentloaded", timeout=timeout) as navigation:
                trigger.click()
        response = navigation.value
        self._check(response, url, self.SIGNED_IN and not ends_session)
        return response

    def follow_data_method_link(self, link: "Locator", *, ends_session: bool = False) -> "Response | None":
        # `data-method` links need Mastodon's script, which may still be loading at DOMContentLoaded.
        self.page.wait_for_load_state("load")
        return self.submit(link, ends_session=ends_session)

    def _check(self, response: "Response | None", url: str, signed_in: bool) -> None:
        status = response.status if response is not None else None
        raise_for_status(status, response.headers if response is not None else {}, url)
        if status == 422 and not self.has(FORM_FEEDBACK):
            raise FormRejected("The server rejected the form's security token (HTTP 422)",
                               hint="the form is reloaded and sent again")
        if signed_in and self.on(SIGN_IN_PATH):
            raise SessionExpired(str(self.account.role))

    # --- form feedback ---------------------------------------------------------------------
    def field_errors(self) -> list[str]:
        return [text.strip() for text in self.page.locator(FIELD_ERROR).all_inner_texts() if text.strip()]

    def error_of(self, field: "Locator") -> str | None:
        """The `span.error` inside the simple_form wrapper of `field`, if it has one."""
        wrapper = field.locator("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '),"
                                " ' field_with_errors ')][1]")
        if wrapper.count() == 0:
            return None
        errors = wrapper.first.locator("span.error")
        return errors.first.inner_text().strip() if errors.count() else ""

    def has_error_summary(self) -> bool:
        return self.has(ERROR_SUMMARY)

    def error_summary(self) -> str | None:
        """The text of the box above a refused form (it counts the errors), if there is one."""
        return self.page.locator(ERROR_SUMMARY).first.inner_text().strip() if self.has_error_summary() else None

    # --- what the page offers (read-only) --------------------------------------------------
    def link_to(self, path: str) -> "Locator":
        """The page's links to `path` of this server, written relative or absolute."""
        return self.page.locator(LINK_TO.format(path=path, url=self.url_for(path)))

    def link_paths(self) -> list[str]:
        """The paths of the page's links to its own server (what a person could click through to)."""
        hrefs = self.page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
        return sorted({urlsplit(href).path for href in hrefs if same_origin(href, self.account.origin)})

    def form_fields(self) -> list[str]:
        """The names of the page's form fields (hidden ones left out), as the HTML has them."""
        return self.page.locator(FORM_FIELDS).evaluate_all(
            "fields => [...new Set(fields.map(f => f.name).filter(Boolean))]")

    # --- files -----------------------------------------------------------------------------
    def download(self, link: "Locator", destination: Path, *, timeout: float = 60_000) -> Path:
        """Click a file link and save the file, as the browser gets it. The link may answer with the
        file, or (archives, media) redirect to storage on another host (a signed URL that expires,
        or /system/... on the media host): the browser follows, with its own cookie rules, so the
        server's cookies never reach the storage host. What the chain ends on decides: a download
        is saved, a file shown inline is taken from its response, a refusal by the storage host is
        a `StorageRefused` (the link expired: ask the server for a fresh one), and anything else (an
        error page, the sign-in form) is reported as such."""
        href = urljoin(self.page.url, link.get_attribute("href") or "")
        started: list = []
        answers: list["Response"] = []

        def on_download(download) -> None:
            started.append(download)

        def on_response(response: "Response") -> None:
            if _chain_starts_at(response, href):
                answers.append(response)

        self.page.on("download", on_download)
        self.page.on("response", on_response)
        try:
            with network_errors(href):
                link.click()
                final = self._wait_for_file(started, answers, href, timeout)
            if final is not None and not started:
                self._judge_final(final, href)
                attachment = "attachment" in (final.headers.get("content-disposition") or "").lower()
                if not attachment:
                    try:
                        destination.write_bytes(final.body())  # shown inline
                        return destination
                    except PlaywrightError:
                        pass  # the browser made a download of it after all (text/csv, zip often are)
            with network_errors(href):
                download = started[0] if started else self.page.wait_for_event("download", timeout=timeout)
                failure = download.failure()
            if failure:
                raise ConnectionFailed(f"The download of {href} failed: {failure}")
            download.save_as(destination)
            return destination
        finally:
            self.page.remove_listener("download", on_download)
            self.page.remove_listener("response", on_response)

    def _wait_for_file(self, started: list, answers: list["Response"], href: str, timeout: float) -> "Response | None":
        """Until the browser downloads, or the link's redirect chain ends on an answer."""
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            if started:
                return None
            final = next((r for r in answers if not 300 <= r.status < 400), None)
            if final is not None:
                return final
            self.page.wait_for_timeout(50)  # allow-sleep: lets Playwright deliver the browser's events (bounded by timeout)
        raise ConnectionFailed(f"{href} sent no file within {timeout / 1000:.0f} s")

    def _judge_final(self, response: "Response", href: str) -> None:
        """The last answer of a download link's chain, when it is no download."""
        url = response.url
        own = same_origin(url, self.account.origin)
        if own:
            raise_for_status(response.status, response.headers, url)
        elif response.status >= 500 or response.status == 429:
            raise ServerError(response.status, url)
        if own and response.status == 401:
            raise SessionExpired(str(self.account.role))
        if not own and response.status in (400, 401, 403, 404):
            host = urlsplit(url).netloc
            raise StorageRefused(f"The storage host {host} refused the file {href} leads to (HTTP {response.status}); "
                                 "its signed link may have expired", hint="a fresh link is asked for")
        if not response.ok:
            self.page.wait_for_load_state("domcontentloaded")
            self._check(None, href, self.SIGNED_IN)
            raise PageChanged(f"{href} answered HTTP {response.status} instead of a file")
        if own and self.SIGNED_IN and urlsplit(url).path == SIGN_IN_PATH:
            raise SessionExpired(str(self.account.role))

    def fetch(self, url: str, *, headers: dict[str, str] | None = None, timeout: float = 30_000) -> "APIResponse":
        """GET with the account's cookies (the browser context's request client)."""
        with network_errors(url):
            response = self.page.context.request.get(url, headers=headers, timeout=timeout, max_redirects=5)
        raise_for_status(response.status, response.headers, url)
        own = same_origin(response.url, self.account.origin)
        if (response.status == 401 and same_origin(url, self.account.origin)) or (
                self.SIGNED_IN and own and urlsplit(response.url).path == SIGN_IN_PATH):
            raise SessionExpired(str(self.account.role))
        return response

    # --- secrets ---------------------------------------------------------------------------
    def ensure_origin(self) -> None:
        if not same_origin(self.page.url, self.account.origin):
            shown = f"{urlsplit(self.page.url).scheme}://{urlsplit(self.page.url).netloc}"
            raise UnsafeOrigin(
                f"The {self.account.role} account's credentials were about to be typed into {shown}, "
                f"which is not {self.account.origin}",
                hint="the server redirected the sign-in elsewhere; sign in by hand with `mastomove login`",
            )

    def submit_secret(self, field: "Locator", secret: str, trigger: "Locator", secret_entry: SecretEntry,
                      *, timeout: float | None = None) -> "Response | None":
        """Type a password or one-time code and submit it. The click stays inside `secret_entry`
        too: a trace snapshot taken at the click would hold the field's value."""
        self.ensure_origin()
        with secret_entry(self.page):
            field.fill(secret)
            return self.submit(trigger, timeout=timeout)
