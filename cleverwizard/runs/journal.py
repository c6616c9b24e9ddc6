"""The undo journal: what each run changed, recorded so the run can be reverted later.

Every step of a run (teachers, students, sections...) records each record's state before
it first touches it, under the table's name. When the run's transaction ends, the
fingerprint of every touched record as the run left it is taken too: undo compares it
with the record as it is now, which is the only reliable way to see that something
changed it since (a later run, or an edit in the wizard, which records no run).

Fingerprints are saved in every run, so their format is fixed: old runs must still be
comparable. The end-of-run fingerprints are taken from the documents the transaction
holds (the stored JSON form) rather than from models rebuilt from them: for a 20,000-
student import, validating and dumping each record again cost more than hashing it.

``TABLES`` is the one place that knows how to read, write and remove a record of each
journaled table inside a transaction, so apply and undo stay generic over kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from cleverwizard.store import StoreTransaction
from cleverwizard.store.fingerprints import canonical_bytes as canonical_bytes  # the fixed format, re-exported
from cleverwizard.store.fingerprints import doc_fingerprint
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
    "teachers": TableAccess(
        Teacher, lambda tx, k: tx.teacher(k), _put_one("put_teachers"), lambda tx, k: tx.remove_teacher(k), "teacher"
    ),
    "students": TableAccess(
        Student, lambda tx, k: tx.student(k), _put_one("put_students"), lambda tx, k: tx.remove_student(k), "student"
    ),
    "matches": TableAccess(
        MatchDecision,
        lambda tx, k: tx.match(k),
        lambda tx, record: tx.set_match(record),  # type: ignore[arg-type]
        lambda tx, k: tx.remove_match(k),
        "match decision",
    ),
    "sections": TableAccess(
        Section, lambda tx, k: tx.section(k), _put_one("put_sections"), lambda tx, k: tx.remove_section(k), "section"
    ),
    "courses": TableAccess(
        Course, lambda tx, k: tx.course(k), _put_one("put_courses"), lambda tx, k: tx.remove_course(k), "course"
    ),
}


def dump(record: BaseModel | None) -> Doc | None:
    """The stored form of a record, as the journal keeps it."""
    return record.model_dump(mode="json") if record is not None else None


def fingerprint(record: BaseModel | Doc | None) -> str | None:
    """A short digest of a record's stored form; equal digests mean an unchanged record.

    ``record`` is a model or its stored form (a document as ``dump`` gives it, or as the
    store holds it): both give the same digest, so a fingerprint taken from the store's
    documents when a run ends compares equal with one undo takes later from a model.
    """
    if record is None:
        return None
    return doc_fingerprint(record.model_dump(mode="json") if isinstance(record, BaseModel) else record)


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
        """Digests of every journaled record as it stands in ``tx`` now (end of the run).

        Each is hashed from the document ``tx`` holds, not from a model rebuilt from it:
        every document a transaction writes is its model's JSON dump, so the digest is the
        one ``fingerprint(model)`` gives. A journaled record the run did not rewrite may
        still be in an older shape (saved before a field was added); ``_after`` sends those
        through the model so the digest matches what undo will compute.
        """
        after: dict[str, dict[str, str | None]] = {}
        for table, rows in self.items():
            access = TABLES.get(table)
            if access is None:
                continue
            docs = tx.documents(table)
            fields = _stored_fields(access.model)
            after[table] = {key: _after(tx, docs.get(key), key, access, fields) for key in rows}
        return after


def _stored_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields every stored document of ``model`` has: those not left out while empty
    (``exclude_if``, such as ``Account.kept``)."""
    return frozenset(name for name, info in model.model_fields.items() if info.exclude_if is None)


def _after(tx: StoreTransaction, doc: Doc | None, key: str, access: TableAccess, fields: frozenset[str]) -> str | None:
    """One record's fingerprint at the end of a run, from its stored document when that has
    exactly the fields its model stores, else from the model, as undo will compute it."""
    if doc is None:
        return None
    if doc.keys() == fields or (doc.keys() >= fields and _only_filled_optionals(doc, fields, access.model)):
        return fingerprint(doc)
    return fingerprint(access.get(tx, int(key)))


def _only_filled_optionals(doc: Doc, fields: frozenset[str], model: type[BaseModel]) -> bool:
    """Every key of ``doc`` beyond ``fields`` is a field left out while empty, and is filled."""
    extra = doc.keys() - fields
    infos = model.model_fields
    return all(name in infos and (rule := infos[name].exclude_if) is not None and not rule(doc[name]) for name in extra)
