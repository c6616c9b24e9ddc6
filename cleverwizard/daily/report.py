"""What a daily sync did (or would do), as text for people and as JSON for scripts.

The command line, the wizard and cron mail all read this one report, so "held", "fell
back to a full comparison" and each problem record are worded the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from cleverwizard.daily.guard import GuardFinding, explain
from cleverwizard.people.plan import KeptEdit, Plan
from cleverwizard.rules.emails import STUDENT_NO_EMAIL
from cleverwizard.sections.plan import SectionPlan
from cleverwizard.store.models import Problem
from cleverwizard.text import counted, one_line

SyncMode = Literal["full", "events", "fallback"]
KindPlan = Plan | SectionPlan
"""A step's plan: teachers and students are ``Plan``, sections ``SectionPlan``."""

MODE_WORDS: dict[SyncMode, str] = {
    "full": "full comparison with Clever",
    "events": "changes from Clever's event log",
    "fallback": "full comparison instead of the event log",
}


def problem_line(problem: Problem) -> str:
    """One line per problem record: what, which record, what to fix."""
    who = f"{problem.kind} {problem.name}"
    if problem.clever_id:
        who += f" (Clever id {problem.clever_id})"
    return one_line(f"problem: {who}: {problem.issue}. {problem.fix}")


_GROUPS: tuple[tuple[str, str, str | None], ...] = (
    (STUDENT_NO_EMAIL, "have no email", "fix in the SIS, or `cleverwizard emails fill`"),
    ("No email in Clever", "have no email in Clever", None),
    ("No first name", "have no first name in Clever", None),
    ("No last name", "have no last name in Clever", None),
    ("Email ", "have an email that is not a valid address or is another account's login", None),
    ("Shares the email", "share their email with someone else in Clever", None),
    ("No teacher in Clever", "have no teacher in Clever", None),
)
"""Issue (how it starts) -> what the group has, and the fix when it differs from the records'."""


def problem_groups(problems: list[Problem]) -> list[str]:
    """One line per kind of problem ("225 students have no email: fix in the SIS, or …").

    A daily mail of 225 identical lines hides the one new problem; the records themselves
    are in ``sync --verbose`` and ``history RUN``.
    """
    groups: dict[tuple[str, str], tuple[int, str]] = {}
    for problem in problems:
        phrase, fix = next(
            ((what, fix or problem.fix) for start, what, fix in _GROUPS if problem.issue.startswith(start)),
            (f"flagged: {problem.issue}", problem.fix),
        )
        count, _ = groups.get((problem.kind, phrase), (0, fix))
        groups[(problem.kind, phrase)] = (count + 1, fix)
    return [
        f"{counted(count, kind)} {_agree(phrase, count)}: {fix[:1].lower()}{fix[1:]}".rstrip(".") + "."
        for (kind, phrase), (count, fix) in groups.items()
    ]


def _agree(phrase: str, count: int) -> str:
    """ "1 student has …", "2 students have …"."""
    if count != 1:
        return phrase
    for plural, singular in (("have ", "has "), ("share their ", "shares their ")):
        if phrase.startswith(plural):
            return singular + phrase[len(plural) :]
    return phrase


def kind_line(plan: KindPlan, mode: SyncMode) -> str:
    """The per-kind sentence; an events run counts changed records, not the school."""
    if mode != "events":
        return plan.summary()
    c = plan.counts
    if isinstance(plan, SectionPlan):
        parts = [f"{c.created} new", f"{c.updated} updated", f"{c.archived} archived"]
        if c.restored:
            parts.append(f"{c.restored} restored")
        parts.append(f"{c.unchanged} unchanged")
        text = "Sections named in the events or enrolling changed people: " + ", ".join(parts) + "."
        if c.flagged:
            text += f" {c.flagged} flagged: teachers or students not on the platform."
        return text
    people = f"{plan.kind}s"
    parts = [counted(c.created, "new account"), f"{c.linked} linked", f"{c.updated} updated", f"{c.archived} archived"]
    if c.restored:
        parts.append(f"{c.restored} restored")
    parts.append(f"{c.unchanged} unchanged")
    text = f"{people.capitalize()} named in the events: " + ", ".join(parts) + "."
    if c.flagged:
        text += f" {c.flagged} flagged to fix in the SIS."
    return text


@dataclass
class SyncReport:
    """One daily sync: how Clever was read, the plan per kind, and what was written."""

    mode: SyncMode
    reason: str
    plans: dict[str, KindPlan] = field(default_factory=dict)
    """Per step name ("teachers", "students", "sections"), in the order they are applied."""
    notes: list[str] = field(default_factory=list)
    """Sentences about the run as a whole (Clever's sync paused), printed after the heading."""
    reminders: list[str] = field(default_factory=list)
    """Standing reminders (sections not imported yet): printed after the notes on a recorded
    run, left out of a quiet day's one line so that daily cron mail stays one line."""
    findings: list[GuardFinding] = field(default_factory=list)
    dry_run: bool = False
    forced: bool = False
    run_id: int | None = None
    position: str | None = None
    """The event position saved with the run (or that a dry run would save)."""
    events_read: int = 0
    nothing_new: bool = False
    """Applied, but it changed nothing and found no problem the last sync had not recorded:
    the event position and the sync time were saved, and no history entry was added."""
    known_in_run: int | None = None
    """For a run with nothing new: the sync run whose recorded problems are still to fix."""
    known_problems: int = 0
    """How many problems that run recorded."""

    @property
    def held(self) -> bool:
        return bool(self.findings) and not self.forced

    @property
    def problems(self) -> list[Problem]:
        return [problem for plan in self.plans.values() for problem in plan.problems]

    @property
    def kept_edits(self) -> list[KeptEdit]:
        return [kept for plan in self.plans.values() if isinstance(plan, Plan) for kept in plan.kept_edits]

    @property
    def changes(self) -> int:
        return sum(
            len(plan.changes) + (len(plan.decisions) if isinstance(plan, Plan) else 0) for plan in self.plans.values()
        )

    def heading(self) -> str:
        text = f"Sync: {MODE_WORDS[self.mode]}"
        return f"{text}: {self.reason}." if self.reason else f"{text}."

    def guard_text(self) -> str:
        return explain(self.findings) if self.findings else ""

    def quiet(self) -> bool:
        """Nothing new (see ``nothing_new``): its text is one line, then any note (a pause of
        Clever's sync); the standing reminders were said on the recorded runs."""
        return self.nothing_new

    def lines(self, *, verbose: bool = False) -> list[str]:
        """What the command prints: mode, a line per kind, kept edits, problems, outcome.

        Problems are summarised by kind unless ``verbose``; a run with nothing new is one line.
        """
        if self.quiet() and not verbose:
            text = f"{self.heading()[:-1]}: nothing new, nothing changed."
            if self.known_problems and self.known_in_run is not None:
                text += (
                    f" {counted(self.known_problems, 'known problem')} still to fix in the SIS "
                    f"(`cleverwizard history {self.known_in_run}`)."
                )
            text += " Not added to the history."
            return [one_line(text), *self.notes]
        out = ["Dry run: nothing was written."] if self.dry_run else []
        out.append(self.heading())
        out += self.notes + self.reminders
        for plan in self.plans.values():
            out.append(kind_line(plan, self.mode))
            if self.dry_run:
                out += [f"  {change.describe()}" for change in plan.changes]
            elif isinstance(plan, Plan):  # a relink is always reported: the account changed Clever id
                out += [f"  {change.describe()}" for change in plan.of("relink")]
        out += [kept.describe() for kept in self.kept_edits]
        if verbose:
            out += [problem_line(problem) for problem in self.problems]
        elif self.problems:
            out += problem_groups(self.problems)
            where = f"`cleverwizard history {self.run_id}`" if self.run_id else "`cleverwizard sync --verbose`"
            out.append(f"Each record: {where}.")
        if self.findings and self.forced:
            out.append("Applied with --force although " + "; ".join(f.describe() for f in self.findings) + ".")
        elif self.findings and self.dry_run:
            out.append("Would be held: " + "; ".join(f.describe() for f in self.findings) + ".")
        if self.run_id is not None:
            out.append(f"Saved as run {self.run_id}.")
        return [one_line(line) for line in out]  # a Clever value never breaks or colours a line

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` summary: stable keys a script can rely on."""
        return {
            "mode": self.mode,
            "reason": self.reason,
            "fell_back": self.mode == "fallback",
            "dry_run": self.dry_run,
            "held": self.held,
            "forced": self.forced,
            "guard": [finding.as_dict() for finding in self.findings],
            "run_id": self.run_id,
            "event_position": self.position,
            "events_read": self.events_read,
            "nothing_new": self.nothing_new,
            "counts": {name: plan.counts.model_dump() for name, plan in self.plans.items()},
            "notes": [*self.notes, *self.reminders],
            "problems": [problem.model_dump() for problem in self.problems],
            "kept_edits": [kept.model_dump(mode="json") for kept in self.kept_edits],
        }
