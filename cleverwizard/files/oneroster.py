"""The whole roster as a OneRoster 1.1 CSV bulk bundle: a pure mapping from store records to rows.

OneRoster is the IMS standard LMSs and rostering tools import, so any platform can take what
the wizard built. Bulk mode: active records only, ``status`` and ``dateLastModified`` blank.

- sourcedIds are the platform's own ids with a prefix per type (``teacher-12``, ``class-3``,
  ``course-7``), so they are stable from one export to the next and never collide. The district
  and school are ``district-<Clever id>`` and ``school-<Clever id>``; a school not connected to
  Clever is one org, ``school-platform``.
- A class whose section has no platform course refers to a course made from its Clever course
  (``clever-course-<Clever id>``, titled like the first of its sections, as Clever names a
  section after its course when it has no name of its own), or, with no Clever course either,
  ``class-course-<section id>``.
- Terms become academicSessions (``term-<Clever id>``); classes without a term share one
  ``term-unknown`` session spanning the known terms (or the school year of ``today``).
- Grades use the OneRoster codes: "1".."12" -> 01..12, "13" -> 13, Kindergarten -> KG,
  PreKindergarten and Preschool -> PK, TransitionalKindergarten -> KG (the first year of a
  two-year kindergarten; TK is not in the code list we export), PostGraduate -> PS,
  Ungraded -> UG, InfantToddler and Other -> Other. No grade is left blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cleverwizard.store.models import Course, Section, Site, Student, Teacher

HEADERS: dict[str, tuple[str, ...]] = {
    "manifest.csv": ("propertyName", "value"),
    "orgs.csv": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    "academicSessions.csv": (
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId",
        "schoolYear",
    ),
    "courses.csv": (
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades",
        "orgSourcedId", "subjects", "subjectCodes",
    ),
    "classes.csv": (
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
        "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
    ),
    "users.csv": (
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds",
        "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
        "password",
    ),
    "enrollments.csv": (
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
        "primary", "beginDate", "endDate",
    ),
}  # fmt: skip
GRADE_CODES = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "Other")
"""Every code a OneRoster 1.1 consumer accepts; ``oneroster_grade`` only gives some of them."""
_NAMED_GRADES = {
    "InfantToddler": "Other",
    "Preschool": "PK",
    "PreKindergarten": "PK",
    "TransitionalKindergarten": "KG",
    "Kindergarten": "KG",
    "PostGraduate": "PS",
    "Ungraded": "UG",
    "Other": "Other",
}
_ABSENT_FILES = ("categories", "classResources", "courseResources", "demographics", "lineItems", "resources", "results")
_BULK_FILES = ("academicSessions", "classes", "courses", "enrollments", "orgs", "users")

Row = tuple[str, ...]


def oneroster_grade(grade: str | None) -> str:
    """The OneRoster code for a Clever grade string; "" for no grade."""
    if not grade or not grade.strip():
        return ""
    text = grade.strip()
    if text.isdigit() and 1 <= int(text) <= 13:
        return f"{int(text):02d}"
    return _NAMED_GRADES.get(text, "Other")


@dataclass(frozen=True)
class Roster:
    """What the bundle is made from: the store's records as they are now."""

    site: Site | None
    teachers: Sequence[Teacher]
    students: Sequence[Student]
    sections: Sequence[Section]
    courses: Sequence[Course]


def bundle(roster: Roster, today: date, system_name: str = "cleverwizard") -> dict[str, list[Row]]:
    """File name -> rows (header first) for every file of the bundle, in the spec's column order."""
    orgs, school = _orgs(roster.site)
    sections = [s for s in roster.sections if s.status == "active"]
    sessions, term_of = _sessions(sections, today)
    courses, course_of = _courses(roster.courses, sections, school)
    users = [*_users(roster.teachers, "teacher", school), *_users(roster.students, "student", school)]
    people = {row[0] for row in users}
    classes = [
        _row(
            "classes.csv",
            sourcedId=f"class-{s.id}",
            title=s.name or f"Section {s.section_number or s.id}",
            grades=oneroster_grade(s.grade),
            courseSourcedId=course_of[s.id],
            classCode=s.section_number or "",
            classType="scheduled",
            schoolSourcedId=school,
            termSourcedIds=term_of[s.id],
            subjects=s.subject or "",
            periods=s.period or "",
        )
        for s in sections
    ]
    enrollments = _enrollments(sections, people, school)
    files = {
        "orgs.csv": orgs,
        "academicSessions.csv": sessions,
        "courses.csv": courses,
        "classes.csv": classes,
        "users.csv": users,
        "enrollments.csv": enrollments,
    }
    listed = sorted([(name, "bulk") for name in _BULK_FILES] + [(name, "absent") for name in _ABSENT_FILES])
    manifest: list[Row] = [
        HEADERS["manifest.csv"],
        ("manifest.version", "1.0"),
        ("oneroster.version", "1.1"),
        *((f"file.{name}", mode) for name, mode in listed),
        ("source.systemName", system_name),
    ]
    return {"manifest.csv": manifest} | {name: [HEADERS[name], *rows] for name, rows in files.items()}


def _row(file: str, **values: str) -> Row:
    unknown = set(values) - set(HEADERS[file])
    assert not unknown, unknown
    return tuple(values.get(column, "") for column in HEADERS[file])


def _orgs(site: Site | None) -> tuple[list[Row], str]:
    """The district and the school (a lone school org when not connected); the school's sourcedId."""
    if site is None or not site.school_id:
        name = site.school_name if site and site.school_name else "School"
        return [_row("orgs.csv", sourcedId="school-platform", name=name, type="school")], "school-platform"
    district = f"district-{site.district_id}"
    school = f"school-{site.school_id}"
    return [
        _row("orgs.csv", sourcedId=district, name=site.district_name or site.district_id, type="district",
             identifier=site.district_id),
        _row("orgs.csv", sourcedId=school, name=site.school_name or site.school_id, type="school",
             identifier=site.school_id, parentSourcedId=district),
    ], school  # fmt: skip


def _day(stamp: str | None) -> str:
    """``2025-08-20T00:00:00Z`` -> ``2025-08-20``: OneRoster dates are days."""
    return (stamp or "")[:10]


def _sessions(sections: Sequence[Section], today: date) -> tuple[list[Row], dict[int, str]]:
    terms: dict[str, Section] = {}
    for s in sections:
        if s.clever_term_id and _day(s.term_start) and _day(s.term_end):
            terms.setdefault(s.clever_term_id, s)
    rows = [
        _row(
            "academicSessions.csv",
            sourcedId=f"term-{term_id}",
            title=s.term_name or "Term",
            type="term",
            startDate=_day(s.term_start),
            endDate=_day(s.term_end),
            schoolYear=_day(s.term_end)[:4],
        )
        for term_id, s in sorted(terms.items())
    ]
    term_of = {s.id: f"term-{s.clever_term_id}" for s in sections if s.clever_term_id in terms}
    if len(term_of) < len(sections):
        if terms:
            start = min(_day(s.term_start) for s in terms.values())
            end = max(_day(s.term_end) for s in terms.values())
        else:
            year = today.year if today.month >= 8 else today.year - 1
            start, end = f"{year}-08-01", f"{year + 1}-07-31"
        rows.append(
            _row("academicSessions.csv", sourcedId="term-unknown", title="No term in Clever", type="schoolYear",
                 startDate=start, endDate=end, schoolYear=end[:4])
        )  # fmt: skip
        term_of |= {s.id: "term-unknown" for s in sections if s.id not in term_of}
    return rows, term_of


def _courses(catalogue: Sequence[Course], sections: Sequence[Section], school: str) -> tuple[list[Row], dict[int, str]]:
    """Every catalogue course, plus one per Clever course (or section) that has no platform course."""
    known = {c.id for c in catalogue}
    rows = [
        _row(
            "courses.csv",
            sourcedId=f"course-{c.id}",
            title=c.name,
            courseCode=c.number or "",
            grades=",".join(dict.fromkeys(g for g in map(oneroster_grade, c.grades) if g)),
            orgSourcedId=school,
            subjects=c.subject or "",
        )
        for c in catalogue
    ]
    course_of: dict[int, str] = {}
    made: set[str] = set()
    for s in sorted(sections, key=lambda s: s.id):
        if s.course_id is not None and s.course_id in known:
            course_of[s.id] = f"course-{s.course_id}"
            continue
        sourced = f"clever-course-{s.clever_course_id}" if s.clever_course_id else f"class-course-{s.id}"
        course_of[s.id] = sourced
        if sourced not in made:
            made.add(sourced)
            rows.append(
                _row("courses.csv", sourcedId=sourced, title=s.name or "Course", grades=oneroster_grade(s.grade),
                     orgSourcedId=school, subjects=s.subject or "")
            )  # fmt: skip
    return rows, course_of


def _users(accounts: Sequence[Teacher] | Sequence[Student], role: str, school: str) -> list[Row]:
    rows = []
    for a in accounts:
        if a.status != "active":
            continue
        sourced = f"{role}-{a.id}"
        grade = oneroster_grade(a.grade) if isinstance(a, Student) else ""
        rows.append(
            _row(
                "users.csv",
                sourcedId=sourced,
                enabledUser="true",
                orgSourcedIds=school,
                role=role,
                username=a.email or a.sis_id or sourced,
                userIds=f"{{SIS:{a.sis_id}}}" if a.sis_id else "",
                givenName=a.first_name,
                familyName=a.last_name,
                identifier=a.sis_id or "",
                email=a.email or "",
                grades=grade,
            )
        )
    return rows


def _enrollments(sections: Sequence[Section], people: set[str], school: str) -> list[Row]:
    rows = []
    for s in sections:
        members = [(f"teacher-{i}", "teacher", n == 0) for n, i in enumerate(s.teacher_ids)]
        members += [(f"student-{i}", "student", False) for i in s.student_ids]
        for user, role, primary in members:
            if user in people:
                rows.append(
                    _row("enrollments.csv", sourcedId=f"enrollment-{s.id}-{user}", classSourcedId=f"class-{s.id}",
                         schoolSourcedId=school, userSourcedId=user, role=role, primary=str(primary).lower())
                )  # fmt: skip
    return rows
