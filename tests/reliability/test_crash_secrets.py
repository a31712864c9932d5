"""Secrets when a run ends badly: every artefact is scanned (run folder with log.jsonl, state,
summary and report.html, the terminal output) for the password and the OTP secret, and for near
variants of them (a truncated copy, the mistyped secret and the real one).

- the browser is closed the moment the sign-in form is posted (a closed headed window, a crash);
- an error nobody foresaw is raised in a frame whose locals hold the password (a crash's
  traceback is rendered without locals, and redacted after rendering);
- the OTP secret is mistyped by one character (not base32): refused before anything starts,
  exit 2, its value never echoed.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from harness import SMALL_SEED, Agent, agent_env
from secrets_scan import leaks
from servers import changes, snapshot

pytestmark = pytest.mark.fixture_seed(**SMALL_SEED)
HERE = Path(__file__).resolve().parent


def near_variants(secret: str) -> list[str]:
    """The secret and the pieces of it a careless rendering leaves (truncated, cut in two)."""
    return [secret, secret[: len(secret) * 2 // 3], secret[len(secret) // 3:]]


def scan(result, run_dir: Path, passwords: list[str], otp_secrets: list[str], started: float) -> list:
    """Secrets, their near variants (an OTP secret's in either case too), and the OTP codes the
    real secrets made during the run."""
    pieces = [v for p in passwords for v in near_variants(p)]
    pieces += [form for s in otp_secrets for v in near_variants(s) for form in (v, v.lower())]
    return leaks(run_dir, result.output, passwords=pieces, otp_secrets=otp_secrets, between=(started, time.time()))


def crashed_run(cluster, run_dir: Path, kind: str, figures, what: str):
    """`mastomove migrate` ended by `kind` (crash_hooks), its artefacts scanned and counted."""
    env = agent_env(cluster, run_dir, MASTOMOVE_TEST_CRASH=kind, PYTHONPATH=str(HERE))
    started = time.time()
    result = Agent(cluster, run_dir, "migrate", env=env,
                   launcher=[sys.executable, "-m", "crash_hooks"]).start().wait(300)
    creds = cluster.credentials
    found = scan(result, run_dir, [creds["old"].password, creds["new"].password],
                 [c.otp_secret for c in creds.values() if c.otp_secret], started)
    figures.crash(what, len([f for f in found if f.what != "permissions"]))
    assert found == [], found
    return result


def test_a_browser_closed_while_the_sign_in_form_is_sent_leaves_no_secret(mastodon, tmp_path, figures):
    before = snapshot(mastodon)
    run_dir = tmp_path / "run"
    result = crashed_run(mastodon, run_dir, "browser-closed", figures, "browser closed at the sign-in form")
    # a stop the person understands, that resumes: not a traceback
    assert result.code == 3, result.output[-3000:]
    assert "The browser was closed" in result.stop_line(), result.output[-3000:]
    assert result.state["outcome"]["status"] == "stopped"
    for artefact in ("log.jsonl", "state.json", "summary.md", "summary.json", "report.html"):
        assert (run_dir / artefact).is_file(), artefact
    assert not changes(before, snapshot(mastodon))


def test_an_unforeseen_error_with_the_password_in_its_frame_leaves_no_secret(mastodon, tmp_path, figures):
    run_dir = tmp_path / "run"
    result = crashed_run(mastodon, run_dir, "exception", figures, "unforeseen error, password in a frame's locals")
    assert result.state["outcome"]["status"] == "crashed", result.output[-3000:]
    assert "RuntimeError: an error nobody foresaw" in result.output
    # the crash is in the log with where it happened, and without any frame's variables
    crash = next(e for e in result.events if e.get("event") == "crash")
    frames = [frame for exc in crash["exception"] for frame in exc["frames"]]
    assert frames and all("locals" not in frame for frame in frames), json.dumps(crash)[:2000]
    assert "crash" in (run_dir / "report.html").read_text()


def test_a_mistyped_otp_secret_is_refused_before_anything_and_never_echoed(mastodon, tmp_path, figures):
    real = mastodon.credentials["old"].otp_secret
    mistyped = real[:5] + "1" + real[6:]  # 1 is no base32 digit
    run_dir = tmp_path / "run"
    started = time.time()
    result = Agent(mastodon, run_dir, "migrate", MASTOMOVE_OLD_OTP_SECRET=mistyped).start().wait(120)
    found = scan(result, run_dir, [], [real, mistyped], started)
    figures.crash("mistyped OTP secret", len(found))
    figures.bad_input(refused_cleanly=result.code == 2 and not found)
    assert found == [], found
    assert result.code == 2, result.output[-3000:]
    assert "two-factor secret is not a valid key" in result.output
    assert not run_dir.exists() or not any(run_dir.iterdir()), "nothing started, so nothing was written"
