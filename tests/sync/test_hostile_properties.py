"""Property tests on arbitrary names and emails: plans and reports never crash, every line
they print is one printable line, and importing the same people twice changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleverwizard.clever.models import User
from cleverwizard.daily.report import SyncReport, problem_line
from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_students, plan_teachers
from cleverwizard.store import RosterStore
from tests.hostile_strings import has_control
from tests.sync.factories import SCHOOL, clever_student, clever_teacher, teacher

# Any text, with the characters that do harm made likely rather than rare.
nasty = st.sampled_from(
    ["\n", "\r", "\x1b[2J", "\x1b]0;t\x07", "\x00", "\u202e", "\u2028", "[@click=app.quit]", "[/b]"]
)
texts = st.lists(st.one_of(st.text(max_size=8), nasty), max_size=4).map("".join)
maybe_texts = st.none() | texts
emails = st.none() | texts | st.builds(lambda local, at: f"{local}@{at}.org", texts, texts)
people = st.lists(st.tuples(maybe_texts, maybe_texts, emails, maybe_texts), min_size=1, max_size=6)


def users(rows: list[tuple[str | None, str | None, str | None, str | None]], role: str) -> list[User]:
    made = []
    for index, (first, last, email, extra) in enumerate(rows):
        if role == "teacher":
            made.append(clever_teacher(first, last, email, sis_id=extra, id=f"t-{index}"))
        else:
            made.append(clever_student(first, last, email, grade=extra, id=f"s-{index}"))
    return made


def assert_lines(lines: list[str]) -> None:
    for line in lines:
        assert "\n" not in line and not has_control(line), repr(line)


@given(people, st.sampled_from(["teacher", "student"]), texts)
@settings(max_examples=150, deadline=None)
def test_plan_and_report_lines_are_printable_one_liners(rows: list, role: str, reason: str) -> None:
    clever = users(rows, role)
    view = PlatformView(teachers=[teacher(1, "Ann", "Lee", "ann@school.org")])
    plan = plan_teachers(view, clever, SCHOOL) if role == "teacher" else plan_students(view, clever, SCHOOL)
    assert_lines(plan.lines())
    report = SyncReport(mode="fallback", reason=reason, plans={f"{role}s": plan}, notes=[reason], dry_run=True)
    assert_lines(report.lines())
    assert_lines([problem_line(problem) for problem in plan.problems])


@given(people, st.sampled_from(["teacher", "student"]))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_importing_the_same_people_twice_writes_nothing_the_second_time(rows: list, role: str) -> None:
    clever = users(rows, role)
    planner = plan_teachers if role == "teacher" else plan_students
    with tempfile.TemporaryDirectory() as folder:
        store = RosterStore.open(Path(folder) / "data")
        try:

            def view() -> PlatformView:
                return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)

            apply_plan(store, planner(view(), clever, SCHOOL), started_by="test")
            second = planner(view(), clever, SCHOOL)
            assert second.changes == [], second.lines()
            assert second.writes_nothing
        finally:
            store.close()
