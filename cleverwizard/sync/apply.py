"""Applying a plan: one transaction, one atomic write, one history entry.

The plan is checked against the store's revision first: if anything was saved since the
preview was built (a scheduled sync, an edit in another window), applying would act on a
picture that is no longer true, so it is refused and the caller plans again.
"""

from __future__ import annotations

from typing import Any

from cleverwizard.store import RosterStore
from cleverwizard.store.models import Account, Run, Student, Teacher, now_iso
from cleverwizard.sync.plan import Plan


class StalePlan(RuntimeError):
    """The store changed after the plan was built."""

    def __init__(self) -> None:
        super().__init__(
            "The platform's data changed since this preview was made "
            "(another import or a scheduled sync ran). Review the new preview and import again."
        )


def apply_plan(store: RosterStore, plan: Plan, *, started_by: str) -> Run:
    """Write everything the plan says in one transaction and record the run."""
    model: type[Account] = Teacher if plan.kind == "teacher" else Student
    table = f"{plan.kind}s"
    stamp = now_iso()
    with store.transaction() as tx:
        if tx.meta.revision != plan.base_revision:
            raise StalePlan()
        get = tx.teacher if plan.kind == "teacher" else tx.student
        before: dict[str, dict[str, Any] | None] = {}
        changed: list[Account] = []
        for change in plan.changes:
            if change.action == "create":
                account = model(id=tx.next_account_id(), created_at=stamp, updated_at=stamp, **change.values)
                before[str(account.id)] = None
            else:
                assert change.account_id is not None
                current = get(change.account_id)
                if current is None:
                    raise StalePlan()
                before[str(current.id)] = current.model_dump(mode="json")
                account = current.model_copy(update={**change.values, "updated_at": stamp})
            changed.append(account)
        if plan.kind == "teacher":
            tx.put_teachers([a for a in changed if isinstance(a, Teacher)])
        else:
            tx.put_students([a for a in changed if isinstance(a, Student)])
        matches_before: dict[str, dict[str, Any] | None] = {}
        existing = tx.matches()
        for decision in plan.decisions:
            old = existing.get(decision.account_id)
            matches_before[str(decision.account_id)] = old.model_dump(mode="json") if old else None
            tx.set_match(decision)
        run = Run(
            id=tx.next_run_id(),
            kind=f"import {plan.kind}s",  # type: ignore[arg-type]
            started_by=started_by,
            at=stamp,
            counts=plan.counts,
            problems=plan.problems,
            before={table: before, "matches": matches_before},
        )
        tx.add_run(run)
        if plan.kind == "teacher":
            tx.meta.teachers_imported_at = stamp
        else:
            tx.meta.students_imported_at = stamp
    return run
