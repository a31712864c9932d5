"""A resumed run that records a trace again keeps the earlier attempt's trace."""
from __future__ import annotations

import threading
import zipfile

from mastomove.agent.browser import BrowserSession


def test_a_second_traced_attempt_does_not_overwrite_the_first(browser_config, tmp_path):
    run_dir = tmp_path / "run"

    def attempt(text: str) -> None:  # in a thread of its own: Playwright's sync API is per thread
        session = BrowserSession(browser_config, run_dir=run_dir, session_files={}, trace=True)
        try:
            session.page("old").set_content(f"<p>{text}</p>")
        finally:
            session.close()

    for text in ("first attempt", "second attempt"):
        worker = threading.Thread(target=attempt, args=(text,))
        worker.start()
        worker.join(120)
    traces = sorted(p.name for p in (run_dir / "trace").glob("*.zip"))
    assert traces == ["old-2.zip", "old.zip"]
    for name in traces:
        assert zipfile.is_zipfile(run_dir / "trace" / name)
