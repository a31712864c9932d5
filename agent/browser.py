"""The browser: settings from playwright.config.json, finding an executable, launching one
Chromium per run with one context per account.

Playwright itself is imported lazily so that `mastomove --help` starts fast.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = "playwright.config.json"
SYSTEM_CHROMIUMS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
# Without these Chromium phones home at start-up; on a closed network that is a storm of refused
# connections (and on an open one, traffic nobody asked for).
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_config_file(start: Path | None = None) -> Path | None:
    """playwright.config.json from MASTOMOVE_BROWSER_CONFIG, the working directory, or the project."""
    explicit = os.environ.get("MASTOMOVE_BROWSER_CONFIG")
    if explicit:
        return Path(explicit)
    for folder in (start or Path.cwd(), PROJECT_ROOT):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
    return None


@dataclass
class BrowserConfig:
    """The one place for browser settings (mirrors playwright.config.json)."""

    browser: str = "chromium"
    executable_path: str | None = None
    channel: str | None = None
    headless: bool = True
    slow_mo: float = 0
    args: list[str] = field(default_factory=lambda: list(QUIET_ARGS))
    viewport: dict[str, int] = field(default_factory=lambda: {"width": 1280, "height": 900})
    locale: str | None = "en-US"
    # (Screenshots, traces and videos are run settings: MASTOMOVE_SCREENSHOTS, --trace, --video.)
    timeouts: dict[str, int] = field(default_factory=lambda: {"action_ms": 15000, "navigation_ms": 30000})

    @classmethod
    def load(cls, path: Path | None = None) -> "BrowserConfig":
        path = path or find_config_file()
        data = json.loads(path.read_text()) if path and path.is_file() else {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        config = cls(**known)
        for arg in QUIET_ARGS:
            if arg not in config.args:
                config.args.append(arg)
        return config

    def launch_args(self, playwright: "Playwright | None" = None) -> dict[str, Any]:
        """Keyword arguments for `browser_type.launch` (and pytest-playwright's launch fixture).
        Given the running `playwright`, it is asked where its own Chromium is, instead of starting
        a second Playwright driver just for that question."""
        args: dict[str, Any] = {"headless": self.headless, "args": list(self.args)}
        if self.slow_mo:
            args["slow_mo"] = self.slow_mo
        if self.channel:
            args["channel"] = self.channel
        else:
            executable = resolve_executable(self, playwright)
            if executable.path:
                args["executable_path"] = executable.path
        if os.geteuid() == 0 if hasattr(os, "geteuid") else False:
            args["chromium_sandbox"] = False  # Chromium refuses its sandbox as root
        return args

    def context_args(self) -> dict[str, Any]:
        """Keyword arguments for `browser.new_context` (and pytest-playwright's context fixture)."""
        args: dict[str, Any] = {"viewport": dict(self.viewport), "accept_downloads": True}
        if self.locale:
            args["locale"] = self.locale
        return args


@dataclass
class Executable:
    path: str | None  # None: Playwright's own managed Chromium
    source: str  # how it was chosen, said to the person


@functools.cache
def playwright_chromium() -> str | None:
    """Playwright's own Chromium, if `playwright install chromium` has been run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            return _installed_chromium(p)
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return None


def _installed_chromium(playwright: "Playwright") -> str | None:
    try:
        path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    for candidate in SYSTEM_CHROMIUMS:
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def resolve_executable(config: BrowserConfig, playwright: "Playwright | None" = None) -> Executable:
    """Which browser to run, without installing anything: configured path, then Playwright's
    Chromium, then a system Chromium or Chrome. `playwright`: a running one to ask (saves
    starting a driver)."""
    override = os.environ.get("MASTOMOVE_BROWSER_PATH") or config.executable_path
    if override:
        return Executable(override, "configured executable_path")
    managed = _installed_chromium(playwright) if playwright is not None else playwright_chromium()
    if managed:
        return Executable(None, f"Playwright's Chromium ({managed})")
    system = system_chromium()
    if system:
        return Executable(system, f"system browser {system}")
    return Executable(None, "none found")


def start(config: BrowserConfig) -> tuple["Playwright", "Browser"]:
    """Start Playwright and launch the one browser of this run."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser_type = getattr(playwright, config.browser)
    browser = browser_type.launch(**config.launch_args(playwright))
    return playwright, browser


def new_context(browser: "Browser", config: BrowserConfig, **extra: Any) -> "BrowserContext":
    context = browser.new_context(**{**config.context_args(), **extra})
    context.set_default_timeout(config.timeouts.get("action_ms", 15000))
    context.set_default_navigation_timeout(config.timeouts.get("navigation_ms", 30000))
    return context


class BrowserSession:
    """One browser for the run, one context (and one page) per account, opened on first use.

    A context starts from the account's saved sign-in (from `mastomove login`) when there is one;
    traces and videos are recorded per context when asked for.
    """

    def __init__(self, config: BrowserConfig, *, run_dir: Path, session_files: dict[str, Path],
                 trace: bool = False, video: bool = False, on_context=None):
        self.config = config
        self.run_dir = run_dir
        self.session_files = session_files
        self.trace = trace
        self.video = video
        self.on_context = on_context  # called with (role, context) for each new context
        self._playwright = None
        self._browser = None
        self._contexts: dict[str, Any] = {}
        self._pages: dict[str, Any] = {}

    @property
    def browser(self) -> "Browser":
        if self._browser is None:
            # Launched over a pipe, never a DevTools port: nothing else on this computer can reach it.
            self._playwright, self._browser = start(self.config)
        return self._browser

    def page(self, role: str):
        if role not in self._pages:
            extra: dict[str, Any] = {}
            saved = self.session_files.get(role)
            if saved and saved.is_file():
                extra["storage_state"] = str(saved)
            if self.video:
                extra["record_video_dir"] = str(self.run_dir / "video" / role)
            context = new_context(self.browser, self.config, **extra)
            if self.trace:
                # DOM snapshots keep typed values, passwords included: screenshots only.
                context.tracing.start(name=role, screenshots=True, snapshots=False, sources=False)
            self._contexts[role] = context
            if self.on_context:
                self.on_context(role, context)
            self._pages[role] = context.new_page()
        return self._pages[role]

    def save_session(self, role: str, path: Path) -> None:
        """Keep the sign-in for later runs: owner-only, like a password."""
        from mastomove.agent.files import write_private

        write_private(path, json.dumps(self._contexts[role].storage_state()))

    def _trace_file(self, role: str) -> Path:
        """trace/<role>.zip, or <role>-2.zip, -3, ... when a resumed run traces again."""
        from mastomove.agent.files import private_dir

        folder = private_dir(self.run_dir / "trace")
        target, number = folder / f"{role}.zip", 1
        while target.exists():
            number += 1
            target = folder / f"{role}-{number}.zip"
        return target

    def close(self) -> None:
        for role, context in self._contexts.items():
            try:
                if self.trace:
                    from mastomove.agent.files import make_private

                    trace = self._trace_file(role)
                    context.tracing.stop(path=str(trace))
                    make_private(trace)
                context.close()
            except Exception:  # noqa: BLE001 - closing after a crash must not hide the crash
                pass
        self._contexts.clear()
        self._pages.clear()
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._playwright.stop()
            self._browser = None
