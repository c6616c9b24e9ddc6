"""The Notifications checklist: where this site stands, step by step.

Both the wizard's home screen and ``cleverwizard status`` render this one model, so the
text an administrator sees in a terminal and in the wizard always agree.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from weakref import WeakKeyDictionary

from cleverwizard.rules.district_state import is_paused, moment, status_line
from cleverwizard.runs.history import undone_by
from cleverwizard.service.steps import StepKey, missing, step
from cleverwizard.store import RosterStore
from cleverwizard.store.clever_district import read_district_state
from cleverwizard.store.models import CleverDistrictState, Meta, Run, Site, now_iso, section_flagged
from cleverwizard.text import counted, one_line

StepState = Literal["not started", "needs review", "done", "waiting"]

__all__ = ["Checklist", "ChecklistItem", "StepKey", "StepState", "build_checklist", "cached_checklist"]


@dataclass
class ChecklistItem:
    key: StepKey
    title: str
    state: StepState
    detail: str
    action: str
    """The button that moves this step on, e.g. "Go to Teachers"."""
    needs: str | None = None
    """Which earlier step must be done first, when this one cannot start yet."""
    when: str | None = None


def now() -> datetime:
    """The current time as the store tells it (so tests that freeze the store's clock freeze this)."""
    current = moment(now_iso())
    assert current is not None
    return current


@dataclass
class Checklist:
    items: list[ChecklistItem] = field(default_factory=list)
    last_sync: str | None = None
    clever_district: CleverDistrictState | None = None
    """Clever's own sync state for the connected district, as last read (never fetched here)."""

    def item(self, key: StepKey) -> ChecklistItem:
        return next(item for item in self.items if item.key == key)

    def clever_line(self, at: datetime | None = None) -> str | None:
        """ "Clever last synced the SIS 2 hours ago (checked 5 minutes ago)", or ``None``."""
        state = self.clever_district
        return status_line(state, at or now()) if state is not None else None

    def lines(self) -> list[str]:
        out = ["Student Information System Sync"]
        clever = self.clever_line()
        for item in self.items:
            line = f"  [{item.state}] {item.title}: {item.detail}"
            if item.needs:
                line += f" (needs: {item.needs})"
            out.append(line)
            if item.key == "district" and clever is not None:
                out.append(f"    {clever}")
        out.append(f"  Last sync: {self.last_sync or 'never'}")
        return [one_line(line) for line in out]  # a Clever value never breaks or colours a line

    def as_dict(self) -> dict[str, object]:
        return {
            "steps": [item.__dict__ for item in self.items],
            "last_sync": self.last_sync,
            "clever_district": self._clever_dict(),
        }

    def _clever_dict(self) -> dict[str, object] | None:
        state = self.clever_district
        if state is None:
            return None
        at = now()
        return {
            "state": state.state,
            "last_sync": state.last_sync,
            "pause_start": state.pause_start,
            "pause_end": state.pause_end,
            "error": state.error,
            "paused": is_paused(state, at),
            "checked_at": state.read_at,
            "summary": status_line(state, at),
        }


def _latest(runs: list[Run], kind: str) -> Run | None:
    return next((run for run in runs if run.kind == kind), None)


def run_history(store: RosterStore, *, problems: bool = True) -> list[Run]:
    """Applied imports, syncs and undos, newest first, as saved on disk now.

    Without their undo journals (``before``/``after`` are empty: only undo reads them),
    and without their problem lists unless ``problems``: both can hold a school's worth of
    records per run, so history costs the same after 30 runs as after one.
    """
    store.refresh()
    return store.runs(journal=False, problems=problems)


@dataclass(frozen=True)
class _People:
    active: int
    linked: int
    without_email: int


def _people(store: RosterStore, table: str) -> _People:
    """Counts over the stored records, not models: a school's worth of validation would
    cost far more than ``status`` itself."""
    rows = [(clever_id, email) for status, clever_id, email in store.peek(table, _PEOPLE_FIELDS) if status == "active"]
    return _People(
        active=len(rows),
        linked=sum(1 for clever_id, _ in rows if clever_id),
        without_email=sum(1 for clever_id, email in rows if clever_id and not email),
    )


_PEOPLE_FIELDS = ("status", "clever_id", "email")


_BUILT: WeakKeyDictionary[RosterStore, tuple[object, Checklist]] = WeakKeyDictionary()
"""The last checklist built per store, with the store state it describes."""


def build_checklist(store: RosterStore) -> Checklist:
    """Say, for each step, its state and what to do next.

    Built once per change of the store (``RosterStore.saved_state``), not once per look:
    the wizard asks every time Notifications comes back and before opening a step, and a
    20,000-student roster takes a while to count. Each caller gets its own copy.
    """
    state = store.saved_state
    cached = _BUILT.get(store)
    if cached is None or cached[0] != state:
        cached = (state, _build_checklist(store))
        _BUILT[store] = cached
    return _with_clever_district(store, copy.deepcopy(cached[1]))


def _with_clever_district(store: RosterStore, checklist: Checklist) -> Checklist:
    site = store.site()
    if site is not None:  # its own small file, refreshed apart from the roster: read every time
        checklist.clever_district = read_district_state(store.data_dir, site.district_id)
    return checklist


def cached_checklist(store: RosterStore) -> Checklist | None:
    """The checklist already built for the store as it is on disk now, or ``None`` when it
    must be built (first look, or the roster changed since). Costs one ``stat``: the wizard
    asks on its event loop and builds in a thread only when this says ``None``."""
    cached = _BUILT.get(store)
    if cached is None or cached[0] != store.saved_state or store.changed_on_disk():
        return None
    return _with_clever_district(store, copy.deepcopy(cached[1]))


def _build_checklist(store: RosterStore) -> Checklist:
    """Read the store once and say, for each step, its state and what to do next."""
    site = store.site()
    meta = store.meta()
    runs = store.runs(journal=False, problems=False)
    checklist = Checklist(last_sync=meta.last_sync_at)
    connected = site is not None
    has_school = bool(site and site.school_id)
    checklist.items.append(
        ChecklistItem(
            key="district",
            title=step("district").title,
            state="done" if connected else "not started",
            detail=f"Connected to {site.district_name} ({site.district_id})" if site else "Not connected to Clever",
            action="Change District" if connected else step("district").start,
            when=site.connected_at if site else None,
        )
    )
    checklist.items.append(
        ChecklistItem(
            key="school",
            title=step("school").title,
            state="done" if has_school else ("not started" if connected else "waiting"),
            detail=(
                f"{site.school_name} ({site.school_grades or 'grades not given'})"
                if site and site.school_id
                else "This site is not connected to a Clever school"
            ),
            action="Change School" if has_school else step("school").start,
            needs=missing("school", site, meta),
            when=site.school_selected_at if site else None,
        )
    )
    teachers = _people(store, "teachers")
    students = _people(store, "students")
    imports: tuple[tuple[StepKey, _People, str | None], ...] = (
        ("teachers", teachers, meta.teachers_imported_at),
        ("students", students, meta.students_imported_at),
    )
    for key, people, stamp in imports:
        needs = missing(key, site, meta)
        run = _latest(runs, f"import {key}")
        linked = people.linked
        no_email = people.without_email
        if stamp is None:
            state: StepState = "waiting" if needs else "not started"
            detail = f"{people.active} on the platform, not imported from Clever yet"
        else:
            state = "needs review" if no_email or (run and run.counts.flagged) else "done"
            detail = f"{linked} from Clever"
            if no_email:
                detail += f", {no_email} without a login email"
            elif run and run.counts.flagged:
                detail += f", {run.counts.flagged} flagged to fix in the SIS"
        checklist.items.append(
            ChecklistItem(
                key=key,
                title=step(key).title,
                state=state,
                detail=detail,
                action=step(key).start,
                needs=needs,
                when=stamp,
            )
        )
    checklist.items.append(_sections_item(store, site, meta, runs, teachers.active, students.active))
    return checklist


_SECTION_FIELDS = ("status", "course_id", "missing_teacher_ids", "missing_student_ids", "teacher_ids")


def _sections_item(
    store: RosterStore, site: Site | None, meta: Meta, runs: list[Run], teachers: int, students: int
) -> ChecklistItem:
    """Waiting for both people imports, then not started, needs review while any is flagged."""
    needs = missing("sections", site, meta)
    sections = [row[1:] for row in store.peek("sections", _SECTION_FIELDS) if row[0] == "active"]
    flagged = sum(
        1
        for _, missing_teachers, missing_students, teachers in sections
        if section_flagged(missing_teachers, missing_students, teachers)
    )
    without_course = sum(1 for course_id, *_ in sections if course_id is None)
    state: StepState
    latest = _latest(runs, "import sections")
    if meta.sections_imported_at is not None and not sections and latest and latest.id in undone_by(runs):
        return ChecklistItem(
            key="sections",
            title=step("sections").title,
            state="not started",
            detail=f"No sections on the platform: the sections import (run {latest.id}) was undone",
            action=step("sections").start,
            needs=needs,
        )
    if meta.sections_imported_at is None:
        state = "waiting" if needs else "not started"
        detail = f"{counted(teachers, 'teacher')} and {counted(students, 'student')} on the platform, no sections imported yet"
    else:
        state = "needs review" if flagged else "done"
        detail = f"{counted(len(sections), 'section')} from Clever"
        if flagged:
            detail += f", {flagged} flagged: teachers or students not on the platform"
        if without_course:
            detail += f", {without_course} without a platform course"
    return ChecklistItem(
        key="sections",
        title=step("sections").title,
        state=state,
        detail=detail,
        action=step("sections").start,
        needs=needs,
        when=meta.sections_imported_at,
    )
