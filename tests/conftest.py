"""Browser settings for every test come from playwright.config.json, through pytest-playwright's
own fixtures, so tests and the agent launch the same browser the same way."""
from __future__ import annotations

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
