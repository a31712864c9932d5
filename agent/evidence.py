"""The run folder: numbered screenshots, structlog JSON lines, the files steps keep.

Nothing here knows Mastodon. Secrets registered with `redact` never reach the log: every string
value of every event is scrubbed before it is written.
"""
from __future__ import annotations

import base64
import contextlib
import json
import logging
import re
import threading
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import structlog
import structlog.tracebacks

from mastomove.agent.files import make_private, open_private_append, private_dir, write_private

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

# Fields that must never appear readable in a screenshot, whatever the page's language; also a
# password field a "show password" button turned into a text field.
SECRET_FIELDS = ("input[type=password], input[name*='password'], input[autocomplete$='-password'], "
                 "input[autocomplete='one-time-code'], input[name*='otp']")
REDACTED = "[redacted]"
LIBRARY_LOGGERS = ("playwright", "asyncio")  # their records belong in the run's log


# The colour of a masked field in a screenshot (Playwright's own mask colour).
MASK_COLOR = "#FF00FF"
# Screenshots are PNG: lossless (text as crisp as on screen) and, encoded by Chromium's fast PNG
# path, as quick to take as JPEG (bench/README.md, "capture").
SHOT_SUFFIX = ".png"

# A video records the screen as it is: typed secrets are drawn as discs, one-time codes included.
HIDE_SECRETS_CSS = SECRET_FIELDS.replace(", ", ",\n") + " { -webkit-text-security: disc !important; }"


# Through the CSSOM, not a <style> element: Mastodon's Content-Security-Policy (style-src 'self')
# refuses styles a script injects as markup, which is what `page.add_style_tag` does.
_ADOPT_CSS = """css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""


def hide_typed_secrets(page: "Page") -> None:
    try:
        page.evaluate(_ADOPT_CSS, HIDE_SECRETS_CSS)
    except Exception:  # noqa: BLE001 - a page mid-navigation has nothing typed into it yet
        pass


# Masking for Chromium's own capture, put in place for the duration of one shot: every masked
# element covered by an opaque box where it is drawn, and the text of secret fields made
# transparent besides (whatever moves between the boxes and the capture). Fonts are waited for,
# as Playwright does before a screenshot. Built through the CSSOM, not markup: a server's
# Content-Security-Policy (Mastodon's style-src 'self') refuses injected <style> elements and
# style attributes, not these.
_MASK_BODY = """
  await document.fonts.ready;
  document.getElementById('mastomove-mask')?.remove();
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(secretFields + ' { color: transparent !important; -webkit-text-security: disc !important;'
    + ' text-shadow: none !important; caret-color: transparent !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets.filter(s => s !== window.__mastomoveMask), sheet];
  window.__mastomoveMask = sheet;
  const layer = document.createElement('div');
  layer.id = 'mastomove-mask';
  layer.style.cssText = 'all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; overflow: visible;'
    + ' z-index: 2147483647; pointer-events: none;';
  for (const element of new Set(elements)) {
    const box = element.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) continue;
    const cover = document.createElement('div');
    cover.style.cssText = `all: initial; display: block; position: fixed; left: ${box.left}px; top: ${box.top}px;`
      + ` width: ${box.width}px; height: ${box.height}px; background: ${color}; pointer-events: none;`;
    layer.appendChild(cover);
  }
  document.documentElement.append(layer);
  return layer.childElementCount;
"""
# The elements given by Playwright's locators (`locator.evaluate_all`).
_MASK_ON = "async (elements, [secretFields, color]) => {" + _MASK_BODY + "}"
# The elements found by CSS selectors (`page.evaluate`: no Playwright selector engine to set up
# in the page's world first, which costs tens of milliseconds on a freshly loaded page); -1 when
# a selector is not CSS the document understands (the caller then uses the locators).
_MASK_ON_CSS = """async ([secretFields, selectors, color]) => {
  let elements;
  try {
    elements = selectors.flatMap(selector => [...document.querySelectorAll(selector)]);
  } catch (error) {
    return -1;
  }""" + _MASK_BODY + "}"
# True when the mask was still there after the shot (the page did not change under it).
_MASK_OFF = """(() => {
  const layer = document.getElementById('mastomove-mask');
  const sheet = window.__mastomoveMask;
  layer?.remove();
  delete window.__mastomoveMask;
  const adopted = [...document.adoptedStyleSheets];  // (a live array: read before it changes)
  document.adoptedStyleSheets = adopted.filter(s => s !== sheet);
  return Boolean(layer && sheet && adopted.includes(sheet));
})()"""


class ViewportCamera:
    """Screenshots of the viewport through Chromium's own capture (CDP Page.captureScreenshot with
    optimizeForSpeed): one round trip for the mask, one for the picture, one to take the mask
    away, instead of Playwright's screenshot machinery (animations, caret, highlight overlays in
    every frame, a slower PNG encoding): about a third less time and half the CPU a shot (bench
    section "capture"). Not the capture sent now and collected later: Chromium may take the
    picture after the mask is gone or the next action has begun (the bench shows the leak).

    Fails closed: when the page changed under the shot (a navigation took the mask away) or the
    capture is not possible (not Chromium, a closed page), the shot is taken by Playwright's
    `page.screenshot` with its own mask instead."""

    def __init__(self, suffix: str = SHOT_SUFFIX, quality: int | None = None, *, fast: bool = True,
                 by_css: bool = True):
        self.format = suffix.lstrip(".").replace("jpg", "jpeg")
        self.quality = quality
        self.fast = fast  # optimizeForSpeed: Chromium's quick PNG encoding (larger files, same pixels)
        self.by_css = by_css  # find the masked elements by CSS where the locators allow (else through them)
        self._sessions: dict[int, Any] = {}  # id(page) -> CDP session of that page
        self.fallbacks = 0
        self.last_way = ""  # "chromium" or "playwright": how the last shot was taken (logged)
        self.masked_by = {"css": 0, "locators": 0}  # how the masks were found (tests)

    def _session(self, page: "Page") -> Any:
        """The page's DevTools session (made once per page), or None where there is none (not Chromium)."""
        key = id(page)
        entry = self._sessions.get(key)
        if entry is None or entry[0] is not page:
            browser = page.context.browser
            session = None
            if browser is not None and browser.browser_type.name == "chromium":
                try:
                    session = page.context.new_cdp_session(page)
                except Exception:  # noqa: BLE001 - no DevTools session for this page: Playwright's way
                    session = None
            entry = (page, session)
            self._sessions[key] = entry
        return entry[1]

    def capture(self, page: "Page", mask: Sequence["Locator"] = ()) -> bytes:
        """The viewport as it is now, masked, encoded as `self.format`."""
        session = self._session(page)
        if session is None:
            return self.playwright(page, mask, fallback=True)
        params: dict[str, Any] = {"format": self.format, "optimizeForSpeed": self.fast, "captureBeyondViewport": False}
        if self.quality is not None and self.format != "png":
            params["quality"] = self.quality
        try:
            self._mask(page, mask)
            data = session.send("Page.captureScreenshot", params)["data"]
            intact = session.send("Runtime.evaluate", {"expression": _MASK_OFF, "returnByValue": True})
        except Exception:  # noqa: BLE001 - mid-navigation, a closed session: Playwright's way
            self._sessions.pop(id(page), None)
            with contextlib.suppress(Exception):
                page.evaluate(_MASK_OFF)  # (a page that went away took its mask with it)
            return self.playwright(page, mask, fallback=True)
        if intact.get("result", {}).get("value") is not True:
            # The page changed under the mask (a navigation): that picture is not kept.
            return self.playwright(page, mask, fallback=True)
        self.last_way = "chromium"
        return base64.b64decode(data)

    def _mask(self, page: "Page", mask: Sequence["Locator"]) -> None:
        """Cover the secret fields and `mask`: by CSS selectors where every mask locator is a plain
        CSS one of the page's main frame (read from the locator: Playwright has no public accessor,
        so where it is not there, or not CSS, the locators themselves are used)."""
        selectors: list[str] | None = [SECRET_FIELDS] if self.by_css else None
        main_frame = getattr(page.main_frame, "_impl_obj", None)
        for locator in mask if selectors else ():
            impl = getattr(locator, "_impl_obj", None)
            selector = getattr(impl, "_selector", None)
            if not isinstance(selector, str) or main_frame is None or getattr(impl, "_frame", None) is not main_frame:
                selectors = None
                break
            selectors.append(selector)
        if selectors and page.evaluate(_MASK_ON_CSS, [SECRET_FIELDS, selectors, MASK_COLOR]) != -1:
            self.masked_by["css"] += 1
            return
        covered = page.locator(SECRET_FIELDS)
        for extra in mask:
            covered = covered.or_(extra)
        covered.evaluate_all(_MASK_ON, [SECRET_FIELDS, MASK_COLOR])
        self.masked_by["locators"] += 1

    def playwright(self, page: "Page", mask: Sequence["Locator"] = (), *, full_page: bool = False,
                   fallback: bool = False) -> bytes:
        """Playwright's own screenshot, with its mask: the whole page (opt-in), or the fallback."""
        self.fallbacks += fallback
        self.last_way = "playwright"
        kind = "png" if self.format == "png" else "jpeg"  # (Playwright writes no WebP)
        options: dict[str, Any] = {"quality": self.quality} if kind == "jpeg" and self.quality else {}
        return page.screenshot(type=kind, full_page=full_page, mask=[page.locator(SECRET_FIELDS), *mask],
                               mask_color=MASK_COLOR, animations="disabled",
                               caret="initial",  # hiding the caret costs a style injection per shot (~15 ms)
                               **options)


def read_json(path: Path) -> Any:
    """A JSON file of the run folder, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "step"


def secret_variants(secret: str) -> set[str]:
    """The forms a secret takes in text: as given, trimmed, without spaces, upper and lower case
    (an OTP secret is normalised before use), and escaped for JSON."""
    forms = {secret, secret.strip(), secret.replace(" ", ""), secret.replace(" ", "").upper(),
             secret.replace(" ", "").lower()}
    forms |= {json.dumps(form)[1:-1] for form in list(forms)}
    forms |= {json.dumps(form, ensure_ascii=False)[1:-1] for form in list(forms)}
    return {form for form in forms if len(form) >= 4}


class Redactor:
    """Replaces every registered secret (in each of its forms) in log values and rendered text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str | None) -> None:
        if secret and len(secret.strip()) >= 4:
            with self._lock:
                self._secrets |= secret_variants(secret)

    def scrub_text(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):  # longest first: no half-replaced forms
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.scrub(v) for v in value)
        return value

    def __call__(self, _logger: Any, _name: str, event: Any) -> Any:
        """structlog processor: before rendering (event dicts) and after it (the final line)."""
        return self.scrub(event)


# Tracebacks in the log name files, lines and the error, never the frames' local variables: a
# frame that types a password holds it in a local.
structured_traceback = structlog.processors.ExceptionRenderer(
    structlog.tracebacks.ExceptionDictTransformer(show_locals=False))


class JsonLinesSink:
    """structlog logger factory target: one JSON object per line, file mode 0600."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open_private_append(path)

    def msg(self, message: str) -> None:
        self.file.write(message + "\n")

    log = debug = info = warning = warn = error = critical = exception = msg

    def close(self) -> None:
        self.file.close()


_thread = threading.local()


def _route_to_thread_run(logger: Any, name: str, event: dict[str, Any]) -> str:
    """structlog processor for module-level loggers: the processors of this thread's run."""
    for processor in getattr(_thread, "processors", ()):
        event = processor(logger, name, event)
    return event if isinstance(event, str) else json.dumps(event, default=str)


class _ThreadSink:
    def msg(self, message: str) -> None:
        sink = getattr(_thread, "sink", None)
        if sink is not None and not sink.file.closed:
            sink.msg(message)

    log = debug = info = warning = warn = error = critical = exception = msg


class _LibraryLogs(logging.Handler):
    """Libraries' own log records (Playwright's "Error occurred in event listener" when Ctrl-C
    lands mid-call, asyncio's complaints) go to the run's log, not to the person's terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        fields: dict[str, Any] = {"library": record.name, "message": record.getMessage()}
        if record.exc_info:
            # Rendered without locals, like every traceback of the log (see structured_traceback).
            fields["exception"] = "".join(traceback.format_exception(*record.exc_info))
        logger = structlog.get_logger("library")
        (logger.warning if record.levelno >= logging.WARNING else logger.info)("library_log", **fields)


def _keep_library_logs_in_the_run_log() -> None:
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        if not any(isinstance(handler, _LibraryLogs) for handler in library.handlers):
            library.addHandler(_LibraryLogs())
        library.propagate = False


class Evidence:
    """One per run: owns the folder, the log and the screenshot counter."""

    def __init__(self, root: Path, *, screenshots: bool = True, full_page: bool = False):
        self.root = private_dir(root)
        self.screenshots_enabled = screenshots
        self.full_page = full_page
        self.camera = ViewportCamera()
        self.redactor = Redactor()
        self.sink = JsonLinesSink(self.root / "log.jsonl")
        self._counter = self._existing_screenshots()
        self.step = "start"
        self._traced: list["BrowserContext"] = []  # one per account: each is paused around its secrets
        self._paused: list["BrowserContext"] = []  # contexts whose trace is paused now (secret entries nest)
        self._trace_chunks = self._existing_trace_chunks()  # a resumed run adds chunks, never overwrites
        processors = [
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structured_traceback,
            self.redactor,  # every value, before rendering
            structlog.processors.JSONRenderer(default=str),
            self.redactor,  # and the rendered line, whatever rendering put in it
        ]
        # Several runs can share a process (`mastomove batch`, one thread each): every run logs
        # into its own file, and module-level loggers write to the file of their thread's run.
        _thread.sink, _thread.processors = self.sink, processors
        structlog.configure(processors=[_route_to_thread_run], logger_factory=lambda *_: _ThreadSink(),
                            cache_logger_on_first_use=False)
        _keep_library_logs_in_the_run_log()
        self.log = structlog.wrap_logger(self.sink, processors=processors)

    def _existing_trace_chunks(self) -> int:
        folder = self.root / "trace"
        numbers = [int(p.stem.removeprefix("chunk-")) for p in folder.glob("chunk-[0-9][0-9][0-9].zip")] if folder.is_dir() else []
        return max(numbers, default=0)

    def _existing_screenshots(self) -> int:
        folder = self.root / "screenshots"
        numbers = [int(p.name[:3]) for p in folder.glob("[0-9][0-9][0-9]-*")] if folder.is_dir() else []
        return max(numbers, default=0)

    # --- steps -------------------------------------------------------------------------------
    def begin_step(self, name: str) -> None:
        self.step = name
        structlog.contextvars.bind_contextvars(step=name)

    def path(self, *parts: str) -> Path:
        target = self.root.joinpath(*parts)
        private_dir(target.parent)
        return target

    # --- screenshots -------------------------------------------------------------------------
    def screenshot(self, page: "Page", action: str, *, mask: Sequence["Locator"] = ()) -> Path | None:
        started = time.monotonic()
        file: Path | None = None
        if self.screenshots_enabled:
            self._counter += 1
            file = self.path("screenshots", f"{self._counter:03d}-{slug(self.step)}-{slug(action)}{SHOT_SUFFIX}")
            shot = self.camera.playwright(page, mask, full_page=True) if self.full_page else self.camera.capture(page, mask)
            write_private(file, shot)
        self.log.info(
            "screenshot",
            action=action,
            url=page.url,
            file=str(file.relative_to(self.root)) if file else None,
            duration_ms=round((time.monotonic() - started) * 1000),
            **({"taken_by": self.camera.last_way} if file else {}),
        )
        return file

    # --- secrets -----------------------------------------------------------------------------
    def redact(self, *secrets: str | None) -> None:
        for secret in secrets:
            self.redactor.add(secret)

    def watch_tracing(self, context: "BrowserContext") -> None:
        """The run records a trace of this context: pause it around secret entry."""
        if not any(traced is context for traced in self._traced):
            self._traced.append(context)

    @contextlib.contextmanager
    def secret_entry(self, page: "Page") -> Iterator[None]:
        """Playwright traces record typed values (and DOM snapshots keep input values), so the
        trace chunk is closed before a secret is typed and a new one starts after."""
        context = page.context
        # Nested entries (a sign-in again while a list is read with the app's token) pause once.
        traced = any(watched is context for watched in self._traced) and not any(p is context for p in self._paused)
        if traced:
            self._paused.append(context)
            self._trace_chunks += 1
            chunk = self.path("trace", f"chunk-{self._trace_chunks:03d}.zip")
            context.tracing.stop_chunk(path=str(chunk))
            make_private(chunk)
        hide_typed_secrets(page)
        try:
            yield
        finally:
            if traced:
                self._paused.remove(context)
                context.tracing.start_chunk()

    # --- the end -----------------------------------------------------------------------------
    def write_json(self, name: str, data: Any) -> Path:
        return self.write_text(name, json.dumps(self.redactor.scrub(data), indent=2, default=str))

    def write_text(self, name: str, text: str) -> Path:
        """A file of the run folder (owner-only), redacted after it is rendered."""
        return write_private(self.path(name), self.redactor.scrub_text(text))

    def close(self) -> None:
        self.sink.close()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
