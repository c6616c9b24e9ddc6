"""Applying plans to a real store: one write, a history entry, stale plans refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleverwizard.store import RosterStore
from cleverwizard.store.models import Teacher
from cleverwizard.sync.apply import StalePlan, apply_plan
from cleverwizard.sync.planning import PlatformView, plan_students, plan_teachers
from tests.sync.factories import SCHOOL, clever_student, clever_teacher


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)


@pytest.fixture
def store(tmp_path: Path) -> RosterStore:
    opened = RosterStore.open(tmp_path / "data")
    with opened.transaction() as tx:
        tx.put_teachers([Teacher(id=tx.next_account_id(), first_name="Bob", last_name="Johnson", email="bob@gmail.com")])
    yield opened
    opened.close()


def test_apply_writes_once_and_records_the_run(store: RosterStore) -> None:
    robert = clever_teacher("Robert", "Johnson", "rj@school.org")
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    bob_id = store.teachers()[0].id
    plan = plan_teachers(_view(store), [robert, ann], SCHOOL, {bob_id: robert.id})
    writes = store.write_count
    run = apply_plan(store, plan, started_by="test")
    assert store.write_count == writes + 1
    teachers = {t.clever_id: t for t in store.teachers()}
    assert teachers[robert.id].id == bob_id and teachers[robert.id].email == "bob@gmail.com"
    assert teachers[ann.id].source == "clever" and teachers[ann.id].email == "ann@school.org"
    assert store.matches()[bob_id].clever_id == robert.id
    assert run.counts.linked == 1 and run.counts.created == 1
    assert store.runs()[0].id == run.id and store.runs()[0].started_by == "test"
    assert store.meta().teachers_imported_at is not None
    assert run.before["teachers"][str(bob_id)]["clever_id"] is None


def test_a_plan_built_before_another_write_is_refused(store: RosterStore) -> None:
    plan = plan_students(_view(store), [clever_student("Kid", "One", "k1@school.org")], SCHOOL)
    apply_plan(store, plan_students(_view(store), [clever_student("Kid", "Two")], SCHOOL), started_by="test")
    before = store.path.read_bytes()
    with pytest.raises(StalePlan):
        apply_plan(store, plan, started_by="test")
    assert store.path.read_bytes() == before


def test_applying_the_same_import_twice_creates_no_duplicates(store: RosterStore) -> None:
    people = [clever_student("Kid", f"N{i}", f"k{i}@school.org", id=f"s-{i}") for i in range(5)]
    apply_plan(store, plan_students(_view(store), people, SCHOOL), started_by="test")
    second = plan_students(_view(store), people, SCHOOL)
    assert second.changes == [] and second.unchanged == 5
    apply_plan(store, second, started_by="test")
    assert len(store.students()) == 5
