"""``RosterStore``: the platform's teachers, students, sections, courses, match decisions and run history.

One TinyDB JSON file (``<data_dir>/roster.json``, mode 0600, in a 0700 folder) on the
``AtomicJSONStorage``. Reads come from the last committed state held in memory and
always return new model objects, so a caller cannot change the store by accident.
Writes happen only through ``transaction()``: take the cross-process lock, reload the
file if another writer changed it (a scheduled sync may have saved since), apply the
changes in memory, then save everything with exactly one atomic write and bump
``meta.revision``.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import starmap
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel
from tinydb import TinyDB

from cleverwizard.bulk import paused_gc
from cleverwizard.store.errors import StoreCorrupt, StoreError
from cleverwizard.store.lock import StoreLock
from cleverwizard.store.models import (
    Course,
    Login,
    MatchDecision,
    Meta,
    PersonKind,
    Run,
    Section,
    Site,
    Student,
    Teacher,
)
from cleverwizard.store.storage import AtomicJSONStorage, private_folder, remove_stale_temp_files
from cleverwizard.store.tables import (
    COURSES,
    MATCHES,
    META,
    SECTIONS,
    SINGLE_DOC_ID,
    SITE,
    STUDENTS,
    TEACHERS,
    RawDatabase,
    by_id,
    check_database,
    check_records,
    empty_database,
    to_model,
    to_models,
)
from cleverwizard.store.transaction import StoreTransaction, check_runs, read_run, read_runs

PEEKABLE: dict[str, type[BaseModel]] = {TEACHERS: Teacher, STUDENTS: Student, SECTIONS: Section, COURSES: Course}
"""Tables ``peek`` reads, with the model whose defaults fill fields an older record lacks."""
DB_FILE_NAME = "roster.json"
DEFAULT_LOCK_TIMEOUT = 5.0


class RosterStore:
    """The roster on disk. Create with ``RosterStore.open(data_dir)``; close when done."""

    def __init__(self, data_dir: Path, lock_timeout: float) -> None:
        """Use ``RosterStore.open``; this only sets fields and touches nothing on disk."""
        self.data_dir = data_dir
        self.path = data_dir / DB_FILE_NAME
        self.lock_timeout = lock_timeout
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._lock = StoreLock(data_dir, lock_timeout)
        self._local = threading.local()
        self._data: RawDatabase = {}
        self._loaded_from: tuple[int, int, int] | None = None
        """The file's (inode, size, mtime) when ``_data`` was read or written."""
        self._existed = False
        """The file was there when opened or has been written since: from then on a missing file is damage."""
        self._closed = False

    @classmethod
    def open(cls, data_dir: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> RosterStore:
        """Open the roster in ``data_dir``; the folder is made owner-only (0700) first.

        A missing roster reads as an empty one and the file is created by the first
        transaction, so a command that fails before it writes leaves no roster behind.
        Raises ``StoreCorrupt`` for an unreadable (or empty) file, ``StoreSchemaError`` for
        one written by another version, ``FolderNotPrivate`` for a folder we do not own;
        none of them touches the file.
        """
        data_dir = Path(data_dir).expanduser()
        private_folder(data_dir)
        store = cls(data_dir, lock_timeout)
        data = store._storage.read()
        store._existed = data is not None
        store._data = check_database(store.path, data if data is not None else empty_database())
        check_records(store.path, store._data)
        check_runs(store._data, store.path)  # undo checks a journal it reads
        store._loaded_from = store._file_signature()
        store._restrict_file_mode()
        return store

    def _file_signature(self) -> tuple[int, int, int] | None:
        """Every save replaces the file, so a new inode, size or mtime means a new save."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    @property
    def _storage(self) -> AtomicJSONStorage:
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    @property
    def write_count(self) -> int:
        """Physical writes made through this store object (for tests and benchmarks)."""
        return self._storage.write_count

    def _restrict_file_mode(self) -> None:
        """Student data: make sure a file copied in with looser permissions becomes owner-only."""
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
            if mode & 0o077:
                os.chmod(self.path, mode & 0o700)
        except OSError:
            pass  # not ours to fix (e.g. a read-only copy); reading still works

    def close(self) -> None:
        """Forget the in-memory state; the store cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._db.close()
            self._data = {}

    def __enter__(self) -> RosterStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _committed(self) -> RawDatabase:
        if self._closed:
            raise StoreError(f"The roster store for {self.data_dir} is closed.")
        return self._data

    def refresh(self) -> None:
        """Reload the last saved state from disk (e.g. after a scheduled sync saved).

        No lock is needed: every save replaces the file atomically. The wizard refreshes
        before every plan (each dropdown change), so an unchanged file is not read again.
        """
        if not self.changed_on_disk():
            return
        signature = self._file_signature()
        data = self._storage.read()
        if data is None:
            raise StoreCorrupt(self.path, "the file is missing; it was removed while cleverwizard was open")
        self._data = check_database(self.path, data)
        self._loaded_from = signature
        self._existed = True

    def changed_on_disk(self) -> bool:
        """Whether another writer saved since this store last read or wrote the file: one
        ``stat``, no read, so the wizard can tell on its event loop whether ``refresh`` (a
        read of the whole roster) is needed at all."""
        self._committed()
        signature = self._file_signature()
        return not (signature == self._loaded_from and (signature is not None or not self._existed))

    # -- reads ----------------------------------------------------------------------

    @property
    def revision(self) -> int:
        """The revision of the last committed state; every transaction adds one."""
        return int(self._committed()[META][SINGLE_DOC_ID].get("revision", 0))

    @property
    def saved_state(self) -> tuple[int, tuple[int, int, int] | None]:
        """What this store's reads reflect: the revision and the file (inode, size, mtime)
        it was read from or written to. Equal states mean equal reads, so a summary of the
        whole roster (the checklist) can be kept until the state changes."""
        return self.revision, self._loaded_from

    def meta(self) -> Meta:
        return to_model(Meta, self._committed()[META][SINGLE_DOC_ID], self.path, META)

    def site(self) -> Site | None:
        doc = self._committed()[SITE].get(SINGLE_DOC_ID)
        return to_model(Site, doc, self.path, SITE) if doc is not None else None

    def teachers(self) -> list[Teacher]:
        """All teacher accounts, sorted by id."""
        return to_models(Teacher, by_id(self._committed()[TEACHERS]), self.path, TEACHERS)

    def students(self) -> list[Student]:
        """All student accounts, sorted by id."""
        return to_models(Student, by_id(self._committed()[STUDENTS]), self.path, STUDENTS)

    def teacher(self, id: int) -> Teacher | None:
        doc = self._committed()[TEACHERS].get(str(id))
        return to_model(Teacher, doc, self.path, TEACHERS) if doc is not None else None

    def student(self, id: int) -> Student | None:
        doc = self._committed()[STUDENTS].get(str(id))
        return to_model(Student, doc, self.path, STUDENTS) if doc is not None else None

    def matches(self) -> dict[int, MatchDecision]:
        """Match decisions by platform account id."""
        decisions = to_models(MatchDecision, self._committed()[MATCHES].values(), self.path, MATCHES)
        return {decision.account_id: decision for decision in decisions}

    def sections(self) -> list[Section]:
        """All platform sections (archived ones too), sorted by id."""
        return to_models(Section, by_id(self._committed()[SECTIONS]), self.path, SECTIONS)

    def section(self, id: int) -> Section | None:
        doc = self._committed()[SECTIONS].get(str(id))
        return to_model(Section, doc, self.path, SECTIONS) if doc is not None else None

    def courses(self) -> list[Course]:
        """The platform's course catalogue, sorted by id."""
        return to_models(Course, by_id(self._committed()[COURSES]), self.path, COURSES)

    def course(self, id: int) -> Course | None:
        doc = self._committed()[COURSES].get(str(id))
        return to_model(Course, doc, self.path, COURSES) if doc is not None else None

    def peek(self, table: str, fields: Sequence[str]) -> list[tuple[Any, ...]]:
        """``fields`` of every record in ``table`` as stored (a field missing from an older
        record reads as its model's default), without building or validating models.

        For counts over a whole school (the checklist, ``status``): validating 20,000
        records costs far more than the question. The values are the stored ones, shared:
        read them, never change them.
        """
        model = PEEKABLE[table]
        defaults = tuple(model.model_fields[name].get_default(call_default_factory=True) for name in fields)
        pairs = tuple(zip(fields, defaults, strict=True))
        whole = itemgetter(*fields) if len(fields) > 1 else lambda doc: (doc[fields[0]],)
        found: list[tuple[Any, ...]] = []
        for doc in self._committed()[table].values():
            try:
                found.append(whole(doc))  # one C call per record: a school's worth in milliseconds
            except KeyError:
                found.append(tuple(doc.get(name, default) for name, default in pairs))
        return found

    def logins(self, kind: PersonKind) -> list[Login]:
        """Every teacher's or student's id, login email and name, as stored: no model is built
        or validated (see ``Login``)."""
        fields = ("id", "email", "first_name", "last_name")
        return list(starmap(Login, self.peek(TEACHERS if kind == "teacher" else STUDENTS, fields)))

    def runs(self, *, journal: bool = True, problems: bool = True) -> list[Run]:
        """Applied imports and syncs, newest first.

        History and the checklist pass ``journal=False`` (and ``problems=False`` when they
        show none), so they cost the same after 30 runs as after one; only undo needs the
        journals, which can hold a school's worth of records each.
        """
        return read_runs(self._committed(), self.path, journal=journal, problems=problems)

    def run(self, run_id: int) -> Run | None:
        """One run with its undo journal and problems."""
        return read_run(self._committed(), self.path, run_id)

    # -- writes ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """Apply a batch of changes and save them with one atomic write.

        Waits up to ``lock_timeout`` seconds for another writer, then raises
        ``StoreBusy``. The file is read again only if it changed since this store last
        read or wrote it. If the block raises, nothing is written, this store's reads are
        unchanged, and the exception propagates.

        The garbage collector is paused for the whole transaction (an import builds and
        saves tens of thousands of records; see ``cleverwizard.bulk``), so keep the block
        synchronous: never ``await`` inside it.
        """
        self._committed()
        if getattr(self._local, "in_transaction", False):
            raise StoreError("A roster transaction is already open in this thread; finish it first.")
        with self._lock.hold(), paused_gc():
            self._local.in_transaction = True
            tx: StoreTransaction | None = None
            try:
                remove_stale_temp_files(self.path)  # left by a writer that was killed
                data = self._unchanged_copy()
                tx = StoreTransaction(self.path, data if data is not None else self._read_for_transaction())
                yield tx
                final = tx._finish()
                self._storage.write(final)
                self._data = final
                self._loaded_from = self._file_signature()
                self._existed = True
            finally:
                if tx is not None:
                    tx._abandon()
                self._local.in_transaction = False

    def _unchanged_copy(self) -> RawDatabase | None:
        """The committed state for a transaction when the file is still the one this store
        last read or wrote, else ``None``.

        Re-reading the whole roster for every save (13 MB at 20,000 students) is one long
        parse that holds the interpreter lock, freezing the wizard's event loop while a
        worker saves. When nothing replaced the file it would only give back what ``_data``
        holds. Each table is copied (not its documents): a transaction replaces, adds and
        removes documents but never changes one in place, so the committed state stays
        untouched until the write succeeds, and a block that raises leaves it as it was.
        """
        loaded = self._loaded_from  # before ``_data``: ``refresh`` sets ``_data`` first
        data = self._data
        signature = self._file_signature()
        if signature != loaded or (signature is None and self._existed):
            return None
        return {name: dict(table) for name, table in data.items()}

    def _read_for_transaction(self) -> RawDatabase:
        """The file as another writer (a scheduled sync) may have left it, checked and migrated."""
        data = self._storage.read()
        if data is None and self._existed:
            raise StoreCorrupt(self.path, "the file is missing; it was removed while cleverwizard was open")
        return check_database(self.path, data if data is not None else empty_database())
