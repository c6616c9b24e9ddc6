"""The undo journal: what each run changed, recorded so the run can be reverted later.

Every step of a run (teachers, students, sections...) records each record's state before
it first touches it, under the table's name. When the run's transaction ends, the
fingerprint of every touched record as the run left it is taken too: undo compares it
with the record as it is now, which is the only reliable way to see that something
changed it since (a later run, or an edit in the wizard, which records no run).

``TABLES`` is the one place that knows how to read, write and remove a record of each
journaled table inside a transaction, so apply and undo stay generic over kinds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from cleverwizard.store import StoreTransaction
from cleverwizard.store.models import Course, MatchDecision, Section, Student, Teacher, now_iso

Doc = dict[str, Any]


@dataclass(frozen=True)
class TableAccess:
    """How to read, replace and remove one journaled table's records by key."""

    model: type[BaseModel]
    get: Callable[[StoreTransaction, int], BaseModel | None]
    put: Callable[[StoreTransaction, BaseModel], None]
    remove: Callable[[StoreTransaction, int], bool]
    label: str
    """What one record is called in messages ("teacher", "match decision")."""


def _put_one(method: str) -> Callable[[StoreTransaction, BaseModel], None]:
    return lambda tx, record: getattr(tx, method)([record])


TABLES: dict[str, TableAccess] = {
    "teachers": TableAccess(Teacher, lambda tx, k: tx.teacher(k), _put_one("put_teachers"), lambda tx, k: tx.remove_teacher(k), "teacher"),
    "students": TableAccess(Student, lambda tx, k: tx.student(k), _put_one("put_students"), lambda tx, k: tx.remove_student(k), "student"),
    "matches": TableAccess(
        MatchDecision,
        lambda tx, k: tx.match(k),
        lambda tx, record: tx.set_match(record),  # type: ignore[arg-type]
        lambda tx, k: tx.remove_match(k),
        "match decision",
    ),
    "sections": TableAccess(Section, lambda tx, k: tx.section(k), _put_one("put_sections"), lambda tx, k: tx.remove_section(k), "section"),
    "courses": TableAccess(Course, lambda tx, k: tx.course(k), _put_one("put_courses"), lambda tx, k: tx.remove_course(k), "course"),
}


def dump(record: BaseModel | None) -> Doc | None:
    """The stored form of a record, as the journal keeps it."""
    return record.model_dump(mode="json") if record is not None else None


def fingerprint(record: BaseModel | None) -> str | None:
    """A short digest of a record's stored form; equal digests mean an unchanged record."""
    if record is None:
        return None
    text = json.dumps(record.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class Journal(dict[str, dict[str, Doc | None]]):
    """One run's journal, in the shape ``Run.before`` keeps: table -> key -> record before.

    A plain dict underneath, so a step written against that shape (``journal.setdefault(
    "sections", {})[key] = before``) works unchanged. Steps should call ``record`` before
    changing a record and use ``at`` as the ``updated_at`` stamp, so a run has one time.
    """

    def __init__(self, at: str | None = None) -> None:
        super().__init__()
        self.at = at or now_iso()

    @property
    def before(self) -> dict[str, dict[str, Doc | None]]:
        return dict(self)

    def record(self, table: str, key: int | str, before: Doc | None) -> None:
        """Remember ``before`` (``None``: the run creates the record) unless already known:
        the first state seen in a run is the one undo must restore."""
        self.setdefault(table, {}).setdefault(str(key), before)

    def touched(self, table: str) -> set[str]:
        return set(self.get(table, {}))

    def fingerprints(self, tx: StoreTransaction) -> dict[str, dict[str, str | None]]:
        """Digests of every journaled record as it stands in ``tx`` now (end of the run)."""
        after: dict[str, dict[str, str | None]] = {}
        for table, rows in self.items():
            access = TABLES.get(table)
            if access is None:
                continue
            after[table] = {key: fingerprint(access.get(tx, int(key))) for key in rows}
        return after
