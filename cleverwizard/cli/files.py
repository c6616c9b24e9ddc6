"""``cleverwizard add`` and ``cleverwizard emails fill``: the platform's own records from files.

Thin: the service plans (``RosterSync.plan_add``, ``plan_fill_emails``) and applies; this prints
the plan (every line through ``one_line``: file text is data) and picks the exit code. A file
with bad rows lists them on standard output, then fails with one line on standard error.
"""

from __future__ import annotations

from pathlib import Path

import click

from cleverwizard.cli.main import EXIT_USAGE, fail, with_sync
from cleverwizard.files.csv_in import FileKind, FileUnusable
from cleverwizard.platform.add import AddPlan
from cleverwizard.platform.apply import BadRowsInFile
from cleverwizard.platform.fill_emails import FillPlan
from cleverwizard.rules.email_patterns import PatternRejected
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store.models import PersonKind, Run
from cleverwizard.text import one_line

FILE = click.Path(dir_okay=False, path_type=Path)


def _print(lines: list[str]) -> None:
    click.echo("\n".join(one_line(line) for line in lines))


def _settle(plan: AddPlan | FillPlan, dry_run: bool, nothing: str) -> bool:
    """Print the plan; ``True`` when it should be applied now."""
    if plan.bad:
        _print(plan.lines())
        fail(one_line(str(BadRowsInFile(plan.source, len(plan.bad)))))
    if dry_run:
        _print(["Dry run: nothing was written.", *plan.lines()])
        return False
    _print(plan.lines())
    if plan.writes_nothing:
        click.echo(nothing)
        return False
    return True


def _saved(run: Run) -> None:
    click.echo(f"Saved as run {run.id} (`cleverwizard undo {run.id}` reverts it).")


@click.command()
@click.argument("kind", type=click.Choice(["teachers", "students", "courses"]))
@click.argument("file", type=FILE)
@click.option("--dry-run", is_flag=True, help="Print what the file would add and write nothing.")
@with_sync
def add(sync: RosterSync, kind: FileKind, file: Path, dry_run: bool) -> None:
    """Add the platform's own teachers, students or courses from a CSV FILE.

    For the accounts made by hand before Clever (a Google Workspace user export works as it
    is): columns first_name, last_name, email (and sis_id / Employee ID; students also grade),
    or for courses name (title), number (course_code), subject. A row whose email is already a
    login changes nothing. If any row is bad, every bad row is listed and nothing is written.
    Works before `connect`.
    """
    try:
        plan = sync.plan_add(kind, file)
    except FileUnusable as error:
        fail(one_line(str(error)))
        return
    if _settle(plan, dry_run, "Nothing to add: every row is already there."):
        _saved(sync.apply_add(plan))


@click.group()
def emails() -> None:
    """Login emails for the accounts that have none."""


@emails.command()
@click.argument("kind", type=click.Choice(["teachers", "students"]))
@click.option(
    "--pattern", metavar="PATTERN", help="e.g. '{first}.{last}@students.school.org' ({first_initial}, {sis_id} too)."
)
@click.option(
    "--from", "from_file", type=FILE, help="A CSV of first name, last name, email (sis_id / Employee ID optional)."
)
@click.option("--dry-run", is_flag=True, help="Print every email it would set and every one it can't; write nothing.")
@with_sync
def fill(sync: RosterSync, kind: str, pattern: str | None, from_file: Path | None, dry_run: bool) -> None:
    """Give a login email to every account of KIND that has none.

    An email that would not be unique, or a file row whose name fits two accounts, is listed
    and not used. Filled emails are edits: later syncs keep them. One run, undoable.
    """
    if (pattern is None) == (from_file is None):
        fail("give either --pattern PATTERN or --from FILE (see `cleverwizard emails fill --help`)", EXIT_USAGE)
    person: PersonKind = "teacher" if kind == "teachers" else "student"
    try:
        plan = sync.plan_fill_emails(person, pattern=pattern, path=from_file)
    except PatternRejected as error:
        fail(one_line(str(error)), EXIT_USAGE)
        return
    except FileUnusable as error:
        fail(one_line(str(error)))
        return
    if _settle(plan, dry_run, f"Nothing to fill: no {kind} email can be set from {one_line(plan.source)}."):
        _saved(sync.apply_fill(plan))
