"""Undo: put back what one run changed, where nothing since depends on it.

A run's journal holds each record as it was before the run (``None`` for records the run
created) and a fingerprint of it as the run left it. A record is reverted only when it is
still exactly as the run left it: a later run that touched it, or an edit in the wizard,
means someone built on that change, so it stays and the report says why. The exception is
a later change that was itself undone: undoing run 2 puts its records back exactly as run 1
left them, so run 1 can then be undone too. "Exactly" is the fingerprint of the whole
record, ``updated_at`` stamp included, so it matches only when every later change to the
record was reverted (a later sync writing the same values again stamps its own time and
still counts as building on run 1). Removing a created account is refused while a section
still lists it, and a revert that would give two accounts the same login email or Clever id
is refused too.

Undo is itself a run (kind ``"undo"``) with its own journal, so an undo can be undone.
Clever is not asked: if Clever still says what the undone run applied, the next full
comparison (``sync --full``) applies it again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from cleverwizard.rules.names import normalise_email
from cleverwizard.runs.journal import TABLES, Doc, Journal, dump, fingerprint
from cleverwizard.store import RosterStore, StoreTransaction
from cleverwizard.store.models import Run, RunCounts
from cleverwizard.text import counted, one_line

PEOPLE = ("teachers", "students")


class UnknownRun(LookupError):
    """No run with that id in the history."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"There is no run {run_id} in the history; `cleverwizard history` lists them.")


@dataclass
class UndoItem:
    """One record of the undone run: reverted (``action``) or left alone (``reason``)."""

    table: str
    key: str
    name: str
    action: str = ""
    """"removed" (the run created it) or "put back"."""
    reason: str = ""

    def describe(self) -> str:
        label = TABLES[self.table].label if self.table in TABLES else self.table
        text = f"{label} {self.name}"
        return f"{self.action}: {text}" if self.action else f"{text}: {self.reason}"


@dataclass
class UndoReport:
    run_id: int
    undo_run_id: int | None = None
    reverted: list[UndoItem] = field(default_factory=list)
    refused: list[UndoItem] = field(default_factory=list)
    summary: str = ""
    note: str = ""

    def lines(self) -> list[str]:
        out = [self.summary]
        out += [f"  {item.describe()}" for item in self.reverted]
        if self.refused:
            out.append(f"Could not revert {records(len(self.refused))}:")
            out += [f"  {item.describe()}" for item in self.refused]
        if self.undo_run_id is not None:
            out.append(f"Saved as run {self.undo_run_id} (it can be undone too).")
            if self.note:
                out.append(self.note)
        return [one_line(line) for line in out]  # a Clever value never breaks or colours a line

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "undo_run_id": self.undo_run_id,
            "summary": self.summary,
            "reverted": [item.__dict__ for item in self.reverted],
            "not_reverted": [item.__dict__ for item in self.refused],
        }


def records(count: int) -> str:
    """ "1 record", "24 records": the count with the right plural."""
    return counted(count, "record")


def when(stamp: str) -> str:
    """ "3 May 2026, 14:02 UTC", the wizard's date format, from the store's ISO stamp."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


class _NothingWritten(Exception):
    """Leaves the undo's transaction without writing (nothing could be reverted)."""


def _name(table: str, key: str, doc: Doc | None) -> str:
    if doc is None:
        return f"#{key}"
    if table in PEOPLE:
        full = " ".join(str(doc.get(part) or "") for part in ("first_name", "last_name")).strip()
        return f"{full or '(no name)'} (#{key})"
    if table == "matches":
        return f"for account #{key}"
    return f"{doc.get('name') or '(no name)'} (#{key})"


@dataclass
class _Candidate:
    table: str
    key: str
    before: Doc | None
    current: BaseModel | None
    name: str


def _unchanged_since(run: Run, table: str, key: str, current: BaseModel | None) -> bool:
    """Still as ``run`` left it. Runs saved before fingerprints existed fall back to the stamp."""
    left = run.after.get(table)
    if left is not None and key in left:
        return fingerprint(current) == left[key]
    if current is None:
        return False
    stamp = getattr(current, "updated_at", None)
    return stamp is None or stamp == run.at


def _restored_as_left(run: Run, table: str, key: str, current: BaseModel | None) -> bool:
    """Touched by later runs, but back to exactly what ``run`` left (those changes were undone).

    Needs ``run``'s fingerprint: for runs saved before fingerprints existed, a later touch
    cannot be told apart from an undone one, so it still counts as building on ``run``.
    """
    left = run.after.get(table)
    return left is not None and key in left and fingerprint(current) == left[key]


def _changed_by(latest: Run, table: str, key: str, current: BaseModel | None) -> str:
    """Why a record later runs touched stays: the latest of them, unless the record was
    edited in the wizard after it (then that run's change, perhaps undone, is not the reason)."""
    left = latest.after.get(table)
    if left is not None and key in left and fingerprint(current) != left[key]:
        return "changed since (edited in the wizard)"
    return f"changed again by run {latest.id}"


def _final_docs(tx: StoreTransaction, table: str, chosen: dict[tuple[str, str], _Candidate]) -> dict[str, Doc]:
    """The table as it would be after reverting ``chosen``."""
    records = getattr(tx, table)()
    docs = {str(r.id): r.model_dump(mode="json") for r in records}
    for (t, key), candidate in chosen.items():
        if t != table:
            continue
        if candidate.before is None:
            docs.pop(key, None)
        else:
            docs[key] = candidate.before
    return docs


def _clashes(tx: StoreTransaction, chosen: dict[tuple[str, str], _Candidate]) -> dict[tuple[str, str], str]:
    """Reverts that would break a rule another record now relies on, with the reason."""
    found: dict[tuple[str, str], str] = {}
    people = {table: _final_docs(tx, table, chosen) for table in PEOPLE}
    emails = Counter(
        normalise_email(doc.get("email")) for docs in people.values() for doc in docs.values() if doc.get("email")
    )
    for table, docs in people.items():
        clever_ids = Counter(doc.get("clever_id") for doc in docs.values() if doc.get("clever_id"))
        for key, doc in docs.items():
            candidate = chosen.get((table, key))
            if candidate is None or candidate.before is None:
                continue
            now = dump(candidate.current) or {}
            new_id = doc.get("clever_id") and doc.get("clever_id") != now.get("clever_id")
            new_email = doc.get("email") and normalise_email(doc.get("email")) != normalise_email(now.get("email"))
            if new_id and clever_ids[doc["clever_id"]] > 1:
                found[(table, key)] = "its Clever id now belongs to another account"
            elif new_email and emails[normalise_email(doc["email"])] > 1:
                found[(table, key)] = f"its login email {doc['email']} now belongs to another account"
    sections = _final_docs(tx, "sections", chosen)
    enrolled = {("teachers", str(i)): s for s in sections.values() for i in s.get("teacher_ids") or []} | {
        ("students", str(i)): s for s in sections.values() for i in s.get("student_ids") or []
    }
    used_courses = {str(s.get("course_id")) for s in sections.values() if s.get("course_id") is not None}
    for place, candidate in chosen.items():
        if candidate.before is None and place in enrolled:
            found[place] = f"it is in section {enrolled[place].get('name') or '(no name)'}"
        elif candidate.before is None and place[0] == "courses" and place[1] in used_courses:
            found[place] = "a section uses this course"
    return found


def _partners(
    candidates: dict[tuple[str, str], _Candidate], place: tuple[str, str], refused: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Refused records of the run that must be reverted with ``place`` or not at all: those
    tied to the same Clever person (a link moved from one account to another), and a
    teacher's saved match decision with the teacher."""
    mine = _clever_ids(candidates[place])
    table, key = place
    twin = ("teachers", key) if table == "matches" else ("matches", key) if table == "teachers" else None
    return [p for p in refused if p in candidates and (p == twin or (mine and mine & _clever_ids(candidates[p])))]


def _clever_ids(candidate: _Candidate) -> set[str]:
    if candidate.table not in (*PEOPLE, "matches"):
        return set()
    ids = {(candidate.before or {}).get("clever_id"), getattr(candidate.current, "clever_id", None)}
    return {i for i in ids if isinstance(i, str) and i}


def _select(tx: StoreTransaction, run: Run, report: UndoReport) -> dict[tuple[str, str], _Candidate]:
    """The records of ``run`` that can be reverted; the others go to ``report.refused``."""
    later: dict[tuple[str, str], Run] = {}  # the latest run after ``run`` to touch each record
    seen_later: dict[tuple[str, str], Doc] = {}
    for other in sorted(tx.runs(problems=False), key=lambda r: r.id):
        if other.id > run.id:
            for table, rows in other.before.items():
                for key, doc in rows.items():
                    later[(table, key)] = other
                    if doc is not None:
                        seen_later.setdefault((table, key), doc)
    candidates: dict[tuple[str, str], _Candidate] = {}
    refused: dict[tuple[str, str], str] = {}
    for table, rows in run.before.items():
        access = TABLES.get(table)
        for key, before in rows.items():
            current = access.get(tx, int(key)) if access else None
            candidates[(table, key)] = _Candidate(
                table, key, before, current, _name(table, key, dump(current) or before or seen_later.get((table, key)))
            )
            if access is None:
                refused[(table, key)] = "this kind of record cannot be undone"
            elif (table, key) in later and not _restored_as_left(run, table, key, current):
                refused[(table, key)] = _changed_by(later[(table, key)], table, key, current)
            elif not _unchanged_since(run, table, key, current):
                refused[(table, key)] = "changed since (edited in the wizard)"
    chosen = {place: c for place, c in candidates.items() if place not in refused}
    for _ in range(len(chosen) + 1):
        blocked: dict[tuple[str, str], str] = {}
        for place in chosen:
            partner = next(iter(_partners(candidates, place, set(refused))), None)
            if partner is not None:
                blocked[place] = f"it goes with {candidates[partner].name}, which stays as it is"
        for place, reason in _clashes(tx, chosen).items():
            blocked.setdefault(place, reason)
        if not blocked:
            break
        for place, reason in blocked.items():
            chosen.pop(place)
            refused[place] = reason
    report.refused = [
        UndoItem(c.table, c.key, c.name, reason=refused[place]) for place, c in candidates.items() if place in refused
    ]
    return chosen


def undo_run(store: RosterStore, run_id: int, *, started_by: str) -> UndoReport:
    """Revert what run ``run_id`` changed, where possible, as one new run of kind "undo"."""
    report = UndoReport(run_id=run_id)
    try:
        with store.transaction() as tx:
            run = tx.run(run_id)
            if run is None:
                raise UnknownRun(run_id)
            chosen = _select(tx, run, report)
            journal = Journal()
            for (table, key), candidate in chosen.items():
                access = TABLES[table]
                journal.record(table, key, dump(candidate.current))
                if candidate.before is None:
                    if candidate.current is not None:
                        access.remove(tx, int(key))
                    report.reverted.append(UndoItem(table, key, candidate.name, action="removed"))
                else:
                    access.put(tx, access.model.model_validate(candidate.before))
                    report.reverted.append(UndoItem(table, key, candidate.name, action="put back"))
            removed = sum(1 for item in report.reverted if item.action == "removed")
            put_back = len(report.reverted) - removed
            if not run.before:
                report.summary = (
                    f"Run {run_id} ({run.kind}, {when(run.at)}) changed nothing, so there is nothing to undo."
                )
            else:
                report.summary = (
                    f"Undo of run {run_id} ({run.kind}, {when(run.at)}): put back {records(put_back)}, "
                    f"removed {removed} it created, left {len(report.refused)} as {'it is' if len(report.refused) == 1 else 'they are'}."
                )
            if not report.reverted:
                raise _NothingWritten()
            undo = Run(
                id=tx.next_run_id(),
                kind="undo",
                started_by=started_by,
                at=journal.at,
                counts=RunCounts(updated=put_back),
                before=journal.before,
                after=journal.fingerprints(tx),
                detail=f"undo of run {run_id}: {put_back} put back, {removed} removed, {len(report.refused)} not reverted",
            )
            tx.add_run(undo)
            report.undo_run_id = undo.id
            if run.kind == "sync" or run.kind.startswith("import"):  # an add or a fill came from no Clever data
                report.note = (
                    "Clever itself still says what that run applied: daily syncs leave it undone until "
                    "those people change in Clever, and `cleverwizard sync --full` would apply it again."
                )
    except _NothingWritten:
        pass
    return report
