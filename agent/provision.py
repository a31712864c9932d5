"""`python -m mastomove.agent.provision`: make sure a Chromium is there, and say which one.

Order (the first that works wins): a path from settings or playwright.config.json; Playwright's
own Chromium if already installed; `playwright install chromium` (fails at once without internet);
a system Chromium or Chrome; as root with apt, `apt-get install -y chromium`. The choice is
remembered in the venv, so a second run is instant.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mastomove.agent.browser import BrowserConfig, playwright_chromium, resolve_executable, system_chromium

MEMO = Path(sys.prefix) / ".mastomove-browser.json"


def say(text: str) -> None:
    print(f"[browser] {text}", file=sys.stderr)


def try_playwright_install() -> bool:
    try:
        done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                              capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = next((line for line in lines if "rror" in line), lines[0] if lines else "unknown")
        say(f"`playwright install chromium` failed: {reason[:160]}")
    return done.returncode == 0


def try_apt_install() -> bool:
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    say("installing Debian's chromium with apt-get (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            return False
    return True


def launches(path: str | None) -> bool:
    """The proof: start it headless and load a page."""
    config = BrowserConfig.load()
    config.executable_path = path
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            args = config.launch_args()
            if path is None:
                args.pop("executable_path", None)
            browser = p.chromium.launch(**args)
            page = browser.new_page()
            page.set_content("<title>ok</title>")
            ok = page.title() == "ok"
            browser.close()
            return ok
    except Exception as error:  # noqa: BLE001
        say(f"{path or 'Playwright Chromium'} did not start: {str(error).splitlines()[0]}")
        return False


def remember(path: str | None, source: str) -> None:
    MEMO.write_text(json.dumps({"path": path, "source": source}))


def provision() -> int:
    if MEMO.is_file():
        memo = json.loads(MEMO.read_text())
        if memo["path"] is None and playwright_chromium() or memo["path"] and Path(memo["path"]).exists():
            say(f"using {memo['source']}")
            return 0
    config = BrowserConfig.load()
    choice = resolve_executable(config)
    if choice.source.startswith("configured"):
        pass
    elif choice.path is None and choice.source.startswith("Playwright"):
        pass
    elif try_playwright_install() and playwright_chromium():
        choice = resolve_executable(config)
    elif system_chromium():
        choice = resolve_executable(config)
    elif try_apt_install() and system_chromium():
        choice = resolve_executable(config)
    else:
        say("no browser found: install Chromium or Chrome, or run `playwright install chromium`, "
            "or set executable_path in playwright.config.json")
        return 1
    if not launches(choice.path):
        return 1
    say(f"using {choice.source}")
    remember(choice.path, choice.source)
    return 0


if __name__ == "__main__":
    sys.exit(provision())
