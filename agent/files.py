"""Owner-only files and folders: the one place that writes what mastomove keeps.

Run folders hold the CSVs of whom someone follows, their private mentions, and saved sign-ins:
folders are 0700 and files 0600. Only what mastomove creates is changed: a folder that existed
before (`--run-dir /tmp`) keeps its mode. Files written by other processes (Playwright's
screenshots, traces and downloads) are covered by `owner_only_umask`, which the command line sets
before anything starts, and made private again by `make_private` where their path is known.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
DIR_MODE = 0o700


def owner_only_umask() -> None:
    """Everything this process (and the browser and driver it starts) creates from now on is
    readable by its owner alone."""
    os.umask(0o077)


def private_dir(path: Path) -> Path:
    """`path` as a folder; every level created here is 0700, levels that existed are left alone."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue  # made by another thread meanwhile
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        raise NotADirectoryError(str(path))
    return path


def write_private(target: Path, data: str | bytes, *, durable: bool = False) -> Path:
    """Write a file only its owner can read, whole or not at all (a kill mid-write keeps the old
    one). `durable`: flushed to disk before it replaces the old one (checkpoints)."""
    target = Path(target)
    private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
        if durable:
            out.flush()
            os.fsync(out.fileno())
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, target)
    return target


def open_private_append(path: Path) -> IO[str]:
    """A text file opened for appending, line-buffered, created 0600."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    return os.fdopen(fd, "a", encoding="utf-8", buffering=1)


def make_private(path: Path) -> Path:
    """A file another process wrote for us (a screenshot, a trace, a saved session): owner-only."""
    if Path(path).is_file():
        os.chmod(path, FILE_MODE)
    return Path(path)
