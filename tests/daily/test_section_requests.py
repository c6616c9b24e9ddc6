"""What an events run asks Clever for sections: only what the changed sections need."""

from __future__ import annotations

import itertools
from typing import Any

from cleverwizard.daily.sections import affected_sections, needs_courses, stored_terms, unknown_terms
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import FieldChange, Plan, PlannedChange
from cleverwizard.store.models import Course, Section
from tests.sections.factories import FALL, clever_course, clever_section
from tests.sync.factories import SCHOOL

MATH = clever_course("Math 7")
_ids = itertools.count(1)


def _stored(clever_id: str, **values: Any) -> Section:
    base: dict[str, Any] = {"id": next(_ids), "clever_id": clever_id, "school": SCHOOL, "name": clever_id}
    return Section(**{**base, **values})


def _view(*sections: Section, catalogue: bool = True) -> PlatformView:
    courses = [Course(id=1, name="Math 7")] if catalogue else []
    return PlatformView(sections=list(sections), courses=courses)


def test_courses_are_fetched_only_to_name_a_section_or_suggest_its_course() -> None:
    decided = _stored("sec-1", course_id=1, course_method="same name")
    undecided = _stored("sec-2")
    view = _view(decided, undecided)
    assert not needs_courses([clever_section("Math 7 - P1", MATH, id="sec-1")], view)  # kept: nothing to learn
    assert needs_courses([clever_section("Math 7 - P2", MATH, id="sec-2")], view)  # no course decided yet
    assert needs_courses([clever_section("Math 7 - P3", MATH, id="sec-new")], view)  # new here
    assert needs_courses([clever_section(None, MATH, id="sec-1")], view)  # named after its course
    assert not needs_courses([clever_section("Study hall", None, id="sec-new")], view)  # no Clever course at all
    assert not needs_courses([clever_section("Math 7 - P3", MATH, id="sec-new")], _view(catalogue=False))
    gone = _stored("sec-1", course_id=99, course_method="chosen")  # its course left the catalogue
    assert needs_courses([clever_section("Math 7 - P1", MATH, id="sec-1")], _view(gone))


def test_terms_are_reused_from_the_stored_sections_unless_one_is_new() -> None:
    older = _stored("sec-1", clever_term_id=FALL.id, term_name="Fall", updated_at="2025-01-01T00:00:00Z")
    newer = _stored(
        "sec-2",
        clever_term_id=FALL.id,
        term_name=FALL.name,
        term_start=FALL.start_date,
        term_end=FALL.end_date,
        updated_at="2025-09-01T00:00:00Z",
    )
    view = _view(older, newer)
    assert stored_terms(view) == [FALL]  # as most recently saved
    assert not unknown_terms([clever_section("A", MATH, id="sec-3")], view)
    assert unknown_terms([clever_section("A", MATH, id="sec-3", term_id="term-spring")], view)


def _plan(kind: str, *changes: PlannedChange) -> Plan:
    return Plan(kind=kind, school_id=SCHOOL, base_revision=0, changes=list(changes))  # type: ignore[arg-type]


def test_sections_whose_people_arrive_or_leave_are_re_read() -> None:
    waiting = _stored("sec-1", missing_student_ids=["s-new"])
    enrolling = _stored("sec-2", student_ids=[7])
    elsewhere = _stored("sec-3", student_ids=[7], school="other-school")
    archived = _stored("sec-4", missing_student_ids=["s-new"], status="archived")
    untouched = _stored("sec-5", student_ids=[8])
    view = _view(waiting, enrolling, elsewhere, archived, untouched)
    arrive = PlannedChange(action="create", kind="student", clever_id="s-new")
    leave = PlannedChange(action="archive", kind="student", account_id=7, diffs=[FieldChange(field="status")])
    assert affected_sections(view, {"student": _plan("student", arrive, leave)}, SCHOOL) == {"sec-1", "sec-2"}
    update = PlannedChange(action="update", kind="student", clever_id="s-new", account_id=8)
    assert affected_sections(view, {"student": _plan("student", update)}, SCHOOL) == set()
