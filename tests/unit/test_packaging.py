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


# --- what a user installs ------------------------------------------------------------------------
FIXTURE_STACK = ("starlette", "uvicorn", "jinja2", "multipart", "python_multipart", "httpx", "yaml", "PIL")
WITHOUT_FIXTURE_STACK = f"""
import importlib, importlib.abc, pkgutil, sys
BLOCKED = {FIXTURE_STACK!r}
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, NotInstalled())
import mastomove.agent, mastomove.flows
imported = []
for package in (mastomove.agent, mastomove.flows):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.startswith("mastomove.flows.checks"):  # the check extra's pytest suite
            importlib.import_module(module.name)
            imported.append(module.name)
print(len(imported), "modules")
from mastomove.agent.cli import app
app(["demo"])
"""


def test_the_agent_runs_without_the_imitation_servers_stack():
    done = subprocess.run([sys.executable, "-c", WITHOUT_FIXTURE_STACK], capture_output=True, text=True, timeout=120,
                          cwd=PROJECT, env={**__import__("os").environ, "COLUMNS": "200"})
    output = done.stdout + done.stderr
    assert "modules" in done.stdout, output  # every module of the agent and the flows imported
    # `mastomove demo` says what to install, and stops with bad input (2)
    assert done.returncode == 2, output
    assert "pip install 'mastomove[demo]'" in output, output


def test_dependencies_are_bounded_and_the_fixture_stack_is_an_extra():
    import tomllib

    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    core = project["dependencies"]
    names = {re.split(r"[<>=\[ ]", requirement)[0].lower() for requirement in core}
    assert not names & {"starlette", "uvicorn", "jinja2", "python-multipart", "httpx", "pyyaml", "pillow"}, names
    extras = project["optional-dependencies"]
    every = core + [r for group in extras.values() for r in group if not r.startswith("mastomove[")]
    assert [r for r in every if "<" not in r] == [], "every dependency has an upper bound"
    assert "mastomove[demo,check]" in extras["test"]
    pinned = {line.split("==")[0].lower() for line in (PROJECT / "constraints.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert {re.split(r"[<>=\[ ]", r)[0].lower() for r in every} <= pinned, "constraints.txt pins every dependency"
    assert "-c constraints.txt" in (PROJECT / "Makefile").read_text()


def test_the_command_line_starts_without_importing_the_heavy_parts():
    # `mastomove --help` stays instant: Playwright, pydantic, structlog and the flows load when a
    # command runs, not when the command line is read.
    probe = ("import sys; import mastomove.agent.cli; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('playwright', 'pydantic', 'pydantic_settings', "
             "'structlog', 'tenacity', 'pyotp') or m.startswith('mastomove.flows')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=PROJECT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
