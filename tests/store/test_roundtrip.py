"""Every model survives a save and a fresh open unchanged, and reads are defensive copies."""

from __future__ import annotations

from pathlib import Path

from cleverwizard.store import (
    MatchDecision,
    Meta,
    Problem,
    RosterStore,
    Run,
    RunCounts,
    Site,
    Student,
    Teacher,
)
from tests.store.conftest import make_student, make_teacher


def full_teacher() -> Teacher:
    return Teacher(
        id=7,
        clever_id="5f1a0c",
        first_name="Zoë",
        last_name="Łukasz-漢字",
        email="zoe@school.example",
        source="clever",
        status="archived",
        sis_id="T-0042",
        clever_email="zoe.old@school.example",
        edited=["email", "first_name"],
        schools=["sch-1", "sch-2"],
        created_at="2025-01-02T03:04:05Z",
        updated_at="2025-02-03T04:05:06Z",
        title="Dr.",
    )


def full_student() -> Student:
    return Student(
        id=8,
        clever_id="6a2b1d",
        first_name="Éamon",
        last_name="O'Brien",
        email=None,
        source="manual",
        status="active",
        sis_id="S-1",
        clever_email="eamon@school.example",
        edited=["grade"],
        schools=["sch-1"],
        grade="",
        school="sch-1",
        created_at="2025-01-02T03:04:05Z",
        updated_at="2025-01-02T03:04:05Z",
    )


def full_run() -> Run:
    return Run(
        id=1,
        kind="import students",
        started_by="admin@school.example",
        at="2025-03-04T05:06:07Z",
        counts=RunCounts(created=3, linked=2, updated=1, archived=1, restored=1, flagged=4, unchanged=9),
        problems=[
            Problem(kind="student", clever_id="x1", name="Ann Lee", issue="No email", fix="Add an email in the SIS")
        ],
        before={"students": {"8": full_student().model_dump(), "9": None}, "teachers": {}},
    )


def test_every_model_round_trips_through_the_file(store: RosterStore, data_dir: Path) -> None:
    site = Site(
        district_id="d-1", district_name="Springfield", school_id="sch-1", school_name="Elm", school_grades="K-5"
    )
    match = MatchDecision(account_id=7, clever_id="5f1a0c", method="email", decided_at="2025-01-01T00:00:00Z")
    not_listed = MatchDecision(account_id=9, clever_id=None, method="not_in_list")
    with store.transaction() as tx:
        tx.site = site
        tx.put_teacher(full_teacher())
        tx.put_student(full_student())
        tx.set_match(match)
        tx.set_match(not_listed)
        tx.add_run(full_run())
        tx.meta.last_event_id = "evt-99"
        tx.meta.last_sync_at = "2025-04-05T06:07:08Z"
        tx.meta.teachers_imported_at = "2025-04-01T00:00:00Z"
        tx.meta.students_imported_at = "2025-04-02T00:00:00Z"

    reopened = RosterStore.open(data_dir)
    for view in (store, reopened):
        assert view.site() == site
        assert view.teachers() == [full_teacher()]
        assert view.students() == [full_student()]
        assert view.student(8) is not None and view.student(8).grade == ""  # "" is kept apart from None
        assert view.matches() == {7: match, 9: not_listed}
        assert view.runs() == [full_run()]
        assert view.run(1) == full_run()
        meta = view.meta()
        assert (meta.last_event_id, meta.last_sync_at) == ("evt-99", "2025-04-05T06:07:08Z")
        assert (meta.teachers_imported_at, meta.students_imported_at) == (
            "2025-04-01T00:00:00Z",
            "2025-04-02T00:00:00Z",
        )
        assert meta.revision == 1
    reopened.close()


def test_fresh_store_is_empty_at_revision_zero(store: RosterStore) -> None:
    assert store.meta() == Meta(revision=0)
    assert store.revision == 0
    assert store.site() is None
    assert (store.teachers(), store.students(), store.matches(), store.runs()) == ([], [], {}, [])
    assert store.teacher(1) is None and store.student(1) is None and store.run(1) is None


def test_non_ascii_names_are_stored_as_ascii_json(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_teacher(full_teacher())
    raw = store.path.read_bytes()
    assert raw.isascii()
    assert store.teacher(7) is not None and store.teacher(7).last_name == "Łukasz-漢字"


def test_reads_are_copies_that_cannot_change_the_store(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1, edited=["email"]))
        tx.add_run(full_run())
        tx.site = Site(district_id="d-1")
    student = store.students()[0]
    student.first_name = "Changed"
    student.edited.append("grade")
    run = store.runs()[0]
    before = run.before["students"]["8"]
    assert isinstance(before, dict)
    before["first_name"] = "Changed"
    site = store.site()
    assert site is not None
    site.district_id = "changed"

    assert store.student(1) == make_student(1, edited=["email"])
    assert store.runs()[0] == full_run()
    stored_site = store.site()
    assert stored_site is not None and stored_site.district_id == "d-1"


def test_put_takes_a_snapshot(store: RosterStore) -> None:
    student = make_student(1)
    with store.transaction() as tx:
        tx.put_student(student)
        student.first_name = "Later"
        assert tx.student(1) is not None and tx.student(1).first_name == "Ana"  # type: ignore[union-attr]
    assert store.student(1) is not None and store.student(1).first_name == "Ana"  # type: ignore[union-attr]


def test_teachers_and_students_are_sorted_by_id_and_runs_newest_first(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_teachers([make_teacher(30), make_teacher(3), make_teacher(12)])
        tx.put_students([make_student(20), make_student(2)])
        for _ in range(3):
            tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="cron"))
    assert [t.id for t in store.teachers()] == [3, 12, 30]
    assert [s.id for s in store.students()] == [2, 20]
    assert [r.id for r in store.runs()] == [3, 2, 1]
