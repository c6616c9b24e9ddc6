"""Applying plans to a real store: one write, a history entry, stale plans refused."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cleverwizard.people.apply import apply_plan, new_account_doc
from cleverwizard.people.build import PlatformView, plan_students, plan_teachers
from cleverwizard.runs.journal import TABLES, Journal, dump, fingerprint
from cleverwizard.runs.steps import StalePlan
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Student, Teacher
from tests.sync.factories import SCHOOL, clever_student, clever_teacher, student

AT = "2026-02-03T04:05:06Z"


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)


@pytest.fixture
def store(tmp_path: Path) -> RosterStore:
    opened = RosterStore.open(tmp_path / "data")
    with opened.transaction() as tx:
        tx.put_teachers(
            [Teacher(id=tx.next_account_id(), first_name="Bob", last_name="Johnson", email="bob@gmail.com")]
        )
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


def test_new_accounts_are_stored_exactly_as_their_models_would_be(store: RosterStore) -> None:
    """``new_account_doc`` skips the model; it must still write what the model would have."""
    people = [
        clever_student("Kid", "One", "k1@school.org"),
        clever_student(None, "Núñez", grade=None, sis_id="S-9"),
        clever_student("Ann", "Lee", "not an email", grade=""),
    ]
    teachers = [clever_teacher("Rosa", "Parks", "rosa@school.org", title="Ms."), clever_teacher("No", "Email")]
    plans = [
        (Student, plan_students(_view(store), people, SCHOOL)),
        (Teacher, plan_teachers(_view(store), teachers, SCHOOL)),
    ]
    for model, plan in plans:
        creates = plan.of("create")
        assert creates
        for change in creates:
            doc = new_account_doc(model, 42, AT, change.values)
            expected = model(id=42, created_at=AT, updated_at=AT, **change.values).model_dump(mode="json")
            assert doc == expected and list(doc) == list(expected)
            assert doc["schools"] is not change.values["schools"]  # nothing shared with the plan
    first, second = (new_account_doc(Student, i, AT, {"first_name": "A", "not_a_field": 1}) for i in (1, 2))
    assert "not_a_field" not in first and first["edited"] is not second["edited"]


def test_fingerprints_keep_their_format() -> None:
    """Saved runs hold fingerprints, so a model and its stored form must hash as they always did."""
    record = student(7, "José", "Núñez", None, schools=["s-1"], edited=["email"], created_at=AT, updated_at=AT)
    text = json.dumps(record.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), default=str)
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    assert fingerprint(record) == fingerprint(dump(record)) == expected
    assert fingerprint(None) is None


def test_a_runs_fingerprints_are_what_undo_computes_from_the_models(store: RosterStore) -> None:
    robert = clever_teacher("Robert", "Johnson", "rj@school.org")
    bob_id = store.teachers()[0].id
    apply_plan(
        store,
        plan_teachers(_view(store), [robert, clever_teacher("Ann", "Lee")], SCHOOL, {bob_id: robert.id}),
        started_by="test",
    )
    apply_plan(
        store,
        plan_students(_view(store), [clever_student("Kid", f"N{i}", f"k{i}@school.org") for i in range(3)], SCHOOL),
        started_by="test",
    )
    for run in store.runs():
        assert run.after and set(run.after) == set(run.before)
        with store.transaction() as tx:
            for table, rows in run.after.items():
                for key, digest in rows.items():
                    assert digest == fingerprint(TABLES[table].get(tx, int(key))), (table, key)


def test_a_record_saved_in_an_older_shape_is_fingerprinted_through_its_model(store: RosterStore) -> None:
    """A journaled record the run did not rewrite may lack a field added since; its fingerprint
    must still be the model's, which is what undo will compare it with."""
    with store.transaction() as tx:
        tx.put_students([student(5, "Old", "Shape", "old@school.org", created_at=AT, updated_at=AT)])
    raw = json.loads(store.path.read_text())
    del raw["students"]["5"]["clever_email"]  # as a version before that field would have saved it
    store.path.write_text(json.dumps(raw))
    with store.transaction() as tx:
        journal = Journal(at=AT)
        journal.record("students", 5, dump(tx.student(5)))
        after = journal.fingerprints(tx)
        assert after == {"students": {"5": fingerprint(tx.student(5))}}
        assert after["students"]["5"] != fingerprint(tx.documents("students")["5"])
