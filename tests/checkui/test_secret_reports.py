"""check-ui's own output never holds a secret, whatever pytest options pass through: a sign-in that
times out under `--tb=long -l` (pytest prints every frame's arguments and locals, the password
among them) and a mistyped OTP secret. Scanned: the terminal, junit.xml, report.html, screenshots'
metadata, and the output folder's permissions (owner-only)."""
from __future__ import annotations

import time

import pytest

from tests.reliability.secrets_scan import leaks

pytestmark = [pytest.mark.e2e]


def test_a_sign_in_timeout_under_tb_long_and_showlocals_prints_no_password(mastodon, run_check):
    password = mastodon.credentials["old"].password
    otp_secret = mastodon.credentials["old"].otp_secret
    mastodon.old.fault("/auth/sign_in", "slow", count=None, delay=8, method="POST")
    started = time.time()
    try:
        run = run_check(mastodon, "--page-timeout", "3", "-k", "sign_in_with_password", "--tb=long", "-l",
                        "--showlocals")
    finally:
        mastodon.old.clear_faults()
    assert run.code == 1, run.output  # the check failed, as it should
    assert run.outcomes() == {"test_sign_in_with_password_and_two_factor[chromium]": "failed"}, run.outcomes()
    # the long traceback with locals was printed (so the scan means something) ...
    assert "-----" in run.output and "[redacted]" in (run.output + (run.folder / "junit.xml").read_text())
    # ... and no secret is in any of it
    found = leaks(run.folder, run.output, passwords=[password, password[:10], password[-10:]],
                  otp_secrets=[otp_secret], between=(started, time.time()))
    assert found == [], found


def test_a_mistyped_otp_secret_is_refused_before_the_suite_and_never_shown(mastodon, run_check):
    real = mastodon.credentials["old"].otp_secret
    mistyped = real[:5] + "1" + real[6:]  # 1 is no base32 digit
    run = run_check(mastodon, "--tb=long", "-l", MASTOMOVE_OLD_OTP_SECRET=mistyped)
    assert run.code == 2, run.output
    assert "two-factor secret is not a valid key" in run.output
    found = leaks(run.folder, run.output, passwords=[mistyped, mistyped.lower(), real, real.lower(), real[:12],
                                                     real[-12:]])
    assert found == [], found
    assert not run.cases, "no check ran"
