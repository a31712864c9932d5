"""The reliability suite's fixtures and its report.

- `figures` (session): what the tests count, written to $MASTOMOVE_RELIABILITY_FIGURES (default
  test-results/reliability.json) and printed at the end of the session;
- `no_secret_leaks` (autouse): after every test, every agent run it made is scanned (run folder,
  traces unzipped, screenshots' metadata, terminal output, permissions);
- `campaigns` (session, autouse): the long migrations the selected tests read, started in the
  background at once (MASTOMOVE_RELIABILITY_WORKERS at a time, default 4) so they overlap;
- `short_timeouts`: a playwright.config.json with short timeouts, for "slow" faults.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mastomove.agent.browser import BrowserConfig, find_config_file
from campaign import CAMPAIGNS
from figures import MUST_BE_ZERO, Figures, render
from harness import PROJECT, REGISTRY, SHORT_TIMEOUTS
from secrets_scan import leaks

FIGURES_FILE = Path(os.environ.get("MASTOMOVE_RELIABILITY_FIGURES", PROJECT / "test-results" / "reliability.json"))
_FIGURES = Figures()
# Background migrations at once (each has its own cluster, browser and agent).
WORKERS = int(os.environ.get("MASTOMOVE_RELIABILITY_WORKERS", "4"))
CAMPAIGN_TIMEOUT = 3600


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _FIGURES


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    needed: list[str] = []
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.reliability)
            item.add_marker(pytest.mark.slow)
            for mark in item.iter_markers("campaign"):
                needed.extend(name for name in mark.args if name not in needed)
            if item.get_closest_marker("campaign"):
                # It may wait for background migrations queued behind others (pyproject's 600 s
                # is per test; each agent run keeps its own, shorter, limits).
                item.add_marker(pytest.mark.timeout(CAMPAIGN_TIMEOUT))
    config.stash[_NEEDED] = needed


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: faults, interruptions, bad input and secrets (tests/reliability)")
    config.addinivalue_line("markers", "campaign(*names): the test reads these background migrations (campaign.py)")


_NEEDED = pytest.StashKey[list]()


@pytest.fixture(scope="session", autouse=True)
def campaigns(pytestconfig, tmp_path_factory, short_timeouts):
    """Starts, at the beginning of the session, the background migrations the selected tests need."""
    needed = pytestconfig.stash.get(_NEEDED, [])
    if needed:
        CAMPAIGNS.start(needed, tmp_path_factory.mktemp("campaigns"), short_timeouts, WORKERS)
    yield CAMPAIGNS
    CAMPAIGNS.shutdown()


def pytest_sessionfinish(session, exitstatus):
    if _FIGURES.agent_runs or _FIGURES.runs_scanned or _FIGURES.fail_closed_checks:
        _FIGURES.write(FIGURES_FILE)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not (_FIGURES.agent_runs or _FIGURES.runs_scanned or _FIGURES.fail_closed_checks) \
            or os.environ.get("MASTOMOVE_RELIABILITY_QUIET"):
        return  # report.py prints them itself
    data = _FIGURES.as_dict()
    terminalreporter.section("mastomove reliability figures")
    for line in render(data):
        terminalreporter.write_line(line)
    bad = [name for name in MUST_BE_ZERO if data[name]]
    terminalreporter.write_line(f"figures: {FIGURES_FILE}" + (f"  NOT ZERO: {', '.join(bad)}" if bad else ""))


@pytest.fixture(autouse=True)
def no_secret_leaks(figures):
    """Every agent run of the test leaves no password, OTP secret or OTP code anywhere it wrote,
    and keeps its folder to its owner."""
    yield
    problems: set = set()
    records = REGISTRY.take()
    by_folder: dict[Path, list] = {}
    for record in records:
        by_folder.setdefault(record.run_dir, []).append(record)
    for run_dir, runs in by_folder.items():  # a resumed folder is scanned once, for every run's secrets
        problems.update(leaks(run_dir, "\n".join(r.output for r in runs),
                              passwords={p for r in runs for p in r.secrets.passwords},
                              otp_secrets={s for r in runs for s in r.secrets.otp_secrets},
                              between=(min(r.started for r in runs), max(r.ended for r in runs)),
                              session_dir=runs[0].session_dir, check_root=all(r.own_folder for r in runs)))
    secrets_found = sorted(str(f) for f in problems if f.what != "permissions")
    if records:
        figures.leaked(len(secrets_found), runs=len(records), note="; ".join(secrets_found))
    assert not problems, "secrets or loose permissions:\n" + "\n".join(sorted(map(str, problems)))


@pytest.fixture(scope="session")
def short_timeouts(tmp_path_factory) -> Path:
    """playwright.config.json with short timeouts (MASTOMOVE_BROWSER_CONFIG points to it)."""
    source = find_config_file()
    data = json.loads(source.read_text()) if source else {}
    data.setdefault("timeouts", {}).update(SHORT_TIMEOUTS)
    BrowserConfig(**{k: v for k, v in data.items() if k in BrowserConfig.__dataclass_fields__})  # still valid
    target = tmp_path_factory.mktemp("browser") / "playwright.config.json"
    target.write_text(json.dumps(data, indent=2))
    return target
