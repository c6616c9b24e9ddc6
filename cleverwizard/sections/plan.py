"""The section plan: what a Sections import or the sections part of a sync will do.

It is a parallel of ``sync.plan.Plan`` rather than a ``Plan`` with a third kind: a section
is not an account (no login email, no link/unlink, enrolments instead of a grade), and
widening ``PersonKind`` would let a section reach code written for people. What callers rely
on is the same: ``changes``, ``problems``, ``counts``, ``summary()``, ``lines()``,
``writes_nothing``, ``base_revision`` and ``clever_total``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from cleverwizard.people.plan import FieldChange, field_words, show_value, tally_sentence
from cleverwizard.store.models import Problem, RunCounts
from cleverwizard.text import counted, one_line

SectionAction = Literal["create", "update", "archive", "restore"]

SECTION_ACTION_WORDS: dict[SectionAction, str] = {
    "create": "new section",
    "update": "update",
    "archive": "archive (gone from Clever)",
    "restore": "restore (back in Clever)",
}
_ENROLMENTS = {"teacher_ids": "teachers", "student_ids": "students"}
_QUIET = {"missing_teacher_ids", "missing_student_ids", "clever_course_id", "clever_term_id"}
"""Fields that change along with another one already described, or that the flags report."""


class SectionChange(BaseModel):
    """One platform section the plan touches, with the values it will set."""

    action: SectionAction
    kind: Literal["section"] = "section"
    clever_id: str | None = None
    section_id: int | None = None
    name: str = ""
    course_name: str | None = None
    """The platform course the section will have, for people reading the plan."""
    reason: str = ""
    values: dict[str, Any] = Field(default_factory=dict)
    diffs: list[FieldChange] = Field(default_factory=list)

    def describe(self) -> str:
        """One line for ``--dry-run`` and the preview: enrolments as counts, the course by name."""
        head = f"{SECTION_ACTION_WORDS[self.action]}: {self.name or '(no name)'}"
        if number := self.values.get("section_number"):
            head += f" #{number}"  # Clever's section names repeat ("English 6 - P1")
        if self.reason:
            head += f" ({self.reason})"
        if self.action == "create":
            teachers, students = len(self.values.get("teacher_ids", [])), len(self.values.get("student_ids", []))
            course = self.course_name or "no platform course"
            return f"{head}; {course}, {counted(teachers, 'teacher')}, {counted(students, 'student')}"
        parts = []
        course_changed = any(diff.field == "course_id" for diff in self.diffs)
        for diff in self.diffs:
            if diff.field in _QUIET or (diff.field == "course_method" and course_changed):
                continue
            if diff.field == "course_method":
                parts.append(f"course decided: {self.course_name or 'not in the list'}")
                continue
            if diff.field in _ENROLMENTS:
                old, new = set(diff.old or []), set(diff.new or [])
                parts.append(f"{_ENROLMENTS[diff.field]} +{len(new - old)} -{len(old - new)}")
            elif diff.field == "course_id":
                parts.append(f"course -> {self.course_name or 'none'}")
            else:
                parts.append(f"{field_words(diff.field)} {show_value(diff.old)} -> {show_value(diff.new)}")
        return f"{head}; " + ", ".join(parts) if parts else head


class SectionPlan(BaseModel):
    """Everything a sections import or sync would change for one school."""

    kind: Literal["section"] = "section"
    school_id: str
    base_revision: int
    changes: list[SectionChange] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    """One per flagged section: teachers or students not on the platform, or no teacher."""
    unchanged: int = 0
    clever_total: int = 0
    without_course: int = 0
    """Clever sections that will have no platform course (undecided or "not in the list")."""

    def of(self, action: SectionAction) -> list[SectionChange]:
        return [change for change in self.changes if change.action == action]

    @property
    def counts(self) -> RunCounts:
        tally = {action: len(self.of(action)) for action in SECTION_ACTION_WORDS}
        return RunCounts(
            created=tally["create"],
            updated=tally["update"],
            archived=tally["archive"],
            restored=tally["restore"],
            flagged=len(self.problems),
            unchanged=self.unchanged,
        )

    @property
    def writes_nothing(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        """The sentence an administrator reads before pressing Import."""
        c = self.counts
        tail = f" {c.flagged} flagged: teachers or students not on the platform." if c.flagged else ""
        if self.without_course:
            tail += f" {self.without_course} without a platform course."
        return tally_sentence(f"{counted(self.clever_total, 'section')} in Clever", [f"{c.created} new"], c, tail)

    def lines(self) -> list[str]:
        """The whole plan as text, one line per change and per problem."""
        out = [self.summary()]
        out += [f"  {change.describe()}" for change in self.changes]
        out += [f"  flag: {p.name}: {p.issue}. {p.fix}" for p in self.problems]
        return [one_line(line) for line in out]  # a Clever value never breaks or colours a line
