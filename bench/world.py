"""The fixture world the benchmarks run against: a cluster with near-instant server jobs, seeds of
a given size, and the environment the agent (or the floor) is given for it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mastomove.agent.demo import cluster_environment

PROJECT = Path(__file__).resolve().parent.parent

# Background jobs as fast as the fixture can run them: the server's own processing is not what is
# measured (it is reported apart), and a short one keeps the whole benchmark within minutes.
FAST_JOBS: dict[str, Any] = {
    "import_batch_size": 100_000,
    "import_batch_interval": 0.0,
    "move_batch_size": 100_000,
    "move_batch_interval": 0.0,
    "backup_seconds": 0.5,
    "delivery_retry_delays": [0.5, 1.0, 2.0],
    "accept_delay_seconds": 0.0,
    "max_follows": 1_000_000,  # 10,000 follows must import whole (Mastodon's limit is 7,500 by default)
}
# Mastodon-like pacing (the fixture's defaults: 100 rows per batch, half a second between batches),
# used where the agent must actually wait, to see how it polls.
PACED_JOBS: dict[str, Any] = {**FAST_JOBS, "import_batch_size": 100, "import_batch_interval": 0.5}


def seed_for(follows: int) -> dict[str, Any]:
    """An account of `follows` follows, with lists, blocks, mutes and bookmarks scaled along
    (at 1,000 follows: 4 lists of 100 members, 50 blocks, 50 mutes, 25 bookmarks)."""
    return {
        "follows": follows,
        "lists": 4,
        "list_members": max(5, follows // 10),
        "blocks": max(4, follows // 20),
        "mutes": max(4, follows // 20),
        "bookmarks": max(5, follows // 40),
        "domain_blocks": 4,
        # new.test already knows the followed accounts: imports resolve them from its cache
        # instead of fetching 10,000 actors over HTTP (server work, not the agent's)
        "new_knows_followed": 1.0,
        "statuses": 10,
        "notifications": 4,
    }


def start_cluster(follows: int = 100, config: dict[str, Any] | None = None):
    from mastomove.fixtures.cluster import Cluster

    return Cluster.start(port=0, config={**FAST_JOBS, **(config or {})}, seed=seed_for(follows))


def reset(cluster, follows: int, config: dict[str, Any] | None = None) -> dict[str, Any]:
    return cluster.reset(seed=seed_for(follows), config=config)


def agent_env(cluster, run_dir: Path, **overrides: str) -> dict[str, str]:
    """The documented MASTOMOVE_* variables for the seeded accounts (as tests/e2e does)."""
    return {
        **cluster_environment(cluster),
        "MASTOMOVE_RUN_DIR": str(run_dir),
        "MASTOMOVE_ALIAS_FIRST_WAIT_SECONDS": "1", "MASTOMOVE_ALIAS_WAIT_CAP_SECONDS": "5",
        "MASTOMOVE_ALIAS_WAIT_SECONDS": "120", "MASTOMOVE_FOLLOWER_WATCH_SECONDS": "20",
        "COLUMNS": "120", "PYTHONUNBUFFERED": "1",
        **overrides,
    }
