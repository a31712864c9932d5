"""Watch-along runs: an overlay on every page of the run with a banner saying what the agent is
doing ("Step 5 of 10: Import the lists into the new account · importing follows: 12 of 40"), and a
brief outline around the element the pointer is about to click or the field about to be typed in.

Knows nothing of Mastodon's markup: the overlay is one custom element at the document's root
(pointer-events off, closed shadow root, so page locators never see or hit it), injected by an
init script into every document of the context. It follows the pointer onto an element before it
is clicked (and focus, for typing), so every click of every flow is shown without the flows doing
anything: in a watched run each click first moves the pointer there and waits `--slow-mo`
milliseconds (a quarter second without it), then clicks. The host element carries `data-banner`,
`data-highlighted` and `data-lead-ms` (how long the pressed element was outlined before the press)
for tests.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

HOST_TAG = "mastomove-overlay"
TEXT_BINDING = "mastomoveOverlayText"

OVERLAY_SCRIPT = r"""
(() => {
  if (window.top !== window || window.__mastomoveOverlay) return;
  const CLICKABLE = "a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=menuitem],[onclick]";
  let host = null, banner = null, box = null, timer = null, last = null, pending = "", litAt = 0, lit = null;

  function ensure() {
    if (host && host.isConnected) return true;
    const parent = document.documentElement;
    if (!parent) return false;
    host = document.createElement("%(tag)s");
    host.setAttribute("aria-hidden", "true");
    host.style.cssText = "all:initial;position:fixed;inset:0;pointer-events:none;z-index:2147483647;";
    const root = host.attachShadow({mode: "closed"});
    root.innerHTML = `<style>
      .banner{position:fixed;left:50%%;bottom:14px;transform:translateX(-50%%);max-width:80vw;
        font:600 14px/1.35 system-ui,sans-serif;color:#fff;background:rgba(40,44,120,.92);
        padding:8px 16px;border-radius:18px;box-shadow:0 2px 12px rgba(0,0,0,.35);
        white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
      .banner[hidden]{display:none}
      .box{position:fixed;border:3px solid #ff3d7f;border-radius:6px;background:rgba(255,61,127,.12);
        box-shadow:0 0 0 4px rgba(255,61,127,.25);opacity:0;transition:opacity .15s}
    </style><div class="banner" hidden></div><div class="box"></div>`;
    banner = root.querySelector(".banner");
    box = root.querySelector(".box");
    parent.appendChild(host);
    paint();
    return true;
  }

  function paint() {
    host.dataset.banner = pending;
    banner.textContent = pending;
    banner.hidden = !pending;
  }

  function show(text) {
    pending = text || "";
    if (ensure()) paint();
  }

  function describe(el) {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    const name = el.getAttribute("name"), href = el.getAttribute("href"), type = el.getAttribute("type");
    if (name) text += `[name="${name}"]`;
    if (type) text += `[type="${type}"]`;
    if (href) text += `[href="${href}"]`;
    return text;
  }

  function highlight(target) {
    if (!(target instanceof Element) || !ensure()) return;
    const el = target.closest(CLICKABLE) || target;
    if (host.contains(el)) return;
    const r = el.getBoundingClientRect();
    Object.assign(box.style, {left: (r.left - 4) + "px", top: (r.top - 4) + "px",
                              width: (r.width + 8) + "px", height: (r.height + 8) + "px", opacity: "1"});
    host.dataset.highlighted = describe(el);
    lit = el;
    litAt = performance.now();
    host.dataset.highlights = String(Number(host.dataset.highlights || 0) + 1);
    clearTimeout(timer);
    timer = setTimeout(() => { box.style.opacity = "0"; }, 1200);
  }

  document.addEventListener("mousemove", (event) => {
    const el = event.target instanceof Element ? (event.target.closest(CLICKABLE) || event.target) : null;
    if (el && el !== last) { last = el; highlight(el); }
  }, true);
  document.addEventListener("focusin", (event) => { if (event.target !== lit) highlight(event.target); }, true);
  // How long the pressed element had been outlined when the press came (--slow-mo lengthens it).
  document.addEventListener("mousedown", (event) => {
    if (host && lit && event.target instanceof Element && lit.contains(event.target)) {
      host.dataset.leadMs = String(Math.round(performance.now() - litAt));
    }
  }, true);

  window.__mastomoveOverlay = {show, highlight};
  const start = () => {
    ensure();
    const ask = window["%(binding)s"];
    if (typeof ask === "function") ask().then(show, () => {});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, {once: true});
  else start();
})();
""" % {"tag": HOST_TAG, "binding": TEXT_BINDING}


# Contexts with an overlay, by id: their clicks point at the element first (see _point_first).
_ACTIVE: dict[int, "WatchAlong"] = {}
_POINTING = ("click", "dblclick", "check", "uncheck", "set_checked", "tap")


def _point_first() -> None:
    """Playwright moves the pointer and presses in one go (slow-mo only waits after the whole
    click), so a watched run first moves the pointer onto the element, lets the outline show,
    then clicks. Installed once; it acts only on contexts that have an overlay."""
    from playwright.sync_api import Locator

    if getattr(Locator, "_mastomove_points_first", False):
        return
    for name in _POINTING:
        original = getattr(Locator, name)

        @functools.wraps(original)
        def pointing(self, *args, __original=original, **kwargs):
            overlay = _ACTIVE.get(id(self.page.context))
            if overlay is not None and not kwargs.get("trial"):
                overlay.point_at(self)
            return __original(self, *args, **kwargs)

        setattr(Locator, name, pointing)
    Locator._mastomove_points_first = True


class WatchAlong:
    """The overlay of one run: attach it to each context, then `show` what is happening.
    `lead_ms`: how long the element about to be clicked is outlined before the click."""

    def __init__(self, lead_ms: float = 250) -> None:
        self.text = ""
        self.lead_ms = lead_ms
        self._contexts: list["BrowserContext"] = []

    def attach(self, context: "BrowserContext") -> None:
        if any(known is context for known in self._contexts):
            return
        # A new document asks for the current text; pages already open are told by `show`.
        context.expose_function(TEXT_BINDING, lambda: self.text)
        context.add_init_script(script=OVERLAY_SCRIPT)
        self._contexts.append(context)
        _point_first()
        _ACTIVE[id(context)] = self

    def detach(self) -> None:
        for context in self._contexts:
            _ACTIVE.pop(id(context), None)
        self._contexts.clear()

    def point_at(self, locator: Any) -> None:
        """Move the pointer onto the element (the overlay outlines it), and wait a moment."""
        try:
            locator.hover(timeout=2000)
            locator.page.wait_for_timeout(self.lead_ms)  # allow-sleep: the pause is the point, a person watches
        except Exception:  # noqa: BLE001 - an element that cannot be hovered is still clicked
            pass

    def show(self, text: str) -> None:
        self.text = text
        for context in self._contexts:
            for page in list(context.pages):
                _evaluate(page, "text => window.__mastomoveOverlay && window.__mastomoveOverlay.show(text)", text)


def _evaluate(page: Any, script: str, arg: Any) -> None:
    try:
        page.evaluate(script, arg)
    except Exception:  # noqa: BLE001 - a page mid-navigation asks for the text when it loads
        pass


def read_overlay(page: Any) -> dict[str, str]:
    """What the overlay shows on `page` (for tests and checks): banner text, last highlighted element."""
    return page.evaluate(
        """tag => { const host = document.querySelector(tag);
                    return host ? {banner: host.dataset.banner || "", highlighted: host.dataset.highlighted || "",
                                   highlights: host.dataset.highlights || "0", lead_ms: host.dataset.leadMs || ""}
                                : {}; }""",
        HOST_TAG,
    )
