"""Fill a ``DataTable`` a batch at a time, so a school's worth of rows never freezes the wizard.

A ``DataTable`` measures every new row's cells on its next idle moment, all at once: 1,500
students in one grade, or 20,000 in the imported list, would block the event loop for
seconds (no key, no redraw). ``fill_rows`` adds the first ``FIRST`` rows at once (every
table of a small school, and every snapshot, fills in one go, exactly as before) and the
rest ``BATCH`` rows at a time from a worker that yields to the loop between batches, so
each batch is measured and drawn on its own. Filling again (a new filter, another grade)
cancels the fill still running; ``settle`` in the tests waits for it like any worker.

Batches only spread the cost: DataTable still rebuilds its line offsets after every batch, so
a list that can hold a whole school (a grade's students, the imported list) is a
``long_table.LongTable`` instead; this is for the short tables (the import steps' intros).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

FIRST = 60
"""Rows added at once: enough for a screenful, few enough to measure in well under 100 ms."""
BATCH = 40
"""Rows added per turn of the loop after the first ones."""

Row = tuple[Sequence[Text], str | None]
"""One row's cells and its key (``None``: no key)."""


def fill_rows(table: DataTable[Any], rows: Sequence[Row], height: int | None = 1) -> None:
    """Clear ``table`` and show ``rows``: the first ``FIRST`` now, the rest in batches.

    ``height``: lines per row (``None``: as many as the wrapped cells need)."""
    table.clear()
    _add(table, rows[:FIRST], height)
    if len(rows) > FIRST:
        table.run_worker(
            _add_later(table, rows[FIRST:], height),
            group=f"fill-{table.id}",
            exclusive=True,
            exit_on_error=False,
            description="Fill the table",
        )
    else:
        table.workers.cancel_node(table)


def _add(table: DataTable[Any], rows: Sequence[Row], height: int | None) -> None:
    for cells, key in rows:
        table.add_row(*cells, key=key, height=height)


async def _add_later(table: DataTable[Any], rows: Sequence[Row], height: int | None) -> None:
    for start in range(0, len(rows), BATCH):
        await asyncio.sleep(0.005)  # the table measures the last batch on its idle; the screen redraws
        _add(table, rows[start : start + BATCH], height)
