"""Libraries' log records land in the run's log.jsonl, not on the person's terminal."""
from __future__ import annotations

import json
import logging

from mastomove.agent.evidence import Evidence


def test_a_playwright_listener_error_goes_to_the_run_log_not_the_terminal(tmp_path, capsys):
    evidence = Evidence(tmp_path / "run")
    try:
        raise RuntimeError("Cannot find command to respond: abcd@12")  # what a Ctrl-C mid-call leaves behind
    except RuntimeError as error:
        logging.getLogger("playwright").error("Error occurred in event listener", exc_info=error)
    evidence.sink.close()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    events = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    logged = [e for e in events if e["event"] == "library_log"]
    assert len(logged) == 1 and logged[0]["library"] == "playwright" and logged[0]["level"] == "warning"
    assert "Cannot find command to respond" in logged[0]["exception"]
