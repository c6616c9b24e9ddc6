"""Reading Clever's event log into what changed for this school since the last sync.

Clever's recipe (CONTRACT.md §9): remember the newest event id, do a full sync from the
Data API, then poll ``/events?starting_after=<id>``. Each event carries the full record,
so only the newest event per record matters and replaying events is harmless: the same
events read twice plan the same (by then empty) changes. ``user_changes`` sorts the user
events, ``section_changes`` the section events (read once the Sections step is done).

Where to resume is saved in ``meta.last_event_id``:

- an event id: ask for the events after it;
- ``LOG_START``: the log was empty at the last full sync, so every event in it now came
  afterwards; read it from the start. Finding it still empty proves nothing (events may
  be switched off, and Clever then answers an empty list for ever), so that case falls
  back to a full comparison instead of reporting "no changes" indefinitely;
- ``None``: there was no usable log at the last full sync (Clever refused ``/events``).

``EventsUnavailable`` carries the sentence the sync prints when it falls back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from cleverwizard.clever import CleverClient, CleverForbidden, CleverNotFound, CleverUser, Event, User
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.rules.emails import SIS_FIX
from cleverwizard.store.models import PersonKind, Problem

LOG_START = "log-start"
"""Saved position meaning "the event log was empty at the last full sync"."""
RETENTION_DAYS = 30
"""How long Clever keeps events; a position older than this may have lost some."""
USERS = "users"
SECTIONS = "sections"
TERMS = "terms"
COURSES = "courses"
SCHOOLS = "schools"
KINDS: tuple[PersonKind, ...] = ("teacher", "student")

EVENTS_OFF = (
    "Clever refused the event log (events are off for this app: turn them on in the Clever "
    "dashboard under Settings > Integrations > Enable events)"
)
EXPIRED = (
    "the saved event position is no longer at Clever (events are kept {days} days, or events were switched off and on)"
)
STILL_EMPTY = (
    "Clever has logged no events since the last full sync, which also happens when events are "
    "off for this app (Clever dashboard > Settings > Integrations > Enable events)"
)


class EventsUnavailable(Exception):
    """The event log cannot say what changed this time; ``reason`` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def current_position(client: CleverClient) -> str | None:
    """Where the next run should resume, read before a full sync starts.

    The newest event id; ``LOG_START`` when the log is empty; ``None`` when Clever refuses
    the event log (403/404), which the next run reports as events being off.
    """
    try:
        latest = await client.latest_event_id()
        if latest is not None:
            return latest
        events = await client.events()  # latest_event_id hides a 404; this tells it apart
    except (CleverForbidden, CleverNotFound):
        return None
    return events[-1].id if events else LOG_START


@dataclass
class EventBatch:
    """The events read in one run, oldest first."""

    events: list[Event] = field(default_factory=list)

    @property
    def newest_id(self) -> str | None:
        return self.events[-1].id if self.events else None

    def latest(self, record_type: str) -> dict[str, Event]:
        """The newest event for each record of ``record_type``, keyed by the record's id."""
        found: dict[str, Event] = {}
        for event in self.events:
            record_id = event.data.object.get("id")
            if event.record_type == record_type and isinstance(record_id, str) and record_id:
                found[record_id] = event
        return found


async def read_events(client: CleverClient, position: str, record_types: Sequence[str] = (USERS,)) -> EventBatch:
    """Every event after ``position``; ``EventsUnavailable`` when they cannot be trusted."""
    after = None if position == LOG_START else position
    try:
        events = await client.events(after, record_types=record_types)
    except CleverForbidden:
        raise EventsUnavailable(EVENTS_OFF) from None
    except CleverNotFound:
        reason = EXPIRED.format(days=RETENTION_DAYS) if after else EVENTS_OFF
        raise EventsUnavailable(reason) from None
    if after is None and not events:
        raise EventsUnavailable(STILL_EMPTY)
    return EventBatch(events)


@dataclass
class UserChanges:
    """What the user events say about this school's teachers and students.

    ``present`` holds the newest record of each person whose role lists the school;
    ``gone`` the Clever ids of people deleted or no longer at the school in that role.
    """

    present: dict[PersonKind, list[CleverUser]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    gone: dict[PersonKind, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    problems: list[Problem] = field(default_factory=list)
    records: int = 0


def user_changes(batch: EventBatch, school_id: str) -> UserChanges:
    """Sort the newest event of each user into present or gone, for each kind."""
    changes = UserChanges()
    for record_id, event in batch.latest(USERS).items():
        changes.records += 1
        if event.action == "deleted":
            for kind in KINDS:
                changes.gone[kind].add(record_id)
            continue
        try:
            user = User.model_validate(event.data.object)
        except ValidationError as error:
            changes.problems.append(_unreadable(record_id, event, error))
            continue
        for kind in KINDS:
            if school_id in user.school_ids(kind):
                changes.present[kind].append(user)
            else:
                changes.gone[kind].add(record_id)
    return changes


def _unreadable(record_id: str, event: Event, error: ValidationError) -> Problem:
    roles = event.data.object.get("roles")
    kind: PersonKind = "student" if isinstance(roles, dict) and roles.get("student") else "teacher"
    return Problem(
        kind=kind,
        clever_id=record_id,
        name="(unreadable Clever record)",
        issue=f"Clever sent a user record this sync cannot read ({_where(error)}), so it was skipped",
        fix=SIS_FIX,
    )


@dataclass
class SectionChanges:
    """What the section events say about this school's sections.

    ``present`` holds the newest record of each section Clever lists at the school (the
    event carries the whole record, enrolments included, so nothing more is fetched);
    ``gone`` the Clever ids of sections deleted or moved to another school.
    """

    present: list[CleverSection] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def section_changes(batch: EventBatch, school_id: str) -> SectionChanges:
    """Sort the newest event of each section into present or gone."""
    changes = SectionChanges()
    for record_id, event in batch.latest(SECTIONS).items():
        if event.action == "deleted":
            changes.gone.add(record_id)
            continue
        try:
            section = CleverSection.model_validate(event.data.object)
        except ValidationError as error:
            if (problem := _unreadable_section(record_id, event, error, school_id)) is not None:
                changes.problems.append(problem)
            continue
        if section.school == school_id:
            changes.present.append(section)
        else:
            changes.gone.add(record_id)
    return changes


def _where(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    return f"field '{'.'.join(str(part) for part in first['loc']) or 'record'}': {first['msg']}"


def _unreadable_section(record_id: str, event: Event, error: ValidationError, school_id: str) -> Problem | None:
    """Only this school's sections are worth a line; a broken record elsewhere is not ours."""
    if event.data.object.get("school") not in (school_id, None):
        return None
    name = event.data.object.get("name")
    return Problem(
        kind="section",
        clever_id=record_id,
        name=name if isinstance(name, str) and name else "(unreadable Clever section)",
        issue=f"Clever sent a section record this sync cannot read ({_where(error)}), so it was skipped",
        fix=SIS_FIX,
    )
