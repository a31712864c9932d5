"""Small, exact checks of fixes the reliability runs led to (the runs themselves show them under
load; these show them every time, in milliseconds)."""
from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mastomove.agent.errors import BrowserClosed, ConnectionFailed, PageChanged, from_playwright


def test_a_navigation_cut_off_by_a_late_load_is_worth_another_try():
    # A page load that timed out still arrives later and interrupts the retry's navigation: that
    # is the slow server again, not a page that changed.
    error = PlaywrightError('Page.goto: Navigation to "http://127.0.0.1:1/settings/profile" is interrupted by '
                            'another navigation to "http://127.0.0.1:1/settings/profile"')
    assert isinstance(from_playwright(error), ConnectionFailed)
    assert isinstance(from_playwright(PlaywrightError("Locator.click: Element is not attached to the DOM")), PageChanged)


def test_one_rule_for_playwright_errors_wherever_they_are_caught():
    # A timeout waiting for a server is worth another try; one waiting for an element is not.
    assert isinstance(from_playwright(PlaywrightTimeout("Page.goto: Timeout 5000ms exceeded.")), ConnectionFailed)
    assert isinstance(from_playwright(PlaywrightTimeout('Timeout 5000ms exceeded while waiting for event "response"')),
                      ConnectionFailed)
    assert isinstance(from_playwright(PlaywrightTimeout("Page.expect_navigation: Timeout 5000ms exceeded.")),
                      ConnectionFailed)  # a form sent, its answer slower than the timeout
    assert isinstance(from_playwright(PlaywrightTimeout("Page.wait_for_url: Timeout 5000ms exceeded.")),
                      ConnectionFailed)
    assert isinstance(from_playwright(PlaywrightTimeout("Locator.click: Timeout 5000ms exceeded.")), PageChanged)
    clicked_then_waited = ("Locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for locator(\"#upload\")\n"
                           "  - performing click action\n  - click action done\n"
                           "  - waiting for scheduled navigations to finish")
    assert isinstance(from_playwright(PlaywrightTimeout(clicked_then_waited)), ConnectionFailed)
    assert isinstance(from_playwright(PlaywrightError("net::ERR_CONNECTION_RESET at http://127.0.0.1:1/")),
                      ConnectionFailed)
    closed = from_playwright(PlaywrightError("Locator.fill: Target page, context or browser has been closed"))
    assert isinstance(closed, BrowserClosed) and closed.exit_code == 3
    other = ValueError("not Playwright's")
    assert from_playwright(other) is other


def test_a_resumed_run_adds_trace_chunks_instead_of_overwriting_them(tmp_path):
    from mastomove.agent.evidence import Evidence

    trace = tmp_path / "run" / "trace"
    trace.mkdir(parents=True)
    for number in (1, 2):
        (trace / f"chunk-{number:03d}.zip").write_bytes(b"earlier run")
    evidence = Evidence(tmp_path / "run", screenshots=False)
    try:
        assert evidence._trace_chunks == 2  # the next pause writes chunk-003.zip
    finally:
        evidence.close()
