"""The history of applied imports, syncs and undos, as ``cleverwizard history`` shows it.

Rows leave out the undo journal (it can hold a school's worth of records): history is for
reading what happened and picking a run to undo, not for restoring by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cleverwizard.store.models import Run
from cleverwizard.text import one_line

COUNT_COLUMNS = ("created", "linked", "updated", "archived", "restored", "flagged")
UNDO_DETAIL = re.compile(r"^undo of run (\d+):")
"""How an undo run records which run it reverted (``detail``, written by ``sync.undo``)."""


def undone_target(run: Run) -> int | None:
    """The run an undo run reverted, from its detail line; ``None`` for other runs."""
    match = UNDO_DETAIL.match(run.detail) if run.kind == "undo" else None
    return int(match.group(1)) if match else None


def undone_by(runs: Sequence[Run]) -> dict[int, int]:
    """Run id -> the undo run that reverted it, for runs whose undo still stands.

    Newest first, so an undo that was itself undone (a redo) no longer marks its target.
    """
    marks: dict[int, int] = {}
    for run in sorted(runs, key=lambda r: r.id, reverse=True):
        target = undone_target(run)
        if target is not None and run.id not in marks and target not in marks:
            marks[target] = run.id
    return marks


def already_undone(run_id: int, by: int) -> str:
    """The plain refusal when someone asks to undo a run again."""
    return f"Run {run_id} was already undone by run {by}."


def run_row(run: Run) -> dict[str, Any]:
    """One run for ``history --json``: stable keys, counts per kind where it has several."""
    return {
        "id": run.id,
        "at": run.at,
        "started_by": run.started_by,
        "kind": run.kind,
        "detail": run.detail,
        "counts": {column: getattr(run.counts, column) for column in COUNT_COLUMNS},
        "parts": {name: counts.model_dump() for name, counts in run.parts.items()},
        "problems": [problem.model_dump() for problem in run.problems],
    }


def history_lines(runs: Sequence[Run]) -> list[str]:
    """A table, newest first, one line per run, with the detail line under syncs and undos."""
    if not runs:
        return ["No imports or syncs yet."]
    head = f"{'RUN':>4}  {'WHEN':<20}  {'STARTED BY':<10}  {'KIND':<15}  " + "  ".join(
        f"{column.upper():>8}" for column in COUNT_COLUMNS
    )
    out = [head]
    for run in runs:
        counts = "  ".join(f"{getattr(run.counts, column):>8}" for column in COUNT_COLUMNS)
        out.append(f"{run.id:>4}  {run.at:<20}  {run.started_by:<10}  {run.kind:<15}  {counts}")
        if run.detail:
            out.append(f"{'':>4}  {run.detail}")
    return [one_line(line) for line in out]  # a Clever value never breaks or colours a line
