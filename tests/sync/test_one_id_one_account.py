"""A Clever id repeated in what the planner is given never becomes two accounts."""

from __future__ import annotations

from cleverwizard.people.build import PlatformView, one_per_id, plan_students, plan_teachers
from tests.sync.factories import clever_student, clever_teacher


def test_a_student_listed_twice_gets_one_account_with_the_last_copy() -> None:
    first = clever_student("Ana", "Ruiz", "ana@school.org", grade="3", id="s-dup")
    moved = clever_student("Ana", "Ruiz", "ana@school.org", grade="4", id="s-dup")
    other = clever_student("Ben", "Ode", "ben@school.org", id="s-other")
    plan = plan_students(PlatformView(), [first, other, moved], "school-1")
    created = [change for change in plan.changes if change.action == "create"]
    assert [change.clever_id for change in created] == ["s-dup", "s-other"]
    assert created[0].values["grade"] == "4"
    assert created[0].values["email"] == "ana@school.org"  # not "shared" with herself
    assert plan.clever_total == 2
    assert not [p for p in plan.problems if "ana@school.org" in p.issue]


def test_a_teacher_listed_twice_gets_one_account() -> None:
    ann = clever_teacher("Ann", "Lee", "ann@school.org", id="t-dup")
    plan = plan_teachers(PlatformView(), [ann, ann], "school-1")
    assert [(c.action, c.clever_id) for c in plan.changes] == [("create", "t-dup")]
    assert plan.changes[0].values["email"] == "ann@school.org"


def test_one_per_id_keeps_the_order_of_first_sight() -> None:
    a, b = clever_student("A", "A", id="a"), clever_student("B", "B", id="b")
    a2 = clever_student("A", "Changed", id="a")
    assert one_per_id([a, b, a2]) == [a2, b]
    assert one_per_id([a, b]) == [a, b]
