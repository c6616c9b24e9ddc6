"""Course suggestions for Clever sections: exact names, folded names, ranking, not in the list."""

from __future__ import annotations

from cleverwizard.clever.models import Course as CleverCourse
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.rules.courses import (
    SectionMatchRow,
    course_key,
    course_label,
    course_score,
    suggest_course_matches,
)
from cleverwizard.store.models import Course
from tests.sections.factories import clever_course, clever_section, course


def _one(catalogue: list[Course], section: CleverSection, clever_courses: list[CleverCourse]) -> SectionMatchRow:
    rows = suggest_course_matches(catalogue, [section], clever_courses, {})
    assert len(rows) == 1
    return rows[0]


def test_the_same_course_name_is_a_confident_suggestion() -> None:
    math7 = clever_course("Math 7")
    row = _one(
        [course(1, "Math 6"), course(2, "Math 7"), course(3, "Science 7")],
        clever_section("Math 7 - P3", math7),
        [math7],
    )
    assert row.suggested == 2 and not row.decided
    assert row.suggestion is not None and row.suggestion.reason == "same name" and row.suggestion.confident
    assert row.clever_course_name == "Math 7"


def test_algebra_i_is_algebra_1() -> None:
    assert course_key("Algebra I") == course_key("Algebra 1") == "algebra 1"
    assert course_key("2nd Grade Homeroom") == "2 grade homeroom"
    assert course_key("PE & Health") == course_key("Physical Education and Health")
    algebra = clever_course("Algebra 1")
    row = _one(
        [course(1, "Algebra I", "math"), course(2, "Algebra II", "math")],
        clever_section("Algebra 1 - P2", algebra),
        [algebra],
    )
    assert row.suggested == 1 and row.suggestion is not None and row.suggestion.reason == "same name"
    assert all(c.course_id != 2 or c.score < 80 for c in row.candidates)  # Algebra 2 is another course


def test_a_reworded_course_is_suggested_but_not_confident() -> None:
    pe = clever_course("PE & Health 8")
    section = clever_section("PE & Health 8 - P1", pe, subject="PE and health", grade="8")
    row = _one([course(1, "Physical Education 8", "PE and health", ["8"]), course(2, "Orchestra")], section, [pe])
    assert row.suggested == 1
    assert row.suggestion is not None and row.suggestion.reason == "similar name" and not row.suggestion.confident
    assert [c.course_id for c in row.candidates] == [1]  # Orchestra is nothing like it


def test_subject_and_grade_rank_courses_with_the_same_name() -> None:
    art = clever_course("Art")
    section = clever_section("Art - P4", art, subject="arts and music", grade="8")
    catalogue = [
        course(1, "Art", "arts and music", ["6"]),
        course(2, "Art", "arts and music", ["8"]),
        course(3, "Art", "science"),
    ]
    row = _one(catalogue, section, [art])
    assert [c.course_id for c in row.candidates][:2] == [2, 1]
    assert all(c.reason == "similar name" for c in row.candidates)  # a name three courses share is no proof
    assert row.suggested == 2
    best, other_grade, other_subject = (
        course_score(c, section, art) for c in (catalogue[1], catalogue[0], catalogue[2])
    )
    assert best == 100 and best > other_grade and best > other_subject


def test_another_grade_number_is_not_suggested() -> None:
    math8 = clever_course("Math 8")
    row = _one(
        [course(1, "Math 7", "math", ["7"])], clever_section("Math 8 - P1", math8, subject="math", grade="8"), [math8]
    )
    assert row.suggested is None
    assert all(c.score < 85 for c in row.candidates)


def test_a_course_not_in_the_catalogue_has_nothing_suggested() -> None:
    robotics = clever_course("Robotics Club")
    row = _one([course(1, "Math 7"), course(2, "English 9")], clever_section("Robotics Club", robotics), [robotics])
    assert row.candidates == [] and row.suggested is None and not row.decided


def test_saved_choices_win_and_not_in_the_list_is_remembered() -> None:
    math7 = clever_course("Math 7")
    first, second = clever_section("Math 7 - P1", math7), clever_section("Math 7 - P2", math7)
    catalogue = [course(1, "Math 7"), course(2, "Pre-Algebra")]
    rows = suggest_course_matches(catalogue, [first, second], [math7], {first.id: 2, second.id: None})
    assert (rows[0].suggested, rows[0].decided, rows[0].candidates[0].reason) == (2, True, "saved choice")
    assert (rows[1].suggested, rows[1].decided) == (None, True)
    stale = suggest_course_matches(catalogue, [first], [math7], {first.id: 99})  # course since removed
    assert stale[0].decided is False and stale[0].suggested == 1


def test_a_choice_carries_to_other_sections_of_the_same_clever_course() -> None:
    math7 = clever_course("Math Seven")
    decided, new = clever_section("Math Seven - P1", math7), clever_section("Math Seven - P5", math7)
    rows = suggest_course_matches(
        [course(1, "Pre-Algebra"), course(2, "Math 7")], [decided, new], [math7], {decided.id: 1}
    )
    assert rows[1].suggested == 1 and rows[1].suggestion is not None
    assert rows[1].suggestion.reason == "same Clever course" and rows[1].suggestion.confident


def test_the_same_course_number_is_confident() -> None:
    bio = clever_course("Bio", number="SC-101")
    row = _one(
        [course(1, "Biology", number="sc-101"), course(2, "Biology Lab")], clever_section("Bio - P1", bio), [bio]
    )
    assert row.suggested == 1 and row.suggestion is not None and row.suggestion.reason == "same number"


def test_course_label_names_subject_grades_and_number() -> None:
    assert (
        course_label(course(1, "Algebra I", "math", ["8", "9"], number="MA-1"))
        == "Algebra I · math · Grade 8, Grade 9 · MA-1"
    )
    assert course_label(course(2, "Orchestra")) == "Orchestra"
