"""Sections in the daily sync: the same run as teachers and students, once the Sections step is done."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cleverwizard.daily.sections import SECTIONS_NOT_IMPORTED
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, demo_platform_courses
from cleverwizard.store import StoreTransaction
from cleverwizard.store.models import Course, Section
from tests.daily.conftest import Daily, Run, opened, snapshot, students_at, teachers_at


@pytest.fixture
def sectioned(cw: Run, connected: str, district: SandboxDistrict, data_dir: Path) -> str:
    """Through the wizard's steps (with the demo course catalogue) and a first, full sync."""
    with opened(data_dir) as store, store.transaction() as tx:
        tx.put_courses([Course(id=tx.next_course_id(), **c) for c in demo_platform_courses(district)])
    for kind in ("teachers", "students", "sections"):
        result = cw("import", kind)
        assert result.exit_code == 0, result.output
    result = cw("sync")
    assert result.exit_code == 0, result.output
    return connected


def _stored(data_dir: Path) -> dict[str, Section]:
    with opened(data_dir) as store:
        return {s.clever_id or "": s for s in store.sections()}


def _account_ids(data_dir: Path) -> dict[str, int]:
    with opened(data_dir) as store:
        return {a.clever_id or "": a.id for a in [*store.teachers(), *store.students()]}


def _asked(api: SandboxAPI, before: Counter[str]) -> dict[str, int]:
    return {path: n - before.get(path, 0) for path, n in api.path_counts.items() if n != before.get(path, 0)}


def _per_run(district: SandboxDistrict) -> dict[str, int]:
    """The one request every run makes whatever changed: Clever's own sync state for the
    district (paused, failing), which the run reports and ``status`` shows."""
    return {f"/v3.0/districts/{district.district_id}": 1}


def _decided_pair(district: SandboxDistrict, data_dir: Path, school: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two sections of the same platform course, both with their course decided."""
    stored = _stored(data_dir)
    here = [
        s for s in district.sections_at_school(school) if stored[s["id"]].course_method not in (None, "not_in_list")
    ]
    for first in here:
        for second in here:
            if first is not second and first["course"] == second["course"]:
                return first, second
    raise AssertionError("the generated school has no two decided sections of one course")


def test_before_the_sections_step_the_sync_says_so_and_leaves_sections_alone(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    district.update_section(district.sections_at_school(synced)[0]["id"], name="Renamed class")
    result = cw("sync", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["notes"] == [SECTIONS_NOT_IMPORTED] and "sections" not in summary["counts"]
    assert summary["events_read"] == 0  # the section event is not even read
    assert SECTIONS_NOT_IMPORTED not in cw("sync").output  # a quiet day: one line, said before
    assert _stored(data_dir) == {} and not any("sections" in path for path in api.path_counts)


@pytest.mark.parametrize("full", [True, False], ids=["full", "events"])
def test_a_new_section_is_created_with_people_created_in_the_same_run(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI, full: bool
) -> None:
    sibling, _ = _decided_pair(district, data_dir, sectioned)
    newcomer = district.add_student(sectioned, "New", "Kid", sibling["grade"], "new.kid@example.org")
    pupil = students_at(district, sectioned)[0]
    teacher = teachers_at(district, sectioned)[0]
    section = district.add_section(
        sectioned,
        "Robotics Club",
        teachers=[teacher["id"]],
        students=[newcomer["id"], pupil["id"]],
        course=sibling["course"],
        term_id=sibling["term_id"],
    )
    before = Counter(api.path_counts)

    result = cw("sync", *(["--full"] if full else []), "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["students"]["created"] == 1
    assert summary["counts"]["sections"]["created"] == 1 and summary["counts"]["sections"]["flagged"] == 0
    accounts, stored = _account_ids(data_dir), _stored(data_dir)
    created = stored[section["id"]]
    assert created.student_ids == sorted([accounts[newcomer["id"]], accounts[pupil["id"]]])
    assert created.teacher_ids == [accounts[teacher["id"]]] and not created.flagged
    assert (created.course_id, created.course_method) == (stored[sibling["id"]].course_id, "same Clever course")
    assert (created.term_name, created.status) == (stored[sibling["id"]].term_name, "active")
    if not full:  # the course is needed to suggest one; the term is known from the stored sections
        assert _asked(api, before) == {
            **_per_run(district),
            "/v3.0/events": 1,
            f"/v3.0/schools/{sectioned}/courses": 1,
        }
    with opened(data_dir) as store:
        run = store.runs()[0]
    assert set(run.parts) == {"teachers", "students", "sections"} and run.parts["sections"].created == 1
    assert run.before["sections"] == {str(created.id): None}  # journaled, so the run can be undone
    undone = cw("undo", str(run.id))
    assert undone.exit_code == 0 and "left 0 as they are" in undone.output  # the class and its new pupil go together
    assert section["id"] not in _stored(data_dir) and newcomer["id"] not in _account_ids(data_dir)


def test_a_student_moved_in_clever_moves_here_for_one_request(
    daily: Daily, cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    source, target = _decided_pair(district, data_dir, sectioned)
    mover = source["students"][0]
    district.move_student(mover, source["id"], target["id"])
    before = Counter(api.path_counts)
    with opened(data_dir) as store:
        position = store.meta().last_event_id

    report = daily(data_dir)

    assert _asked(api, before) == {**_per_run(district), "/v3.0/events": 1}  # the events carry the new lists
    assert report.mode == "events" and report.events_read == 2
    sections = report.plans["sections"]
    assert {(c.action, c.clever_id) for c in sections.changes} == {("update", source["id"]), ("update", target["id"])}
    account, stored = _account_ids(data_dir)[mover], _stored(data_dir)
    assert account not in stored[source["id"]].student_ids and account in stored[target["id"]].student_ids
    again = daily(data_dir)
    assert again.events_read == 0 and again.changes == 0
    with opened(data_dir) as store, store.transaction() as tx:
        tx.meta.last_event_id = position  # the same events read again plan nothing
    replayed = daily(data_dir)
    assert replayed.events_read == 2 and replayed.changes == 0 and _stored(data_dir) == stored


@pytest.mark.parametrize("full", [True, False], ids=["full", "events"])
def test_a_section_deleted_in_clever_is_archived_not_deleted(
    daily: Daily, sectioned: str, district: SandboxDistrict, data_dir: Path, full: bool
) -> None:
    gone = district.sections_at_school(sectioned)[0]
    district.delete_section(gone["id"])
    report = daily(data_dir, full=full)
    assert report.plans["sections"].counts.archived == 1
    [change] = report.plans["sections"].of("archive")
    assert change.clever_id == gone["id"] and change.reason == "no longer in Clever for this school"
    stored = _stored(data_dir)
    assert stored[gone["id"]].status == "archived" and len(stored) == len(district.sections_at_school(sectioned)) + 1


def test_people_leaving_and_coming_back_update_the_sections_no_event_names(
    daily: Daily, cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    other = next(s for s in district.schools if s != sectioned)
    homeroom, _ = _decided_pair(district, data_dir, sectioned)  # decided: no course list needed
    pupil = homeroom["students"][0]
    role = district.users[pupil]["roles"]["student"]
    role.update(school=other, schools=[other])  # moved away; Clever's section still lists them
    district.update_user(pupil, grade=role["grade"])
    before = Counter(api.path_counts)

    away = cw("sync", "--verbose")  # every record; without it, one line per kind of problem

    assert away.exit_code == 0, away.output
    assert _asked(api, before) == {**_per_run(district), "/v3.0/events": 1, f"/v3.0/sections/{homeroom['id']}": 1}
    flags = [line for line in away.output.splitlines() if line.startswith("problem: section ")]
    assert len(flags) == 1 and f"(Clever id {homeroom['id']}): 1 of {len(homeroom['students'])} students" in flags[0]
    account = _account_ids(data_dir)[pupil]
    assert account not in _stored(data_dir)[homeroom["id"]].student_ids
    role.update(school=sectioned, schools=[sectioned])
    district.update_user(pupil, grade=role["grade"])

    back = daily(data_dir)

    assert back.plans["students"].counts.restored == 1 and back.plans["sections"].counts.updated == 1
    restored = _stored(data_dir)[homeroom["id"]]
    assert account in restored.student_ids and restored.missing_student_ids == [] and back.problems == []


def test_the_guard_holds_a_run_that_would_archive_many_sections(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path
) -> None:
    here = district.sections_at_school(sectioned)
    for section in here[:3]:
        district.delete_section(section["id"])
    before = snapshot(data_dir)

    dry = cw("sync", "--dry-run")
    held = cw("sync", "--json")

    assert dry.exit_code == 0 and snapshot(data_dir) == before
    assert dry.output.splitlines()[-1].startswith(f"Would be held: it would archive 3 of {len(here)} linked sections")
    assert held.exit_code == 3 and snapshot(data_dir) == before
    summary = json.loads(held.stdout)
    assert summary["held"] and summary["run_id"] is None and summary["counts"]["sections"]["archived"] == 3
    assert [(g["kind"], g["action"], g["count"], g["base"]) for g in summary["guard"]] == [
        ("section", "archive", 3, len(here))
    ]
    forced = cw("sync", "--force")
    assert forced.exit_code == 0, forced.output
    assert sum(s.status == "archived" for s in _stored(data_dir).values()) == 3


def test_a_dry_run_prints_the_section_changes_and_writes_nothing(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path
) -> None:
    source, target = _decided_pair(district, data_dir, sectioned)
    district.move_student(source["students"][0], source["id"], target["id"])
    district.add_student(sectioned, "New", "Kid", source["grade"], "new.kid@example.org", sections=[target["id"]])
    before = snapshot(data_dir)

    result = cw("sync", "--dry-run")

    assert result.exit_code == 0, result.output
    assert snapshot(data_dir) == before
    lines = result.output.splitlines()
    assert (
        "Sections named in the events or enrolling changed people: 0 new, 2 updated, 0 archived, 0 unchanged." in lines
    )
    assert f"  update: {source['name']} #{source['section_number']}; students +0 -1" in lines
    assert f"  update: {target['name']} #{target['section_number']}; students +2 -0" in lines
    summary = json.loads(cw("sync", "--dry-run", "--json").output)
    assert summary["dry_run"] and summary["counts"]["sections"]["updated"] == 2 and summary["run_id"] is None
    assert snapshot(data_dir) == before


def test_a_failure_while_writing_sections_leaves_people_unwritten_too(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = _decided_pair(district, data_dir, sectioned)
    district.add_student(sectioned, "New", "Kid", source["grade"], "new.kid@example.org", sections=[target["id"]])
    before = snapshot(data_dir)

    def put_sections(self: StoreTransaction, sections: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(StoreTransaction, "put_sections", put_sections)
        failed = cw("sync")

    assert failed.exit_code == 1 and snapshot(data_dir) == before  # one run: the new student is not saved either
    assert cw("sync").exit_code == 0
    new = _account_ids(data_dir)[district.sections[target["id"]]["students"][-1]]
    assert new in _stored(data_dir)[target["id"]].student_ids


# -- school, term and course events: renames reach the platform without --full (issue 9) --


def test_a_term_renamed_in_clever_reaches_every_section_through_events(
    cw: Run, sectioned: str, district: SandboxDistrict, api: SandboxAPI, data_dir: Path
) -> None:
    with opened(data_dir) as store:
        term_id = next(s.clever_term_id for s in store.sections() if s.clever_term_id and s.status == "active")
    district.update_record("terms", term_id, name="Autumn Semester (renamed)")
    api.path_counts.clear()
    result = cw("sync")
    assert result.exit_code == 0, result.output
    assert "event log" in result.output.splitlines()[0]  # not a full comparison
    with opened(data_dir) as store:
        in_term = [s for s in store.sections() if s.clever_term_id == term_id]
    assert in_term and all(s.term_name == "Autumn Semester (renamed)" for s in in_term)
    assert not any(path.endswith("/users") for path in api.path_counts)  # people were not re-read


def test_a_school_renamed_in_clever_is_renamed_here_through_events(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.update_record("schools", sectioned, name="Renamed Elementary")
    result = cw("sync")
    assert result.exit_code == 0, result.output
    with opened(data_dir) as store:
        site = store.site()
    assert site is not None and site.school_name == "Renamed Elementary"
    assert "Renamed Elementary" in cw("status").output
