"""Printing an import's plan or result the same way for teachers, students and sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cleverwizard.cli.main import say
from cleverwizard.store.models import Problem, Run


class PrintablePlan(Protocol):
    """What the import commands print of a plan (people's and sections' plans alike)."""

    @property
    def problems(self) -> list[Problem]: ...

    def summary(self) -> str: ...

    def lines(self) -> list[str]: ...


def finish_import(plan: PrintablePlan, dry_run: bool, apply: Callable[[], Run]) -> None:
    """Print the plan (``--dry-run``) or apply it and print its summary and flags."""
    if dry_run:
        say("Dry run: nothing was written.", *plan.lines())
        return
    result = apply()
    say(
        plan.summary(),
        *(f"flag: {problem.name}: {problem.issue}. {problem.fix}" for problem in plan.problems),
        f"Saved as run {result.id}.",
    )
