"""The sandbox district: Clever v3.0 records as plain dicts, plus the changes sync tests need.

Records are kept exactly in the shapes Clever serves (users carry a ``roles`` object keyed by
role) so the request handler can return them as they are and the client's models parse them
like real data. Ids are 24-hex-digit ObjectId-like strings whose leading timestamp and
trailing counter both grow, so ids ascend in creation order and every dict here is already
in id order: paging by ``starting_after`` is a bisect, as it is at Clever.

Events: generation records none; the log starts empty, as for an app that has just enabled
events and must do its first sync from the Data API. Every mutation method appends Clever
v3.0 events (``users.created`` and so on, ``data.object`` the full record and, for updates,
``data.previous_attributes`` holding the old values in the record's own nesting). With
``events_enabled`` false, mutations change data but log nothing, as Clever stops generating
events when an app disables them.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from cleverwizard.sandbox.names import ascii_slug, username

Record = dict[str, Any]
UserRole = Literal["teacher", "student", "staff", "district_admin"]

GENERATION_START = 1_751_356_800
"""2025-07-01T08:00:00Z: the fake clock's start, before the 2025–26 school year."""

_USER_FIELDS = {"first", "middle", "last", "email", "grade", "sis_id", "title"}
_SECTION_FIELDS = {
    "name",
    "period",
    "subject",
    "grade",
    "teacher",
    "teachers",
    "students",
    "term_id",
    "course",
    "section_number",
    "sis_id",
}


def iso(ts: int) -> str:
    """Clever's timestamp form, ``YYYY-MM-DDTHH:MM:SS.000Z`` in UTC."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class SandboxDistrict:
    """One fake Clever district. Change it through the methods below (they bump ``version``,
    which tells ``SandboxAPI`` to drop its caches); after editing the dicts directly, bump
    ``version`` yourself."""

    seed: int
    district_id: str
    token: str
    domain: str
    district: Record
    schools: dict[str, Record] = field(default_factory=dict)
    users: dict[str, Record] = field(default_factory=dict)
    sections: dict[str, Record] = field(default_factory=dict)
    courses: dict[str, Record] = field(default_factory=dict)
    terms: dict[str, Record] = field(default_factory=dict)
    events: list[Record] = field(default_factory=list)
    events_enabled: bool = True
    client_id: str = ""
    """The sandbox app's client id: ``GET /oauth/tokens`` answers HTTP Basic with it and the secret."""
    client_secret: str = ""
    rotations: int = 0
    """How many times the district token was rotated (``rotate_token``)."""
    preferred_names: dict[str, Record] = field(default_factory=dict)
    """User id -> v3.1 ``preferred_name`` (``{first, middle, last}``), served on ``/v3.1`` only."""
    expired_before: str | None = None
    version: int = 0
    clock: int = GENERATION_START
    machine: str = "0000000000"
    counter: int = 0

    @classmethod
    def generate(cls, seed: int = 2026, schools: int = 3, teachers: int = 24, students: int = 450) -> SandboxDistrict:
        """A district built only from ``seed``; ``teachers`` and ``students`` are per school."""
        from cleverwizard.sandbox.generator import build

        return build(seed=seed, schools=schools, teachers=teachers, students=students)

    @staticmethod
    def machine_for(seed: int) -> str:
        """The ObjectId middle part, so two seeds never share ids."""
        return hashlib.sha256(f"sandbox-machine:{seed}".encode()).hexdigest()[:10]

    def new_id(self) -> str:
        """Next ObjectId-like id: clock seconds, seed part, counter; always above every earlier id."""
        self.counter += 1
        return f"{self.clock:08x}{self.machine}{self.counter:06x}"

    def now(self) -> str:
        return iso(self.clock)

    def users_with_role(self, role: UserRole) -> list[Record]:
        """Users holding ``role`` (a teacher who is also staff appears for both), in id order."""
        return [user for user in self.users.values() if user["roles"].get(role)]

    def users_at_school(self, school_id: str, role: UserRole, *, primary: bool = False) -> list[Record]:
        """Users whose ``role`` lists the school as ``school`` or in ``schools`` (INTERFACE.md).

        With ``primary`` only the role's ``school`` counts; staff have no primary school, so for
        them ``schools`` always counts.
        """
        found: list[Record] = []
        for user in self.users.values():
            held = user["roles"].get(role)
            if not held:
                continue
            if (
                held.get("school") == school_id
                or (role == "staff" or not primary)
                and school_id in (held.get("schools") or ())
            ):
                found.append(user)
        return found

    def sections_at_school(self, school_id: str) -> list[Record]:
        return [section for section in self.sections.values() if section["school"] == school_id]

    def _touch(self, seconds: int = 60) -> None:
        self.clock += seconds
        self.version += 1

    def _emit(self, kind: str, record: Record, previous: Record | None = None) -> Record | None:
        if not self.events_enabled:
            return None
        data: Record = {"object": copy.deepcopy(record)}
        if previous is not None:
            data["previous_attributes"] = previous
        event = {"id": self.new_id(), "type": kind, "created": self.now(), "data": data}
        self.events.append(event)
        return event

    def _email_for(self, first: str | None, last: str | None) -> str:
        """``first.last@domain``, numbered when someone already has it."""
        taken = {user.get("email") for user in self.users.values()}
        stem = ".".join(ascii_slug(part) for part in (first, last) if part) or "teacher"
        email, n = f"{stem}@{self.domain}", 1
        while email in taken:
            n += 1
            email = f"{stem}{n}@{self.domain}"
        return email

    def add_student(
        self,
        school_id: str,
        first: str | None,
        last: str | None,
        grade: str | None,
        email: str | None = None,
        *,
        sis_id: str | None = None,
        dob: str | None = None,
        gender: str = "X",
        sections: list[str] | None = None,
    ) -> Record:
        """Enrol a new student at ``school_id`` and log ``users.created``; returns the record.

        Each of ``sections`` then gets the student (one ``sections.updated`` apiece).
        """
        school = self.schools[school_id]
        self._require(self.sections, sections)
        self._touch()
        user_id = self.new_id()
        stamp = self.now()
        user: Record = {
            "id": user_id,
            "district": self.district_id,
            "email": email,
            "name": {"first": first, "middle": None, "last": last},
            "created": stamp,
            "last_modified": stamp,
            "roles": {
                "student": {
                    "school": school_id,
                    "schools": [school_id],
                    "sis_id": sis_id or f"{school['sis_id']}N{self.counter:05d}",
                    "state_id": None,
                    "student_number": sis_id or f"N{self.counter:05d}",
                    "grade": grade,
                    "graduation_year": None,
                    "dob": dob,
                    "gender": gender,
                    "credentials": {"district_username": username(first, last, str(self.counter))},
                }
            },
        }
        self.users[user_id] = user
        self._emit("users.created", user)
        self._join(user_id, sections or [], "students")
        return copy.deepcopy(user)

    @staticmethod
    def _require(store: dict[str, Record], ids: list[str] | None) -> None:
        """KeyError for an unknown id, raised before anything changes."""
        missing = [key for key in ids or [] if key not in store]
        if missing:
            raise KeyError(missing[0])

    def _join(self, user_id: str, section_ids: list[str], member: str) -> None:
        for section_id in section_ids:
            section = self.sections[section_id]
            changes: Record = {member: sorted({*section[member], user_id})}
            if member == "teachers" and not section.get("teacher"):
                changes["teacher"] = user_id
            self.update_section(section_id, **changes)

    def add_teacher(
        self,
        school_id: str,
        first: str | None,
        last: str | None,
        email: str | None = None,
        *,
        sis_id: str | None = None,
        title: str | None = "Teacher",
        schools: list[str] | None = None,
        sections: list[str] | None = None,
    ) -> Record:
        """Hire a teacher at ``school_id`` (optionally at more ``schools``) and log ``users.created``.

        Each of ``sections`` then lists the teacher in ``teachers`` (one ``sections.updated`` apiece).
        """
        school = self.schools[school_id]
        extra = [s for s in (schools or []) if s != school_id]
        self._require(self.schools, extra)
        self._require(self.sections, sections)
        self._touch()
        user_id = self.new_id()
        stamp = self.now()
        number = sis_id or f"T{school['sis_id']}N{self.counter:04d}"
        user: Record = {
            "id": user_id,
            "district": self.district_id,
            "email": email if email is not None else self._email_for(first, last),
            "name": {"first": first, "middle": None, "last": last},
            "created": stamp,
            "last_modified": stamp,
            "roles": {
                "teacher": {
                    "district": self.district_id,
                    "school": school_id,
                    "schools": [school_id, *extra],
                    "sis_id": number,
                    "state_id": None,
                    "teacher_number": number,
                    "title": title,
                    "credentials": {"district_username": username(first, last)},
                }
            },
        }
        self.users[user_id] = user
        self._emit("users.created", user)
        self._join(user_id, sections or [], "teachers")
        return copy.deepcopy(user)

    def update_user(self, user_id: str, **changes: Any) -> Record:
        """Change a user's ``first``/``middle``/``last``/``email``/``grade``/``sis_id``/``title``.

        Logs one ``users.updated`` whose ``previous_attributes`` mirror the record's nesting,
        e.g. ``{"name": {"first": "Rob"}}`` or ``{"roles": {"student": {"grade": "3"}}}``.
        """
        unknown = set(changes) - _USER_FIELDS
        if unknown:
            raise TypeError(f"update_user cannot change {sorted(unknown)}")
        user = self.users[user_id]
        roles = user["roles"]
        previous: Record = {}
        for key, value in changes.items():
            if key in ("first", "middle", "last"):
                previous.setdefault("name", {})[key] = user["name"].get(key)
                user["name"][key] = value
            elif key == "email":
                previous["email"] = user.get("email")
                user["email"] = value
            else:
                role = "student" if key == "grade" or (key == "sis_id" and roles.get("student")) else "teacher"
                held = roles.get(role)
                if not held:
                    raise ValueError(f"user {user_id} has no {role} role to change {key!r} on")
                previous.setdefault("roles", {}).setdefault(role, {})[key] = held.get(key)
                held[key] = value
        self._touch()
        user["last_modified"] = self.now()
        self._emit("users.updated", user, previous)
        return copy.deepcopy(user)

    def delete_user(self, user_id: str) -> Record:
        """Remove a user, drop them from every section (``sections.updated``), then log ``users.deleted``."""
        user = self.users[user_id]
        self._touch()
        for section in self.sections.values():
            previous: Record = {}
            if user_id in section["students"]:
                previous["students"] = list(section["students"])
                section["students"] = [s for s in section["students"] if s != user_id]
            if user_id in section["teachers"] or section.get("teacher") == user_id:
                previous["teachers"] = list(section["teachers"])
                previous["teacher"] = section.get("teacher")
                section["teachers"] = [t for t in section["teachers"] if t != user_id]
                if section.get("teacher") == user_id:
                    section["teacher"] = section["teachers"][0] if section["teachers"] else None
            if previous:
                section["last_modified"] = self.now()
                self._emit("sections.updated", section, previous)
        del self.users[user_id]
        self._emit("users.deleted", user)
        return user

    def move_student(self, student_id: str, from_section: str, to_section: str) -> None:
        """Move a student between sections, logging ``sections.updated`` for each."""
        source, target = self.sections[from_section], self.sections[to_section]
        if student_id not in source["students"]:
            raise ValueError(f"student {student_id} is not in section {from_section}")
        self.update_section(from_section, students=[s for s in source["students"] if s != student_id])
        if student_id not in target["students"]:
            self.update_section(to_section, students=sorted([*target["students"], student_id]))

    def update_section(self, section_id: str, **changes: Any) -> Record:
        """Change any of a section's plain fields and log ``sections.updated``."""
        unknown = set(changes) - _SECTION_FIELDS
        if unknown:
            raise TypeError(f"update_section cannot change {sorted(unknown)}")
        section = self.sections[section_id]
        previous = {key: copy.deepcopy(section.get(key)) for key in changes}
        section.update(changes)
        self._touch()
        section["last_modified"] = self.now()
        self._emit("sections.updated", section, previous)
        return copy.deepcopy(section)

    def update_record(
        self, record_type: Literal["schools", "terms", "courses"], record_id: str, **changes: Any
    ) -> Record:
        """Change a school's, term's or course's fields (a rename) and log ``<type>.updated``."""
        record = getattr(self, record_type)[record_id]
        previous = {key: copy.deepcopy(record.get(key)) for key in changes}
        record.update(changes)
        self._touch()
        record["last_modified"] = self.now()
        self._emit(f"{record_type}.updated", record, previous)
        return copy.deepcopy(record)

    def add_section(
        self,
        school_id: str,
        name: str | None,
        *,
        teachers: list[str],
        students: list[str] | None = None,
        course: str | None = None,
        term_id: str | None = None,
        **fields: Any,
    ) -> Record:
        """Open a section at ``school_id`` and log ``sections.created`` (its full record).

        ``teachers`` (primary first) and ``students`` are Clever user ids; ``course`` and
        ``term_id`` ids of this district's courses and terms; ``fields`` more plain fields.
        """
        self._require(self.schools, [school_id])
        self._require(self.users, [*teachers, *(students or [])])
        unknown = set(fields) - _SECTION_FIELDS
        if unknown:
            raise TypeError(f"add_section cannot set {sorted(unknown)}")
        self._touch()
        section_id = self.new_id()
        number = len(self.sections) + 1
        record: Record = {
            "id": section_id,
            "district": self.district_id,
            "school": school_id,
            "name": name,
            "section_number": str(number),
            "sis_id": f"{self.schools[school_id]['sis_id']}-{number:05d}",
            "period": None,
            "grade": None,
            "subject": None,
            "course": course,
            "term_id": term_id,
            "teacher": teachers[0] if teachers else None,
            "teachers": list(teachers),
            "students": sorted(students or []),
            "created": self.now(),
            "last_modified": self.now(),
            "ext": {},
            **fields,
        }
        self.sections[section_id] = record
        self._emit("sections.created", record)
        return copy.deepcopy(record)

    def delete_section(self, section_id: str) -> Record:
        """Remove a section (a class cancelled in the SIS) and log ``sections.deleted``."""
        record = self.sections.pop(section_id)
        self._touch()
        self._emit("sections.deleted", record)
        return record

    def expire_events_before(self, event_id: str) -> int:
        """Drop events older than ``event_id`` as Clever's 30-day window does; returns how many.

        Asking ``/events?starting_after=<expired id>`` then answers 404 (see ``SandboxAPI``),
        which tells a client its saved position is gone and it must resync from the Data API.
        """
        kept = [event for event in self.events if event["id"] >= event_id]
        dropped = len(self.events) - len(kept)
        self.events = kept
        if self.expired_before is None or event_id > self.expired_before:
            self.expired_before = event_id
        self.version += 1
        return dropped

    def set_sync_state(
        self,
        state: Literal["running", "pending", "error", "paused", "success", ""],
        *,
        last_sync: str | None = None,
        pause_start: str | None = None,
        pause_end: str | None = None,
        error: str = "",
    ) -> Record:
        """Put the district's own SIS sync in ``state``, as Clever reports it on the District
        record: paused with a window, failing with a message, or synced at ``last_sync``
        (Clever timestamps; ``last_sync`` ``None`` keeps the one it had). Logs ``districts.updated``."""
        record = self.district
        changes: Record = {"state": state, "pause_start": pause_start, "pause_end": pause_end, "error": error}
        if last_sync is not None:
            changes["last_sync"] = last_sync
        previous = {key: record.get(key) for key in changes}
        record.update(changes)
        self._touch()
        self._emit("districts.updated", record, previous)
        return copy.deepcopy(record)

    def rotate_token(self) -> str:
        """Give the district a new token, as Clever may at any time; the old one then gets 401.

        The new token follows from the seed and the number of rotations, so runs repeat.
        """
        self.rotations += 1
        self.token = (
            "sandbox-" + hashlib.sha256(f"sandbox-token:{self.seed}:{self.rotations}".encode()).hexdigest()[:32]
        )
        return self.token

    def latest_event_id(self) -> str | None:
        return self.events[-1]["id"] if self.events else None
