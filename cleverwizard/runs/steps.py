"""A run: every kind's step written in one transaction, one atomic write, one history entry.

A run is a list of steps, one per kind (teachers, students and, later, sections), all
written in the same transaction so the daily sync is all or nothing: a failure anywhere
leaves the store exactly as it was. Each step records what it changes in the run's
``Journal`` so the run can be undone. The wizard's single-kind imports are a run of one
step (``people.apply.apply_plan``); the daily sync is a run of several.

Plans are checked against the store's revision first: if anything was saved since the
preview was built (a scheduled sync, an edit in another window), applying would act on a
picture that is no longer true, so it is refused and the caller plans again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cleverwizard.runs.journal import Journal
from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Problem, Run, RunCounts, RunKind


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
    run = _apply(store, steps, kind, started_by, base_revision, detail, finish, None)
    assert run is not None
    return run


def apply_steps_unless_quiet(
    store: RosterStore,
    steps: Sequence[Step],
    *,
    kind: RunKind,
    started_by: str,
    base_revision: int,
    quiet: Callable[[StoreTransaction, Run], bool],
    detail: str = "",
    finish: Callable[[StoreTransaction, Run], None] | None = None,
) -> Run | None:
    """``apply_steps``, but a run that changed no record and of which ``quiet`` says there is
    nothing to tell (the daily sync: its problems were already known) is not recorded.

    ``finish`` still runs and its writes (the event position, the last sync time) are saved
    in the same one atomic write; nothing is added to the history and no run id is used.
    Returns ``None`` for such a run.
    """
    return _apply(store, steps, kind, started_by, base_revision, detail, finish, quiet)


def _apply(
    store: RosterStore,
    steps: Sequence[Step],
    kind: RunKind,
    started_by: str,
    base_revision: int,
    detail: str,
    finish: Callable[[StoreTransaction, Run], None] | None,
    quiet: Callable[[StoreTransaction, Run], bool] | None,
) -> Run | None:
    journal = Journal()
    with store.transaction() as tx:
        if tx.meta.revision != base_revision:
            raise StalePlan()
        for step in steps:
            step.write(tx, journal)
        problems = [problem for step in steps for problem in step.plan.problems]
        run = Run(
            id=0,
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
        recorded = bool(journal) or quiet is None or not quiet(tx, run)
        if recorded:
            run.id = tx.next_run_id()
        if finish is not None:
            finish(tx, run)
        if recorded:
            tx.add_run(run)
    return run if recorded else None
