"""Applying a teacher or student plan: the people step of a run.

New accounts are written in their stored form; changed ones go through their models. The
wizard's and ``import``'s single-kind import is a run of this one step (``apply_plan``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from cleverwizard.people.plan import Plan
from cleverwizard.runs.journal import Doc, Journal, dump
from cleverwizard.runs.steps import StalePlan, Step, apply_steps
from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Account, Run, RunKind, Student, Teacher


def apply_people_plan(tx: StoreTransaction, plan: Plan, journal: Journal) -> None:
    """Write a teacher or student plan (archives and restores included) into ``tx``.

    Changes to existing accounts go through their models (the stored record is read and
    validated, then copied with the plan's values). New accounts, which are most of a
    first import, are written straight in their stored form (``new_account_doc``).
    """
    model: type[Account] = Teacher if plan.kind == "teacher" else Student
    table = f"{plan.kind}s"
    get = tx.teacher if plan.kind == "teacher" else tx.student
    changed: list[Account] = []
    created: list[Doc] = []
    for change in plan.changes:
        if change.action == "create":
            account_id = tx.next_account_id()
            journal.record(table, account_id, None)
            created.append(new_account_doc(model, account_id, journal.at, change.values))
        else:
            assert change.account_id is not None
            current = get(change.account_id)
            if current is None:
                raise StalePlan()
            journal.record(table, current.id, dump(current))
            changed.append(current.model_copy(update={**change.values, "updated_at": journal.at}))
    # Changed accounts keep their place in the table and new ones are appended in plan
    # order, so the saved file is the same as putting them all at once in plan order.
    if plan.kind == "teacher":
        tx.put_teachers([a for a in changed if isinstance(a, Teacher)])
        tx.put_teacher_docs(created)
    else:
        tx.put_students([a for a in changed if isinstance(a, Student)])
        tx.put_student_docs(created)
    for decision in plan.decisions:
        journal.record("matches", decision.account_id, dump(tx.match(decision.account_id)))
        tx.set_match(decision)
    if plan.merged_into:
        _move_enrolments(tx, plan, journal)


def _move_enrolments(tx: StoreTransaction, plan: Plan, journal: Journal) -> None:
    """A twin's classes go to the account it was folded into (in the same run, so undone with it).

    The daily sync re-reads only sections whose people change in Clever, and here nothing
    changed in Clever: without this the person would stay enrolled as the archived twin.
    """
    field = "teacher_ids" if plan.kind == "teacher" else "student_ids"
    merged = plan.merged_into
    moved = []
    for section in tx.sections():
        ids: list[int] = getattr(section, field)
        if any(account_id in merged for account_id in ids):
            journal.record("sections", section.id, dump(section))
            kept = list(dict.fromkeys(merged.get(account_id, account_id) for account_id in ids))
            moved.append(section.model_copy(update={field: kept, "updated_at": journal.at}))
    tx.put_sections(moved)


@cache
def _blank(model: type[Account]) -> tuple[Doc, tuple[str, ...]]:
    """A new ``model`` account in stored form with every default filled in (the id and
    stamps are placeholders), and the names of its list fields."""
    blank = model(id=0).model_dump(mode="json")
    return blank, tuple(name for name, value in blank.items() if isinstance(value, list))


def new_account_doc(model: type[Account], account_id: int, at: str, values: Mapping[str, Any]) -> Doc:
    """``model(id=account_id, created_at=at, updated_at=at, **values).model_dump(mode="json")``,
    built without the model.

    Validating each new account into a model only to dump it again cost more than storing
    it (about 150 ms for 20,000 students). The values need no validation here: planning built
    them from Clever records that were validated when they were fetched (``clever_values``),
    just as updates to existing accounts copy them in unvalidated (``model_copy``). As the
    model would, this ignores keys that are not fields and gives the document its own lists
    (so it shares none with the plan or with other documents).
    """
    blank, list_fields = _blank(model)
    doc = blank.copy()
    if values.keys() <= blank.keys():
        doc.update(values)
    else:
        doc.update({name: value for name, value in values.items() if name in blank})
    doc["id"], doc["created_at"], doc["updated_at"] = account_id, at, at
    for name in list_fields:
        doc[name] = list(doc[name])
    return doc


def people_step(plan: Plan) -> Step:
    return Step(name=f"{plan.kind}s", plan=plan, write=lambda tx, journal: apply_people_plan(tx, plan, journal))


def apply_plan(store: RosterStore, plan: Plan, *, started_by: str) -> Run:
    """The wizard's and ``import``'s single-kind run: one plan, one transaction, one run."""

    def stamp(tx: StoreTransaction, run: Run) -> None:
        if plan.kind == "teacher":
            tx.meta.teachers_imported_at = run.at
        else:
            tx.meta.students_imported_at = run.at

    kind: RunKind = "import teachers" if plan.kind == "teacher" else "import students"
    return apply_steps(
        store, [people_step(plan)], kind=kind, started_by=started_by, base_revision=plan.base_revision, finish=stamp
    )
