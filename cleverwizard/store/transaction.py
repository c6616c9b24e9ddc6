"""One batch of changes to the roster, saved with a single atomic write.

``RosterStore.transaction()`` hands out a ``StoreTransaction`` over a copy of the roster
as the file holds it under the write lock (reloaded when another writer replaced it; else
the store's committed state, each table copied). Documents are replaced, never changed in
place, so that copy is all the isolation a transaction needs. Every change lands in plain dicts keyed by id, so
an upsert is O(1) and 20,000 records cost one ``json.dumps`` at the end, never one
TinyDB ``update`` (which rewrites the whole file) per record. Nothing reaches the disk
or the store's readers until the ``with`` block ends without an exception.

The tables hold each record in its JSON form (``model_dump(mode="json")``), exactly as
the file will hold it and as a reload would give it back, so code that reads documents
directly (``documents``) sees the same thing before and after the write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cleverwizard.store.check import passes
from cleverwizard.store.errors import StoreError
from cleverwizard.store.models import (
    SCHEMA_VERSION,
    Course,
    MatchDecision,
    Meta,
    Problem,
    Run,
    RunKind,
    Section,
    Site,
    Student,
    Teacher,
)
from cleverwizard.store.run_rows import JOURNALS, PROBLEM_SET, PROBLEMS, join_run, problem_list, split_run
from cleverwizard.store.tables import (
    COURSES,
    MATCHES,
    META,
    RUNS,
    SECTIONS,
    SINGLE_DOC_ID,
    SITE,
    STUDENTS,
    TEACHERS,
    RawDatabase,
    by_id,
    to_model,
    to_models,
)


class StoreTransaction:
    """The roster held in memory while one plan is applied.

    Reads return new model objects; change a record by passing it back to a ``put_*``
    method. ``meta`` and ``site`` are the exceptions: they are live objects, and whatever
    they hold when the block ends is saved (``meta.revision`` and ``schema_version`` are
    always set by the store). A transaction cannot be used after its block ends.
    """

    def __init__(self, path: Path, data: RawDatabase) -> None:
        self._path = path
        self._data = data
        self._teachers = data[TEACHERS]
        self._students = data[STUDENTS]
        self._matches = data[MATCHES]
        self._runs = data[RUNS]
        self._journals = data[JOURNALS]
        self._problems = data[PROBLEMS]
        self._sections = data[SECTIONS]
        self._courses = data[COURSES]
        self.meta: Meta = to_model(Meta, data[META][SINGLE_DOC_ID], path, META)
        site_doc = data[SITE].get(SINGLE_DOC_ID)
        self._site: Site | None = to_model(Site, site_doc, path, SITE) if site_doc else None
        self._base_revision = self.meta.revision
        self._last_account_id = self.meta.last_account_id
        self._last_run_id = self.meta.last_run_id
        self._last_section_id = self.meta.last_section_id
        self._last_course_id = self.meta.last_course_id
        self._live = True

    # -- lifecycle (called by RosterStore) ------------------------------------------

    @property
    def base_revision(self) -> int:
        """The revision the file had when this transaction loaded it."""
        return self._base_revision

    def documents(self, table: str) -> Mapping[str, dict[str, Any]]:
        """A read-only view of ``table`` as this transaction holds it: doc id -> stored JSON form.

        Nothing is copied or validated: for code that only reads the stored form (the undo
        journal hashes it when a run ends), where building a model per record would cost
        more than the work itself. Never change a document through it; use ``put_*``. The
        view follows later changes and must not be used after the transaction ends.
        """
        self._check_live()
        return MappingProxyType(self._data[table])

    def _finish(self) -> RawDatabase:
        """Close the transaction and return the complete database to write."""
        self._check_live()
        self._live = False
        meta = self.meta.model_dump(mode="json")
        meta["schema_version"] = SCHEMA_VERSION
        meta["revision"] = self._base_revision + 1
        meta["last_account_id"] = max(self._last_account_id, self.meta.last_account_id)
        meta["last_run_id"] = max(self._last_run_id, self.meta.last_run_id)
        meta["last_section_id"] = max(self._last_section_id, self.meta.last_section_id)
        meta["last_course_id"] = max(self._last_course_id, self.meta.last_course_id)
        self._data[META] = {SINGLE_DOC_ID: meta}
        self._data[SITE] = {SINGLE_DOC_ID: self._site.model_dump(mode="json")} if self._site else {}
        return self._data

    def _abandon(self) -> None:
        self._live = False

    def _check_live(self) -> None:
        if not self._live:
            raise StoreError("This roster transaction has already ended; start a new one to make changes.")

    # -- site -----------------------------------------------------------------------

    @property
    def site(self) -> Site | None:
        """The live site record (changes to it are saved), or ``None`` before connecting."""
        self._check_live()
        return self._site

    @site.setter
    def site(self, value: Site | None) -> None:
        self._check_live()
        self._site = value.model_copy(deep=True) if value is not None else None

    # -- accounts -------------------------------------------------------------------

    def teachers(self) -> list[Teacher]:
        self._check_live()
        return to_models(Teacher, by_id(self._teachers), self._path, TEACHERS)

    def students(self) -> list[Student]:
        self._check_live()
        return to_models(Student, by_id(self._students), self._path, STUDENTS)

    def teacher(self, id: int) -> Teacher | None:
        self._check_live()
        doc = self._teachers.get(str(id))
        return to_model(Teacher, doc, self._path, TEACHERS) if doc is not None else None

    def student(self, id: int) -> Student | None:
        self._check_live()
        doc = self._students.get(str(id))
        return to_model(Student, doc, self._path, STUDENTS) if doc is not None else None

    def next_account_id(self) -> int:
        """A new platform id, unique across teachers and students and never handed out before."""
        self._check_live()
        candidate = max(self._last_account_id, self.meta.last_account_id) + 1
        while str(candidate) in self._teachers or str(candidate) in self._students:
            candidate += 1
        self._last_account_id = candidate
        return candidate

    def put_teacher(self, teacher: Teacher) -> None:
        self.put_teachers((teacher,))

    def put_student(self, student: Student) -> None:
        self.put_students((student,))

    def put_teachers(self, teachers: Iterable[Teacher]) -> None:
        """Insert or replace teachers by id (a snapshot is taken now; later edits need another put)."""
        self.put_teacher_docs(_dumped(teachers, Teacher))

    def put_students(self, students: Iterable[Student]) -> None:
        """Insert or replace students by id (a snapshot is taken now; later edits need another put)."""
        self.put_student_docs(_dumped(students, Student))

    def put_teacher_docs(self, docs: Iterable[dict[str, Any]]) -> None:
        """Insert or replace teachers given in their stored form, ``Teacher.model_dump(mode="json")``.

        For bulk writes that already hold that form (an import creating thousands of
        accounts): no model is built, so nothing is validated and the caller vouches for
        the shape. The documents are stored as given; do not change them afterwards.
        """
        self._put_account_docs(docs, self._teachers, self._students, "student")

    def put_student_docs(self, docs: Iterable[dict[str, Any]]) -> None:
        """Insert or replace students given in their stored form (see ``put_teacher_docs``)."""
        self._put_account_docs(docs, self._students, self._teachers, "teacher")

    def _put_account_docs(
        self,
        docs: Iterable[dict[str, Any]],
        table: dict[str, dict[str, Any]],
        other: dict[str, dict[str, Any]],
        other_name: str,
    ) -> None:
        self._check_live()
        highest = self._last_account_id
        for doc in docs:
            account_id: int = doc["id"]
            key = str(account_id)
            if key in other:
                raise ValueError(f"Account id {account_id} already belongs to a {other_name}; ids are shared.")
            table[key] = doc
            if account_id > highest:
                highest = account_id
        self._last_account_id = highest

    def remove_teacher(self, id: int) -> bool:
        """Delete a teacher record (only undo of a create does this); the id stays used."""
        self._check_live()
        return self._teachers.pop(str(id), None) is not None

    def remove_student(self, id: int) -> bool:
        """Delete a student record (only undo of a create does this); the id stays used."""
        self._check_live()
        return self._students.pop(str(id), None) is not None

    # -- match decisions ------------------------------------------------------------

    def matches(self) -> dict[int, MatchDecision]:
        self._check_live()
        decisions = to_models(MatchDecision, self._matches.values(), self._path, MATCHES)
        return {decision.account_id: decision for decision in decisions}

    def match(self, account_id: int) -> MatchDecision | None:
        self._check_live()
        doc = self._matches.get(str(account_id))
        return to_model(MatchDecision, doc, self._path, MATCHES) if doc is not None else None

    def set_match(self, decision: MatchDecision) -> None:
        """Record (or replace) the decision for ``decision.account_id``."""
        self._check_live()
        self._matches[str(decision.account_id)] = decision.model_dump(mode="json")

    def remove_match(self, account_id: int) -> bool:
        self._check_live()
        return self._matches.pop(str(account_id), None) is not None

    # -- sections and the course catalogue -------------------------------------------

    def sections(self) -> list[Section]:
        self._check_live()
        return to_models(Section, by_id(self._sections), self._path, SECTIONS)

    def section(self, id: int) -> Section | None:
        self._check_live()
        doc = self._sections.get(str(id))
        return to_model(Section, doc, self._path, SECTIONS) if doc is not None else None

    def next_section_id(self) -> int:
        """A new platform section id, never handed out before (not even to an undone section)."""
        self._check_live()
        self._last_section_id = _next_free(max(self._last_section_id, self.meta.last_section_id), self._sections)
        return self._last_section_id

    def put_sections(self, sections: Iterable[Section]) -> None:
        """Insert or replace sections by id (a snapshot is taken now)."""
        self._check_live()
        self._last_section_id = _put(sections, Section, self._sections, self._last_section_id)

    def remove_section(self, id: int) -> bool:
        """Delete a section record (only undo of a create does this); the id stays used."""
        self._check_live()
        return self._sections.pop(str(id), None) is not None

    def courses(self) -> list[Course]:
        self._check_live()
        return to_models(Course, by_id(self._courses), self._path, COURSES)

    def course(self, id: int) -> Course | None:
        self._check_live()
        doc = self._courses.get(str(id))
        return to_model(Course, doc, self._path, COURSES) if doc is not None else None

    def next_course_id(self) -> int:
        self._check_live()
        self._last_course_id = _next_free(max(self._last_course_id, self.meta.last_course_id), self._courses)
        return self._last_course_id

    def put_courses(self, courses: Iterable[Course]) -> None:
        """Insert or replace catalogue courses by id."""
        self._check_live()
        self._last_course_id = _put(courses, Course, self._courses, self._last_course_id)

    def remove_course(self, id: int) -> bool:
        self._check_live()
        return self._courses.pop(str(id), None) is not None

    # -- runs -----------------------------------------------------------------------

    def next_run_id(self) -> int:
        self._check_live()
        candidate = max(self._last_run_id, self.meta.last_run_id) + 1
        while str(candidate) in self._runs:
            candidate += 1
        self._last_run_id = candidate
        return candidate

    def add_run(self, run: Run) -> None:
        """Append a run to the history; its id must be new (use ``next_run_id``).

        Its journal and problems go to their own tables (see ``store.run_rows``): a run
        that changed nothing and flagged what the last one flagged adds one small row.
        """
        self._check_live()
        key = str(run.id)
        if key in self._runs:
            raise ValueError(f"Run {run.id} is already in the history.")
        self._runs[key] = split_run(key, run.model_dump(mode="json"), self._journals, self._problems)
        self._last_run_id = max(self._last_run_id, run.id)

    def runs(self, *, journal: bool = True, problems: bool = True) -> list[Run]:
        """All runs, newest first (see ``read_runs`` for what the flags leave out)."""
        self._check_live()
        return read_runs(self._data, self._path, journal=journal, problems=problems)

    def run(self, run_id: int) -> Run | None:
        self._check_live()
        return read_run(self._data, self._path, run_id)

    def latest_run(self, kind: RunKind) -> Run | None:
        """The newest run of ``kind`` with its problems (no journal), or ``None``."""
        self._check_live()
        return read_latest_run(self._data, self._path, kind)


def read_runs(data: RawDatabase, path: Path, *, journal: bool, problems: bool) -> list[Run]:
    """The history, newest first, as new models.

    ``journal=False`` leaves ``before``/``after`` empty and ``problems=False`` leaves
    ``problems`` empty: history and the checklist need neither, and both can hold a
    school's worth of records per run. Runs that flagged the same list share its
    (freshly validated) ``Problem`` objects.
    """
    rows = by_id(data[RUNS])[::-1]
    runs = to_models(
        Run,
        (join_run(row, data[JOURNALS], data[PROBLEMS], journal=journal, with_problems=False) for row in rows),
        path,
        RUNS,
    )
    if problems:
        shared: dict[object, list[Problem]] = {}
        for run, row in zip(runs, rows, strict=True):
            digest = row.get("problem_set")
            if digest not in shared:
                shared[digest] = to_models(Problem, problem_list(row, data[PROBLEMS]), path, PROBLEMS)
            run.problems = list(shared[digest])
    return runs


def read_latest_run(data: RawDatabase, path: Path, kind: RunKind) -> Run | None:
    """The newest run of ``kind`` with its problems and without its journal: one row read."""
    rows = [row for row in by_id(data[RUNS]) if row.get("kind") == kind]
    if not rows:
        return None
    return to_model(
        Run, join_run(rows[-1], data[JOURNALS], data[PROBLEMS], journal=False, with_problems=True), path, RUNS
    )


def check_runs(data: RawDatabase, path: Path) -> None:
    """Raise ``StoreCorrupt`` for a damaged run row or problem list, as ``read_runs`` would.

    Checked with msgspec first (``store.check``); only when that cannot vouch for them are
    they read through the models, for the error that names the record and field."""
    rows = list(data[RUNS].values())
    joined = [join_run(row, data[JOURNALS], data[PROBLEMS], journal=False, with_problems=False) for row in rows]
    lists = {str(row.get(PROBLEM_SET)): problem_list(row, data[PROBLEMS]) for row in rows}
    if not (passes(Run, joined) and all(passes(Problem, listed) for listed in lists.values())):
        read_runs(data, path, journal=False, problems=True)


def read_run(data: RawDatabase, path: Path, run_id: int) -> Run | None:
    """One run with its journal and problems, as undo needs it."""
    row = data[RUNS].get(str(run_id))
    if row is None:
        return None
    return to_model(Run, join_run(row, data[JOURNALS], data[PROBLEMS], journal=True, with_problems=True), path, RUNS)


def _dumped(
    accounts: Iterable[Teacher] | Iterable[Student], kind: type[Teacher] | type[Student]
) -> Iterator[dict[str, Any]]:
    """Each account's stored form, refusing the other kind (a teacher put among students)."""
    for account in accounts:
        if not isinstance(account, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(account).__name__}")
        yield account.model_dump(mode="json")


def _next_free(highest: int, table: dict[str, dict[str, Any]]) -> int:
    candidate = highest + 1
    while str(candidate) in table:
        candidate += 1
    return candidate


def _put(
    records: Iterable[Section] | Iterable[Course],
    kind: type[Section] | type[Course],
    table: dict[str, dict[str, Any]],
    highest: int,
) -> int:
    """Store records by id and return the highest id now in use."""
    for record in records:
        if not isinstance(record, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(record).__name__}")
        table[str(record.id)] = record.model_dump(mode="json")
        highest = max(highest, record.id)
    return highest
