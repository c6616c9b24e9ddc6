"""A full disk or a kill mid-write leaves the last good state; files are owner-only."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic_core import PydanticSerializationError
from tinydb import Query, TinyDB

from cleverwizard.store import SCHEMA_VERSION, AtomicJSONStorage, RosterStore, StoreCorrupt
from cleverwizard.store import storage as storage_module
from tests.store.conftest import files_in, make_student, make_teacher, start_python


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """Make sure 0600/0700 come from the store, not from a strict umask on this machine."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_database_file_is_0600_and_new_folder_is_0700(data_dir: Path, loose_umask: None) -> None:
    store = RosterStore.open(data_dir)
    assert mode_of(data_dir) == 0o700
    assert not store.path.exists()  # written by the first transaction, not by opening
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    assert mode_of(store.path) == 0o600  # still owner-only after a replace
    assert mode_of(data_dir / "roster.lock") == 0o600
    assert mode_of(data_dir / "sync.lock") == 0o600
    store.close()


def test_a_group_readable_database_is_tightened_on_open(data_dir: Path, loose_umask: None) -> None:
    with RosterStore.open(data_dir) as store, store.transaction() as tx:
        tx.put_student(make_student(1))
    os.chmod(data_dir / "roster.json", 0o644)
    RosterStore.open(data_dir).close()
    assert mode_of(data_dir / "roster.json") == 0o600


def test_full_disk_mid_write_keeps_the_last_good_file(
    store: RosterStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        tx.put_students([make_student(i) for i in range(1, 101)])
    good_bytes = store.path.read_bytes()
    half_written: list[int] = []

    def half_then_enospc(fd: int, data: bytes) -> None:
        half_written.append(os.write(fd, data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_module, "_write_all", half_then_enospc)
    with pytest.raises(OSError) as raised, store.transaction() as tx:
        tx.put_students([make_student(i, first_name="Torn") for i in range(1, 1001)])
    assert raised.value.errno == errno.ENOSPC
    assert half_written and half_written[0] > 0  # the temp file really was half written

    assert store.path.read_bytes() == good_bytes
    assert files_in(data_dir) == {"roster.json", "roster.lock", "sync.lock"}  # no temp file left behind
    assert store.revision == 1 and len(store.students()) == 100
    reopened = RosterStore.open(data_dir)
    assert reopened.revision == 1 and {s.first_name for s in reopened.students()} == {"Ana"}

    monkeypatch.undo()  # space is freed: the next save works
    with reopened.transaction() as tx:
        tx.put_student(make_student(101))
    assert reopened.revision == 2
    reopened.close()


def test_a_failing_rename_leaves_no_temp_file(
    store: RosterStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(storage_module.os, "replace", refuse)
    with pytest.raises(PermissionError), store.transaction() as tx:
        tx.put_student(make_student(1))
    assert files_in(data_dir) == {"roster.lock", "sync.lock"}  # no temp file, and no roster made by opening
    assert store.revision == 0


def test_an_unserialisable_value_fails_before_the_disk_is_touched(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    storage.write({"t": {"1": {"a": 1}}})
    with pytest.raises(PydanticSerializationError):
        storage.write({"t": {"1": {"a": object()}}})
    assert storage.read() == {"t": {"1": {"a": 1}}}
    assert files_in(tmp_path) == {"db.json"}


def test_temp_files_of_a_killed_writer_are_swept_by_the_next_transaction(store: RosterStore, data_dir: Path) -> None:
    leftover = data_dir / ".roster.json.abc123.tmp"
    leftover.write_text('{"half": ')
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    assert files_in(data_dir) == {"roster.json", "roster.lock", "sync.lock"}


WRITER = """
import sys
from pathlib import Path
from cleverwizard.store import RosterStore, Student

store = RosterStore.open(Path(sys.argv[1]), lock_timeout=30)
padding = "x" * 20000  # big records: most of each loop is spent writing
while True:
    with store.transaction() as tx:
        n = tx.base_revision + 1
        tx.meta.last_event_id = str(n)
        tx.put_students([Student(id=i, first_name=f"r{n}", last_name=padding) for i in range(1, 201)])
    print(n, flush=True)
"""


def test_sigkill_at_random_moments_always_leaves_a_committed_state(data_dir: Path) -> None:
    RosterStore.open(data_dir).close()
    rng = random.Random(20240607)
    torn_temp_files: list[Path] = []  # evidence that some kills landed mid-write
    for _ in range(6):
        child = start_python(WRITER, str(data_dir))
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.strip().isdigit(), child.stderr.read() if child.stderr else first
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        printed = [int(first)] + [int(line) for line in rest.split()]
        torn_temp_files.extend(data_dir.glob(".roster.json.*.tmp"))

        store = RosterStore.open(data_dir)  # must load: never a torn file
        revision = store.revision
        students = store.students()
        # The file is exactly one committed state: counter and payload agree...
        assert store.meta().last_event_id == str(revision)
        assert len(students) == 200 and {s.first_name for s in students} == {f"r{revision}"}
        # ...and no acknowledged commit was lost (the one in flight may or may not have landed).
        assert max(printed) <= revision <= max(printed) + 1
        store.close()

    with RosterStore.open(data_dir).transaction():
        pass
    assert files_in(data_dir) == {"roster.json", "roster.lock", "sync.lock"}


HALF_WRITER = """
import os, sys, time
from pathlib import Path
from cleverwizard.store import RosterStore, Student
from cleverwizard.store import storage

def half_then_hang(fd, data):
    os.write(fd, data[: len(data) // 2])
    os.fsync(fd)
    print("half", flush=True)
    time.sleep(60)

store = RosterStore.open(Path(sys.argv[1]))
storage._write_all = half_then_hang
with store.transaction() as tx:
    tx.put_students([Student(id=i, first_name="Torn") for i in range(1, 2001)])
"""


def test_sigkill_during_the_write_itself_keeps_the_previous_file(store: RosterStore, data_dir: Path) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    good_bytes = store.path.read_bytes()
    child = start_python(HALF_WRITER, str(data_dir))
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "half"
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)

    assert len(list(data_dir.glob(".roster.json.*.tmp"))) == 1  # the torn temp file
    assert store.path.read_bytes() == good_bytes
    reopened = RosterStore.open(data_dir)
    assert reopened.revision == 1 and reopened.students() == [make_student(1)]
    with reopened.transaction():  # the killed writer's lock is gone and its temp file swept
        pass
    assert files_in(data_dir) == {"roster.json", "roster.lock", "sync.lock"}
    reopened.close()


def test_the_file_is_a_plain_tinydb_database(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_teacher(make_teacher(1))
        tx.put_students([make_student(2, grade="5"), make_student(3, grade="6")])
    db = TinyDB(store.path, access_mode="r")
    try:
        assert db.tables() == {
            *("meta", "site", "teachers", "students", "matches", "runs", "sections", "courses"),
            *("journals", "problems"),
        }
        assert db.table("meta").get(doc_id=1)["schema_version"] == SCHEMA_VERSION  # type: ignore[index]
        assert db.table("students").get(doc_id=3)["grade"] == "6"  # type: ignore[index]
        assert [doc.doc_id for doc in db.table("students").search(Query().grade == "5")] == [2]
        assert db.table("teachers").all()[0]["email"] == "rosa1@school.example"
    finally:
        db.close()


def test_atomic_storage_works_as_a_tinydb_storage(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "any.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"name": "Ana"})
        db.table("other").insert_multiple([{"n": 1}, {"n": 2}])
        assert db.search(Query().name == "Ana")[0].doc_id == 1
        assert isinstance(db.storage, AtomicJSONStorage) and db.storage.write_count == 2
    assert mode_of(path) == 0o600
    assert TinyDB(path, access_mode="r").table("other").count(Query().n > 0) == 2


def test_corrupt_file_read_through_the_storage_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b"\x00" * 64)
    with pytest.raises(StoreCorrupt, match="bad.json"):
        AtomicJSONStorage(path).read()
