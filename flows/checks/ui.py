"""How a check says what broke: the page, the element (in a person's words and the code's), what
was expected and what was found, with a screenshot of the moment.

    ui.expect(aliases.has(aliases.ACCT), aliases,
              element=f"the “Handle of the old account” field ({AliasesPage.ACCT})",
              expected="the field to type the old account's handle into",
              found=lambda: f"form fields {aliases.form_fields()}")

    with ui.step(imports, element="the Upload button", expected="the confirmation page"):
        imports.upload(...)   # any error or time-out inside becomes a UIRegression
"""
from __future__ import annotations

import base64
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import MastomoveError
from mastomove.agent.evidence import SECRET_FIELDS, ViewportCamera
from mastomove.flows.pages import (AccountSettingsPage, AliasesPage, ComposePage, ExportPage, ImportConfirmationPage,
                         ImportsPage, MigrationPage, ProfilePage, SignInPage)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from mastomove.flows.pages.base import MastodonPage

# Pages as Mastodon's settings sidebar and headings name them (English).
PAGE_NAMES: dict[type, str] = {
    SignInPage: "Log in",
    AccountSettingsPage: "Account settings",
    ExportPage: "Import and export › Export",
    ImportsPage: "Import and export › Import",
    ImportConfirmationPage: "Import confirmation",
    AliasesPage: "Account aliases",
    MigrationPage: "Account migration",
    ProfilePage: "Edit profile",
    ComposePage: "Compose (share page)",
}

Found = str | Callable[[], str]


def page_name(where: "MastodonPage") -> str:
    name = PAGE_NAMES.get(type(where), type(where).__name__)
    try:
        path = where.path
    except PlaywrightError:
        path = ""
    return f"{name} ({path or where.PATH})"


@dataclass(eq=False)
class UIRegression(AssertionError):
    """A check found the UI not as Mastodon's migration path needs it."""

    page: str
    element: str
    expected: str
    found: str
    screenshot: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.page}: {self.element}", f"  expected: {self.expected}", f"  found:    {self.found}"]
        if self.url:
            lines.append(f"  at:       {self.url}")
        if self.screenshot:
            lines.append(f"  screenshot: {self.screenshot}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"page": self.page, "element": self.element, "expected": self.expected, "found": self.found,
                "screenshot": self.screenshot, "url": self.url}


def describe_error(error: BaseException) -> str:
    """An exception from a page action, as a finding."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    timeout = re.search(r"Timeout (\d+)ms exceeded", str(error))
    if timeout or isinstance(error, PlaywrightTimeoutError):
        seconds = int(timeout[1]) / 1000 if timeout else None
        within = f" within {seconds:g} s" if seconds else ""
        action = re.search(r"(\w+\.\w+): Timeout", text)
        return f"nothing happened{within}: the page never finished loading ({action[1] if action else text} timed out)"
    return text


ATTEMPT_LEFT_HANGING = {"failed", "end"}  # shots taken after a check failed or stopped, as it left the page


def _raw_screenshot(page: "Page", target: Path) -> bool:
    """Playwright waits for a pending navigation before a screenshot, and a page that never
    finishes is exactly what must be shown: Chromium's own capture does not wait."""
    try:
        session = page.context.new_cdp_session(page)
        data = session.send("Page.captureScreenshot", {"format": "png"})["data"]  # (detach() can hang here)
    except PlaywrightError:
        return False
    target.write_bytes(base64.b64decode(data))
    return True


class Checker:
    """One per test: names the page, takes the screenshot, raises the UIRegression."""

    def __init__(self, name: str, screenshots: Path, *, record: Callable[[str, str], None] | None = None):
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:90]
        self.screenshots = screenshots
        self.record = record  # (kind, path) -> the report and the JUnit properties
        self.last_page: "Page | None" = None
        self.failed = False
        self._count = 0
        self.camera = ViewportCamera(".png")

    def screenshot(self, page: "Page", label: str) -> str | None:
        self._count += 1
        target = self.screenshots / f"{self.name}-{self._count}-{label}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if label in ATTEMPT_LEFT_HANGING:
                # The action may have left a navigation pending (a form that never got its answer):
                # the camera's mask script would wait for it, Playwright's screenshot gives up.
                page.screenshot(path=str(target), mask=[page.locator(SECRET_FIELDS)], animations="disabled",
                                timeout=3_000)
            else:
                # As `mastomove migrate` takes them (agent/evidence.py): the viewport through
                # Chromium's own capture, secret fields masked, Playwright's where that is not possible.
                target.write_bytes(self.camera.capture(page))
        except PlaywrightError:
            if not _raw_screenshot(page, target):
                return None
        if self.record:
            self.record(label, str(target))
        return str(target)

    def seen(self, where: "MastodonPage") -> None:
        self.last_page = where.page

    def fail(self, where: "MastodonPage", *, element: str, expected: str, found: Found) -> NoReturn:
        found_text = found() if callable(found) else found
        try:
            url = where.page.url
        except PlaywrightError:
            url = None
        self.failed = True
        shot = self.screenshot(where.page, "failed")
        raise UIRegression(page_name(where), element, expected, found_text, shot, url)

    def expect(self, ok: Any, where: "MastodonPage", *, element: str, expected: str, found: Found) -> None:
        self.seen(where)
        if not ok:
            self.fail(where, element=element, expected=expected, found=found)

    @contextlib.contextmanager
    def step(self, where: "MastodonPage", *, element: str, expected: str) -> Iterator[None]:
        """What a person does on `where`; an error or time-out inside is that element's finding."""
        self.seen(where)
        try:
            yield
        except UIRegression:
            raise
        except (PlaywrightError, MastomoveError, AssertionError) as error:
            self.fail(where, element=element, expected=expected, found=describe_error(error))
