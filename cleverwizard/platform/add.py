"""Planning an ``add``: the accounts or courses a file (or one typed in the wizard) adds.

A row whose email is already a platform login (in any letter case) is "already there" and
changes nothing, so adding the same file twice adds nothing the second time. The accounts
made are ``source="manual"``, exactly like the ones made by hand on the platform before
Clever: they are what teacher matching (*Select a Match*, ``import teachers``) links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cleverwizard.files.csv_in import BadRow, FileKind, FileRow, ParsedFile
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import Plan, PlannedChange
from cleverwizard.rules.names import normalise_email
from cleverwizard.store.models import PersonKind, Problem, RunCounts, RunKind

PERSON: dict[FileKind, PersonKind] = {"teachers": "teacher", "students": "student"}
RUN_KIND: dict[FileKind, RunKind] = {"teachers": "add teachers", "students": "add students", "courses": "add courses"}


@dataclass(frozen=True)
class AlreadyThere:
    line: int
    what: str
    why: str

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"already there: {where}{self.what} ({self.why})"


@dataclass
class NewCourse:
    line: int
    values: dict[str, Any]

    def describe(self) -> str:
        number = self.values.get("number")
        return f"new course: {self.values['name']}" + (f" ({number})" if number else "")


@dataclass
class AddPlan:
    """What adding one file (or one person typed in) would do; nothing is written yet."""

    kind: FileKind
    source: str
    """Where the records come from, for the report and the run's detail ("teachers.csv", "by hand")."""
    base_revision: int
    people: Plan | None = None
    courses: list[NewCourse] = field(default_factory=list)
    already: list[AlreadyThere] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return len(self.people.changes) if self.people is not None else len(self.courses)

    @property
    def counts(self) -> RunCounts:
        return RunCounts(created=self.new_count, unchanged=len(self.already))

    @property
    def problems(self) -> list[Problem]:
        return []

    @property
    def writes_nothing(self) -> bool:
        return self.new_count == 0

    @property
    def run_kind(self) -> RunKind:
        return RUN_KIND[self.kind]

    def summary(self) -> str:
        """The sentence read before pressing Add."""
        if self.bad:
            return (
                f"{self.source}: {len(self.bad)} bad row{'s' if len(self.bad) != 1 else ''}; "
                "nothing is added until every row is good."
            )
        singular = self.kind[:-1]
        noun = singular if self.new_count == 1 else self.kind
        return f"{self.source}: {self.new_count} new {noun}, {len(self.already)} already there. Nothing is deleted."

    def lines(self) -> list[str]:
        """The whole plan as text (the caller passes each line through ``one_line``)."""
        out = [self.summary()]
        out += [f"  bad row: {bad.describe()}" for bad in self.bad]
        if self.bad:
            return out  # what the good rows would add is for when the file can be added
        if self.people is not None:
            out += [f"  new {PERSON[self.kind]}: {change.name}" for change in self.people.changes]
        out += [f"  {course.describe()}" for course in self.courses]
        out += [f"  {item.describe()}" for item in self.already]
        if self.ignored:
            out.append("  columns not used: " + ", ".join(self.ignored))
        return out


def plan_add(view: PlatformView, parsed: ParsedFile, source: str, school_id: str | None) -> AddPlan:
    """Plan adding every good row of ``parsed``; bad rows make the plan unusable (listed)."""
    plan = AddPlan(
        kind=parsed.kind, source=source, base_revision=view.revision, bad=list(parsed.bad), ignored=parsed.ignored
    )
    if parsed.kind == "courses":
        _plan_courses(view, parsed.rows, plan)
    else:
        plan.people = _plan_people(view, PERSON[parsed.kind], parsed.rows, plan, school_id)
    return plan


def _plan_people(
    view: PlatformView, kind: PersonKind, rows: list[FileRow], plan: AddPlan, school_id: str | None
) -> Plan:
    logins = {normalise_email(a.email): a for a in [*view.teachers, *view.students] if a.email}
    people = Plan(kind=kind, school_id=school_id or "", base_revision=view.revision)
    for row in rows:
        email = row.values["email"]
        name = f"{row.values['first_name']} {row.values['last_name']}"
        owner = logins.get(normalise_email(email))
        if owner is not None:
            plan.already.append(
                AlreadyThere(row.line, f"{name} <{email}>", f"already the login of {owner.full_name or 'an account'}")
            )
            continue
        values: dict[str, Any] = {
            "first_name": row.values["first_name"],
            "last_name": row.values["last_name"],
            "email": email,
            "sis_id": row.get("sis_id"),
            "source": "manual",
            "status": "active",
        }
        if kind == "student":
            values["grade"] = row.get("grade")
        reason = f"line {row.line}" if row.line else "typed in"
        people.changes.append(
            PlannedChange(action="create", kind=kind, name=f"{name} <{email}>", reason=reason, values=values)
        )
    return people


def _course_key(name: str, number: str | None) -> str:
    return f"{name.strip().casefold()}\x00{(number or '').strip().casefold()}"


def _plan_courses(view: PlatformView, rows: list[FileRow], plan: AddPlan) -> None:
    catalogue = {_course_key(c.name, c.number): c for c in view.courses}
    for row in rows:
        values = {"name": row.values["name"], "number": row.get("number"), "subject": row.get("subject")}
        if _course_key(values["name"] or "", values["number"]) in catalogue:
            plan.already.append(AlreadyThere(row.line, values["name"] or "", "in the course catalogue"))
            continue
        plan.courses.append(NewCourse(row.line, values))
