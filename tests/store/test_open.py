"""Opening: a missing file is an empty roster written on first save; empty, damaged or foreign
files are refused untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleverwizard.store import SCHEMA_VERSION, RosterStore, StoreCorrupt, StoreSchemaError
from tests.store.conftest import files_in, make_student


def write_db(data_dir: Path, content: bytes) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "roster.json"
    path.write_bytes(content)
    return path


def test_a_missing_roster_is_created_by_the_first_write_not_by_opening(data_dir: Path) -> None:
    """A command that fails before it writes (a refused connect) must leave no roster behind."""
    store = RosterStore.open(data_dir)
    assert data_dir.is_dir() and not store.path.exists()
    assert store.revision == 0 and store.students() == [] and store.site() is None
    store.refresh()  # still no file: still the empty roster, not damage
    assert not store.path.exists() and files_in(data_dir) == set()
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    assert json.loads(store.path.read_text())["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert store.revision == 1
    store.close()


def test_a_roster_another_process_creates_is_read_by_an_open_store(data_dir: Path) -> None:
    waiting = RosterStore.open(data_dir)
    with RosterStore.open(data_dir) as writer, writer.transaction() as tx:
        tx.put_student(make_student(1))
    waiting.refresh()
    assert waiting.students() == [make_student(1)]
    with waiting.transaction() as tx:
        tx.put_student(make_student(2))
    assert waiting.revision == 2
    waiting.close()


def test_an_empty_file_is_damage_and_is_left_as_it_is(data_dir: Path) -> None:
    """Atomic saves never leave 0 bytes: an empty roster.json was damaged, never reset to empty."""
    path = write_db(data_dir, b"")
    with pytest.raises(StoreCorrupt, match="empty") as raised:
        RosterStore.open(data_dir)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert path.read_bytes() == b""


def test_an_existing_roster_is_kept(data_dir: Path) -> None:
    with RosterStore.open(data_dir) as first, first.transaction() as tx:
        tx.put_student(make_student(1))
    with RosterStore.open(data_dir) as second:
        assert second.revision == 1 and second.students() == [make_student(1)]


@pytest.mark.parametrize(
    "content",
    [
        b"this is not json",
        b"\x00" * 512,  # the NUL-filled file users report after a crash
        b'{"meta": {"1": {"schema_version": 1, "revision": 3}}, "students": {"1": {"id": 1, "first',
        b'{"meta": {"1": {"schema_version": 1}}} trailing data',
        b"\xff\xfe\xfd",
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_file_raises_store_corrupt_and_is_left_untouched(data_dir: Path, content: bytes) -> None:
    path = write_db(data_dir, content)
    with pytest.raises(StoreCorrupt) as raised:
        RosterStore.open(data_dir)
    assert str(path) in str(raised.value)
    assert "left untouched" in str(raised.value)
    assert path.read_bytes() == content
    assert files_in(data_dir) == {"roster.json"}


def test_a_table_of_the_wrong_shape_is_corrupt(data_dir: Path) -> None:
    write_db(data_dir, json.dumps({"meta": {"1": {"schema_version": 1}}, "students": [1, 2]}).encode())
    with pytest.raises(StoreCorrupt, match="table 'students'"):
        RosterStore.open(data_dir)


def test_an_invalid_record_is_reported_as_corrupt_when_opened_and_when_read(data_dir: Path) -> None:
    """Opening checks every record (every command, the wizard's start: one line naming the file);
    a record damaged by someone else after opening is reported when it is read."""
    damaged = json.dumps({"meta": {"1": {"schema_version": 1}}, "students": {"1": {"id": "not a number"}}}).encode()
    path = write_db(data_dir, damaged)
    with pytest.raises(StoreCorrupt, match="table 'students'") as raised:
        RosterStore.open(data_dir)
    assert str(path) in str(raised.value) and "id" in raised.value.reason and "\n" not in str(raised.value)
    assert path.read_bytes() == damaged
    path.write_bytes(json.dumps({"meta": {"1": {"schema_version": 1}}}).encode())
    store = RosterStore.open(data_dir)
    path.write_bytes(damaged)
    store.refresh()
    with pytest.raises(StoreCorrupt, match="table 'students'"):
        store.students()
    store.close()


def test_a_file_from_a_newer_version_is_refused(data_dir: Path) -> None:
    content = json.dumps({"meta": {"1": {"schema_version": 999, "revision": 5}}}).encode()
    path = write_db(data_dir, content)
    with pytest.raises(StoreSchemaError) as raised:
        RosterStore.open(data_dir)
    message = str(raised.value)
    assert "newer cleverwizard" in message and "999" in message and str(path) in message
    assert raised.value.found == 999 and raised.value.expected == SCHEMA_VERSION
    assert path.read_bytes() == content


@pytest.mark.parametrize("version", [0, "1", 1.5, True])
def test_unknown_schema_versions_are_refused(data_dir: Path, version: object) -> None:
    write_db(data_dir, json.dumps({"meta": {"1": {"schema_version": version}}}).encode())
    with pytest.raises(StoreSchemaError, match="does not understand"):
        RosterStore.open(data_dir)


def test_a_tinydb_file_that_is_not_a_roster_is_refused(data_dir: Path) -> None:
    write_db(data_dir, b'{"_default": {"1": {"name": "something else"}}}')
    with pytest.raises(StoreSchemaError, match="not a cleverwizard roster"):
        RosterStore.open(data_dir)


def test_a_newer_version_saved_by_another_process_stops_the_next_transaction(store: RosterStore) -> None:
    newer = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    store.path.write_bytes(newer)
    with pytest.raises(StoreSchemaError), store.transaction():
        pass
    assert store.path.read_bytes() == newer


def test_a_roster_deleted_while_open_is_not_silently_recreated(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    store.path.unlink()
    with pytest.raises(StoreCorrupt, match="missing"), store.transaction():
        pass
    assert not store.path.exists()
    with pytest.raises(StoreCorrupt, match="missing"):
        store.refresh()


def test_a_roster_emptied_while_open_is_damage_not_a_fresh_start(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    store.path.write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="empty"):
        store.refresh()
    with pytest.raises(StoreCorrupt, match="empty"), store.transaction():
        pass
    assert store.path.read_bytes() == b""
