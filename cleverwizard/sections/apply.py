"""Applying a section plan: the sections step of a run.

``apply_section_plan`` works on an open transaction and ``section_step`` wraps it as a
``runs.steps.Step``, so the daily sync can write sections in the same single transaction as
teachers and students; ``apply_sections`` is the wizard's and ``import sections``'s
standalone import (a run of that one step).
"""

from __future__ import annotations

from cleverwizard.runs.journal import Journal, dump
from cleverwizard.runs.steps import StalePlan, Step, apply_steps
from cleverwizard.sections.plan import SectionPlan
from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Run, Section

SECTIONS_TABLE = "sections"


def apply_section_plan(tx: StoreTransaction, plan: SectionPlan, journal: Journal) -> None:
    """Write the plan's sections into an open transaction, journaling each one first.

    ``journal`` gains ``"sections"``: section id -> the record before (``None`` when this
    run created it), so the run can be undone. Raises ``StalePlan`` when a section the plan
    updates is gone, or one it creates already exists (a plan from an outdated view).
    """
    known = {section.clever_id for section in tx.sections() if section.clever_id}
    changed: list[Section] = []
    for change in plan.changes:
        if change.action == "create":
            if change.clever_id in known:
                raise StalePlan()
            section = Section(id=tx.next_section_id(), created_at=journal.at, updated_at=journal.at, **change.values)
            journal.record(SECTIONS_TABLE, section.id, None)
        else:
            current = tx.section(change.section_id) if change.section_id is not None else None
            if current is None:
                raise StalePlan()
            journal.record(SECTIONS_TABLE, current.id, dump(current))
            section = current.model_copy(update={**change.values, "updated_at": journal.at})
        changed.append(section)
    tx.put_sections(changed)
    tx.meta.sections_imported_at = journal.at


def section_step(plan: SectionPlan) -> Step:
    """The sections share of a run, for ``apply_steps``: after the people steps, so the
    daily sync must plan it on ``view_in_transaction`` or on people already applied."""
    return Step(name="sections", plan=plan, write=lambda tx, journal: apply_section_plan(tx, plan, journal))


def apply_sections(store: RosterStore, plan: SectionPlan, *, started_by: str) -> Run:
    """The standalone Sections import: one transaction, one write, one run in the history."""
    return apply_steps(
        store, [section_step(plan)], kind="import sections", started_by=started_by, base_revision=plan.base_revision
    )
