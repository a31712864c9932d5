"""The project installs under one name: the folders agent/, flows/ and fixtures/ are mastomove.agent,
mastomove.flows and mastomove.fixtures, and nothing imports them by their folder names."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FOLDER_IMPORT = re.compile(r"^\s*(?:from|import)\s+(agent|flows|fixtures)(?:\.|\s|$)", re.M)


def test_nothing_imports_a_folder_by_its_bare_name():
    # From the checkout, `import agent` would still work (the folder is on sys.path) and load a
    # second copy of every module beside mastomove.agent: error classes would stop matching.
    offenders = []
    for path in PROJECT.rglob("*.py"):
        if {".venv", ".git"} & set(path.relative_to(PROJECT).parts[:1]):
            continue
        for match in FOLDER_IMPORT.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PROJECT)}: {match.group(0).strip()}")
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_holds_only_the_mastomove_package(tmp_path):
    # the venv's own setuptools when it is recent enough: no download during the test
    isolation = ["--no-build-isolation"] if _has_recent_setuptools() else []
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *isolation,
                            "-w", str(tmp_path), str(PROJECT)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("mastomove-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"mastomove"}
    # the fixture server's templates and the check suite's pytest.ini travel with the code
    assert "mastomove/fixtures/templates/auth/sessions/new.html" in names
    assert "mastomove/flows/checks/pytest.ini" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "mastomove = mastomove.agent.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _has_recent_setuptools() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68
