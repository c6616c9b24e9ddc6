"""Pydantic models of the Clever v3.0 records a roster sync reads.

Clever's spec marks almost every field nullable and real districts send odd values
(grades such as ``"13"`` or ``""``, emails without ``@``, unknown extra fields), so the
models accept anything the spec allows and keep unknown keys instead of failing a whole
page over one record. Values are kept exactly as Clever sent them; screens decide how to
show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

GRADES: tuple[str, ...] = (
    "InfantToddler",
    "Preschool",
    "PreKindergarten",
    "TransitionalKindergarten",
    "Kindergarten",
    *(str(n) for n in range(1, 14)),
    "PostGraduate",
    "Ungraded",
    "Other",
    "",
)
"""Every grade value the v3.0 spec allows, in school order (``None`` is allowed too)."""

SUBJECTS: tuple[str, ...] = (
    "english/language arts",
    "math",
    "science",
    "social studies",
    "language",
    "homeroom/advisory",
    "interventions/online learning",
    "technology and engineering",
    "PE and health",
    "arts and music",
    "other",
    "",
)


class CleverModel(BaseModel):
    """Base for every Clever record: tolerant of extra keys, immutable once read.

    Each model's validator is built the first time it is used (``defer_build``): a student
    import decodes its pages without them (``clever.decode``) and never pays for building
    the other eighteen.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, defer_build=True)


def _list_or_empty(value: Any) -> Any:
    return [] if value is None else value


def full_name(first: str | None, last: str | None) -> str:
    """First and last name joined, skipping the missing parts."""
    if first and last:
        return f"{first} {last}"
    return first or last or ""


def role_school_ids(school: str | None, schools: Iterable[str]) -> set[str]:
    """Every school a role lists, primary or not (INTERFACE.md: both count)."""
    ids = set(schools)
    if school:
        ids.add(school)
    return ids


class Name(CleverModel):
    first: str | None = None
    middle: str | None = None
    last: str | None = None

    @property
    def full(self) -> str:
        """First and last name joined, skipping the missing parts."""
        return full_name(self.first, self.last)


class Credentials(CleverModel):
    district_username: str | None = None


SENSITIVE_STUDENT_FIELDS = frozenset(
    {
        "disability",
        "gifted_status",
        "section_504_status",
        "frl_status",
        "home_language",
        "home_language_code",
        "iep_status",
        "ell_status",
        "unweighted_gpa",
        "weighted_gpa",
    }
)
"""Student fields (v3.1's disability, gifted, 504, FRL and home language, and their v3.0
client-spec cousins) that a roster sync has no use for: dropped as each record is read, so
they are never kept in memory, logged or stored."""


def _without_sensitive(value: Any) -> Any:
    if isinstance(value, dict) and not SENSITIVE_STUDENT_FIELDS.isdisjoint(value):
        return {key: item for key, item in value.items() if key not in SENSITIVE_STUDENT_FIELDS}
    return value


class TeacherRole(CleverModel):
    school: str | None = None
    schools: list[str] = Field(default_factory=list)
    sis_id: str | None = None
    state_id: str | None = None
    teacher_number: str | None = None
    title: str | None = None
    legacy_id: str | None = None
    district: str | None = None
    credentials: Credentials | None = None
    preferred_name: Name | None = None
    """Not in v3.1.yml for teachers (only students have it); read when Clever sends one."""

    _schools = field_validator("schools", mode="before")(_list_or_empty)


class StudentRole(CleverModel):
    school: str | None = None
    schools: list[str] = Field(default_factory=list)
    sis_id: str | None = None
    state_id: str | None = None
    student_number: str | None = None
    grade: str | None = None
    graduation_year: str | None = None
    dob: str | None = None
    gender: str | None = None
    legacy_id: str | None = None
    credentials: Credentials | None = None
    preferred_name: Name | None = None
    """v3.1: the name the student goes by (``roles.student.preferred_name``)."""

    _schools = field_validator("schools", mode="before")(_list_or_empty)

    @model_validator(mode="before")
    @classmethod
    def _drop_sensitive(cls, value: Any) -> Any:
        return _without_sensitive(value)


class StaffRole(CleverModel):
    schools: list[str] = Field(default_factory=list)
    staff_id: str | None = None
    title: str | None = None
    department: str | None = None

    _schools = field_validator("schools", mode="before")(_list_or_empty)


class DistrictAdminRole(CleverModel):
    legacy_id: str | None = None
    title: str | None = None


class ContactRole(CleverModel):
    legacy_id: str | None = None


class Roles(CleverModel):
    student: StudentRole | None = None
    teacher: TeacherRole | None = None
    staff: StaffRole | None = None
    district_admin: DistrictAdminRole | None = None
    contact: ContactRole | None = None


class User(CleverModel):
    """A Clever user; teachers and students are users with that role filled in."""

    id: str
    district: str | None = None
    email: str | None = None
    name: Name = Field(default_factory=Name)
    roles: Roles = Field(default_factory=Roles)
    created: str | None = None
    last_modified: str | None = None

    @field_validator("name", "roles", mode="before")
    @classmethod
    def _empty_if_null(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def preferred_name(self) -> Name | None:
        """The name the person goes by (v3.1), when Clever gives one that differs from the legal one."""
        for held in (self.roles.student, self.roles.teacher):
            preferred = held.preferred_name if held is not None else None
            if preferred is not None and (preferred.first or preferred.last):
                full = Name(first=preferred.first or self.name.first, last=preferred.last or self.name.last)
                if full.full != self.name.full:
                    return full
        return None

    def school_ids(self, role: Literal["teacher", "student"]) -> set[str]:
        """Every school the role lists, primary or not (INTERFACE.md: both count)."""
        held = self.roles.teacher if role == "teacher" else self.roles.student
        return role_school_ids(held.school, held.schools) if held is not None else set()


class Principal(CleverModel):
    name: str | None = None
    email: str | None = None


class School(CleverModel):
    id: str
    district: str | None = None
    name: str | None = None
    sis_id: str | None = None
    school_number: str | None = None
    state_id: str | None = None
    nces_id: str | None = None
    low_grade: str | None = None
    high_grade: str | None = None
    phone: str | None = None
    principal: Principal | None = None
    created: str | None = None
    last_modified: str | None = None

    @property
    def grade_span(self) -> str:
        """ "Kindergarten–5" style range, or "" when Clever gives none."""
        low, high = self.low_grade or "", self.high_grade or ""
        if low and high:
            return f"{low}–{high}"
        return low or high


class District(CleverModel):
    id: str
    name: str | None = None
    state: str | None = None
    last_sync: str | None = None
    launch_date: str | None = None
    sis_type: str | None = None
    error: str | None = None
    pause_start: str | None = None
    pause_end: str | None = None


class Section(CleverModel):
    id: str
    district: str | None = None
    school: str | None = None
    name: str | None = None
    section_number: str | None = None
    sis_id: str | None = None
    period: str | None = None
    grade: str | None = None
    subject: str | None = None
    course: str | None = None
    term_id: str | None = None
    teacher: str | None = None
    teachers: list[str] = Field(default_factory=list)
    students: list[str] = Field(default_factory=list)
    created: str | None = None
    last_modified: str | None = None

    _lists = field_validator("teachers", "students", mode="before")(_list_or_empty)


class Course(CleverModel):
    id: str
    district: str | None = None
    name: str | None = None
    number: str | None = None


class Term(CleverModel):
    id: str
    district: str | None = None
    name: str | None = None
    start_date: str | None = None
    end_date: str | None = None


def _scrub_user(value: Any) -> Any:
    """A raw user record (or its ``previous_attributes``) without the sensitive student fields."""
    roles = value.get("roles") if isinstance(value, dict) else None
    student = roles.get("student") if isinstance(roles, dict) else None
    if not isinstance(roles, dict) or not isinstance(student, dict) or SENSITIVE_STUDENT_FIELDS.isdisjoint(student):
        return value
    return {**value, "roles": {**roles, "student": _without_sensitive(student)}}


class EventData(CleverModel):
    object: dict[str, Any] = Field(default_factory=dict)
    previous_attributes: dict[str, Any] | None = None

    _scrubbed = field_validator("object", "previous_attributes", mode="before")(_scrub_user)


class Event(CleverModel):
    """One entry of ``/events``: ``type`` is ``"<record_type>.<created|updated|deleted>"``."""

    id: str
    type: str
    created: str | None = None
    data: EventData = Field(default_factory=EventData)
    previous_attributes: dict[str, Any] | None = None

    _scrubbed = field_validator("previous_attributes", mode="before")(_scrub_user)

    @property
    def previous_values(self) -> dict[str, Any]:
        """What an ``*.updated`` event changed from: the spec puts ``previous_attributes``
        beside ``data``, the docs put it inside ``data``; accept either."""
        return self.previous_attributes or self.data.previous_attributes or {}

    @property
    def record_type(self) -> str:
        return self.type.split(".", 1)[0]

    @property
    def action(self) -> str:
        return self.type.rsplit(".", 1)[-1]


class Link(CleverModel):
    rel: str
    uri: str
