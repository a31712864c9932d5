"""Ways to capture the viewport, side by side on real fixture pages (`python -m bench --only capture`).

Pages: old.test's profile settings (text fields, avatar, header), new.test's imports page with its
ten recent imports (the table scrolled into view), and the sign-in form with a typed secret shown
in clear (the mask check). Ways: Playwright's `page.screenshot` (PNG as before, JPEG), Chromium's
own capture (CDP `Page.captureScreenshot`) as PNG with and without optimizeForSpeed, JPEG and WebP
at a few qualities, the PNG written by a background thread, and the capture issued and collected
later (the next browser call waits for it).

For each way and page: the time the agent is held up per shot (the shot, writing the file, and
the next browser call, minus that call alone: a deferred capture shows its cost there), bytes per
shot, and how close the picture is to the lossless one (PSNR over the whole viewport, and over the
text's edges alone, where lossy formats blur first). The mask check types two different secrets
into a field shown in clear and takes a masked shot of each: the two pictures must be identical
(and, unmasked, differ).
"""
from __future__ import annotations

import base64
import io
import math
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bench.procmon import cpu_seconds, tree
from mastomove.agent.evidence import SECRET_FIELDS, ViewportCamera
from mastomove.agent.files import write_private

IMPORTS = 10  # Mastodon's imports page lists the ten most recent


@dataclass
class Way:
    name: str
    suffix: str
    shoot: Callable[[Any, Path, list], None]  # (page, file, mask locators)
    finish: Callable[[Any], None] = lambda page: None  # (page) collects what is still pending
    note: str = ""


@dataclass
class Sample:
    ms: list[float] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    psnr: list[float] = field(default_factory=list)
    edge_psnr: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def _playwright(kind: str, quality: int | None = None, *, before: bool = False):
    def shoot(page, file: Path, mask: list) -> None:
        options = {"quality": quality} if quality else {}
        extra = {"animations": "disabled"} if before else {}
        data = page.screenshot(type=kind, mask=[page.locator(SECRET_FIELDS), *mask], caret="initial", **extra, **options)
        write_private(file, data)
    return shoot


def _camera(camera: ViewportCamera):
    def shoot(page, file: Path, mask: list) -> None:
        write_private(file, camera.capture(page, mask))
    return shoot


class ThreadWriter:
    """The capture as the agent's, its bytes decoded and written by a background thread."""

    def __init__(self, camera: ViewportCamera):
        self.camera = camera
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="shot-writer")
        self.pending: list = []

    def shoot(self, page, file: Path, mask: list) -> None:
        from mastomove.agent.evidence import _MASK_OFF, _MASK_ON, MASK_COLOR

        session = self.camera._session(page)
        covered = page.locator(SECRET_FIELDS)
        for extra in mask:
            covered = covered.or_(extra)
        covered.evaluate_all(_MASK_ON, [SECRET_FIELDS, MASK_COLOR])
        data = session.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                        "captureBeyondViewport": False})["data"]
        session.send("Runtime.evaluate", {"expression": _MASK_OFF, "returnByValue": True})
        self.pending.append(self.pool.submit(lambda: write_private(file, base64.b64decode(data))))

    def finish(self, page=None) -> None:
        for job in self.pending:
            job.result()
        self.pending.clear()


class Deferred:
    """The CDP capture (and the mask's removal after it) sent without waiting for the answer,
    collected later. Playwright's sync API has no public way: this schedules the session's
    coroutine on its event loop (private attributes), which sends it with the next browser call.
    Measured, not used: the browser may take the picture after the agent's next action began."""

    def __init__(self, camera: ViewportCamera):
        self.camera = camera
        self.pending: list[tuple[Path, Any]] = []

    def shoot(self, page, file: Path, mask: list) -> None:
        from mastomove.agent.evidence import _MASK_OFF, _MASK_ON, MASK_COLOR

        self.collect()
        session = self.camera._session(page)
        covered = page.locator(SECRET_FIELDS)
        for extra in mask:
            covered = covered.or_(extra)
        covered.evaluate_all(_MASK_ON, [SECRET_FIELDS, MASK_COLOR])
        loop, impl = session._loop, session._impl_obj
        shot = loop.create_task(impl.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                                    "captureBeyondViewport": False}, None))
        loop.create_task(impl.send("Runtime.evaluate", {"expression": _MASK_OFF}, None))
        self.pending.append((file, shot))

    def collect(self) -> None:
        for file, shot in self.pending:
            if shot.done():
                write_private(file, base64.b64decode(shot.result()["data"]))
        self.pending = [(f, s) for f, s in self.pending if not s.done()]

    def finish(self, page=None) -> None:
        while self.pending:
            if page is not None:
                page.evaluate("0")  # gives the event loop a turn
            self.collect()


def ways() -> list[Way]:
    threaded = ThreadWriter(ViewportCamera(".png"))
    deferred = Deferred(ViewportCamera(".png"))
    return [
        Way("playwright png (before)", ".png", _playwright("png", before=True),
            note="page.screenshot, animations disabled, mask"),
        Way("playwright png", ".png", _playwright("png"), note="page.screenshot, mask"),
        Way("playwright jpeg q90", ".jpg", _playwright("jpeg", 90), note="page.screenshot, mask"),
        Way("cdp png", ".png", _camera(ViewportCamera(".png", fast=False)), note="Page.captureScreenshot"),
        Way("cdp png fast (chosen)", ".png", _camera(ViewportCamera(".png")), note="optimizeForSpeed, masks by CSS"),
        Way("cdp png fast, masks by locators", ".png", _camera(ViewportCamera(".png", by_css=False)),
            note="locator.evaluate_all"),
        Way("cdp jpeg q80 fast", ".jpg", _camera(ViewportCamera(".jpg", 80))),
        Way("cdp jpeg q90 fast", ".jpg", _camera(ViewportCamera(".jpg", 90))),
        Way("cdp webp q90 fast", ".webp", _camera(ViewportCamera(".webp", 90))),
        Way("cdp webp q100 fast", ".webp", _camera(ViewportCamera(".webp", 100))),
        Way("cdp png fast, thread writes", ".png", threaded.shoot, threaded.finish,
            note="bytes decoded and written off the agent's thread"),
        Way("cdp png fast, collected later", ".png", deferred.shoot, deferred.finish,
            note="not awaited: the next call waits"),
    ]


# --- pictures -----------------------------------------------------------------------------------
def _image(data: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("RGB")


def psnr(reference: bytes, other: bytes) -> tuple[float, float]:
    """(PSNR over the whole picture, PSNR over the text's edges) in dB; inf when identical."""
    from PIL import ImageChops, ImageFilter, ImageStat

    ref, img = _image(reference), _image(other)
    if ref.size != img.size:
        return 0.0, 0.0
    diff = ImageChops.difference(ref, img).convert("L")
    edges = ref.convert("L").filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v > 48 else 0)

    def db(mask=None) -> float:
        rms = ImageStat.Stat(diff, mask=mask).rms[0]
        return math.inf if rms == 0 else 20 * math.log10(255 / rms)

    return db(), db(edges)


def as_png(data: bytes, target: Path) -> Path:
    """A PNG copy of a WebP or JPEG picture, to look at."""
    _image(data).save(target, "PNG")
    return target


# --- the pages ----------------------------------------------------------------------------------
def sign_in(page, credential) -> None:
    page.goto(credential.url + "/auth/sign_in", wait_until="domcontentloaded")
    page.fill("input[name='user[email]']", credential.email)
    page.fill("input[name='user[password]']", credential.password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("form:has(input[name='user[password]']) button[type='submit']")
    if credential.otp_secret:
        page.fill("input[name='user[otp_attempt]']", credential.otp())
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("form:has(input[name='user[otp_attempt]']) button[type='submit']")


def make_imports(page, credential, folder: Path, follows_csv: str, count: int = IMPORTS) -> None:
    """`count` follow imports on the new account (slices of the old account's follows),
    uploaded and confirmed through the page."""
    header, *rows = follows_csv.splitlines()
    for number in range(count):
        csv = folder / f"follows-{number}.csv"
        csv.write_text("\n".join([header, *rows[number * 10:number * 10 + 10]]) + "\n")
        page.goto(credential.url + "/settings/imports", wait_until="domcontentloaded")
        page.select_option("select[name='form_import[type]']", value="following")
        page.set_input_files("[name='form_import[data]']", str(csv))
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("form:has([name='form_import[data]']) button[type='submit']")
        page.wait_for_load_state("load")
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("a[data-method='post'][href$='/confirm']")


def measure(cluster, out: Path, rounds: int, browser_launch: dict, context_args: dict) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    old, new = cluster.credentials["old"], cluster.credentials["new"]
    results: dict[str, Any] = {"rounds": rounds, "pages": {}, "load_average": [], "mask_check": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**browser_launch)
        try:
            po = browser.new_context(**context_args).new_page()
            pn = browser.new_context(**context_args).new_page()
            ps = browser.new_context(**context_args).new_page()
            sign_in(po, old)
            sign_in(pn, new)
            follows = po.context.request.get(old.url + "/settings/exports/follows.csv").text()
            make_imports(pn, new, out, follows)
            po.goto(old.url + "/settings/profile", wait_until="load")
            pn.goto(new.url + "/settings/imports", wait_until="load")
            pn.locator("table").last.scroll_into_view_if_needed()
            # as the agent's pages do: a mask besides the secret fields (here matching nothing)
            pages = {"settings": (po, [po.locator("input[name='user[email]']")], None),
                     "imports": (pn, [pn.locator("input[name='user[email]']")], None)}
            # and as the agent meets them: the shot right after the page has loaded (DOMContentLoaded:
            # not painted yet, Playwright's selector engine not yet set up in it), the e-mail masked
            account = pn.context.new_page()
            pages["account settings, just loaded"] = (
                account, [account.locator("input[name='user[email]']")],
                lambda: account.goto(new.url + "/auth/edit", wait_until="domcontentloaded"))
            results["load_average"].append(round(os.getloadavg()[0], 2))
            results["pages"] = {name: _measure_page(name, page, mask, rounds, out, prepare)
                                for name, (page, mask, prepare) in pages.items()}
            results["load_average"].append(round(os.getloadavg()[0], 2))
            results["mask_check"] = mask_check(ps, old, out)
        finally:
            browser.close()
    return results


def _tree_cpu() -> float:
    """CPU seconds so far of this process and its children (Playwright's driver, Chromium)."""
    return sum(cpu_seconds(pid) or 0.0 for pid in tree(os.getpid()))


def _next_call(page) -> None:
    """What the agent typically does after a shot: read something off the page."""
    page.locator("body").count()


def _measure_page(name: str, page, mask: list, rounds: int, out: Path, prepare=None) -> dict[str, Any]:
    """Each way `rounds` times, interleaved; `prepare()` (not timed) before each shot."""
    all_ways = ways()
    samples = {way.name: Sample() for way in all_ways}
    alone: list[float] = []
    alone_cpu: list[float] = []
    for round_number in range(rounds):
        # a different order each round: no way always follows the same one
        order = all_ways[round_number % len(all_ways):] + all_ways[:round_number % len(all_ways)]
        reference = None if prepare else ViewportCamera(".png").capture(page)
        for way in order:
            file = out / f"{name}-{slug(way.name)}-{round_number}{way.suffix}"
            if prepare:
                prepare()
            cpu_before = _tree_cpu()
            started = time.perf_counter()
            _next_call(page)
            alone.append(time.perf_counter() - started)
            alone_cpu.append(_tree_cpu() - cpu_before)
            cpu_before = _tree_cpu()
            started = time.perf_counter()
            way.shoot(page, file, mask)
            _next_call(page)
            samples[way.name].ms.append(time.perf_counter() - started)
            way.finish(page)
            samples[way.name].cpu.append(_tree_cpu() - cpu_before)
            data = file.read_bytes()
            samples[way.name].bytes.append(len(data))
            if reference is not None:  # (a page still loading has no one moment to compare with)
                whole, edges = psnr(reference, data)
                samples[way.name].psnr.append(whole)
                samples[way.name].edge_psnr.append(edges)
            if round_number == 0:
                keep = out / "look" / f"{name}-{slug(way.name)}{way.suffix}"
                keep.parent.mkdir(exist_ok=True)
                keep.write_bytes(data)
                if way.suffix == ".webp":
                    as_png(data, keep.with_suffix(".webp.png"))
            if round_number:
                file.unlink()
    call_ms = statistics.median(alone) * 1000
    call_cpu_ms = statistics.mean(alone_cpu) * 1000
    rows = []
    for way in all_ways:
        sample = samples[way.name]
        rows.append({"way": way.name, "suffix": way.suffix, "note": way.note,
                     "ms": max(0.0, statistics.median(sample.ms) * 1000 - call_ms),
                     "ms_min": max(0.0, min(sample.ms) * 1000 - call_ms),
                     "kb": statistics.median(sample.bytes) / 1024,
                     # mean, not median: the kernel counts CPU time in ticks of 10 ms
                     "cpu_ms": max(0.0, statistics.mean(sample.cpu) * 1000 - call_cpu_ms),
                     "psnr_db": statistics.median(sample.psnr) if sample.psnr else None,
                     "edge_psnr_db": statistics.median(sample.edge_psnr) if sample.edge_psnr else None})
    return {"next_call_ms": call_ms, "next_call_cpu_ms": call_cpu_ms, "ways": rows}


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def mask_check(page, credential, out: Path) -> dict[str, Any]:
    """Two secrets typed in turn into a one-time-code field, which shows what is typed (the sign-in
    form's password field made one: text, autocomplete=one-time-code): masked, each way's two
    pictures must be identical; unmasked they differ (the check can fail)."""
    page.goto(credential.url + "/auth/sign_in", wait_until="load")
    field_ = page.locator("input[name='user[password]']")
    field_.evaluate("input => { input.type = 'text'; input.setAttribute('autocomplete', 'one-time-code'); }")
    found: dict[str, Any] = {}

    def shots(shoot) -> list[bytes]:
        pictures = []
        for number, secret in enumerate(("Hunter2-correct-horse", "WWWWWWWWWWWWWWWWWWWW")):
            field_.fill(secret)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            pictures.append(shoot(number))
        return pictures

    plain = shots(lambda _: base64.b64decode(page.context.new_cdp_session(page).send(
        "Page.captureScreenshot", {"format": "png"})["data"]))
    found["unmasked pictures differ"] = plain[0] != plain[1]
    for way in ways():
        def shoot(number: int, way=way) -> bytes:
            target = out / "look" / f"mask-{slug(way.name)}-{number}{way.suffix}"
            target.parent.mkdir(exist_ok=True)
            way.shoot(page, target, [])
            way.finish(page)
            return target.read_bytes()

        first, second = shots(shoot)
        found[way.name] = first == second
    return found
