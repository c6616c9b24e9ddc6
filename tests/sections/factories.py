"""Small builders of Clever sections, courses and terms, and platform catalogue courses."""

from __future__ import annotations

import itertools
from typing import Any

from cleverwizard.clever.models import Course as CleverCourse
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.clever.models import Term
from cleverwizard.people.plan import Plan
from cleverwizard.store import StoreTransaction
from cleverwizard.store.models import Course, Student, Teacher
from tests.sync.factories import SCHOOL

_ids = itertools.count(1)
FALL = Term(id="term-fall", name="Fall 2025", start_date="2025-08-18", end_date="2025-12-19")


def clever_course(name: str | None, number: str | None = None, **extra: Any) -> CleverCourse:
    return CleverCourse(id=extra.pop("id", f"c{next(_ids):05d}"), name=name, number=number, **extra)


def clever_section(
    name: str | None,
    course: CleverCourse | None = None,
    *,
    teachers: list[str] | None = None,
    students: list[str] | None = None,
    **extra: Any,
) -> CleverSection:
    teachers = teachers or []
    return CleverSection.model_validate(
        {
            "id": extra.pop("id", f"sec{next(_ids):05d}"),
            "school": SCHOOL,
            "name": name,
            "course": course.id if course else None,
            "term_id": extra.pop("term_id", FALL.id),
            "teacher": teachers[0] if teachers else None,
            "teachers": teachers,
            "students": students or [],
            **extra,
        }
    )


def course(id: int, name: str, subject: str | None = None, grades: list[str] | None = None, **extra: Any) -> Course:
    return Course(id=id, name=name, subject=subject, grades=grades or [], **extra)


def put_people(tx: StoreTransaction, plans: list[Plan]) -> None:
    """Create the accounts of people plans inside an open transaction, as the daily sync will."""
    for plan in plans:
        model = Teacher if plan.kind == "teacher" else Student
        accounts = [model(id=tx.next_account_id(), **c.values) for c in plan.changes if c.action == "create"]
        if plan.kind == "teacher":
            tx.put_teachers([a for a in accounts if isinstance(a, Teacher)])
        else:
            tx.put_students([a for a in accounts if isinstance(a, Student)])
