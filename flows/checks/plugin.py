"""The pytest plugin of the UI check suite (`-p flows.checks.plugin`; `mastomove check-ui` loads it).

Options: --destructive, --check-output DIR, --page-timeout S, plus pytest-playwright's own
(--headed, --browser-channel, --slowmo, --tracing, --screenshot, --video, --base-url).

The account under test comes from the agent's settings (MASTOMOVE_OLD_HANDLE, _EMAIL, _PASSWORD,
_OTP_SECRET, _URL, or a .env file); `--base-url` names its server and wins over MASTOMOVE_OLD_URL.
MASTOMOVE_NEW_HANDLE (and _URL) names another existing account that is *not* an alias of it, for
the move form's "not an alias" check; with --destructive it is the account moved to, and needs
MASTOMOVE_NEW_EMAIL and _PASSWORD as well.

Every run writes report.html, screenshots/ and junit.xml (unless --junitxml says otherwise) into
--check-output, an owner-only folder. The test account signs in once per run; the session is ended
(logged out) at the end.

No password or OTP secret reaches pytest's output, whatever its options (--tb=long, -l, -s): every
report's traceback, locals and captured output are redacted before pytest prints or records them,
the terminal's writer redacts what is written to it, and junit.xml and report.html are redacted
again once written.
"""
from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

from mastomove.agent.accounts import account_for
from mastomove.agent.browser import BrowserConfig
from mastomove.agent.errors import BadInput
from mastomove.agent.evidence import Redactor
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Account, Role
from mastomove.flows.checks.report import Report
from mastomove.flows.checks.session import SecretEntry, SignIn, sign_in
from mastomove.flows.checks.ui import Checker, UIRegression
from mastomove.flows.pages import AccountSettingsPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

SETTINGS_KEY = pytest.StashKey[Settings]()
TARGET_KEY = pytest.StashKey["Target"]()
REPORT_KEY = pytest.StashKey[Report]()
OUTPUT_KEY = pytest.StashKey[Path]()
REDACTOR_KEY = pytest.StashKey[Redactor]()

# The order a person meets the pages in; the destructive move comes last, after every check that
# needs the account unmoved.
ORDER = ("test_sign_in", "test_navigation", "test_export", "test_imports", "test_aliases", "test_migration",
         "test_compose", "test_import_worker", "test_destructive")


@dataclass
class Target:
    settings: Settings
    account: Account  # the account under test
    other: Account | None  # another existing account, not an alias of it (the destination with --destructive)
    destructive: bool


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mastomove", "mastomove check-ui")
    group.addoption("--destructive", action="store_true", default=False,
                    help="also move the test account (MASTOMOVE_OLD_*) to MASTOMOVE_NEW_* for real, end to end: "
                         "only with two throwaway accounts (the old one is then moved, with a 30-day cooldown)")
    group.addoption("--check-output", default="check-ui-results", metavar="DIR",
                    help="folder for report.html, screenshots/ and junit.xml (default: check-ui-results)")
    group.addoption("--page-timeout", type=float, default=None, metavar="SECONDS",
                    help="how long a page or an action may take before its check fails "
                         "(default: the timeouts in playwright.config.json)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    out = Path(config.getoption("--check-output")).resolve()
    config.stash[OUTPUT_KEY] = out
    config.stash[REPORT_KEY] = Report(out)
    if hasattr(config.option, "xmlpath") and not config.option.xmlpath:
        config.option.xmlpath = str(out / "junit.xml")  # before junitxml's own configure reads it
    if getattr(config.option, "output", None) == "test-results":
        # pytest-playwright empties its --output folder at start: its own default would take
        # whatever ./test-results holds; traces and videos go next to the report instead.
        config.option.output = str(out / "artifacts")
    config.addinivalue_line("markers", "destructive: changes the test accounts for good; runs only with --destructive")
    # pytest-playwright's own --base-url fallback trips this deprecation, not the checks
    config.addinivalue_line("filterwarnings",
                            "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning")
    # Registered now, after pytest-playwright: these fixtures override its own of the same name.
    from mastomove.flows.checks import browser

    config.pluginmanager.register(browser, "mastomove-check-browser")
    config.pluginmanager.register(_Reporting(config.stash[REPORT_KEY]), "mastomove-check-report")


def settings_of(config: pytest.Config) -> Settings:
    if SETTINGS_KEY not in config.stash:
        config.stash[SETTINGS_KEY] = Settings()
    return config.stash[SETTINGS_KEY]


# --- no secret in pytest's output ------------------------------------------------------------------
SECRET_SETTINGS = ("old_password", "old_otp_secret", "new_password", "new_otp_secret")


def redactor_of(config: pytest.Config) -> Redactor:
    """The secrets of the settings under test, in every form they take (agent.evidence.Redactor)."""
    if REDACTOR_KEY not in config.stash:
        redactor = Redactor()
        try:
            settings = settings_of(config)
        except Exception:  # noqa: BLE001 - settings that do not even parse hold nothing to redact
            settings = None
        for name in SECRET_SETTINGS:
            secret = getattr(settings, name, None)
            if secret is not None:
                redactor.add(secret.get_secret_value())
        config.stash[REDACTOR_KEY] = redactor
    return config.stash[REDACTOR_KEY]


class RedactedRepr:
    """A report's failure text, rendered once (whatever --tb and -l asked for) and redacted."""

    def __init__(self, longrepr: object, redactor: Redactor):
        self.text = redactor.scrub_text(str(longrepr))
        crash = getattr(longrepr, "reprcrash", None)
        self.reprcrash = None
        if crash is not None:
            from _pytest._code.code import ReprFileLocation

            self.reprcrash = ReprFileLocation(crash.path, crash.lineno, redactor.scrub_text(crash.message))

    def toterminal(self, out) -> None:
        for line in self.text.splitlines():
            out.line(line)

    def __str__(self) -> str:
        return self.text


def redact_report(report: pytest.TestReport | pytest.CollectReport, redactor: Redactor) -> None:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        report.longrepr = (longrepr[0], longrepr[1], redactor.scrub_text(str(longrepr[2])))
    elif longrepr is not None:
        report.longrepr = RedactedRepr(longrepr, redactor)
    report.sections = [(title, redactor.scrub_text(content)) for title, content in report.sections]


class RedactingFile:
    """The terminal's file, redacting what is written to it (what -s lets through uncaptured too)."""

    def __init__(self, file, redactor: Redactor):
        self._file = file
        self._redactor = redactor

    def write(self, text: str) -> int:
        return self._file.write(self._redactor.scrub_text(text))

    def __getattr__(self, name: str):
        return getattr(self._file, name)


def redact_the_terminal(config: pytest.Config) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    writer = getattr(reporter, "_tw", None)
    if writer is not None and hasattr(writer, "_file") and not isinstance(writer._file, RedactingFile):
        writer._file = RedactingFile(writer._file, redactor_of(config))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    outcome = yield
    redact_report(outcome.get_result(), redactor_of(collector.config))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Last pass over what was written: junit.xml and the report, redacted as files."""
    redactor = redactor_of(config) if REDACTOR_KEY in config.stash else None
    if redactor is None or OUTPUT_KEY not in config.stash:
        return
    for written in {Path(getattr(config.option, "xmlpath", "") or config.stash[OUTPUT_KEY] / "junit.xml"),
                    config.stash[OUTPUT_KEY] / "report.html"}:
        if written.is_file():
            text = written.read_text(encoding="utf-8", errors="replace")
            if redactor.scrub_text(text) != text:
                written.write_text(redactor.scrub_text(text), encoding="utf-8")


def build_target(config: pytest.Config) -> Target:
    settings = settings_of(config)
    base_url = config.getoption("base_url", default=None) or (config.getini("base_url") if _has_ini(config, "base_url") else None)
    if base_url:
        settings = settings.model_copy(update={"old_url": base_url})
    destructive = bool(config.getoption("--destructive"))
    account = account_for(Role.OLD, settings, ask=None)
    other = None
    if settings.new_handle:
        other = account_for(Role.NEW, settings, ask=None, need_password=destructive)
        if other.handle.same_account(account.handle):
            raise BadInput("MASTOMOVE_NEW_HANDLE is the test account itself",
                           hint="name another existing account, one that is not an alias of the test account")
    elif destructive:
        raise BadInput("--destructive needs the account to move to",
                       hint="set MASTOMOVE_NEW_HANDLE, MASTOMOVE_NEW_EMAIL, MASTOMOVE_NEW_PASSWORD (and MASTOMOVE_NEW_URL)")
    return Target(settings, account, other, destructive)


def _has_ini(config: pytest.Config, name: str) -> bool:
    try:
        config.getini(name)
        return True
    except ValueError:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    redact_the_terminal(config)
    if config.option.collectonly or getattr(config.option, "help", False):
        return
    try:
        target = build_target(config)
    except BadInput as error:
        raise pytest.UsageError(f"mastomove check-ui: {error}") from None
    config.stash[TARGET_KEY] = target
    report = config.stash[REPORT_KEY]
    report.target = f"{target.account.handle} on {target.account.url}"
    for stale in ("screenshots", "traces"):
        folder = config.stash[OUTPUT_KEY] / stale
        if folder.is_dir():
            for file in folder.iterdir():
                file.unlink()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = getattr(getattr(item, "module", None), "__name__", "").rsplit(".", 1)[-1]
        return ORDER.index(module) if module in ORDER else len(ORDER)

    items.sort(key=rank)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("destructive") and not item.config.getoption("--destructive"):
        pytest.skip("changes the accounts for good: runs only with --destructive and two throwaway accounts")


def _timeouts(config: pytest.Config) -> tuple[float, float]:
    seconds = config.getoption("--page-timeout")
    if seconds:
        return seconds * 1000, seconds * 1000
    timeouts = BrowserConfig.load().timeouts
    return timeouts.get("action_ms", 15000), timeouts.get("navigation_ms", 30000)


def _with_timeouts(context: "BrowserContext", config: pytest.Config) -> "BrowserContext":
    action_ms, navigation_ms = _timeouts(config)
    context.set_default_timeout(action_ms)
    context.set_default_navigation_timeout(navigation_ms)
    return context


# --- fixtures the checks use ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def check_target(pytestconfig: pytest.Config) -> Target:
    if TARGET_KEY not in pytestconfig.stash:
        pytestconfig.stash[TARGET_KEY] = build_target(pytestconfig)
    return pytestconfig.stash[TARGET_KEY]


@pytest.fixture(scope="session")
def account(check_target: Target) -> Account:
    """The account under test (MASTOMOVE_OLD_*), on the server under test."""
    return check_target.account


@pytest.fixture(scope="session")
def check_output(pytestconfig: pytest.Config) -> Path:
    return pytestconfig.stash[OUTPUT_KEY]


@pytest.fixture
def ui(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> Checker:
    """Names the page and element of a finding, with its screenshot (see flows.checks.ui)."""
    entry = pytestconfig.stash[REPORT_KEY].entry(request.node.nodeid, _title(request.node))

    def record(label: str, path: str) -> None:
        entry.images.append((label, path))
        request.node.user_properties.append(("screenshot", path))

    return Checker(request.node.name, pytestconfig.stash[OUTPUT_KEY] / "screenshots", record=record)


@pytest.fixture
def secret_entry(request: pytest.FixtureRequest, pytestconfig: pytest.Config, new_context) -> Iterator[SecretEntry]:
    """Wraps typing the account's password: a pytest-playwright trace (--tracing) must not record
    it. The check's trace then ends there (the part before is kept in traces/)."""
    tracing = pytestconfig.getoption("--tracing", default="off") != "off"
    counter = itertools.count(1)

    def keep() -> Path:
        folder = pytestconfig.stash[OUTPUT_KEY] / "traces"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{Checker(request.node.name, folder).name}-before-secret-{next(counter)}.zip"

    entry = SecretEntry(tracing, keep)
    yield entry
    entry.resume()  # before new_context closes the context and saves its trace


@pytest.fixture(scope="session")
def signed_in(browser: "Browser", browser_context_args: dict, check_target: Target,
              pytestconfig: pytest.Config) -> Iterator[SignIn]:
    """The test account signed in once for the whole run, in its own (never traced) context; its
    cookies are handed to each check's context. Logged out at the end, so no session is left."""
    args = {k: v for k, v in browser_context_args.items() if k != "record_video_dir"}
    context = _with_timeouts(browser.new_context(**args), pytestconfig)
    page = context.new_page()
    result = SignIn()
    checker = Checker("sign-in", pytestconfig.stash[OUTPUT_KEY] / "screenshots",
                      record=lambda label, path: result.screenshots.append((label, path)))
    try:
        result.two_factor = sign_in(page, check_target.account, checker)
        result.storage_state = context.storage_state()
        checker.screenshot(page, "signed-in")
    except UIRegression as finding:
        result.error = finding
    yield result
    try:
        if result.storage_state is not None:
            settings = AccountSettingsPage(page, check_target.account)
            if settings.open_if_signed_in():
                settings.sign_out()
    except Exception as error:  # noqa: BLE001 - the checks are over; say it, do not fail one of them
        warnings.warn(f"mastomove check-ui could not log the test account out ({error}); its session "
                      "stays listed under Account settings › Sessions until it expires", stacklevel=1)
    finally:
        context.close()


def _page_for(new_context, pytestconfig: pytest.Config, ui: Checker, **context_args) -> Iterator["Page"]:
    context = _with_timeouts(new_context(**context_args), pytestconfig)
    page = context.new_page()
    ui.last_page = page
    yield page
    if ui.last_page is not None and not ui.failed and not page.is_closed():
        ui.screenshot(ui.last_page, "end")  # the page as the check left it, for the report


@pytest.fixture
def account_page(signed_in: SignIn, new_context, pytestconfig: pytest.Config, ui: Checker) -> Iterator["Page"]:
    """A page of a fresh browser context, signed in as the test account."""
    if signed_in.error is not None:
        pytest.fail(f"Not signed in, so this check could not run (see the sign-in check):\n{signed_in.error}",
                    pytrace=False)
    yield from _page_for(new_context, pytestconfig, ui, storage_state=signed_in.storage_state)


@pytest.fixture
def signed_out_page(new_context, pytestconfig: pytest.Config, ui: Checker) -> Iterator["Page"]:
    """A page of a fresh browser context, not signed in."""
    yield from _page_for(new_context, pytestconfig, ui)


# --- the report -----------------------------------------------------------------------------------
def _title(item: pytest.Item) -> str:
    doc = (getattr(getattr(item, "function", None), "__doc__", None) or "").strip()
    title = doc.split("\n\n")[0].replace("\n", " ") if doc else item.name
    params = getattr(getattr(item, "callspec", None), "id", "") or ""
    params = params.removeprefix("chromium").removeprefix("firefox").removeprefix("webkit").lstrip("-")
    return f"{title} [{params}]" if params else title


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    redactor = redactor_of(item.config)
    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, UIRegression):
        item.config.stash[REPORT_KEY].entry(item.nodeid, _title(item)).finding = redactor.scrub(error.as_dict())
        if item.config.option.tbstyle == "auto":
            report.longrepr = str(error)  # the finding is the message; the traceback is noise to an admin
    redact_report(report, redactor)


class _Reporting:
    """Each report of a check into the HTML report's entry."""

    def __init__(self, report: Report):
        self.report = report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.report.entry(report.nodeid)
        entry.seconds += report.duration
        if report.when == "call":
            entry.outcome = report.outcome
            if report.failed and not entry.finding:
                entry.message = report.longreprtext
        elif report.failed:
            entry.outcome = "error" if entry.outcome == "passed" else entry.outcome
            entry.message = (entry.message + "\n" if entry.message else "") + report.longreprtext
        elif report.skipped:
            entry.outcome = "skipped"
            entry.message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for name, value in report.user_properties:
            kind = name.removeprefix("playwright_")
            if name == "playwright_screenshot" and ("playwright", value) not in entry.images:
                entry.images.append(("playwright", value))
            elif name.startswith("playwright_") and (kind, value) not in entry.links:
                entry.links.append((kind, value))


def pytest_sessionfinish(session: pytest.Session) -> None:
    if REPORT_KEY in session.config.stash and not session.config.option.collectonly:
        session.config.stash[REPORT_KEY].write(redactor_of(session.config).scrub_text)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if OUTPUT_KEY in config.stash and not config.option.collectonly:
        out = config.stash[OUTPUT_KEY]
        terminalreporter.write_line(f"mastomove check-ui report: {out / 'report.html'}")
