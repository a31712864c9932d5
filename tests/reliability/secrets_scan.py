"""Find secrets where they must never be: a run folder (logs, state, summaries, CSVs, screenshots'
metadata, traces unzipped) and a run's terminal output. Also the folder's and the saved sessions'
permissions. Usable from any suite (pytest run from the project root, as `make test` does):

    from tests.reliability.secrets_scan import cluster_secrets, leaks
    started = time.time()
    run = run_agent(mastodon, "migrate", ...)
    assert not leaks(run.run_dir, run.output, **cluster_secrets(mastodon), between=(started, time.time()))
"""
from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyotp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_TEXT_CHUNKS = (b"tEXt", b"iTXt", b"zTXt", b"eXIf")
IMAGE_MEMBERS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".webm")


@dataclass(frozen=True)
class Finding:
    where: str  # file (and zip member), or "terminal output"
    what: str  # "password", "OTP secret", "OTP code", "permissions"

    def __str__(self) -> str:
        return f"{self.what} in {self.where}"


def otp_codes(otp_secrets: Iterable[str], between: tuple[float, float]) -> set[str]:
    """Every code the secrets produced from one step before `between` to one step after: the
    current and previous codes of the whole run."""
    codes = set()
    start, end = between
    for secret in otp_secrets:
        try:
            totp = pyotp.TOTP(secret.replace(" ", "").upper())
            totp.now()
        except (ValueError, TypeError):  # a mistyped secret (not base32) makes no codes
            continue
        step = int(start // totp.interval) - 1
        while step * totp.interval <= end + totp.interval:
            codes.add(totp.at(step * totp.interval))
            step += 1
    return codes


class Needles:
    def __init__(self, passwords: Iterable[str], otp_secrets: Iterable[str], codes: Iterable[str]):
        self.plain = [(p.encode(), "password") for p in passwords if p]
        self.plain += [(s.replace(" ", "").upper().encode(), "OTP secret") for s in otp_secrets if s]
        # A six-digit code is only a code where it stands alone: not inside a longer number, not
        # a timestamp's fraction, not a float's whole part, not a JSON number ("startTime":123456.7).
        self.codes = [re.compile(rb'(?<![0-9.])(?<!":)(?<!": )' + c.encode() + rb"(?![0-9]|\.[0-9])") for c in codes]

    def find(self, data: bytes, where: str) -> list[Finding]:
        found = []
        upper = data.upper()
        for needle, what in self.plain:
            if needle in data or (what == "OTP secret" and needle in upper):
                found.append(Finding(where, what))
        if any(code.search(data) for code in self.codes):
            found.append(Finding(where, "OTP code"))
        return found


def png_metadata(data: bytes) -> bytes:
    """The text chunks of a PNG (what a viewer shows as its metadata); pixels are not text."""
    if not data.startswith(PNG_SIGNATURE):
        return data
    out, at = [], len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind in PNG_TEXT_CHUNKS:
            if kind == b"zTXt" and b"\0" in body:
                keyword, _, rest = body.partition(b"\0")
                try:
                    body = keyword + b" " + zlib.decompress(rest[1:])
                except zlib.error:
                    pass
            out.append(body)
        at += 12 + length
    return b"\n".join(out)


def _members(path: Path) -> Iterator[tuple[str, bytes]]:
    """A file's scannable contents: zips unzipped (traces), images reduced to their metadata."""
    data = path.read_bytes()
    name = path.name.lower()
    if name.endswith(".zip") or data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    content = archive.read(member)
                    if member.lower().endswith(IMAGE_MEMBERS):
                        content = png_metadata(content) if content.startswith(PNG_SIGNATURE) else b""
                    yield f"{path}!{member}", content
            return
        except zipfile.BadZipFile:
            pass
    if name.endswith(".png"):
        yield str(path), png_metadata(data)
    elif name.endswith(IMAGE_MEMBERS):
        yield str(path), b""
    else:
        yield str(path), data


def scan_folder(folder: Path, needles: Needles) -> list[Finding]:
    found = []
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            for where, content in _members(path):
                found.extend(needles.find(content, where))
    return found


def permission_problems(run_dir: Path, session_dir: Path | None = None, *, check_root: bool = True) -> list[Finding]:
    """Every folder of the run folder readable by its owner alone (0700), every file too (0600);
    saved sessions 0600. `check_root=False`: the run folder existed before the run (--run-dir on
    a folder of the person's own), and its own mode is theirs."""
    found = []
    if run_dir.exists():
        for path in [*([run_dir] if check_root else []), *run_dir.rglob("*")]:
            if path.is_symlink():
                continue
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                found.append(Finding(f"{path} (mode {mode:o})", "permissions"))
    if session_dir is not None and session_dir.exists():
        for file in session_dir.rglob("*"):
            if file.is_file() and stat.S_IMODE(file.stat().st_mode) != 0o600:
                found.append(Finding(f"{file} (mode {stat.S_IMODE(file.stat().st_mode):o})", "permissions"))
    return found


def cluster_secrets(cluster) -> dict[str, list[str]]:
    """The seeded passwords and TOTP secrets of a fixture cluster, as `leaks` takes them."""
    creds = [cluster.credentials[role] for role in ("old", "new")]
    return {"passwords": [c.password for c in creds], "otp_secrets": [c.otp_secret for c in creds if c.otp_secret]}


def leaks(run_dir: Path, output: str, *, passwords: Iterable[str], otp_secrets: Iterable[str] = (),
          between: tuple[float, float] | None = None, session_dir: Path | None = None,
          check_root: bool = True) -> list[Finding]:
    """Every secret found in `run_dir` or `output`, and every permission problem."""
    otp_secrets = list(otp_secrets)
    codes = otp_codes(otp_secrets, between) if between and otp_secrets else set()
    needles = Needles(list(passwords), otp_secrets, codes)
    found = scan_folder(run_dir, needles)
    found.extend(needles.find(output.encode(), "terminal output"))
    found.extend(permission_problems(run_dir, session_dir, check_root=check_root))
    return found
