"""The history of applied imports, syncs and undos, as ``cleverwizard history`` shows it.

Rows leave out the undo journal (it can hold a school's worth of records): history is for
reading what happened and picking a run to undo, not for restoring by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleverwizard.store.models import Run

COUNT_COLUMNS = ("created", "linked", "updated", "archived", "restored", "flagged")


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
    return out
