"""`mastomove batch`: five accounts, a few at a time, each in its own browser, one of which fails (a wrong
password); the four others move all the same, the failed one changes nothing, and the batch
leaves a run folder per account and one combined report."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mastomove.agent.demo import batch_files
from e2e_runs import clean_env, mastomove

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_batch_of_five_with_one_failing_cleanly(mastodon, tmp_path):
    movers = mastodon.old.add_movers(5, follows=4, followers=2)
    failing = movers[2]
    failing_old = f"{failing['old']['username']}@{failing['old']['domain']}"
    accounts, secrets = batch_files(movers, tmp_path, overrides={failing_old: {"password": failing["old"]["password"] + "-typo"}})
    batch_dir = tmp_path / "batch"

    # Profile, announcement, backup and the wait for followers are tested elsewhere: left out here.
    done = mastomove("batch", str(accounts), "--secrets", str(secrets), "--parallel", "2", "--batch-dir",
                     str(batch_dir), "--confirm-moves", "--skip-backup",
                     env=clean_env(MASTOMOVE_FOLLOWER_WATCH_SECONDS="0", MASTOMOVE_POST_ANNOUNCEMENT="false",
                                   MASTOMOVE_COPY_PROFILE="false"),
                     timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 3, output  # the worst outcome: one account stopped before its move

    results = {r["old"]: r for r in json.loads((batch_dir / "batch.json").read_text())["accounts"]}
    assert len(results) == 5
    for mover in movers:
        name = mover["old"]["username"]
        old = mastodon.old.state(account=name)["account"]
        new = mastodon.new.state(account=name)["account"]
        result = results[f"{name}@{mover['old']['domain']}"]
        run_dir = Path(result["run_dir"])
        started = json.loads((run_dir / "log.jsonl").read_text().splitlines()[0])
        assert started["old"] == f"{name}@old.test"  # each account logs into its own folder
        if mover is failing:
            assert result["exit_code"] == 3 and result["outcome"] == "stopped", result
            assert "refused the e-mail address and password" in result["message"]
            # cleanly: nothing changed on either server
            assert old["moved_to"] is None and old["migrations"] == []
            assert new["aliases"] == [] and new["imports"] == [] and new["follows"] == []
        else:
            assert result["exit_code"] == 0 and result["outcome"] == "completed", result
            assert old["moved_to"] == f"{name}@new.test"
            assert {f["acct"] for f in old["follows"]} <= {f["acct"] for f in new["follows"]} | \
                {f["acct"] for f in new["follow_requests"]}
            assert (run_dir / "report.html").is_file()
    # a browser per account, over a pipe: no DevTools port (tests/reliability/test_batch_browsers.py)
    browsers = {json.loads((Path(r["run_dir"]) / "log.jsonl").read_text().splitlines()[0])["browser"]
                for r in results.values()}
    assert browsers == {"own, over a pipe"}

    report = (batch_dir / "report.html").read_text()
    assert report.count("<tr data-account=") == 5 and "4 of 5 moved" in report


def test_a_secrets_file_others_can_read_is_refused(mastodon, tmp_path):
    movers = mastodon.old.add_movers(1)
    accounts, secrets = batch_files(movers, tmp_path)
    os.chmod(secrets, 0o644)
    done = mastomove("batch", str(accounts), "--secrets", str(secrets), "--batch-dir", str(tmp_path / "b"),
                     env=clean_env())
    assert done.returncode == 2 and "chmod 600" in done.stdout + done.stderr
    assert mastodon.new.state(account=movers[0]["new"]["username"])["account"]["aliases"] == []
