"""The guard against mass change: a sync that would change too much writes nothing.

A broken SIS export, a wrong school chosen in Clever or a half-finished rollover can make
Clever suddenly report most of a school as gone or changed. Applied blindly, the platform
would archive a school's worth of logins overnight. So before writing, each kind's plan
is measured against the accounts it could hurt: the kind's active accounts already linked
to Clever. Archiving more than ``ARCHIVE_LIMIT`` of them, or updating more than
``UPDATE_LIMIT``, holds the run (exit 3) until someone looks and reruns with ``--force``.
Sections are measured the same way against the school's active sections linked to Clever
(an export that loses a term's classes would otherwise archive them all overnight).

Small schools: the percentages apply as they are, but a run never holds over fewer than
``MIN_AFFECTED`` accounts (in a school of 8 teachers, one leaving is 12.5%, and that is an
ordinary day, not a broken export).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cleverwizard.people.plan import Plan
from cleverwizard.sections.plan import SectionPlan
from cleverwizard.store.models import Account, Section

ARCHIVE_LIMIT = 0.10
UPDATE_LIMIT = 0.75
MIN_AFFECTED = 3


@dataclass(frozen=True)
class GuardFinding:
    """One limit a kind's plan goes over."""

    kind: str
    action: str
    """"archive" or "update"."""
    count: int
    base: int
    """Active accounts of the kind linked to Clever before the run."""
    limit: float

    @property
    def share(self) -> float:
        return self.count / self.base if self.base else 0.0

    def describe(self) -> str:
        verb = "archive" if self.action == "archive" else "update"
        return (
            f"it would {verb} {self.count} of {self.base} linked {self.kind}s "
            f"({self.share:.0%}, the limit is {self.limit:.0%})"
        )

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["percent"] = round(self.share * 100, 1)
        found["limit_percent"] = round(self.limit * 100, 1)
        return found


def linked_active(accounts: Sequence[Account]) -> int:
    return sum(1 for account in accounts if account.clever_id and account.status == "active")


def check_plan(plan: Plan, accounts: Sequence[Account]) -> list[GuardFinding]:
    """The limits ``plan`` goes over, measured against ``accounts`` as they are now."""
    updates = len(plan.of("update")) + len(plan.of("unlink"))
    return _over_limits(plan.kind, len(plan.of("archive")), updates, linked_active(accounts))


def check_sections(plan: SectionPlan, sections: Sequence[Section]) -> list[GuardFinding]:
    """The limits a section plan goes over, measured against the school's active sections
    linked to Clever before the run (``sections`` as they are now)."""
    base = sum(1 for s in sections if s.clever_id and s.status == "active" and s.school == plan.school_id)
    updates = [c for c in plan.of("update") if any(d.field not in TERM_FIELDS for d in c.diffs)]
    return _over_limits("section", len(plan.of("archive")), len(updates), base)


TERM_FIELDS = frozenset({"term_name", "term_start", "term_end"})
"""A renamed or re-dated term changes every section in it: one change in Clever, not a mass
change, so sections changed only in these fields do not count towards the guard."""


def _over_limits(kind: str, archives: int, updates: int, base: int) -> list[GuardFinding]:
    if base == 0:
        return []
    found = []
    for action, count, limit in (("archive", archives, ARCHIVE_LIMIT), ("update", updates, UPDATE_LIMIT)):
        if count >= MIN_AFFECTED and count / base > limit:
            found.append(GuardFinding(kind=kind, action=action, count=count, base=base, limit=limit))
    return found


def explain(findings: Sequence[GuardFinding]) -> str:
    """The one paragraph a held run prints: what, how much, and how to go ahead anyway."""
    reasons = "; ".join(finding.describe() for finding in findings)
    return (
        f"Held: nothing was written because {reasons}. This is more change than a normal day "
        "brings, so check the school's data in Clever (a broken SIS export or the wrong school) "
        "and, if it is right, run `cleverwizard sync --force` to apply it."
    )
