"""The steps' typed results (agent.steps.StepResult): each step's dataclass, through the state
file's JSON and back, and the report sections, follow-ups and `mastomove watch` baseline made from
them. Every field is set in the samples below and read by attribute, so a renamed field fails here
(a TypeError building the sample, an AttributeError rendering it) instead of showing '-' in a
report. No browser."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from mastomove.agent.evidence import Evidence
from mastomove.agent.person import ConsolePerson
from mastomove.agent.report import build_report
from mastomove.agent.results import SavedResults, followups, from_json, sections, to_json
from mastomove.agent.runner import RunContext, Runner
from mastomove.agent.state import RunState
from mastomove.agent.steps import Account, Handle, Plan, Role, StepResult
from mastomove.flows.followup import watch_baseline
from mastomove.flows.plan import migration_steps
from mastomove.flows.steps.alias import AliasResult
from mastomove.flows.steps.announce import AnnounceResult
from mastomove.flows.steps.backup import Archive, BackupResult, FollowerBaseline, SavedItem
from mastomove.flows.steps.export import ExportedFile, ExportResult
from mastomove.flows.steps.followers import ArrivalsResult
from mastomove.flows.steps.imports import ImportOutcome, ImportsResult, ImportState, import_state
from mastomove.flows.steps.lists import ListsResult, RecreatedList
from mastomove.flows.steps.move import MoveResult
from mastomove.flows.steps.preflight import PreflightResult
from mastomove.flows.steps.profile import ProfileResult
from mastomove.flows.steps.sign_in import SignedIn, SignInResult
from mastomove.flows.steps.verify import FollowerCounts, VerifyResult

# A run on a 4.1 new server (lists recreated, blocks handed over without progress) with some of
# everything left to do: one sample per step, every field set.
SAMPLES: list[StepResult] = [
    SignInResult(old=SignedIn(reused_session=False, two_factor=True), new=SignedIn(reused_session=True),
                 report=["Signed in to alice@old.example (old) with the sign-in form"]),
    ProfileResult(skipped=False, moved=False, changed=True, copied={"display_name": "Alice", "note": "hi", "fields": []},
                  images={"avatar": "/run/profile/avatar.png"}, descriptions={"avatar": "Alice at the door"},
                  old_kind="form", new_kind="editor", limits={"max_fields": 4}, errors=["header too big"],
                  report=["Profile: copied display name, bio and fields"]),
    AnnounceResult(skipped=False, posted=True, posted_now=True, status_id="7", url="https://new.example/@alice/7",
                   visibility="public", report=["Announcement: posted"]),
    ExportResult(files={"follows": ExportedFile(path="/run/exports/follows.csv", rows=40, page_count=41),
                        "lists": ExportedFile(path="/run/exports/lists.csv", rows=3, page_count=None,
                                              list_names=["Friends"]),
                        "blocks": ExportedFile(path="/run/exports/blocks.csv", rows=4, page_count=4)},
                 not_offered=["bookmarks"], filters_offered=False, report=["Export: follows 40 row(s)"]),
    ImportsResult(version="legacy", mode="merge", lists={
        "follows": ImportOutcome(import_id="1", rows=40, finished=True, id="1", imported=38, total=40, failures=2,
                                 state="finished", failures_file="imports/follows_failures.csv",
                                 follow_requests=["a@remote.test", "b@remote.test"], report=["Import: follows"]),
        "lists": ImportOutcome(skipped="unsupported"),
        "blocks": ImportOutcome(rows=4, finished=None, legacy=True),
        "domain_blocks": ImportOutcome(skipped="unsupported"),
    }, report=["Import: follows 38 of 40 imported"]),
    ListsResult(skipped=False, recreated={"Friends": RecreatedList(id="5", members=["c@remote.test"],
                                                                    not_added=["d@remote.test"])},
                report=["Lists: \"Friends\" recreated"]),
    AliasResult(alias="alice@old.example", created=True, report=["Alias: created"]),
    PreflightResult(already_moved=False, checks={"new_unlocked": "unlocked", "alias_published": True},
                    old_actor="https://old.example/users/alice", new_actor="https://new.example/users/alice",
                    report=["Checked: alice@new.example now accepts followers without approval"]),
    BackupResult(skipped=False, folder="/run/backup",
                 saved=[SavedItem(what="notifications", count=12, files=["backup/notifications.json"], complete=True,
                                  screenshots=["screenshots/010-backup-notifications-end.png"])],
                 archive=Archive(state="cooldown", line="the latest archive", created_at="2025-01-01 10:00 UTC",
                                 next_allowed_at="2025-01-08 10:00 UTC", page="https://old.example/settings/export",
                                 file=None, bytes=None, entries=None),
                 baseline=FollowerBaseline(at="2025-01-02T10:00:00+00:00", old_followers=13, new_followers=1),
                 report=["Saved: 12 notification(s)"]),
    MoveResult(moved_to="alice@new.example", already=False, attempts=1, followers_before=13,
               accepted_at="2025-01-02T10:05:00+00:00", report=["Move: alice@old.example now redirects to alice@new.example"]),
    VerifyResult(redirect=True, moved_public=True, alias=True,
                 followers=FollowerCounts(at_start=2, at_end=9, expected=13), report=["Verify: 9 of 13"]),
    ArrivalsResult(compared=True, at="2025-01-02T11:00:00+00:00", old="alice@old.example", new="alice@new.example",
                   counts={"saved": 13, "arrived": 9, "waiting": 1, "not_arrived": 3, "excluded": 0}, complete=False,
                   servers=[{"server": "gone.test", "arrived": 0, "waiting": 0, "not_arrived": 3, "reason": "gone"}],
                   files=["followers-check.json", "not-arrived.csv"], report=["Followers: 9 of 13 arrived"]),
]


def saved(results: list[StepResult]) -> SavedResults:
    """As the state file holds them: JSON text, read back."""
    steps = {r.step: {"status": "done", "result": r} for r in results}
    return SavedResults(json.loads(json.dumps({n: {**rec, "result": to_json(rec["result"])} for n, rec in steps.items()})))


def test_every_step_declares_its_result_and_each_sample_sets_every_field():
    steps = migration_steps()
    assert [s.name for s in steps] == [sample.step for sample in SAMPLES]
    for step, sample in zip(steps, SAMPLES):
        assert step.result_type is type(sample) and step.result_type.step == step.name
        assert issubclass(step.result_type, StepResult) and dataclasses.is_dataclass(step.result_type)
        empty = step.result_type()  # every field has a default: an older state file still loads
        unset = [f.name for f in dataclasses.fields(sample) if getattr(sample, f.name) == getattr(empty, f.name)
                 and getattr(empty, f.name) is not False]  # a flag left False is a sample too
        assert not unset, f"{step.name}: the sample leaves {unset} at the default; set them so a rename is caught"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.step)
def test_a_result_round_trips_through_the_state_file(sample):
    text = json.dumps(to_json(sample))
    assert from_json(type(sample), json.loads(text)) == sample
    assert saved([sample]).of(type(sample)) == sample


def test_a_step_returning_a_dict_is_refused():
    with pytest.raises(TypeError, match="StepResult"):
        to_json({"report": []})  # type: ignore[arg-type]


def test_the_report_sections_come_from_the_steps(tmp_path):
    results = saved(SAMPLES)
    found = {section.title: section for section in sections(migration_steps(), results)}
    assert list(found) == ["Verified: the lists", "Saved before the move"]
    counts = found["Verified: the lists"].table
    rows = {row[0].text: [cell.text for cell in row] for row in counts.rows}
    assert rows["follows"] == ["follows", "40", "41", "38", "40", "2", "2", "38 of 40 imported"]
    assert rows["lists"][-1] == "not imported (unsupported)" and rows["blocks"][-1].startswith("handed to the server")
    backup = found["Saved before the move"]  # (followers: who came along is file-based, see agent/report.py)
    assert [cell.text for cell in backup.table.rows[0]][:2] == ["notifications", "12"]
    assert "2025-01-08 10:00 UTC" in backup.lines[0].text

    # and agent.report renders them without knowing what they are about; text is escaped
    run_dir = tmp_path / "run"
    state = RunState.open(run_dir / "state.json", old="alice@old.example", new="alice@new.example")
    for sample in SAMPLES:
        state.finish(sample.step, sample)
    page = build_report(run_dir, migration_steps())
    assert "<h2>Verified: the lists</h2>" in page and "<table class=counts>" in page
    assert '<span class="bad">38 of 40 imported</span>' in page and "<h2>Saved before the move</h2>" in page
    assert "Verified: the lists" not in build_report(run_dir)  # no steps given: no step sections


def test_what_is_left_comes_from_each_step():
    """A 4.1 server that cannot import lists (recreated, one member missing) nor domain blocks, a
    list import with failures, follow requests to locked accounts, followers still on their way."""
    left = {item.kind: item for item in followups(migration_steps(), saved(SAMPLES))}
    assert set(left) == {"filters_not_exported", "not_exported", "not_importable", "import_failures",
                         "unverified_import", "follow_requests", "list_members_missing", "unlocked",
                         "archive_cooldown", "followers_not_arrived", "followers_waiting"}
    assert left["not_importable"].list == "domain_blocks" and "4.1" in left["not_importable"].what
    assert left["import_failures"].count == 2 and "imports/follows_failures.csv" in left["import_failures"].how
    assert left["follow_requests"].accounts == ["a@remote.test", "b@remote.test"]
    assert left["list_members_missing"].accounts == ["d@remote.test"]
    assert "gone.test (3)" in left["followers_not_arrived"].what and left["followers_waiting"].count == 1
    # Without the one-by-one comparison (no followers list saved): the verify step's count.
    counted = {i.kind: i for i in followups(migration_steps(), saved([s for s in SAMPLES if s.step != "arrivals"]))}
    assert "followers_not_arrived" not in counted and counted["followers_moving"].count == 4
    assert "mastomove watch" in counted["followers_moving"].how
    assert "2025-01-08" in left["archive_cooldown"].how
    assert left["follow_requests"].as_dict() == {
        "kind": "follow_requests", "what": left["follow_requests"].what, "how": left["follow_requests"].how,
        "accounts": ["a@remote.test", "b@remote.test"], "count": 2}
    # Lists not recreated at all: the lists themselves are left, with how to recreate them.
    no_lists = [s for s in SAMPLES if s.step != "lists"]
    kinds = [(i.kind, i.list) for i in followups(migration_steps(), saved(no_lists))]
    assert ("not_importable", "lists") in kinds and ("list_members_missing", "lists") not in kinds
    # Everything imported, nothing left.
    clean = ImportsResult(lists={"follows": ImportOutcome(imported=3, total=3, failures=0, rows=3, finished=True)})
    assert followups(migration_steps(), saved([clean])) == []


def test_a_state_file_of_an_older_mastomove_still_reads():
    """Results saved as the dicts mastomove wrote before they were typed: unknown keys ignored,
    missing ones at their default; a value that no longer fits reads as no result."""
    old = SavedResults({
        "imports": {"status": "done", "result": {"version": "bulk", "mode": "merge", "lists": {
            "follows": {"import_id": "1", "rows": 3, "id": "1", "imported": 3, "total": 3, "failures": 0,
                        "finished": True, "state": "finished", "follow_requests": []}}, "report": ["Import: x"]}},
        "move": {"status": "done", "result": {"report": ["already done in an earlier run"]}},
        "backup": {"status": "done", "result": {"skipped": False, "saved": [{"what": "archive", "count": None,
                                                                             "files": ["backup/a.zip"]}],
                                                "baseline": {"at": "x", "old_followers": 5, "new_followers": 0},
                                                "retired_key": 1}},
        "verify": {"status": "done", "result": {"followers": "many"}},
    })
    imports = old.of(ImportsResult)
    assert imports is not None and imports.lists["follows"].complete and imports.lists["follows"].report == []
    assert old.of(MoveResult) == MoveResult(report=["already done in an earlier run"])
    assert old.of(BackupResult).saved[0].files == ["backup/a.zip"] and old.of(BackupResult).archive is None
    assert old.of(VerifyResult) is None  # no longer reads: as if not done
    assert old.of(ExportResult) is None  # not run
    assert watch_baseline(old, []) == (5, 0)  # no count noted by the move: the backup's baseline
    assert watch_baseline(saved(SAMPLES), []) == (13, 1)
    assert watch_baseline(SavedResults({}), [{"expected": 7}]) == (7, None)


def test_the_verify_step_reads_when_the_move_was_accepted():
    import datetime as dt

    from mastomove.flows.steps.verify import moved_just_now

    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    assert moved_just_now(MoveResult(accepted_at=now))
    assert not moved_just_now(MoveResult(accepted_at=now, already=True)) and not moved_just_now(None)
    assert not moved_just_now(saved([SAMPLES[-3]]).of(MoveResult))  # accepted long ago: a resumed run reads again


def test_the_import_states_are_an_enum_in_the_notes():
    assert {s.value for s in ImportState} == {"uploading", "uploaded", "confirmed", "finished", "cancelled",
                                              "submitting", "submitted"}
    noted = json.loads(json.dumps({"state": ImportState.CONFIRMED}))  # as the state file keeps notes
    assert noted == {"state": "confirmed"} and import_state(noted) is ImportState.CONFIRMED
    assert import_state({}) is None
    with pytest.raises(ValueError):
        import_state({"state": "half-done"})  # an unknown state is not guessed at


class Remembered:
    """A step whose saved result no longer reads: the runner runs it again instead of trusting it."""

    name, title, irreversible, result_type = "verify", "verify", False, VerifyResult

    def __init__(self):
        self.runs = self.verifies = 0

    def run(self, ctx):
        self.runs += 1
        return VerifyResult(redirect=True, report=["ran"])

    def verify(self, ctx):
        self.verifies += 1
        return True


def test_a_saved_result_that_no_longer_reads_makes_the_step_run_again(tmp_path):
    run_dir = tmp_path / "run"
    state = RunState.open(run_dir / "state.json", old="bob@old.example", new="bob@new.example")
    state.step("verify").update(status="done", result={"followers": "many"})
    accounts = {Role.OLD: Account(Role.OLD, Handle("bob", "old.example"), "https://old.example", "b@x"),
                Role.NEW: Account(Role.NEW, Handle("bob", "new.example"), "https://new.example", "b@x")}
    ctx = RunContext(settings=None, accounts=accounts, evidence=Evidence(run_dir), state=state,
                     person=ConsolePerson(interactive=False), pages=lambda role: None)
    step = Remembered()
    Runner(Plan(steps=[step], sign_in=lambda ctx, role: None), ctx).run()
    assert (step.runs, step.verifies) == (1, 0)
    assert ctx.result_of(VerifyResult).redirect and json.loads(Path(run_dir / "state.json").read_text())[
        "steps"]["verify"]["result"]["redirect"] is True


def test_a_step_whose_result_names_another_step_is_refused(tmp_path):
    class Misnamed(Remembered):
        name = "check"

    state = RunState.open(tmp_path / "state.json", old="bob@old.example", new="bob@new.example")
    ctx = RunContext(settings=None, accounts={}, evidence=Evidence(tmp_path), state=state,
                     person=ConsolePerson(interactive=False), pages=lambda role: None)
    with pytest.raises(ValueError, match="result of 'verify'"):
        Runner(Plan(steps=[Misnamed()], sign_in=lambda ctx, role: None), ctx)
