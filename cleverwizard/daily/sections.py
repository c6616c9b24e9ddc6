"""The sections share of the daily sync: what to ask Clever, and planning inside the run.

**When.** Sections join the daily sync once the school's sections have been imported (the
Sections step, in the wizard or ``cleverwizard import sections``, which sets
``meta.sections_imported_at``). That step is where an administrator decides each class's
platform course; a sync that created classes before it would fill the platform with classes
nobody looked at. Until then the report says so in one line (``SECTIONS_NOT_IMPORTED``) and
the run keeps teachers and students current only. From then on, every run keeps sections
current, and a new class in Clever gets the course a confident suggestion gives it (or none,
to be chosen in the wizard), exactly as ``import sections`` does.

**What is read.**

- *Full* (and *fallback*): every section of the school, with its courses and terms, planned
  with ``archive_missing``: classes Clever no longer lists are archived, never deleted.
- *Events*: the ``sections.*`` events read with the user events (no extra request). Created
  or updated: the event's full record is planned if the section is at this school, archived
  here otherwise; deleted: archived. A student moved between sections in Clever logs an
  update of both, whose new lists move the student here too. Sections stored here whose
  people arrive (created, linked, restored) or leave (archived, unlinked) in this run are
  re-read by id even when no section event names them, so a flag clears once the missing
  student is imported, as a full comparison would clear it.
- *Terms and courses in events mode*: terms are reused from the stored sections (each keeps
  its term's name and dates); the school's terms are fetched only when a changed section is
  in a term no stored section is in. The Clever course is needed only to name a section that
  has no name of its own or to suggest a platform course for one with no course decided
  (new here, or undecided, with a catalogue to suggest from); only then are the school's
  courses fetched. A day without section changes therefore asks Clever for nothing more.
  A term or course event (renamed, deleted) makes the run read the school's sections, terms
  and courses again, so a renamed term reaches every section without ``sync --full``.

**Planning inside the run.** The sections plan holds platform account ids, and accounts
created by this run get their ids only when its people steps are written, so the plan is
made inside the run's transaction, after those steps (``view_in_transaction``). The guard
and ``--dry-run`` need that plan too: the step plans, adds the guard's findings to the
report and, for a dry run or a held run, raises ``StopBeforeWriting``, which leaves the
transaction (and so the store) unwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field

from cleverwizard.clever import CleverClient, CleverNotFound, CleverUser
from cleverwizard.clever.models import Course as CleverCourse
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.clever.models import Term
from cleverwizard.daily.events import COURSES, TERMS, EventBatch, section_changes
from cleverwizard.daily.guard import check_sections
from cleverwizard.daily.report import SyncReport
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import ChangeAction, Plan
from cleverwizard.runs.journal import Journal
from cleverwizard.runs.steps import Step
from cleverwizard.sections.apply import apply_section_plan
from cleverwizard.sections.build import plan_sections, view_in_transaction
from cleverwizard.sections.plan import SectionPlan
from cleverwizard.store import StoreTransaction
from cleverwizard.store.models import PersonKind, Problem

SECTIONS_NOT_IMPORTED = (
    "Sections not imported yet: run the Sections step (in the wizard, or `cleverwizard import sections`); "
    "from then on every sync keeps them current."
)
ARRIVING: tuple[ChangeAction, ...] = ("create", "link", "restore")
"""People changes after which a Clever id has an active account to enrol."""
LEAVING: tuple[ChangeAction, ...] = ("archive", "unlink")
"""People changes after which an account can no longer be enrolled."""


class StopBeforeWriting(Exception):
    """Raised by the sections step of a dry run or a held run, once the plan and the guard's
    findings are in the report, so that the run's transaction writes nothing."""


@dataclass
class SectionSide:
    """What Clever said about the school's sections in this run."""

    full: bool
    """Every section of the school (full or fallback), so the missing ones are archived."""
    sections: dict[str, CleverSection] = field(default_factory=dict)
    """By Clever id: full, all of the school's; events, the ones to plan."""
    courses: list[CleverCourse] | None = None
    """``None``: not fetched (an events run that did not need them)."""
    terms: list[Term] | None = None
    """``None``: not fetched; the terms the stored sections know are used."""
    gone: set[str] = field(default_factory=set)
    """Events: Clever ids of sections deleted, moved to another school, or no longer found."""
    problems: list[Problem] = field(default_factory=list)
    clever_people: set[str] | None = None
    """Full: Clever ids of the school's teachers and students, for the flags' advice."""
    reread: set[str] = field(default_factory=set)
    """Events: section ids already read by id, so a re-planned attempt does not ask again."""
    catalogue_changed: bool = False
    """Events: a term or course was renamed or deleted, so the school's sections, terms and
    courses are read again (a few pages) and every section gets its new term or course."""


async def read_all_sections(
    client: CleverClient, school_id: str, people: Mapping[PersonKind, list[CleverUser]]
) -> SectionSide:
    """Full or fallback: the school's sections, courses and terms."""
    sections = await client.school_sections(school_id)
    courses = await client.school_courses(school_id)
    terms = await client.school_terms(school_id)
    return SectionSide(
        full=True,
        sections={section.id: section for section in sections},
        courses=courses,
        terms=terms,
        clever_people={user.id for users in people.values() for user in users},
    )


def sections_from_events(batch: EventBatch, school_id: str) -> SectionSide:
    """Events: the sections the events name, without asking Clever anything."""
    changes = section_changes(batch, school_id)
    return SectionSide(
        full=False,
        sections={section.id: section for section in changes.present},
        gone=changes.gone,
        problems=changes.problems,
        catalogue_changed=bool(batch.latest(TERMS) or batch.latest(COURSES)),
    )


async def complete_from_clever(
    client: CleverClient, side: SectionSide, view: PlatformView, plans: Mapping[PersonKind, Plan], school_id: str
) -> None:
    """Events: read what planning still needs, in proportion to the changes (see the module)."""
    if side.full:
        return
    if side.catalogue_changed and side.terms is None:
        current = await client.school_sections(school_id)
        side.sections = {section.id: section for section in current}
        side.terms = await client.school_terms(school_id)
        side.courses = await client.school_courses(school_id)
        return
    wanted = affected_sections(view, plans, school_id) - side.sections.keys() - side.gone - side.reread
    if wanted:
        await _reread(client, side, wanted, view, school_id)
    planned = list(side.sections.values())
    if side.terms is None and unknown_terms(planned, view):
        side.terms = await client.school_terms(school_id)
    if side.courses is None and needs_courses(planned, view):
        side.courses = await client.school_courses(school_id)


def affected_sections(view: PlatformView, plans: Mapping[PersonKind, Plan], school_id: str) -> set[str]:
    """Clever ids of the school's active stored sections whose people arrive or leave in ``plans``."""
    arriving = {c.clever_id for plan in plans.values() for c in plan.changes if c.action in ARRIVING and c.clever_id}
    leaving = {c.account_id for plan in plans.values() for c in plan.changes if c.action in LEAVING and c.account_id}
    if not arriving and not leaving:
        return set()
    return {
        section.clever_id
        for section in view.sections
        if section.clever_id
        and section.status == "active"
        and section.school == school_id
        and (
            not arriving.isdisjoint((*section.missing_teacher_ids, *section.missing_student_ids))
            or not leaving.isdisjoint((*section.teacher_ids, *section.student_ids))
        )
    }


async def _reread(
    client: CleverClient, side: SectionSide, wanted: set[str], view: PlatformView, school_id: str
) -> None:
    """Each wanted section by id, or the school's list when that takes fewer requests."""
    stored = sum(1 for section in view.sections if section.school == school_id)
    pages = max(1, -(-stored // client.page_limit))
    if len(wanted) > pages:
        listed = {section.id: section for section in await client.school_sections(school_id)}
        found = [listed[sid] for sid in wanted if sid in listed]
    else:
        found = []
        for sid in sorted(wanted):
            with suppress(CleverNotFound):
                found.append(await client.get_section(sid))
    for section in found:
        if section.school == school_id:
            side.sections[section.id] = section
    side.gone |= wanted - {section.id for section in found if section.school == school_id}
    side.reread |= wanted


def unknown_terms(sections: list[CleverSection], view: PlatformView) -> bool:
    known = {section.clever_term_id for section in view.sections if section.clever_term_id}
    return any(section.term_id and section.term_id not in known for section in sections)


def stored_terms(view: PlatformView) -> list[Term]:
    """The terms the stored sections know, each as most recently saved."""
    terms: dict[str, Term] = {}
    for section in sorted(view.sections, key=lambda s: s.updated_at):
        if section.clever_term_id:
            terms[section.clever_term_id] = Term(
                id=section.clever_term_id,
                name=section.term_name,
                start_date=section.term_start,
                end_date=section.term_end,
            )
    return list(terms.values())


def needs_courses(sections: list[CleverSection], view: PlatformView) -> bool:
    """Whether any of ``sections`` needs its Clever course: to be named, or to be suggested a
    platform course (no course decided yet, and a catalogue to suggest from)."""
    catalogue = {course.id for course in view.courses}
    stored = {section.clever_id: section for section in view.sections if section.clever_id}
    for section in sections:
        if not section.course:
            continue
        if not section.name:
            return True
        current = stored.get(section.id)
        undecided = (
            current is None
            or current.course_method is None
            or (current.course_id is not None and current.course_id not in catalogue)
        )
        if catalogue and undecided:
            return True
    return False


def sections_step(side: SectionSide, report: SyncReport, school_id: str, *, dry_run: bool) -> Step:
    """The run's last step: plan on the transaction's view, check the guard, then write.

    The step's ``plan`` is filled in when it runs (the run's counts are taken after every
    step), and the plan and findings land in ``report`` even when nothing is written.
    """
    step = Step(name="sections", plan=SectionPlan(school_id=school_id, base_revision=0), write=_nothing)

    def write(tx: StoreTransaction, journal: Journal) -> None:
        view = view_in_transaction(tx)
        plan = plan_sections(
            view,
            list(side.sections.values()),
            side.courses or [],
            side.terms if side.terms is not None else stored_terms(view),
            school_id,
            archive_missing=side.full,
            deleted=side.gone,
            clever_people=side.clever_people,
            partial=not side.full,
        )
        plan.problems += side.problems
        step.plan = plan
        report.plans["sections"] = plan
        report.findings += check_sections(plan, view.sections)
        if dry_run or report.held:
            raise StopBeforeWriting()
        apply_section_plan(tx, plan, journal)

    step.write = write
    return step


def _nothing(tx: StoreTransaction, journal: Journal) -> None:
    """Placeholder until ``sections_step`` sets the real write."""
