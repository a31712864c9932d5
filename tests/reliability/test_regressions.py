"""Small, exact checks of fixes the reliability runs led to (the runs themselves show them under
load; these show them every time, in milliseconds)."""
from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from mastomove.flows.pages.base import is_network_error


def test_a_navigation_cut_off_by_a_late_load_is_worth_another_try():
    # A page load that timed out still arrives later and interrupts the retry's navigation: that
    # is the slow server again, not a page that changed.
    error = PlaywrightError('Page.goto: Navigation to "http://127.0.0.1:1/settings/profile" is interrupted by '
                            'another navigation to "http://127.0.0.1:1/settings/profile"')
    assert is_network_error(error)
    assert not is_network_error(PlaywrightError("Locator.click: Element is not attached to the DOM"))


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
