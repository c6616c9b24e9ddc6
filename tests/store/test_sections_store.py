"""Sections and the course catalogue: round trips, copies, ids never reused, older files."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.store import Course, RosterStore, Section
from tests.store.conftest import FIXED_TIME


def full_section(id: int = 4) -> Section:
    return Section(
        id=id,
        clever_id="sec-1",
        school="sch-1",
        name="Álgebra 1 - P3",
        section_number="12",
        sis_id="101-00012",
        period="3",
        subject="math",
        grade="",
        clever_term_id="term-1",
        term_name="Fall 2025",
        term_start="2025-08-18",
        term_end="2025-12-19",
        clever_course_id="crs-1",
        course_id=2,
        course_method="same name",
        teacher_ids=[9, 3],
        student_ids=[11, 12],
        missing_teacher_ids=[],
        missing_student_ids=["stu-x"],
        status="archived",
        created_at=FIXED_TIME,
        updated_at=FIXED_TIME,
    )


def full_course(id: int = 2) -> Course:
    return Course(
        id=id,
        name="Algebra I",
        subject="math",
        grades=["8", "9"],
        number="MA-ALG1",
        created_at=FIXED_TIME,
        updated_at=FIXED_TIME,
    )


def test_sections_and_courses_round_trip_through_the_file(store: RosterStore, data_dir: Path) -> None:
    with store.transaction() as tx:
        tx.put_sections([full_section()])
        tx.put_courses([full_course(), Course(id=5, name="Orchestra", created_at=FIXED_TIME, updated_at=FIXED_TIME)])
    with RosterStore.open(data_dir) as reopened:
        for view in (store, reopened):
            assert view.sections() == [full_section()]
            assert view.section(4) == full_section() and view.section(5) is None
            assert [c.name for c in view.courses()] == ["Algebra I", "Orchestra"]
            assert view.course(2) == full_course()
            stored = view.section(4)
            assert stored is not None and stored.grade == ""  # "" stays apart from None


def test_section_reads_are_copies_and_put_takes_a_snapshot(store: RosterStore) -> None:
    section = full_section()
    with store.transaction() as tx:
        tx.put_sections([section])
        section.student_ids.append(99)
        assert tx.section(4) == full_section()
    read = store.sections()[0]
    read.student_ids.append(100)
    assert store.section(4) == full_section()


def test_section_and_course_ids_are_never_handed_out_twice(store: RosterStore) -> None:
    with store.transaction() as tx:
        first = tx.next_section_id()
        tx.put_sections([full_section(first)])
        course = tx.next_course_id()
        tx.put_courses([full_course(course)])
    with store.transaction() as tx:
        assert tx.remove_section(first) is True and tx.remove_course(course) is True
        assert tx.remove_section(first) is False
    with store.transaction() as tx:
        assert tx.next_section_id() == first + 1
        assert tx.next_course_id() == course + 1
    assert store.sections() == [] and store.courses() == []
    meta = store.meta()
    assert (meta.last_section_id, meta.last_course_id) == (first + 1, course + 1)


def test_a_file_from_before_sections_opens_with_empty_tables(data_dir: Path) -> None:
    with RosterStore.open(data_dir) as store, store.transaction() as tx:
        tx.meta.teachers_imported_at = FIXED_TIME
    raw = json.loads((data_dir / "roster.json").read_text())
    del raw["sections"], raw["courses"]
    (data_dir / "roster.json").write_text(json.dumps(raw))
    with RosterStore.open(data_dir) as store:
        assert store.sections() == [] and store.courses() == []
        with store.transaction() as tx:
            tx.put_sections([full_section()])
        assert [s.id for s in store.sections()] == [4]


def test_flagged_means_missing_people_or_no_teacher() -> None:
    assert full_section().flagged  # a student is missing
    assert not full_section().model_copy(update={"missing_student_ids": []}).flagged
    assert Section(id=1, teacher_ids=[], student_ids=[1]).flagged  # no teacher at all
