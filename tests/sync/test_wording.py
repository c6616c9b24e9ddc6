"""What an administrator reads is a sentence: one teacher is "1 teacher", an empty email is
asked for rather than quoted back as '', and field names are words, not ``sis_id``."""

from __future__ import annotations

from pathlib import Path

from cleverwizard.daily.report import kind_line
from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_students, plan_teachers
from cleverwizard.people.plan import FieldChange, PlannedChange
from cleverwizard.rules.names import email_refusal
from cleverwizard.runs.undo import undo_run
from cleverwizard.service.status import build_checklist
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Site, Student, Teacher
from tests.sync.factories import SCHOOL, clever_student, clever_teacher


def test_one_of_a_kind_is_singular_in_plan_summaries() -> None:
    plan = plan_teachers(PlatformView(), [clever_teacher("Ann", "Lee", "ann@school.org")], SCHOOL)
    assert plan.summary() == (
        "1 teacher in Clever: 0 linked to Clever, 1 new account, 0 updated, 0 unchanged. Nothing is deleted."
    )
    two = plan_students(
        PlatformView(), [clever_student("A", "B", "a@s.org"), clever_student("C", "D", "c@s.org")], SCHOOL
    )
    assert two.summary().startswith("2 students in Clever: 0 linked to Clever, 2 new accounts, ")
    assert kind_line(plan, "events").startswith("Teachers named in the events: 1 new account, 0 linked")


def test_a_change_names_its_fields_in_words() -> None:
    change = PlannedChange(
        action="update",
        kind="teacher",
        name="Ann Lee",
        diffs=[
            FieldChange(field="last_name", old="Lee", new="Lee-Smith"),
            FieldChange(field="sis_id", old=None, new="T1"),
        ],
    )
    assert change.describe() == "update: Ann Lee; last name Lee -> Lee-Smith, SIS id (none) -> T1"


def test_an_empty_email_is_asked_for_not_quoted() -> None:
    for typed in ("", "   "):
        assert email_refusal(typed) == "The email is empty: enter an email address (name@school.org)."
    assert email_refusal("bob at school") == "'bob at school' is not an email address (name@school.org)."
    assert email_refusal(" bob@school.org ") is None


def test_the_checklist_and_undo_count_one_as_one(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path / "data") as store:
        with store.transaction() as tx:
            tx.site = Site(district_id="d1", district_name="D", school_id=SCHOOL, school_name="S")
            tx.meta.teachers_imported_at = tx.meta.students_imported_at = "2026-01-01T00:00:00Z"
            tx.put_teachers([Teacher(id=tx.next_account_id(), first_name="Ann", last_name="Lee")])
            tx.put_students([Student(id=tx.next_account_id(), first_name="Kid", last_name="One")])
        sections = build_checklist(store).item("sections").detail
        assert sections == "1 teacher and 1 student on the platform, no sections imported yet"
        view = PlatformView(store.teachers(), store.students(), store.matches(), store.revision)
        run = apply_plan(store, plan_teachers(view, [clever_teacher("Bo", "Ray", "bo@s.org")], SCHOOL), started_by="t")
        with store.transaction() as tx:  # someone builds on the new account before the undo
            [bo] = [t for t in tx.teachers() if t.clever_id]
            tx.put_teachers([bo.model_copy(update={"email": "typed@s.org", "edited": ["email"]})])
        report = undo_run(store, run.id, started_by="t")
        assert report.summary.endswith("removed 0 it created, left 1 as it is.")
