"""The browser as the agent launches it (playwright.config.json) under pytest-playwright's
command-line options. Registered by the plugin after pytest-playwright, so these fixtures wrap its
own of the same name."""
from __future__ import annotations

import pytest

from mastomove.agent.browser import BrowserConfig


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig, browser_name):
    config = BrowserConfig.load()
    channel = pytestconfig.getoption("--browser-channel")
    if channel:
        config.channel = channel
    ours = config.launch_args() if browser_name == "chromium" else {"headless": config.headless}
    args = {**ours, **browser_type_launch_args}
    if pytestconfig.getoption("--headed"):
        args["headless"] = False
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**BrowserConfig.load().context_args(), **browser_context_args}
