"""``export sections|courses|enrollments`` and ``export oneroster DIR [--zip]``.

Reached through the ``export`` command (see ``cli/people.py``, which keeps the teachers and
students export); the rows come from the service (``RosterSync.export_rows``,
``write_oneroster``). CSV cells pass through ``text.spreadsheet_cell``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from cleverwizard.cli.main import EXIT_USAGE, fail
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.text import spreadsheet_cell

ROSTER_KINDS = ("sections", "courses", "enrollments")


def export_roster(sync: RosterSync, kind: str, fmt: str) -> None:
    """Sections, the course catalogue or enrolments on standard output, as CSV or JSON."""
    columns, rows = sync.export_rows(kind)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_cell(row[column]) for column in columns] for row in rows)


def export_oneroster(sync: RosterSync, directory: Path | None, as_zip: bool) -> None:
    """The whole roster as a OneRoster 1.1 CSV bundle in DIRECTORY (or DIRECTORY.zip)."""
    if directory is None:
        fail("say where to write the bundle: `cleverwizard export oneroster DIR [--zip]`", EXIT_USAGE)
        return
    written = sync.write_oneroster(directory, as_zip=as_zip)
    click.echo(f"Wrote the OneRoster 1.1 bundle to {written}.")
