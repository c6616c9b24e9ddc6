"""The platform's own records: what the learning platform knows about its people.

These are the platform's accounts, not Clever's users. An account may be linked to a
Clever user (``clever_id``) or stand alone (made by hand before Clever). Fields a person
edited in the wizard are listed in ``edited`` and win over Clever's values on every later
import or sync (the Canvas "sticky field" model), so an edit is never lost.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 3
"""Bumped whenever the stored shape changes; ``RosterStore.open`` refuses newer versions and
migrates older ones it knows (2: run journals and problem lists moved out of the run rows,
see ``store.run_rows``; 3: logins kept when an account was linked are ``kept``, no longer
``edited``, see ``store.kept_logins``)."""

PersonKind = Literal["teacher", "student"]
"""The kinds of account a person has on the platform."""
AccountSource = Literal["clever", "manual"]
AccountStatus = Literal["active", "archived"]
MatchMethod = Literal["clever_id", "email", "sis_id", "name", "manual", "not_in_list"]
RunKind = Literal[
    "import teachers",
    "import students",
    "import sections",
    "sync",
    "undo",
    "add teachers",
    "add students",
    "add courses",
    "fill emails",
]


def now_iso() -> str:
    """UTC timestamp to the second, the one format the store uses for times."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class StoreModel(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False, defer_build=True)


class Account(StoreModel):
    """A login on the platform; teachers and students share this shape."""

    id: int
    clever_id: str | None = None
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    """The login email. ``None`` means the person cannot log in yet."""
    source: AccountSource = "manual"
    status: AccountStatus = "active"
    sis_id: str | None = None
    clever_email: str | None = None
    """The email Clever last sent, kept so a sticky edit can be compared with it."""
    edited: list[str] = Field(default_factory=list)
    """Fields edited in the wizard (or filled by ``emails fill``); imports and syncs keep these."""
    kept: list[str] = Field(default_factory=list, exclude_if=lambda fields: not fields)
    """Fields whose platform value was kept when the account was first linked to Clever (a
    hand-made account's own login email): kept through syncs like an edit, but nobody edited
    them. Left out of the stored form while empty, so records saved before this field existed
    keep their fingerprints and old runs can still be undone."""
    schools: list[str] = Field(default_factory=list)
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


def full_name(first_name: str, last_name: str) -> str:
    """First and last name as the wizard shows them (either may be missing)."""
    return " ".join(part for part in (first_name, last_name) if part)


class Login(NamedTuple):
    """An account's login email and whose it is, read as stored (``RosterStore.logins``).

    All a plan of the other kind needs: a teacher import must not hand out an email a student
    logs in with, and reading 20,000 students as models to learn that costs far more."""

    id: int
    email: str | None
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        """Joined when asked: a plan reads 20,000 logins and names almost none of them."""
        return full_name(self.first_name, self.last_name)


class Teacher(Account):
    title: str | None = None


class Student(Account):
    grade: str | None = None
    """Clever's grade string exactly as sent ("" and None are kept apart)."""
    school: str | None = None
    """The Clever school id the student belongs to on this site."""


class MatchDecision(StoreModel):
    """What someone (or an exact rule) decided about one platform teacher.

    ``clever_id`` is ``None`` for "This teacher is not in the list", so the same
    suggestion is not offered again on the next import.
    """

    account_id: int
    clever_id: str | None
    method: MatchMethod
    decided_at: str = Field(default_factory=now_iso)


class Site(StoreModel):
    """This platform site's connection to a Clever district and one of its schools."""

    district_id: str
    district_name: str = ""
    school_id: str | None = None
    school_name: str | None = None
    school_grades: str | None = None
    connected_at: str = Field(default_factory=now_iso)
    school_selected_at: str | None = None


class CleverDistrictState(StoreModel):
    """What Clever last said about the district's own SIS sync, and when we asked.

    Kept in its own small file (``store.clever_district``), not in the roster: it is
    refreshed whenever a command or the wizard talks to Clever, and ``status`` shows it
    without asking Clever again (it stays an offline read of the data folder).
    """

    district_id: str
    state: str = ""
    """Clever's ``state``: running, pending, error, paused, success or ""."""
    last_sync: str | None = None
    """When Clever last finished syncing the district's SIS (Clever's timestamp)."""
    pause_start: str | None = None
    pause_end: str | None = None
    error: str | None = None
    read_at: str = Field(default_factory=now_iso)
    """When this was read from Clever (the store's timestamp form)."""


class RunCounts(StoreModel):
    created: int = 0
    linked: int = 0
    updated: int = 0
    archived: int = 0
    restored: int = 0
    flagged: int = 0
    unchanged: int = 0


class Problem(StoreModel):
    """One record Clever sent that needs fixing in the SIS, in words an admin can act on."""

    kind: Literal["teacher", "student", "section"]
    clever_id: str | None
    name: str
    issue: str
    fix: str


class Run(StoreModel):
    """One applied import or sync, kept for history and undo."""

    id: int
    kind: RunKind
    started_by: str
    at: str = Field(default_factory=now_iso)
    counts: RunCounts = Field(default_factory=RunCounts)
    problems: list[Problem] = Field(default_factory=list)
    before: dict[str, dict[str, dict[str, object] | None]] = Field(default_factory=dict)
    """Undo journal: table name -> account id -> the record before this run (None: created)."""
    after: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    """Fingerprints of the records as this run left them (None: removed), so undo can tell
    a record changed since (a later run, an edit in the wizard) and leave it alone."""
    parts: dict[str, RunCounts] = Field(default_factory=dict)
    """Counts per kind for runs that touch several ("teachers", "students", ...)."""
    detail: str = ""
    """One line on how the run went: the sync's mode and why, or which run an undo reverted."""


class Meta(StoreModel):
    schema_version: int = SCHEMA_VERSION
    revision: int = 0
    """Incremented on every write, so a plan built on older data is refused at apply."""
    last_event_id: str | None = None
    last_sync_at: str | None = None
    last_sync_school: str | None = None
    """The school ``last_event_id`` belongs to: after another school is chosen, the next sync is full."""
    teachers_imported_at: str | None = None
    students_imported_at: str | None = None
    sections_imported_at: str | None = None
    """When sections were last imported or synced; the checklist's Sections step shows it."""
    last_account_id: int = 0
    """Highest platform account id ever handed out; ids are never reused, even after undo."""
    last_run_id: int = 0
    """Highest run id ever handed out."""
    last_section_id: int = 0
    """Highest platform section id ever handed out (never reused, like account ids)."""
    last_course_id: int = 0
    """Highest platform course id ever handed out."""


CourseMethod = Literal["same name", "same number", "same Clever course", "chosen", "not_in_list"]
"""How a section's platform course was decided; ``not_in_list`` means "no platform course"."""


class Course(StoreModel):
    """A course in the platform's own catalogue, which exists before and apart from Clever.

    Clever courses are often rebuilt from section data (new ids, other spellings), so the
    platform keeps its catalogue and each section records which of its courses it is.
    """

    id: int
    name: str
    subject: str | None = None
    """Clever's subject vocabulary where it fits ("math", "science"), so ranking can use it."""
    grades: list[str] = Field(default_factory=list)
    """Clever grade strings the course is taught in; empty means any grade."""
    number: str | None = None
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)


class Section(StoreModel):
    """A class on the platform: a Clever section with its course, term and enrolments.

    Enrolments are platform account ids, so a student moved between sections in Clever
    moves here when the lists are recomputed. Clever people with no active account are
    kept by Clever id in ``missing_*`` so the section stays flagged until they arrive.
    """

    id: int
    clever_id: str | None = None
    school: str | None = None
    """The Clever school id the section belongs to."""
    name: str = ""
    section_number: str | None = None
    sis_id: str | None = None
    period: str | None = None
    subject: str | None = None
    grade: str | None = None
    clever_term_id: str | None = None
    term_name: str | None = None
    term_start: str | None = None
    term_end: str | None = None
    clever_course_id: str | None = None
    course_id: int | None = None
    """The platform course; ``None`` when not decided or "not in the list"."""
    course_method: CourseMethod | None = None
    """How ``course_id`` was decided; ``None`` means nobody decided yet, so it is asked again."""
    teacher_ids: list[int] = Field(default_factory=list)
    """Platform teacher account ids, Clever's primary teacher first."""
    student_ids: list[int] = Field(default_factory=list)
    missing_teacher_ids: list[str] = Field(default_factory=list)
    """Clever ids of the section's teachers that have no active platform account."""
    missing_student_ids: list[str] = Field(default_factory=list)
    status: AccountStatus = "active"
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)

    @property
    def flagged(self) -> bool:
        """Teachers or students are missing here, or Clever gives the section no teacher."""
        return section_flagged(self.missing_teacher_ids, self.missing_student_ids, self.teacher_ids)


def section_flagged(missing_teacher_ids: object, missing_student_ids: object, teacher_ids: object) -> bool:
    """``Section.flagged`` from the three lists alone, for counts taken without building models."""
    return bool(missing_teacher_ids or missing_student_ids or not teacher_ids)
