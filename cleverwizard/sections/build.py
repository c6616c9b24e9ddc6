"""Sections (classes): plan them from Clever, apply them to the store.

A platform section is keyed by its Clever section id. Its enrolments are recomputed from
Clever's lists on every plan, mapped through the platform accounts' ``clever_id``, so a
student moved between sections in Clever simply moves here too. Clever people with no
active account are never dropped silently: the section is still made with the people we
can map, remembers the missing Clever ids and is flagged with what to do.

``apply_section_plan`` works on an open transaction and ``section_step`` wraps it as an
``apply.Step``, so the daily sync can write sections in the same single transaction as
teachers and students; ``apply_sections`` is the wizard's and ``import sections``'s
standalone import (a run of that one step).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleverwizard.clever.models import Course as CleverCourse
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.clever.models import Term
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import FieldChange
from cleverwizard.rules.courses import REASON_METHOD, SectionMatchRow, saved_course_choices, suggest_course_matches
from cleverwizard.rules.emails import SIS_FIX
from cleverwizard.sections.plan import SectionAction, SectionChange, SectionPlan
from cleverwizard.store import StoreTransaction
from cleverwizard.store.models import Course, CourseMethod, Problem, Section
from cleverwizard.text import counted


class UnknownCourse(ValueError):
    """A course chosen in the wizard is not in the platform's catalogue (any more)."""


@dataclass
class SectionData:
    """What Clever says about the connected school's classes, fetched together."""

    sections: list[CleverSection] = field(default_factory=list)
    courses: list[CleverCourse] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


def view_in_transaction(tx: StoreTransaction) -> PlatformView:
    """The platform as an open transaction holds it, for planning sections after people.

    The daily sync applies teachers and students first and plans sections from this view,
    so people created in the same run are already there to enrol.
    """
    return PlatformView(
        teachers=tx.teachers(),
        students=tx.students(),
        decisions=tx.matches(),
        revision=tx.base_revision,
        sections=tx.sections(),
        courses=tx.courses(),
    )


def section_name(section: CleverSection, course: CleverCourse | None) -> str:
    """Clever's name, else the course's, else the section number: names are not unique."""
    if section.name:
        return section.name
    if course and course.name:
        return course.name
    return f"Section {section.section_number}" if section.section_number else "(no name in Clever)"


def plan_sections(
    view: PlatformView,
    clever_sections: Sequence[CleverSection],
    clever_courses: Sequence[CleverCourse],
    clever_terms: Sequence[Term],
    school_id: str,
    choices: Mapping[str, int | None] | None = None,
    *,
    rows: Sequence[SectionMatchRow] | None = None,
    archive_missing: bool = False,
    deleted: Collection[str] = (),
    clever_people: Collection[str] | None = None,
    partial: bool = False,
) -> SectionPlan:
    """Plan creating, updating, archiving and restoring the school's sections.

    ``choices`` are the wizard's course dropdowns (Clever section id -> platform course id,
    ``None`` for "not in the list"); sections without one keep their saved course, else take
    a confident suggestion (same name, number or Clever course), else stay without a course.
    ``archive_missing`` archives this school's sections Clever no longer lists (a full sync);
    ``deleted`` archives the given Clever section ids even without it (an events-based sync).
    ``clever_people``, the Clever ids of the school's teachers and students, lets a flag say
    whether the missing people can be imported or must be fixed in the SIS. ``partial`` says
    ``clever_sections`` are only the sections an events-based sync names: the school's other
    active sections in the store then still count as sections of the same Clever course for
    course suggestions, so a class opened mid-year gets the course a full comparison would give.
    """
    catalogue = {course.id: course for course in view.courses}
    existing = {section.clever_id: section for section in view.sections if section.clever_id}
    if rows is None:
        undecided = {
            s.id
            for s in clever_sections
            if (choices is not None and s.id in choices) or _kept_course(existing.get(s.id), catalogue) is None
        }
        context = [*clever_sections, *(_stored_siblings(view, clever_sections, deleted, school_id) if partial else [])]
        rows = suggest_course_matches(
            view.courses, context, clever_courses, saved_course_choices(view.sections), only=undecided
        )
    by_section = {row.section.id: row for row in rows}
    people = _People(view, clever_people)
    theirs = {course.id: course for course in clever_courses}
    terms = {term.id: term for term in clever_terms}
    plan = SectionPlan(school_id=school_id, base_revision=view.revision, clever_total=len(clever_sections))
    seen: set[str] = set()
    for clever in clever_sections:
        seen.add(clever.id)
        current = existing.get(clever.id)
        course_id, method = _course_for(clever, by_section.get(clever.id), current, choices, catalogue)
        values = _values(clever, theirs.get(clever.course or ""), terms.get(clever.term_id or ""), school_id, people)
        values.update(course_id=course_id, course_method=method)
        if course_id is None:
            plan.without_course += 1
        name = values["name"]
        course_name = catalogue[course_id].name if course_id is not None else None
        if problem := people.problem(clever, f"{name} #{clever.section_number}" if clever.section_number else name):
            plan.problems.append(problem)
        if current is None:
            plan.changes.append(
                SectionChange(action="create", clever_id=clever.id, name=name, course_name=course_name, values=values)
            )
            continue
        diffs = [
            FieldChange(field=key, old=getattr(current, key), new=new)
            for key, new in values.items()
            if getattr(current, key) != new
        ]
        action: SectionAction
        if current.status == "archived":
            action = "restore"
        elif diffs:
            action = "update"
        else:
            plan.unchanged += 1
            continue
        plan.changes.append(
            SectionChange(
                action=action,
                clever_id=clever.id,
                section_id=current.id,
                name=name,
                course_name=course_name,
                values=values,
                diffs=diffs,
            )
        )
    for section in existing.values():
        gone = section.clever_id not in seen and (
            section.clever_id in deleted or (archive_missing and section.school == school_id)
        )
        if gone and section.status == "active":
            plan.changes.append(
                SectionChange(
                    action="archive",
                    clever_id=section.clever_id,
                    section_id=section.id,
                    name=section.name,
                    reason="no longer in Clever for this school",
                    values={"status": "archived"},
                    diffs=[FieldChange(field="status", old="active", new="archived")],
                )
            )
    return plan


def _stored_siblings(
    view: PlatformView, listed: Sequence[CleverSection], deleted: Collection[str], school_id: str
) -> list[CleverSection]:
    """The school's active stored sections not in ``listed``, as Clever id and Clever course
    only: all course suggestions need of them is which Clever course they are."""
    skip = {section.id for section in listed} | set(deleted)
    return [
        CleverSection(id=section.clever_id, course=section.clever_course_id)
        for section in view.sections
        if section.clever_id
        and section.clever_id not in skip
        and section.status == "active"
        and section.school == school_id
    ]


def _course_for(
    clever: CleverSection,
    row: SectionMatchRow | None,
    current: Section | None,
    choices: Mapping[str, int | None] | None,
    catalogue: Mapping[int, Course],
) -> tuple[int | None, CourseMethod | None]:
    """The course a section gets and how it was decided (``None, None``: still undecided)."""
    if choices is not None and clever.id in choices:
        chosen = choices[clever.id]
        if current is not None and current.course_method is not None and current.course_id == chosen:
            return chosen, current.course_method  # the same choice again changes nothing
        if chosen is None:
            return None, "not_in_list"
        if chosen not in catalogue:
            raise UnknownCourse(f"Course {chosen} is not in the platform's catalogue; reopen the list.")
        pick = next((c for c in row.candidates if c.course_id == chosen), None) if row is not None else None
        if pick is not None and pick.confident and pick.reason != "saved choice":
            return chosen, REASON_METHOD[pick.reason]
        return chosen, "chosen"
    if (kept := _kept_course(current, catalogue)) is not None:
        return kept
    pick = row.suggestion if row is not None else None
    if pick is not None and pick.confident:
        return pick.course_id, REASON_METHOD[pick.reason]
    return None, None


def _kept_course(current: Section | None, catalogue: Mapping[int, Course]) -> tuple[int | None, CourseMethod] | None:
    """The saved course decision of a platform section, unless its course has left the catalogue."""
    if current is None or current.course_method is None:
        return None
    if current.course_id is not None and current.course_id not in catalogue:
        return None
    return current.course_id, current.course_method


class _People:
    """Clever ids -> active platform account ids, and the flag for what could not be mapped."""

    def __init__(self, view: PlatformView, clever_people: Collection[str] | None) -> None:
        self.teachers = {t.clever_id: t.id for t in view.teachers if t.clever_id and t.status == "active"}
        self.students = {s.clever_id: s.id for s in view.students if s.clever_id and s.status == "active"}
        self.clever_people = set(clever_people) if clever_people is not None else None

    @staticmethod
    def teachers_of(clever: CleverSection) -> list[str]:
        """Primary teacher first, then the others, each once."""
        return list(dict.fromkeys(tid for tid in (clever.teacher, *clever.teachers) if tid))

    def map(self, clever: CleverSection) -> dict[str, Any]:
        teachers = self.teachers_of(clever)
        students = list(dict.fromkeys(sid for sid in clever.students if sid))
        return {
            "teacher_ids": [self.teachers[t] for t in teachers if t in self.teachers],
            "student_ids": sorted({self.students[s] for s in students if s in self.students}),
            "missing_teacher_ids": [t for t in teachers if t not in self.teachers],
            "missing_student_ids": sorted(s for s in students if s not in self.students),
        }

    def problem(self, clever: CleverSection, name: str) -> Problem | None:
        """One flag per section, naming how many are missing and where to fix it."""
        teachers = self.teachers_of(clever)
        if not teachers:
            return Problem(
                kind="section",
                clever_id=clever.id,
                name=name,
                issue="No teacher in Clever",
                fix="Add the section's teacher in your SIS.",
            )
        students = list(dict.fromkeys(sid for sid in clever.students if sid))
        lost_teachers = [t for t in teachers if t not in self.teachers]
        lost_students = [s for s in students if s not in self.students]
        if not lost_teachers and not lost_students:
            return None
        parts = []
        if lost_teachers:
            parts.append(f"{len(lost_teachers)} of {counted(len(teachers), 'teacher')}")
        if lost_students:
            parts.append(f"{len(lost_students)} of {counted(len(students), 'student')}")
        issue = " and ".join(parts) + " not on the platform"
        return Problem(
            kind="section", clever_id=clever.id, name=name, issue=issue, fix=self._fix(lost_teachers, lost_students)
        )

    def _fix(self, lost_teachers: list[str], lost_students: list[str]) -> str:
        kinds = " and ".join(k for k, lost in (("teachers", lost_teachers), ("students", lost_students)) if lost)
        if self.clever_people is None:
            return (
                f"Import {kinds} first (they may be new in Clever); if they are imported, the SIS "
                "lists people who are not at this school: update the SIS."
            )
        importable = [p for p in (*lost_teachers, *lost_students) if p in self.clever_people]
        elsewhere = len(lost_teachers) + len(lost_students) - len(importable)
        fixes = []
        if importable:
            fixes.append(f"Import {kinds} first.")
        if elsewhere:
            fixes.append(f"{elsewhere} of them are not at this school in Clever: {SIS_FIX}")
        return " ".join(fixes)


def _values(
    clever: CleverSection, course: CleverCourse | None, term: Term | None, school_id: str, people: _People
) -> dict[str, Any]:
    """The platform fields a Clever section sets, apart from its course."""
    return {
        "clever_id": clever.id,
        "school": clever.school or school_id,
        "name": section_name(clever, course),
        "section_number": clever.section_number,
        "sis_id": clever.sis_id,
        "period": clever.period,
        "subject": clever.subject,
        "grade": clever.grade,
        "clever_term_id": clever.term_id,
        "term_name": term.name if term else None,
        "term_start": term.start_date if term else None,
        "term_end": term.end_date if term else None,
        "clever_course_id": clever.course,
        **people.map(clever),
        "status": "active",
    }
