"""Commands that set the site up and report on it: connect, districts, schools, status, history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from cleverwizard.cli.main import EXIT_USAGE, fail, run, say, with_store, with_sync
from cleverwizard.text import one_line

if TYPE_CHECKING:  # status and history must not import the service (see ``with_store``)
    from cleverwizard.service.roster_sync import RosterSync
    from cleverwizard.store import RosterStore


@click.command()
@click.argument("district_id")
@click.option("--school", "school_id", metavar="SCHOOL_ID", help="Also connect this site to one school.")
@click.option("--yes", is_flag=True, help="Switch a site that already has people to another school.")
@with_sync
def connect(sync: RosterSync, district_id: str, school_id: str | None, yes: bool) -> None:
    """Check DISTRICT_ID with Clever and save the connection (and the school)."""
    if school_id and not yes:
        sync.check_school_switch(school_id)  # before Clever is asked
    district = run(sync.connect(district_id, school_id=school_id, switch_confirmed=yes))
    say(f"Connected to {district.name or district.id} ({district.id}).")
    site = sync.store.site()
    if school_id and site is not None and site.school_id:
        say(f"This site is now {site.school_name or site.school_id} ({site.school_id}).")
    else:
        click.echo("Next: `cleverwizard schools`, then `cleverwizard connect ID --school SCHOOL_ID`.")


@click.command()
@with_sync
def districts(sync: RosterSync) -> None:
    """List the districts connected to the platform's Clever app: id, name.

    Needs the app credentials (CLEVER_CLIENT_ID, CLEVER_CLIENT_SECRET); the school admin
    then connects with one of these ids.
    """
    found = run(sync.app_districts())
    width = max((len(d.id) for d in found), default=2)
    click.echo(f"{'ID':<{width}}  NAME")
    for district in found:
        click.echo(f"{one_line(district.id):<{width}}  {one_line(district.name or '')}")


@click.command()
@with_sync
def schools(sync: RosterSync) -> None:
    """List the connected district's schools: id, name, grades."""
    found = run(sync.schools())
    names = [one_line(s.name) for s in found]
    width = max((len(name) for name in names), default=4)
    say(
        f"{'ID':<24}  {'NAME':<{width}}  GRADES",
        *(f"{school.id:<24}  {name:<{width}}  {school.grade_span}" for school, name in zip(found, names, strict=True)),
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@with_store
def status(store: RosterStore, as_json: bool) -> None:
    """The Notifications checklist as text: district, school, teachers, students, sections."""
    from cleverwizard.service.status import build_checklist

    checklist = build_checklist(store)
    if as_json:
        click.echo(json.dumps(checklist.as_dict(), indent=2))
    else:
        say(*checklist.lines())


@click.command()
@click.argument("run_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@with_store
def history(store: RosterStore, run_id: int | None, as_json: bool) -> None:
    """The applied imports, syncs and undos, newest first: id, when, what started it, counts.

    With RUN_ID, that one run and every problem record it found (a sync's mail only counts them).
    """
    from cleverwizard.runs.history import history_lines, run_row
    from cleverwizard.service.status import run_history

    runs = run_history(store, problems=as_json or run_id is not None)
    if run_id is not None:
        runs = [r for r in runs if r.id == run_id]
        if not runs:
            fail(f"there is no run {run_id}: `cleverwizard history` lists the runs", EXIT_USAGE)
    if run_id is not None and not as_json:
        from cleverwizard.daily.report import problem_line

        problems = runs[0].problems
        lines = [*history_lines(runs), *(problem_line(p) for p in problems)]
        say(*lines, *([] if problems else ["No problems recorded."]))
        return
    if as_json:
        click.echo(json.dumps([run_row(r) for r in runs], indent=2, ensure_ascii=False))
    else:
        say(*history_lines(runs))
