"""The run report: one self-contained HTML file listing every step with its screenshots, the counts
verified against the servers, what was saved, and what is left for the person; `mastomove report`
builds it again."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from e2e_runs import clean_env, mastomove, traced_migration
from mastomove.flows.plan import migration_steps

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class Page(HTMLParser):
    """What a reader of report.html sees: sections per step, their images, table rows, and every
    address the page would load something from."""

    def __init__(self, text: str):
        super().__init__()
        self.steps: dict[str, dict] = {}
        self.current: str | None = None
        self.depth = 0
        self.loads: list[str] = []
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("data-step"):
            self.current, self.depth = attrs["data-step"], 0
            self.steps[self.current] = {"images": [], "files": [], "text": ""}
        elif tag == "section" and self.current:
            self.depth += 1
        if tag in ("img", "script", "link", "iframe") and (attrs.get("src") or attrs.get("href")):
            self.loads.append(attrs.get("src") or attrs.get("href"))
        if tag == "img" and self.current and attrs.get("data-file"):
            self.steps[self.current]["images"].append(attrs)
            self.steps[self.current]["files"].append(attrs["data-file"])
        if tag == "tr":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "section" and self.current:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.current:
            self.steps[self.current]["text"] += data
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture
def migrated(fixture_cluster, tmp_path_factory):
    return traced_migration(fixture_cluster, tmp_path_factory.mktemp("shared"))


def test_the_report_lists_every_step_with_screenshots_and_verified_counts(migrated):
    assert migrated.code == 0, migrated.output
    report = migrated.run_dir / "report.html"
    page = Page(report.read_text())

    # every step of the plan, done, with the screenshots the log says it took, embedded full size
    logged: dict[str, list[str]] = {}
    for line in (migrated.run_dir / "log.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event.get("event") == "screenshot" and event.get("file"):
            logged.setdefault(event["step"], []).append(event["file"])
    results = migrated.state()["steps"]
    for step in migration_steps():
        shown = page.steps.get(step.name)
        assert shown is not None, f"no section for {step.name}"
        assert "done" in shown["text"], step.name
        assert shown["files"] == logged.get(step.name, []), step.name
        # A step with nothing to do on these servers (the lists recreation, where lists import) shows none.
        assert shown["files"] or (results[step.name].get("result") or {}).get("skipped"), step.name
        for image in shown["images"]:
            assert image["src"].startswith("data:image/png;base64,") and "zoom" in image["class"]
    # self-contained: nothing is loaded from anywhere else
    assert all(src.startswith("data:") for src in page.loads), [s for s in page.loads if not s.startswith("data:")]

    # the counts: rows of each CSV against what the new server imported, as the servers hold them
    before, after = migrated.before_old, migrated.after_new
    table = {row[0]: row for row in page.rows if len(row) == 8}
    expected = {"follows": len(before["follows"]), "lists": sum(len(lst["members"]) for lst in before["lists"]),
                "blocks": len(before["blocks"]), "mutes": len(before["mutes"]),
                "domain blocks": len(before["domain_blocks"]), "bookmarks": len(before["bookmarks"])}
    # what the new server holds now (a follow of a locked account is a request until approved)
    held = {"follows": len(after["follows"]) + len(after["follow_requests"]),
            "lists": sum(len(lst["members"]) for lst in after["lists"]),
            "blocks": len(after["blocks"]), "mutes": len(after["mutes"]),
            "domain blocks": len(after["domain_blocks"]), "bookmarks": len(after["bookmarks"])}
    for name, count in expected.items():
        assert table[name][1] == str(count), (name, table[name])  # rows in the CSV = what the old account had
        assert held[name] == count, (name, held[name], count)  # all of it arrived on the new server
        assert table[name][3] == str(held[name]) and "all imported" in table[name][7], (name, table[name])
    assert table["follows"][6] == str(len(after["follow_requests"]))

    # what was saved, and what is left for the person: the follow requests the new server holds
    assert "Saved before the move" in report.read_text()
    left = migrated.summary()["left_to_you"]
    requests = next(item for item in left if item["kind"] == "follow_requests")
    held = {r["acct"] for r in after["follow_requests"]}
    assert set(requests["accounts"]) == held and held
    assert f"{len(held)} follow request(s)" in report.read_text()


def test_report_command_builds_it_again(migrated, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in migrated.run_dir.iterdir():
        if item.is_file() and item.name != "report.html":
            (copy / item.name).write_bytes(item.read_bytes())
    (copy / "screenshots").mkdir()
    for shot in (migrated.run_dir / "screenshots").glob("*.png"):
        (copy / "screenshots" / shot.name).write_bytes(shot.read_bytes())

    built = mastomove("report", str(copy), env=clean_env())
    assert built.returncode == 0, built.stdout + built.stderr
    assert str(copy / "report.html") in re.sub(r"\s", "", built.stdout + built.stderr)
    again, original = Page((copy / "report.html").read_text()), Page((migrated.run_dir / "report.html").read_text())
    assert {name: s["files"] for name, s in again.steps.items()} == {name: s["files"] for name, s in original.steps.items()}

    not_a_run = mastomove("report", str(tmp_path / "nothing"), env=clean_env())
    assert not_a_run.returncode == 2
    assert not Path(tmp_path / "nothing" / "report.html").exists()
