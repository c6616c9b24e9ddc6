"""The plan: what an import or sync will do, built before anything is written.

Every import first builds a ``Plan`` that the wizard's preview shows and ``--dry-run``
prints; applying it is one atomic write of the store. A plan remembers the store revision
it was built on, so a plan made from data that has changed since is refused, not applied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from cleverwizard.store.models import MatchDecision, PersonKind, Problem, RunCounts
from cleverwizard.text import counted, one_line

ChangeAction = Literal["create", "link", "update", "archive", "restore", "unlink", "relink"]

ACTION_WORDS: dict[ChangeAction, str] = {
    "create": "new account",
    "link": "link to Clever",
    "update": "update",
    "archive": "archive (gone from Clever)",
    "restore": "restore (back in Clever)",
    "unlink": "unlink from Clever",
    "relink": "follow the new Clever id",
}


FIELD_WORDS: dict[str, str] = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "login email",
    "sis_id": "SIS id",
    "clever_id": "Clever id",
    "schools": "schools",
    "section_number": "section number",
    "term_name": "term",
    "term_start": "term start",
    "term_end": "term end",
}
"""Stored field names as a plan line says them ("last name Lee -> Lee-Smith"); others read as they are."""


def field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " "))


@dataclass(slots=True)
class FieldChange:
    field: str
    old: Any = None
    new: Any = None


@dataclass(slots=True)
class PlannedChange:
    """One account the plan touches, with the values it will set and why.

    A plain dataclass, not a model: planning builds every entry itself from records that were
    validated when they were fetched or read, and a 20,000-student import makes 20,000 of
    them (about 0.6 us each against 3.7 us validated). Nothing reads a plan back from text.
    """

    action: ChangeAction
    kind: PersonKind
    clever_id: str | None = None
    account_id: int | None = None
    name: str = ""
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    """The fields the change sets, held as given (their types vary by field)."""
    diffs: list[FieldChange] = field(default_factory=list)

    def describe(self) -> str:
        """One line for ``--dry-run`` and the preview's summary."""
        head = f"{ACTION_WORDS[self.action]}: {self.name or '(no name)'}"
        if self.reason:
            head += f" ({self.reason})"
        if self.diffs:
            head += "; " + ", ".join(
                f"{field_words(d.field)} {show_value(d.old)} -> {show_value(d.new)}" for d in self.diffs
            )
        return head


class KeptEdit(BaseModel):
    """A platform value that differs from what Clever now says and stays: a field edited in
    the wizard (``edited``), or a hand-made account's own login kept when it was linked."""

    model_config = ConfigDict(defer_build=True)

    account_id: int
    name: str
    field: str
    kept: Any
    clever_value: Any
    edited: bool = True
    """``False``: the account's login from before Clever, kept when it was linked; nobody edited it."""

    def describe(self) -> str:
        what = f"kept edited {self.field}" if self.edited else f"kept login {self.field} from before Clever"
        return f"{what} for {self.name}: {show_value(self.kept)} (Clever has {show_value(self.clever_value)})"


AlikeBy = Literal["SIS id", "email", "name"]


@dataclass(frozen=True)
class SamePerson:
    """A Clever record that may be the person of an account whose Clever id is gone."""

    clever_id: str
    clever_name: str
    account_id: int
    account_name: str
    old_clever_id: str
    alike_by: AlikeBy
    twin_id: int | None = None
    """The account a sync already made for the record, archived if the administrator says
    they are the same person (it was made only because the old account was not followed)."""
    archived_at: str | None = None
    """The day the old account was archived, when it is (a twin's case)."""

    @property
    def suggested(self) -> bool:
        """Ticked to start with: the same SIS id, or the same email for an account whose id
        went missing only now. Merging a second account in on an email or a name is left to
        the administrator: an archived account's email may have been given to someone new."""
        return self.alike_by == "SIS id" or (self.alike_by == "email" and self.twin_id is None)

    def reason(self) -> str:
        return f"chosen in the wizard: same {self.alike_by}, new Clever id"


def suggested_ticks(offers: Sequence[SamePerson]) -> dict[str, int]:
    """The ticks a preview starts with: Clever id -> account, for the suggested offers."""
    return {same.clever_id: same.account_id for same in offers if same.suggested}


def changed_ticks(offers: Sequence[SamePerson], ticked: Mapping[str, int]) -> int:
    """How many ticks differ from the ones the preview started with (Esc asks when any do)."""
    return len(suggested_ticks(offers).keys() ^ ticked.keys())


class Plan(BaseModel):
    """Everything one import or sync would change, for one kind of person.

    Its validator is built the first time one is validated (``defer_build``): planning makes
    its plans with ``model_construct`` (our code fills them, nothing outside does), so an
    import process never pays the 15-25 ms a build takes.
    """

    model_config = ConfigDict(defer_build=True)

    kind: PersonKind
    school_id: str
    base_revision: int
    changes: list[PlannedChange] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    kept_edits: list[KeptEdit] = Field(default_factory=list)
    decisions: list[MatchDecision] = Field(default_factory=list)
    """Teacher match decisions to save with the plan (wizard choices and exact matches)."""
    unchanged: int = 0
    clever_total: int = 0
    merged_into: dict[int, int] = Field(default_factory=dict)
    """Second accounts (twins) folded into the person's first one: twin id -> kept account
    id. Their classes move with them when the plan is applied."""
    same_people: SkipValidation[list[SamePerson]] = Field(default_factory=list, exclude=True)
    """Records that may be the person of an account whose Clever id is gone, for the wizard to
    ask about (``people.relink``); not part of what the plan writes or prints."""

    def of(self, action: ChangeAction) -> list[PlannedChange]:
        return [change for change in self.changes if change.action == action]

    @property
    def counts(self) -> RunCounts:
        tally = Counter(change.action for change in self.changes)  # one pass, not one per action
        return RunCounts(
            created=tally["create"],
            linked=tally["link"] + tally["relink"],
            updated=tally["update"] + tally["unlink"],
            archived=tally["archive"],
            restored=tally["restore"],
            flagged=len(self.problems),
            unchanged=self.unchanged,
        )

    @property
    def writes_nothing(self) -> bool:
        return not self.changes and not self.decisions

    def summary(self) -> str:
        """The sentence an administrator reads before pressing Import."""
        c = self.counts
        relinked = len(self.of("relink"))
        lead = [f"{c.linked - relinked} linked to Clever", counted(c.created, "new account")]
        if relinked:
            lead.append(f"{relinked} following a new Clever id")
        flagged = f" {c.flagged} flagged to fix in the SIS." if c.flagged else ""
        return tally_sentence(f"{counted(self.clever_total, self.kind)} in Clever", lead, c, flagged)

    def lines(self) -> list[str]:
        """The whole plan as text, one line per change, problem and kept edit."""
        out = [self.summary()]
        out += [f"  {change.describe()}" for change in self.changes]
        out += [f"  {kept.describe()}" for kept in self.kept_edits]
        out += [f"  flag: {p.name}: {p.issue}. {p.fix}" for p in self.problems]
        return [one_line(line) for line in out]  # a Clever value never breaks or colours a line


def tally_sentence(head: str, lead: list[str], counts: RunCounts, tail: str = "") -> str:
    """ "<head>: <lead>, N updated[, archived][, restored], N unchanged.<tail> Nothing is deleted."

    Every plan's summary has this shape, so an administrator reads them all the same way.
    """
    parts = [*lead, f"{counts.updated} updated"]
    if counts.archived:
        parts.append(f"{counts.archived} archived")
    if counts.restored:
        parts.append(f"{counts.restored} restored")
    parts.append(f"{counts.unchanged} unchanged")
    return f"{head}: " + ", ".join(parts) + "." + tail + " Nothing is deleted."


def show_value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "(none)"
    return str(value)
