"""The commands that keep a set-up school in sync: sync and undo (history, read-only, is in ``setup``).

``sync`` is what cron or a systemd timer runs every day, so everything it prints is meant
for a mailbox or a log: a line saying how Clever was read, a line per kind (teachers,
students, sections), one line per kind of problem (every record with ``--verbose`` and in
``history RUN``), one line for a day with nothing new, and an exit code from INTERFACE.md (3
when the guard held the run).
"""

from __future__ import annotations

import json

import click

from cleverwizard.bulk import keep_until_exit
from cleverwizard.cli.main import EXIT_FAILED, EXIT_USAGE, Held, fail, run, say, with_sync
from cleverwizard.daily.run import DEFAULT_WAIT
from cleverwizard.runs.undo import UnknownRun
from cleverwizard.service.roster_sync import RosterSync

STARTED_BY_ENV = "CLEVERWIZARD_STARTED_BY"


def started_by_option(command: click.decorators.FC) -> click.decorators.FC:
    """Who started the run, for the history: cron and timers set ``schedule``."""
    return click.option(
        "--started-by",
        type=click.Choice(["cli", "schedule"]),
        default="cli",
        envvar=STARTED_BY_ENV,
        hidden=True,
        help=f"Recorded in the history as what started this run [env {STARTED_BY_ENV}].",
    )(command)


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("--force", is_flag=True, help="Apply even when the guard would hold the run.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option("--full", is_flag=True, help="Compare everyone with Clever instead of reading the event log.")
@click.option("--verbose", "-v", is_flag=True, help="List every problem record, not one line per kind of problem.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=DEFAULT_WAIT,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for a sync already running on this data folder.",
)
@started_by_option
@with_sync
def sync(
    sync: RosterSync,
    dry_run: bool,
    force: bool,
    as_json: bool,
    full: bool,
    verbose: bool,
    wait: float,
    started_by: str,
) -> None:
    """The daily sync: the connected school's teachers, students and sections in one run.

    The first run compares everyone with Clever; later runs read Clever's event log and
    fall back to a full comparison (and say so) when it cannot be used. Fields edited in
    the wizard stay as edited. People and sections gone from Clever are archived, never
    deleted. Sections are synced once the Sections step has been done (until then the
    run says so). When a run would archive more than 10% or update more than 75% of a
    kind's linked accounts or sections it writes nothing and exits 3; --force applies it.
    """
    sync.started_by = started_by
    report = run(sync.daily_sync(dry_run=dry_run, force=force, full=full, wait=wait))
    keep_until_exit(report)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        say(*report.lines(verbose=verbose))
    if report.held and not dry_run:
        raise Held(report.guard_text())


@click.command()
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print what was and was not reverted as JSON.")
@started_by_option
@with_sync
def undo(sync: RosterSync, run_id: int, as_json: bool, started_by: str) -> None:
    """Revert RUN_ID's changes where nothing later depends on them.

    Accounts the run created are removed; records it changed are put back. A record
    changed again since (by a later run or in the wizard) stays, and is listed.
    """
    sync.started_by = started_by
    try:
        report = sync.undo(run_id)
    except UnknownRun as error:
        fail(str(error), EXIT_USAGE)
        return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        say(*report.lines())
    if report.refused and not report.reverted:
        fail(f"nothing was reverted: every change of run {run_id} has been built on since", EXIT_FAILED)
