"""The on-disk layout of the roster: TinyDB tables keyed by document id.

The file is TinyDB's own JSON format, ``{table: {doc_id: document}}``. Account tables
use the account id as the doc id, ``matches`` uses the account id, ``runs`` the run id,
``sections`` and ``courses`` their platform ids, and ``meta``/``site`` hold a single
document with doc id ``1``. So ``TinyDB(path)`` can open and query the file, and the
store can read any record without a scan. A file saved before ``sections`` and ``courses``
existed gains them empty when read, which is why adding them needed no schema bump.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cleverwizard.bulk import paused_gc
from cleverwizard.store.check import passes
from cleverwizard.store.errors import StoreCorrupt, StoreSchemaError
from cleverwizard.store.kept_logins import migrate_kept_logins
from cleverwizard.store.models import (
    SCHEMA_VERSION,
    Course,
    MatchDecision,
    Meta,
    Section,
    Site,
    Student,
    Teacher,
)
from cleverwizard.store.run_rows import JOURNALS, PROBLEMS, migrate_v1

RawTable = dict[str, dict[str, Any]]
RawDatabase = dict[str, RawTable]

META = "meta"
SITE = "site"
TEACHERS = "teachers"
STUDENTS = "students"
MATCHES = "matches"
RUNS = "runs"
SECTIONS = "sections"
COURSES = "courses"
TABLES: tuple[str, ...] = (META, SITE, TEACHERS, STUDENTS, MATCHES, RUNS, SECTIONS, COURSES, JOURNALS, PROBLEMS)
MIGRATABLE_VERSIONS = (1, 2)
"""Older schema versions read (and saved in the current layout at the next write)."""
SINGLE_DOC_ID = "1"
"""Doc id of the only document in ``meta`` and ``site``."""
RECORD_MODELS: dict[str, type[BaseModel]] = {
    META: Meta,
    SITE: Site,
    TEACHERS: Teacher,
    STUDENTS: Student,
    MATCHES: MatchDecision,
    SECTIONS: Section,
    COURSES: Course,
}
"""The model of each table whose documents are records of their own (runs are checked joined
with their journals and problems, see ``RosterStore.open``)."""

M = TypeVar("M", bound=BaseModel)


def empty_database() -> RawDatabase:
    """A brand-new roster: every table present, meta at revision 0."""
    data: RawDatabase = {name: {} for name in TABLES}
    data[META][SINGLE_DOC_ID] = Meta().model_dump(mode="json")
    return data


def check_database(path: Path, data: RawDatabase) -> RawDatabase:
    """Check the shape and schema version of freshly read data; fill in missing empty tables.

    Raises ``StoreSchemaError`` for a file from another version (or not ours at all) and
    ``StoreCorrupt`` for a structurally broken one. Records themselves are validated by
    ``check_records`` when the store is opened, and again whenever they are read.
    """
    meta_table = data.get(META)
    meta_doc = meta_table.get(SINGLE_DOC_ID) if isinstance(meta_table, dict) else None
    if not isinstance(meta_doc, dict) or "schema_version" not in meta_doc:
        raise StoreSchemaError(path, None, SCHEMA_VERSION)
    version = meta_doc["schema_version"]
    if type(version) is not int or version not in (SCHEMA_VERSION, *MIGRATABLE_VERSIONS):
        raise StoreSchemaError(path, version, SCHEMA_VERSION)
    for name in TABLES:
        table = data.setdefault(name, {})
        if not isinstance(table, dict):
            raise StoreCorrupt(path, f"table {name!r} is not a JSON object")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise StoreCorrupt(path, f"document {doc_id} in table {name!r} is not a JSON object")
    if not isinstance(meta_doc.get("revision", 0), int):
        raise StoreCorrupt(path, "the revision in table 'meta' is not a number")
    if version == 1:
        migrate_v1(data)  # in memory only: the next transaction saves the new layout
    if version in MIGRATABLE_VERSIONS:
        migrate_kept_logins(data, JOURNALS)  # schema 3 (in memory too)
        meta_doc["schema_version"] = SCHEMA_VERSION
    return data


def _invalid(path: Path, table: str, exc: ValidationError) -> StoreCorrupt:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the record"
    return StoreCorrupt(path, f"a record in table {table!r} is invalid: {where}: {first['msg']}")


def to_model(model: type[M], doc: dict[str, Any], path: Path, table: str) -> M:
    """Validate one stored document into a fresh model; a bad record means a damaged file."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise _invalid(path, table, exc) from exc


def to_models(model: type[M], docs: Iterable[dict[str, Any]], path: Path, table: str) -> list[M]:
    """Validate many documents; each result is a new object the caller may change freely."""
    try:
        with paused_gc():  # a roster holds tens of thousands of records; see cleverwizard.bulk
            return [model.model_validate(doc) for doc in docs]
    except ValidationError as exc:
        raise _invalid(path, table, exc) from exc


def check_records(path: Path, data: RawDatabase) -> None:
    """Validate every stored record of ``RECORD_MODELS``' tables once, so a damaged field is one
    ``StoreCorrupt`` naming the file wherever the roster is opened (every command, the wizard's
    start), never a traceback later in whichever code first touches the record.

    msgspec checks each table first (``store.check``, a fifth of the time at 20,000
    students); only a table it cannot vouch for is validated through the models, whose
    error names the record and field."""
    for table, model in RECORD_MODELS.items():
        docs = list(data[table].values())
        if not passes(model, docs):
            to_models(model, docs, path, table)


def by_id(table: RawTable, key: str = "id") -> list[dict[str, Any]]:
    """Documents of a table sorted by their numeric id (a damaged, non-numeric id sorts last
    instead of raising, so validation can name it)."""

    def order(doc: dict[str, Any]) -> tuple[int, int | str]:
        value = doc.get(key, 0)
        return (0, value) if isinstance(value, int) else (1, str(value))

    return sorted(table.values(), key=order)
