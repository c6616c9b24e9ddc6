"""Applying an add or a fill: one run of one step, in one transaction, undoable.

People go through the same step an import uses (``people.apply.people_step``), so undo,
history and the stale-plan check treat them exactly like imported accounts.
"""

from __future__ import annotations

from cleverwizard.people.apply import people_step
from cleverwizard.platform.add import AddPlan
from cleverwizard.platform.fill_emails import FillPlan
from cleverwizard.runs.journal import Journal
from cleverwizard.runs.steps import Step, apply_steps
from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Course, Run
from cleverwizard.text import counted


class BadRowsInFile(ValueError):
    """The file has bad rows: nothing is written until every row is good."""

    def __init__(self, source: str, count: int) -> None:
        super().__init__(
            f"{source} has {counted(count, 'bad row')} (listed above); fix them and try again. Nothing was written."
        )


def apply_add(store: RosterStore, plan: AddPlan, *, started_by: str) -> Run:
    """Add the plan's new accounts or courses as one run (kind "add teachers" and so on)."""
    if plan.bad:
        raise BadRowsInFile(plan.source, len(plan.bad))
    if plan.people is not None:
        step = people_step(plan.people)
        step = Step(name=step.name, plan=plan, write=step.write)
    else:
        step = Step(name="courses", plan=plan, write=lambda tx, journal: _write_courses(tx, plan, journal))
    detail = f"{plan.new_count} added from {plan.source}, {len(plan.already)} already there"
    return apply_steps(
        store, [step], kind=plan.run_kind, started_by=started_by, base_revision=plan.base_revision, detail=detail
    )


def _write_courses(tx: StoreTransaction, plan: AddPlan, journal: Journal) -> None:
    courses = []
    for new in plan.courses:
        course_id = tx.next_course_id()
        journal.record("courses", course_id, None)
        courses.append(Course(id=course_id, created_at=journal.at, updated_at=journal.at, **new.values))
    tx.put_courses(courses)


def apply_fill(store: RosterStore, plan: FillPlan, *, started_by: str) -> Run:
    """Set the plan's login emails as one run (kind "fill emails"), each an edit later syncs keep."""
    if plan.bad:
        raise BadRowsInFile(plan.source, len(plan.bad))
    inner = people_step(plan.people)
    step = Step(name=inner.name, plan=plan, write=inner.write)
    detail = f"{plan.kind}s: {counted(len(plan.people.changes), 'email')} from {plan.source}, {len(plan.not_filled)} not filled"
    return apply_steps(
        store, [step], kind="fill emails", started_by=started_by, base_revision=plan.base_revision, detail=detail
    )
