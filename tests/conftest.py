"""Browser settings for every test come from playwright.config.json, through pytest-playwright's
own fixtures, so tests and the agent launch the same browser the same way."""
from __future__ import annotations

from pathlib import Path

import pytest

from mastomove.agent.browser import BrowserConfig


@pytest.fixture(scope="session")
def browser_config() -> BrowserConfig:
    return BrowserConfig.load()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_config, pytestconfig):
    args = {**browser_config.launch_args(), **browser_type_launch_args}
    if pytestconfig.getoption("--headed"):
        args["headless"] = False
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, browser_config):
    return {**browser_config.context_args(), **browser_context_args}


# --- test lanes (`make test-fast`: -m "not slow and not e2e") ------------------------------------
# Folders whose tests each run the whole agent, a check-ui suite or a fault campaign: the slow lane.
HEAVY_FOLDERS = ("e2e", "reliability", "checkui")
# Folders whose tests drive Chromium or start servers. The fixture servers' own suite (113 tests,
# about 3.5 minutes on 2 cores) and the fidelity comparison are slow as a whole: `make test` runs them.
BROWSER_FOLDERS = ("integration", "fixtures", "fidelity")
SLOW_BROWSER_FOLDERS = ("fixtures", "fidelity")
# What tests/unit may not use: it runs with no browser and no servers.
NOT_IN_UNIT = {"page", "new_page", "browser", "context", "browser_config", "mastodon", "mastodon_factory",
               "fixture_cluster"}
_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        folder = Path(item.fspath).relative_to(_TESTS).parts[0] if _TESTS in Path(item.fspath).parents else ""
        if folder in HEAVY_FOLDERS:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        elif folder in BROWSER_FOLDERS:
            item.add_marker(pytest.mark.browser)
            if folder in SLOW_BROWSER_FOLDERS:
                item.add_marker(pytest.mark.slow)
        elif folder == "unit":
            used = NOT_IN_UNIT & set(getattr(item, "fixturenames", ()))
            if used:
                raise pytest.UsageError(f"{item.nodeid} uses {sorted(used)}: tests/unit runs with no browser and "
                                        "no servers; put it in tests/integration")
