"""Planning sections: enrolments mapped through accounts, flags, courses, re-planning."""

from __future__ import annotations

import pytest

from cleverwizard.people.build import PlatformView
from cleverwizard.sections.build import UnknownCourse, plan_sections
from cleverwizard.store.models import Section, Student, Teacher
from tests.sections.factories import FALL, clever_course, clever_section, course
from tests.sync.factories import SCHOOL

MATH7 = clever_course("Math 7", id="crs-math7")
CATALOGUE = [course(1, "Math 7", "math", ["7"]), course(2, "Pre-Algebra", "math", ["7"])]


def _view(sections: list[Section] | None = None, *, revision: int = 3) -> PlatformView:
    teachers = [Teacher(id=10, clever_id="t-ann", first_name="Ann", last_name="Lee"), Teacher(id=11, clever_id="t-bo")]
    students = [Student(id=20 + n, clever_id=f"s-{n}", first_name=f"Kid{n}") for n in range(4)]
    students.append(Student(id=30, clever_id="s-gone", status="archived"))
    return PlatformView(
        teachers=teachers, students=students, revision=revision, sections=sections or [], courses=CATALOGUE
    )


def _applied(view: PlatformView, plan_changes: list, start: int = 100) -> list[Section]:  # type: ignore[type-arg]
    """What applying would store, without a store: enough to re-plan from."""
    return [Section(id=start + i, **change.values) for i, change in enumerate(plan_changes)]


def test_creates_sections_with_mapped_teachers_students_term_and_course() -> None:
    p3 = clever_section(
        "Math 7 - P3",
        MATH7,
        teachers=["t-bo", "t-ann"],
        students=["s-2", "s-0", "s-1"],
        id="sec-p3",
        period="3",
        grade="7",
        subject="math",
    )
    plan = plan_sections(_view(), [p3], [MATH7], [FALL], SCHOOL)
    assert plan.base_revision == 3 and plan.clever_total == 1 and plan.problems == []
    [change] = plan.changes
    values = change.values
    assert change.action == "create" and change.clever_id == "sec-p3" and change.course_name == "Math 7"
    assert values["teacher_ids"] == [11, 10]  # the primary teacher first
    assert values["student_ids"] == [20, 21, 22]
    assert (values["course_id"], values["course_method"], values["clever_course_id"]) == (1, "same name", "crs-math7")
    assert (values["term_name"], values["term_start"], values["term_end"]) == ("Fall 2025", "2025-08-18", "2025-12-19")
    assert (values["period"], values["grade"], values["school"], values["status"]) == ("3", "7", SCHOOL, "active")
    assert plan.counts.created == 1
    assert plan.summary() == "1 section in Clever: 1 new, 0 updated, 0 unchanged. Nothing is deleted."
    assert "new section: Math 7 - P3; Math 7, 2 teachers, 3 students" in plan.lines()[1]


def test_a_section_whose_teacher_is_not_imported_is_flagged_and_still_made() -> None:
    section = clever_section("Science 7", teachers=["t-new"], students=["s-0", "s-1"])
    plan = plan_sections(_view(), [section], [], [FALL], SCHOOL)
    [problem] = plan.problems
    assert (problem.kind, problem.clever_id, problem.name) == ("section", section.id, "Science 7")
    assert problem.issue == "1 of 1 teacher not on the platform"
    assert problem.fix.startswith("Import teachers first")
    values = plan.changes[0].values
    assert values["teacher_ids"] == [] and values["student_ids"] == [20, 21]
    assert values["missing_teacher_ids"] == ["t-new"]
    assert plan.counts.flagged == 1 and "1 flagged: teachers or students not on the platform" in plan.summary()


def test_a_section_with_missing_students_names_how_many_and_where_to_fix() -> None:
    section = clever_section("Math 7 - P1", MATH7, teachers=["t-ann"], students=["s-0", "s-new", "s-gone", "s-other"])
    plan = plan_sections(_view(), [section], [MATH7], [FALL], SCHOOL, clever_people={"t-ann", "s-0", "s-new", "s-gone"})
    [problem] = plan.problems
    assert problem.issue == "3 of 4 students not on the platform"  # an archived account counts as missing
    assert "Import students first." in problem.fix and "1 of them are not at this school in Clever" in problem.fix
    values = plan.changes[0].values
    assert values["student_ids"] == [20] and values["missing_student_ids"] == ["s-gone", "s-new", "s-other"]


def test_a_section_without_any_teacher_in_clever_is_flagged() -> None:
    plan = plan_sections(_view(), [clever_section("Study Hall", students=["s-0"])], [], [], SCHOOL)
    assert [p.issue for p in plan.problems] == ["No teacher in Clever"]
    assert plan.changes[0].values["term_name"] is None


def test_re_planning_unchanged_sections_changes_nothing() -> None:
    view = _view()
    sections = [clever_section(f"Math 7 - P{n}", MATH7, teachers=["t-ann"], students=[f"s-{n}"]) for n in range(3)]
    first = plan_sections(view, sections, [MATH7], [FALL], SCHOOL)
    again = plan_sections(_view(_applied(view, first.changes)), sections, [MATH7], [FALL], SCHOOL)
    assert again.changes == [] and again.unchanged == 3 and again.writes_nothing


def test_a_student_moved_in_clever_moves_here_after_re_planning() -> None:
    view = _view()
    one = clever_section(
        "Math 7 - P1", MATH7, teachers=["t-ann"], students=["s-0", "s-1"], id="sec-1", section_number="1"
    )
    two = clever_section("Math 7 - P2", MATH7, teachers=["t-ann"], students=["s-2"], id="sec-2", section_number="2")
    stored = _applied(view, plan_sections(view, [one, two], [MATH7], [FALL], SCHOOL).changes)
    moved = [one.model_copy(update={"students": ["s-0"]}), two.model_copy(update={"students": ["s-1", "s-2"]})]
    plan = plan_sections(_view(stored), moved, [MATH7], [FALL], SCHOOL)
    assert [(c.action, c.section_id, c.values["student_ids"]) for c in plan.changes] == [
        ("update", 100, [20]),
        ("update", 101, [21, 22]),
    ]
    assert plan.changes[0].describe() == "update: Math 7 - P1 #1; students +0 -1"
    assert plan.changes[1].describe() == "update: Math 7 - P2 #2; students +1 -0"
    assert plan.counts.updated == 2


def test_wizard_choices_set_the_course_and_record_how() -> None:
    p1 = clever_section("Math 7 - P1", MATH7, teachers=["t-ann"])
    p2 = clever_section("Math 7 - P2", MATH7, teachers=["t-ann"])
    plan = plan_sections(_view(), [p1, p2], [MATH7], [FALL], SCHOOL, {p1.id: 2, p2.id: None})
    assert [(c.values["course_id"], c.values["course_method"]) for c in plan.changes] == [
        (2, "chosen"),
        (None, "not_in_list"),
    ]
    assert plan.without_course == 1 and "1 without a platform course" in plan.summary()
    stored = _applied(_view(), plan.changes)
    again = plan_sections(_view(stored), [p1, p2], [MATH7], [FALL], SCHOOL)  # the CLI keeps the choices
    assert again.changes == []
    with pytest.raises(UnknownCourse):
        plan_sections(_view(), [p1], [MATH7], [FALL], SCHOOL, {p1.id: 99})


def test_without_a_confident_match_a_section_stays_without_a_course() -> None:
    algebra = clever_course("Pre Algebra Seven")
    plan = plan_sections(
        _view(), [clever_section("Pre Algebra Seven", algebra, teachers=["t-ann"])], [algebra], [FALL], SCHOOL
    )
    values = plan.changes[0].values
    assert (values["course_id"], values["course_method"]) == (None, None)
    assert plan.without_course == 1


def test_sections_gone_from_clever_are_archived_only_when_asked_and_restored_when_back() -> None:
    view = _view()
    keep = clever_section("Math 7 - P1", MATH7, teachers=["t-ann"])
    gone = clever_section("Math 7 - P2", MATH7, teachers=["t-ann"])
    stored = _applied(view, plan_sections(view, [keep, gone], [MATH7], [FALL], SCHOOL).changes)
    assert plan_sections(_view(stored), [keep], [MATH7], [FALL], SCHOOL).changes == []  # an import never archives
    full = plan_sections(_view(stored), [keep], [MATH7], [FALL], SCHOOL, archive_missing=True)
    assert [(c.action, c.section_id) for c in full.changes] == [("archive", 101)]
    by_event = plan_sections(_view(stored), [], [MATH7], [FALL], SCHOOL, deleted={gone.id})
    assert [(c.action, c.section_id) for c in by_event.changes] == [("archive", 101)]
    archived = [stored[0], stored[1].model_copy(update={"status": "archived"})]
    back = plan_sections(_view(archived), [keep, gone], [MATH7], [FALL], SCHOOL)
    assert [(c.action, c.values["status"]) for c in back.changes] == [("restore", "active")]
    assert back.counts.restored == 1
