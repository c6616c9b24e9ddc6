"""Applying section plans to a real store: one write, one run, the undo journal, stale plans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cleverwizard.people.build import PlatformView
from cleverwizard.runs.journal import Journal
from cleverwizard.runs.steps import StalePlan
from cleverwizard.runs.undo import undo_run
from cleverwizard.sections.apply import apply_section_plan, apply_sections
from cleverwizard.sections.build import plan_sections
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Student, Teacher
from tests.sections.factories import FALL, clever_course, clever_section, course
from tests.sync.factories import SCHOOL

MATH7 = clever_course("Math 7")
SECTIONS = [
    clever_section("Math 7 - P1", MATH7, teachers=["t-1"], students=["s-1", "s-2"], id="sec-1"),
    clever_section("Math 7 - P2", MATH7, teachers=["t-1"], students=["s-3", "s-missing"], id="sec-2"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RosterStore]:
    opened = RosterStore.open(tmp_path / "data")
    with opened.transaction() as tx:
        tx.put_teachers([Teacher(id=tx.next_account_id(), clever_id="t-1", first_name="Ann")])
        tx.put_students([Student(id=tx.next_account_id(), clever_id=f"s-{n}") for n in (1, 2, 3)])
        tx.put_courses([course(tx.next_course_id(), "Math 7", "math", ["7"])])
    yield opened
    opened.close()


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(
        store.teachers(), store.students(), store.matches(), store.revision, store.sections(), store.courses()
    )


def _plan(store: RosterStore, sections=SECTIONS):  # type: ignore[no-untyped-def]
    return plan_sections(_view(store), sections, [MATH7], [FALL], SCHOOL)


def test_apply_writes_once_and_records_the_run(store: RosterStore) -> None:
    plan = _plan(store)
    writes = store.write_count
    run = apply_sections(store, plan, started_by="test")
    assert store.write_count == writes + 1
    assert (run.kind, run.started_by, run.counts.created, run.counts.flagged) == ("import sections", "test", 2, 1)
    assert [p.clever_id for p in run.problems] == ["sec-2"]
    stored = store.runs()[0]
    assert stored == run and set(stored.before["sections"].values()) == {None}
    sections = store.sections()
    assert [(s.clever_id, s.course_id, len(s.student_ids)) for s in sections] == [("sec-1", 1, 2), ("sec-2", 1, 1)]
    assert sections[1].missing_student_ids == ["s-missing"]
    assert store.meta().sections_imported_at == run.at


def test_re_import_makes_no_duplicates_and_journals_updates(store: RosterStore) -> None:
    apply_sections(store, _plan(store), started_by="test")
    again = _plan(store)
    assert again.changes == [] and again.unchanged == 2
    apply_sections(store, again, started_by="test")
    assert len(store.sections()) == 2
    moved = [
        SECTIONS[0].model_copy(update={"students": ["s-1"]}),
        SECTIONS[1].model_copy(update={"students": ["s-2", "s-3"]}),
    ]
    before = {s.id: s.model_dump(mode="json") for s in store.sections()}
    run = apply_sections(store, _plan(store, moved), started_by="test")
    assert run.counts.updated == 2
    assert run.before["sections"] == {str(k): v for k, v in before.items()}
    assert [s.student_ids for s in store.sections()] == [[2], [3, 4]]


def test_a_stale_plan_is_refused_and_writes_nothing(store: RosterStore) -> None:
    plan = _plan(store)
    apply_sections(store, _plan(store), started_by="test")
    before = store.path.read_bytes()
    with pytest.raises(StalePlan):
        apply_sections(store, plan, started_by="test")
    assert store.path.read_bytes() == before


def test_inside_a_transaction_a_create_of_an_existing_section_is_refused(store: RosterStore) -> None:
    plan = _plan(store)
    apply_sections(store, plan, started_by="test")
    before = store.path.read_bytes()
    with pytest.raises(StalePlan), store.transaction() as tx:
        apply_section_plan(tx, plan, Journal())
    assert store.path.read_bytes() == before and len(store.sections()) == 2


def test_an_import_of_sections_can_be_undone(store: RosterStore) -> None:
    first = apply_sections(store, _plan(store), started_by="test")
    report = undo_run(store, first.id, started_by="test")
    assert report.refused == [] and store.sections() == []
    apply_sections(store, _plan(store), started_by="test")
    moved = [SECTIONS[0].model_copy(update={"students": ["s-1"]}), SECTIONS[1]]
    again = apply_sections(store, _plan(store, moved), started_by="test")
    undo_run(store, again.id, started_by="test")
    assert [s.student_ids for s in store.sections()] == [[2, 3], [4]]
