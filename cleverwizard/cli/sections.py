"""``cleverwizard import sections``: the Sections step without the wizard.

Reached through the ``import`` command (see ``cli/people.py``). It applies saved course
choices and confident course matches only (same name, same number, the course chosen for
another section of the same Clever course); every other section is imported without a
course, to be chosen in the wizard.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from cleverwizard.cli.main import run
from cleverwizard.cli.report import finish_import
from cleverwizard.service.roster_sync import RosterSync, StepOutOfOrder


def import_sections(sync: RosterSync, dry_run: bool, on_progress: Callable[[int], None] | None) -> None:
    """Fetch, plan and (unless ``dry_run``) apply the connected school's sections."""
    sync.require_site(school=True)
    if sync.waiting_for("sections"):
        raise StepOutOfOrder(
            "Import teachers and students before sections (`cleverwizard import teachers`, "
            "then `cleverwizard import students`), so classes can be filled with their people."
        )
    data = run(sync.fetch_sections(on_progress=on_progress))
    if sys.stderr.isatty():
        click.echo("", err=True)
    plan = sync.plan_sections(data)
    finish_import(plan, dry_run, lambda: sync.apply_sections(plan))
