"""The run folder is its owner's alone: after a run up to the pause (screenshots, a trace, the
exports, the backup, the state, the summary, the report), every folder is 0700 and every file
0600. A --run-dir that existed before keeps its own mode (mastomove changes only what it made:
as root, `--run-dir /tmp` must not change /tmp)."""
from __future__ import annotations

import stat

import pytest

from harness import SMALL_SEED, Agent, agent_env, run_agent
from secrets_scan import permission_problems

pytestmark = pytest.mark.fixture_seed(**SMALL_SEED)


def test_every_file_and_folder_of_a_run_is_owner_only(mastodon, tmp_path):
    run_dir = tmp_path / "run"
    result = run_agent(mastodon, run_dir, "migrate", "--trace")  # no confirmation: it stops at the pause
    assert result.code == 3, result.output[-3000:]
    kinds = {path.relative_to(run_dir).parts[0] for path in run_dir.rglob("*") if path.is_file()}
    assert {"screenshots", "trace", "exports", "backup", "state.json", "log.jsonl", "summary.md",
            "report.html"} <= kinds, kinds
    assert permission_problems(run_dir) == []


def test_an_existing_run_dir_keeps_its_mode(mastodon, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    # An address nothing answers at: the run stops at its first check, after its folder was opened.
    env = agent_env(mastodon, shared, MASTOMOVE_OLD_URL="http://127.0.0.1:9")
    result = Agent(mastodon, shared, "migrate", env=env, own_folder=False).start().wait(120)
    assert result.code == 2, result.output[-3000:]
    assert "Could not reach the old server" in result.output
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755, "the folder's own mode was changed"
    assert (shared / "log.jsonl").is_file()
    assert permission_problems(shared, check_root=False) == []
