"""`mastomove batch --parallel 2` opens no DevTools port: while the batch runs, no Chromium it
started listens on a TCP socket, and none was started with --remote-debugging-port (each account
has a browser of its own, driven over a pipe). Read from /proc while the batch runs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness import FAST, PROJECT, REGISTRY, RunRecord, Secrets
from mastomove.agent.demo import batch_files

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A":  # TCP_LISTEN
                inodes.add(fields[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def _runs_chromium(pid: int) -> bool:
    """Debian's /usr/bin/chromium is a shell script: it and the subshells it forks (same command
    line, and a subshell may be exec'ing a helper program while /proc is read) are not browsers;
    only the Chromium binary it execs is."""
    try:
        return "chrom" in Path(os.readlink(f"/proc/{pid}/exe")).name.lower()
    except OSError:
        return False  # gone already: nothing to count


@dataclass
class Watched:
    chromium_pids: set[int] = field(default_factory=set)
    browsers: set[int] = field(default_factory=set)  # main processes (the ones with --remote-debugging-pipe)
    debugging_ports: list[str] = field(default_factory=list)
    listening: list[str] = field(default_factory=list)

    def look(self, root: int) -> None:
        listening = listening_inodes()
        for pid in descendants(root):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [w.decode(errors="replace") for w in command if w]
            if not words or "chrom" not in Path(words[0]).name.lower() or not _runs_chromium(pid):
                continue
            self.chromium_pids.add(pid)
            if "--remote-debugging-pipe" in words:
                self.browsers.add(pid)
            self.debugging_ports += [w for w in words if w.startswith("--remote-debugging-port")]
            self.listening += [f"pid {pid} socket {inode}" for inode in socket_inodes(pid) & listening]


def test_a_parallel_batch_opens_no_devtools_port(mastodon, tmp_path, figures):
    movers = mastodon.old.add_movers(2, follows=3, followers=1)
    accounts, secrets = batch_files(movers, tmp_path)
    batch_dir = tmp_path / "batch"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTOMOVE_")}
    env.update(FAST, MASTOMOVE_FOLLOWER_WATCH_SECONDS="0", MASTOMOVE_POST_ANNOUNCEMENT="false",
               MASTOMOVE_COPY_PROFILE="false", MASTOMOVE_SESSION_DIR=str(tmp_path / "sessions"))
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "mastomove.agent.cli", "batch", str(accounts), "--secrets",
                             str(secrets), "--parallel", "2", "--batch-dir", str(batch_dir), "--confirm-moves",
                             "--skip-backup"], cwd=PROJECT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watched = Watched()
    while proc.poll() is None and time.time() - started < 600:
        watched.look(proc.pid)
        time.sleep(0.2)
    output = proc.communicate(timeout=60)[0]
    seconds = time.time() - started
    results = json.loads((batch_dir / "batch.json").read_text())["accounts"]
    for result in results:
        REGISTRY.add(RunRecord(Path(result["run_dir"]), output, Secrets(
            passwords=[m[side]["password"] for m in movers for side in ("old", "new")],
            otp_secrets=[m[side]["otp_secret"] for m in movers for side in ("old", "new") if m[side].get("otp_secret")]),
            started, time.time(), tmp_path / "sessions"))
    figures.note(f"batch --parallel 2: {len(watched.browsers)} browsers over pipes, {len(watched.chromium_pids)} "
                 f"Chromium processes watched, listening sockets {len(watched.listening)}, {seconds:.0f} s")
    assert proc.returncode == 0, output[-3000:]
    assert [r["outcome"] for r in results] == ["completed", "completed"], results
    assert watched.chromium_pids, "no Chromium was seen: the check saw nothing"
    assert len(watched.browsers) == 2, f"a browser per account, over a pipe: {watched.browsers}"
    assert watched.debugging_ports == [], watched.debugging_ports
    assert watched.listening == [], watched.listening
