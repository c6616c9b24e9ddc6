"""The daily sync: teachers, students and sections of the connected school, headless, in one run.

How Clever is read:

- **full**: the first sync after setup (or ``--full``). The newest event id is read
  *first*, then every teacher and student of the school (and its sections, courses and
  terms); the plan archives linked people and sections Clever no longer lists (never
  deletes) and restores those who came back. The event id is saved in the same
  transaction, so the next run resumes exactly where this one looked.
- **events**: later runs read ``/events`` after the saved id and plan only the people and
  sections the events name, so the requests made follow the number of changes, not the
  school's size.
- **fallback**: a full comparison when the events cannot be trusted (switched off, or
  older than Clever keeps); the report says why.

Sections take part once the Sections step has been done (see ``sync.daily_sections``,
which also says what an events run asks Clever for them); until then the report says so.

People are planned before anything is written; the guard may then hold the run. The
write is one transaction of per-kind steps (``apply.Step``): teachers, students, then
sections, planned inside the transaction so people created by the run are enrolled. A
failure anywhere, a held run and a dry run all leave the store as it was.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from cleverwizard.clever import CleverClient, CleverUser, School
from cleverwizard.daily.events import (
    COURSES,
    KINDS,
    RETENTION_DAYS,
    SCHOOLS,
    SECTIONS,
    TERMS,
    USERS,
    EventBatch,
    EventsUnavailable,
    UserChanges,
    current_position,
    read_events,
    user_changes,
)
from cleverwizard.daily.guard import GuardFinding, check_plan
from cleverwizard.daily.report import SyncMode, SyncReport
from cleverwizard.daily.sections import (
    SECTIONS_NOT_IMPORTED,
    SectionSide,
    StopBeforeWriting,
    complete_from_clever,
    read_all_sections,
    sections_from_events,
    sections_step,
)
from cleverwizard.people.apply import people_step
from cleverwizard.people.build import PlatformView, archive_changes, plan_students, plan_teachers
from cleverwizard.people.plan import Plan
from cleverwizard.people.relink import relinked_ids
from cleverwizard.rules.teachers import suggest_teacher_matches
from cleverwizard.runs.steps import StalePlan, Step, apply_steps_unless_quiet
from cleverwizard.store import RosterStore, StoreError, StoreTransaction
from cleverwizard.store.lock import RUN_LOCK_FILE_NAME
from cleverwizard.store.models import Account, Meta, PersonKind, Problem, Run, Site

DEFAULT_WAIT = 30.0
"""Seconds an overlapping run waits for the running one before giving up."""
PLAN_ATTEMPTS = 3
"""Plans rebuilt when the wizard saved while Clever was being read. Clever is not asked
again, except for the few sections whose people only the fresh plan touches."""


class SyncAlreadyRunning(StoreError):
    """Another sync holds the run lock of this data folder."""

    def __init__(self, data_dir: Path, waited: float) -> None:
        self.data_dir = data_dir
        super().__init__(
            f"Another cleverwizard sync is running on {data_dir} (waited {waited:g}s for it); "
            "this run did nothing. The running one brings the platform up to date."
        )


@asynccontextmanager
async def run_lock(data_dir: Path, wait: float = DEFAULT_WAIT) -> AsyncIterator[None]:
    """Hold the data folder's run lock, waiting up to ``wait`` seconds without blocking the loop.

    The store's own lock only covers the final write; this one keeps two syncs (cron and a
    person, or two cron entries) from reading Clever and planning at the same time.
    """
    path = data_dir / RUN_LOCK_FILE_NAME
    if path.is_symlink():
        raise StoreError(f"{path} is a link, not cleverwizard's lock file: remove it, then try again.")
    lock = FileLock(path, timeout=0, mode=0o600)
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except Timeout:
            if time.monotonic() >= deadline:
                raise SyncAlreadyRunning(data_dir, wait) from None
            await asyncio.sleep(0.1)
    try:
        yield
    finally:
        lock.release()


@dataclass
class CleverSide:
    """What Clever said in this run, kept so a plan can be rebuilt without asking again."""

    mode: SyncMode
    reason: str
    position: str | None
    people: dict[PersonKind, list[CleverUser]] | None = None
    """Full mode: every teacher and student of the school."""
    changes: UserChanges = field(default_factory=UserChanges)
    """Events mode: the people the events name."""
    events_read: int = 0
    batch: EventBatch | None = None
    """Events mode: every event read."""
    sections: SectionSide | None = None
    """What Clever said about sections; ``None`` while the Sections step has not been done."""


def _too_old(meta: Meta, now: datetime) -> bool:
    if meta.last_sync_at is None:
        return True
    last = datetime.fromisoformat(meta.last_sync_at.replace("Z", "+00:00"))
    return now - last > timedelta(days=RETENTION_DAYS - 1)


async def read_clever(
    client: CleverClient, meta: Meta, site: Site, *, full: bool = False, with_sections: bool = False
) -> CleverSide:
    """Choose the mode from the saved position, then read Clever accordingly (sections too
    when ``with_sections``: their events come with the users', in the same requests)."""
    school_id = site.school_id or ""
    record_types: Sequence[str] = (USERS, SECTIONS, TERMS, COURSES, SCHOOLS) if with_sections else (USERS, SCHOOLS)
    if full:
        mode: SyncMode = "full"
        reason = "asked for with --full"
    elif meta.last_sync_at is None:
        mode, reason = "full", "the first sync after setup"
    elif meta.last_sync_school != school_id:
        mode, reason = "full", "another school was chosen since the last sync"
    elif meta.last_event_id is None:
        mode, reason = "fallback", "no event position was saved at the last sync (Clever refused the event log then)"
    elif _too_old(meta, datetime.now(UTC)):
        mode, reason = (
            "fallback",
            f"the last sync was more than {RETENTION_DAYS - 1} days ago, longer than Clever keeps events",
        )
    else:
        try:
            batch = await read_events(client, meta.last_event_id, record_types)
        except EventsUnavailable as unavailable:
            mode, reason = "fallback", unavailable.reason
        else:
            changes = user_changes(batch, school_id)
            count = len(batch.events)
            said = f"{count} event{'s' if count != 1 else ''} since the last sync"
            newest = batch.newest_id or meta.last_event_id
            sections = sections_from_events(batch, school_id) if with_sections else None
            return CleverSide(
                "events", said, newest, changes=changes, events_read=count, batch=batch, sections=sections
            )
    position = await current_position(client)  # before the fetch: nothing can slip between
    people: dict[PersonKind, list[CleverUser]] = {
        "teacher": list[CleverUser](await client.school_teachers(school_id)),
        "student": await client.school_students(school_id),
    }
    sections = await read_all_sections(client, school_id, people) if with_sections else None
    return CleverSide(mode, reason, position, people=people, sections=sections)


def _plan_changes(view: PlatformView, changes: UserChanges, kind: PersonKind, school_id: str) -> Plan:
    """Plan only the people the events name, with the same planning as a full sync."""
    present = changes.present[kind]
    ids = {user.id for user in present}
    accounts = view.accounts(kind)
    others = [a.clever_email for a in accounts if a.clever_id and a.status == "active" and a.clever_id not in ids]
    if kind == "teacher":
        # Only accounts the changed people could concern: a teacher linked (or decided) to
        # someone not in this batch keeps that link, exactly as a full sync would keep it.
        def open_to(account: Account) -> bool:
            decided = view.decisions.get(account.id)
            target = account.clever_id or (decided.clever_id if decided else None)
            return target is None or target in ids

        rows = suggest_teacher_matches([t for t in view.teachers if open_to(t)], present, view.decisions)
        plan = plan_teachers(view, present, school_id, rows=rows, other_clever_emails=others, gone=changes.gone[kind])
    else:
        plan = plan_students(view, present, school_id, other_clever_emails=others, gone=changes.gone[kind])
    plan.changes += archive_changes(kind, accounts, changes.gone[kind] - relinked_ids(plan))
    plan.problems += [p for p in changes.problems if p.kind == kind]
    return plan


def plan_people(view: PlatformView, side: CleverSide, school_id: str) -> dict[PersonKind, Plan]:
    """One plan per kind from what Clever said, on the platform as ``view`` shows it."""
    if side.people is not None:
        return {
            "teacher": plan_teachers(view, side.people["teacher"], school_id, archive_missing=True),
            "student": plan_students(view, side.people["student"], school_id, archive_missing=True),
        }
    return {kind: _plan_changes(view, side.changes, kind, school_id) for kind in KINDS}


def guard_findings(view: PlatformView, plans: dict[PersonKind, Plan]) -> list[GuardFinding]:
    return [finding for kind, plan in plans.items() for finding in check_plan(plan, view.accounts(kind))]


def _school_notes(side: CleverSide, school_id: str) -> list[str]:
    """What the school's own events say, when they say it is gone."""
    event = side.batch.latest(SCHOOLS).get(school_id) if side.batch is not None else None
    if event is not None and event.action == "deleted":
        return [
            "Clever deleted the connected school: its people are kept as they are; choose another "
            "school (Select your School, or `cleverwizard connect ID --school SCHOOL_ID`)."
        ]
    return []


def _finish(side: CleverSide, school_id: str) -> Callable[[StoreTransaction, Run], None]:
    """Inside the run's transaction: the event position moves only with its changes."""

    school_event = side.batch.latest(SCHOOLS).get(school_id) if side.batch is not None else None

    def finish(tx: StoreTransaction, run: Run) -> None:
        site = tx.site
        if school_event is not None and school_event.action == "updated" and site is not None:
            school = School.model_validate(school_event.data.object)  # a renamed school, without --full
            tx.site = site.model_copy(
                update={"school_name": school.name or site.school_name, "school_grades": school.grade_span}
            )
        tx.meta.last_event_id = side.position
        tx.meta.last_sync_school = school_id
        tx.meta.last_sync_at = run.at
        tx.meta.teachers_imported_at = run.at
        tx.meta.students_imported_at = run.at

    return finish


def _nothing_new(
    side: CleverSide, school_id: str, report: SyncReport, notes: Sequence[str]
) -> Callable[[StoreTransaction, Run], bool]:
    """Whether a run that changed no record has nothing to tell either, so it needs no
    history entry: a sync was recorded before, the school was not renamed, the latest sync
    already said each of ``notes`` (a pause of Clever's sync is recorded once, when it is
    first seen), and every problem found was already recorded by the latest sync (all of
    them and no other, for a full comparison, which sees every record; an events run sees
    only those it names)."""
    school_event = side.batch.latest(SCHOOLS).get(school_id) if side.batch is not None else None

    def quiet(tx: StoreTransaction, run: Run) -> bool:
        last = tx.latest_run("sync")
        if last is None or school_event is not None or not all(note in last.detail for note in notes):
            return False
        known = {_problem_key(problem) for problem in last.problems}
        found = {_problem_key(problem) for problem in run.problems}
        if not (found == known if side.people is not None else found <= known):
            return False
        report.known_in_run, report.known_problems = last.id, len(last.problems)
        return True

    return quiet


def _problem_key(problem: Problem) -> tuple[str, str | None, str, str, str]:
    return (problem.kind, problem.clever_id, problem.name, problem.issue, problem.fix)


async def run_daily_sync(
    store: RosterStore,
    client: CleverClient,
    school_id: str,
    view: Callable[[], PlatformView],
    *,
    started_by: str,
    dry_run: bool = False,
    force: bool = False,
    full: bool = False,
    wait: float = DEFAULT_WAIT,
    notes: Sequence[str] = (),
) -> SyncReport:
    """Read Clever, plan each kind, check the guard, then write it all in one run.

    ``view`` reloads the store and returns the platform as saved (``RosterSync.view``).
    Holds the run lock of the data folder, except for a dry run, which writes nothing and
    may look while another sync runs. Held and dry runs return a report and write nothing.
    ``notes`` are sentences about the run from outside it (Clever paused for the district),
    printed first and kept in the history entry's detail.
    """
    if dry_run:
        return await _sync(
            store, client, school_id, view, started_by=started_by, dry_run=True, force=force, full=full, notes=notes
        )
    async with run_lock(store.data_dir, wait):
        return await _sync(
            store, client, school_id, view, started_by=started_by, dry_run=False, force=force, full=full, notes=notes
        )


async def _sync(
    store: RosterStore,
    client: CleverClient,
    school_id: str,
    view: Callable[[], PlatformView],
    *,
    started_by: str,
    dry_run: bool,
    force: bool,
    full: bool,
    notes: Sequence[str],
) -> SyncReport:
    """The run itself. A plan made stale by a save in the wizard while Clever was being
    read is rebuilt from the fresh store, without asking Clever again."""
    seen = view()  # reloads the store: the position and the accounts as saved now
    site = store.site()
    if site is None or site.school_id != school_id:
        raise StoreError("The connected school changed while this sync was starting; run the sync again.")
    meta = store.meta()
    side = await read_clever(client, meta, site, full=full, with_sections=meta.sections_imported_at is not None)
    for attempt in range(1, PLAN_ATTEMPTS + 1):
        if attempt > 1:
            seen = view()
        plans = plan_people(seen, side, school_id)
        if side.sections is not None:
            await complete_from_clever(client, side.sections, seen, plans, school_id)
        report = SyncReport(
            mode=side.mode,
            reason=side.reason,
            plans={f"{kind}s": plan for kind, plan in plans.items()},
            findings=guard_findings(seen, plans),
            dry_run=dry_run,
            forced=force,
            position=side.position,
            events_read=side.events_read,
            notes=[*notes, *_school_notes(side, school_id)],
            reminders=[] if side.sections is not None else [SECTIONS_NOT_IMPORTED],
        )
        steps: list[Step] = [people_step(plan) for plan in plans.values()]
        if side.sections is not None:
            # planned inside the transaction, after the people; stops it for a dry or held run
            steps.append(sections_step(side.sections, report, school_id, dry_run=dry_run))
        elif dry_run or report.held:
            return report
        try:
            run = apply_steps_unless_quiet(
                store,
                steps,
                kind="sync",
                started_by=started_by,
                base_revision=seen.revision,
                quiet=_nothing_new(side, school_id, report, notes),
                detail=". ".join([f"{side.mode}: {side.reason}", *notes]),
                finish=_finish(side, school_id),
            )
        except StopBeforeWriting:
            return report
        except StalePlan:
            if attempt == PLAN_ATTEMPTS:
                raise
            continue
        report.run_id = run.id if run is not None else None
        report.nothing_new = run is None
        return report
    raise AssertionError("unreachable")
