"""Applying plans: one transaction, one atomic write, one history entry.

A run is a list of steps, one per kind (teachers, students and, later, sections), all
written in the same transaction so the daily sync is all or nothing: a failure anywhere
leaves the store exactly as it was. Each step records what it changes in the run's
``Journal`` so the run can be undone. The wizard's single-kind imports are a run of one
step (``apply_plan``); the daily sync is a run of several (``apply_steps``).

Plans are checked against the store's revision first: if anything was saved since the
preview was built (a scheduled sync, an edit in another window), applying would act on a
picture that is no longer true, so it is refused and the caller plans again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Account, Problem, Run, RunCounts, RunKind, Student, Teacher
from cleverwizard.sync.journal import Journal, dump
from cleverwizard.sync.plan import Plan


class StalePlan(RuntimeError):
    """The store changed after the plan was built."""

    def __init__(self) -> None:
        super().__init__(
            "The platform's data changed since this preview was made "
            "(another import or a scheduled sync ran). Review the new preview and import again."
        )


class StepPlan(Protocol):
    """What a run needs from any kind's plan: its counts and the problems it flagged."""

    @property
    def counts(self) -> RunCounts: ...

    @property
    def problems(self) -> list[Problem]: ...


Write = Callable[[StoreTransaction, Journal], None]


@dataclass
class Step:
    """One kind's share of a run: ``write`` applies ``plan`` inside the run's transaction.

    Steps run in order, so a later step (sections) sees the accounts an earlier one made.
    """

    name: str
    plan: StepPlan
    write: Write


def apply_people_plan(tx: StoreTransaction, plan: Plan, journal: Journal) -> None:
    """Write a teacher or student plan (archives and restores included) into ``tx``."""
    model: type[Account] = Teacher if plan.kind == "teacher" else Student
    table = f"{plan.kind}s"
    get = tx.teacher if plan.kind == "teacher" else tx.student
    changed: list[Account] = []
    for change in plan.changes:
        if change.action == "create":
            account = model(id=tx.next_account_id(), created_at=journal.at, updated_at=journal.at, **change.values)
            journal.record(table, account.id, None)
        else:
            assert change.account_id is not None
            current = get(change.account_id)
            if current is None:
                raise StalePlan()
            journal.record(table, current.id, dump(current))
            account = current.model_copy(update={**change.values, "updated_at": journal.at})
        changed.append(account)
    if plan.kind == "teacher":
        tx.put_teachers([a for a in changed if isinstance(a, Teacher)])
    else:
        tx.put_students([a for a in changed if isinstance(a, Student)])
    for decision in plan.decisions:
        journal.record("matches", decision.account_id, dump(tx.match(decision.account_id)))
        tx.set_match(decision)


def people_step(plan: Plan) -> Step:
    return Step(name=f"{plan.kind}s", plan=plan, write=lambda tx, journal: apply_people_plan(tx, plan, journal))


def total_counts(steps: Sequence[Step]) -> RunCounts:
    total: dict[str, int] = {}
    for step in steps:
        for key, value in step.plan.counts.model_dump().items():
            total[key] = total.get(key, 0) + value
    return RunCounts(**total)


def apply_steps(
    store: RosterStore,
    steps: Sequence[Step],
    *,
    kind: RunKind,
    started_by: str,
    base_revision: int,
    detail: str = "",
    finish: Callable[[StoreTransaction, Run], None] | None = None,
) -> Run:
    """Write every step in one transaction and record one run; all or nothing.

    ``finish`` runs last inside the same transaction (the daily sync saves its event
    position there), so the position can never move without the changes it stands for.
    """
    journal = Journal()
    with store.transaction() as tx:
        if tx.meta.revision != base_revision:
            raise StalePlan()
        for step in steps:
            step.write(tx, journal)
        problems = [problem for step in steps for problem in step.plan.problems]
        run = Run(
            id=tx.next_run_id(),
            kind=kind,
            started_by=started_by,
            at=journal.at,
            counts=total_counts(steps),
            problems=problems,
            before=journal.before,
            after=journal.fingerprints(tx),
            parts={step.name: step.plan.counts for step in steps} if len(steps) > 1 else {},
            detail=detail,
        )
        if finish is not None:
            finish(tx, run)
        tx.add_run(run)
    return run


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
