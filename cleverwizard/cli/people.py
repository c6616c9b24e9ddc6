"""Commands about people: import teachers, students (or their sections), export accounts."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from cleverwizard.bulk import keep_until_exit, paused_gc
from cleverwizard.cli.export import ROSTER_KINDS, export_oneroster, export_roster
from cleverwizard.cli.main import run, with_sync
from cleverwizard.cli.report import finish_import
from cleverwizard.cli.sections import import_sections
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store.models import Account, PersonKind, Student
from cleverwizard.text import spreadsheet_cell

EXPORT_COLUMNS = ["id", "clever_id", "first_name", "last_name", "email", "source", "status"]
STUDENT_COLUMNS = [*EXPORT_COLUMNS, "grade", "school"]


def _progress(kind: str) -> Any:
    if not sys.stderr.isatty():
        return None

    def report(count: int) -> None:
        click.echo(f"\rFetching {kind}s from Clever: {count}", err=True, nl=False)

    return report


@click.command("import")
@click.argument("kind", type=click.Choice(["teachers", "students", "sections"]))
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@with_sync
@paused_gc()  # one batch job: the records it builds are freed, not collected (see cleverwizard.bulk)
def import_people(sync: RosterSync, kind: str, dry_run: bool) -> None:
    """Import the connected school's teachers, students or sections from Clever.

    Applies saved matches and exact ones (same email, same SIS id), creates accounts for
    the rest, never deletes. Name-only matches are left to the wizard. Sections come after
    teachers and students and take only saved or exact course matches.
    """
    if kind == "sections":
        return import_sections(sync, dry_run, _progress("section"))
    person: PersonKind = "teacher" if kind == "teachers" else "student"
    people = run(sync.fetch(person, on_progress=_progress(person)))
    if sys.stderr.isatty():
        click.echo("", err=True)
    plan = sync.plan(person, people)
    keep_until_exit(people, plan)
    finish_import(plan, dry_run, lambda: sync.apply(plan))


def export_row(account: Account) -> dict[str, Any]:
    row: dict[str, Any] = {column: getattr(account, column) for column in EXPORT_COLUMNS}
    if isinstance(account, Student):
        row["grade"] = account.grade
        row["school"] = account.school
    return row


@click.command()
@click.argument("kind", type=click.Choice(["teachers", "students", *ROSTER_KINDS, "oneroster"]))
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--zip", "as_zip", is_flag=True, help="oneroster: write DIRECTORY.zip instead of a folder.")
@with_sync
def export(sync: RosterSync, kind: str, directory: Path | None, fmt: str, as_zip: bool) -> None:
    """Write the platform's accounts, sections, courses or enrolments to standard output.

    `export oneroster DIRECTORY [--zip]` writes the whole roster as a OneRoster 1.1 CSV bundle.
    """
    if kind == "oneroster":
        return export_oneroster(sync, directory, as_zip)
    if kind in ROSTER_KINDS:
        return export_roster(sync, kind, fmt)
    accounts: list[Account] = list(sync.store.teachers() if kind == "teachers" else sync.store.students())
    rows = [export_row(account) for account in accounts]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    columns = STUDENT_COLUMNS if kind == "students" else EXPORT_COLUMNS
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: spreadsheet_cell(value) for column, value in row.items()} for row in rows)
