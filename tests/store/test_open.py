"""Opening: missing or empty files start a roster; damaged or foreign files are refused untouched."""

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


def test_missing_folder_and_file_are_created(data_dir: Path) -> None:
    store = RosterStore.open(data_dir)
    assert store.path.exists()
    assert json.loads(store.path.read_text())["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert store.revision == 0
    store.close()


def test_an_empty_file_is_initialised(data_dir: Path) -> None:
    path = write_db(data_dir, b"")
    store = RosterStore.open(data_dir)
    assert store.revision == 0 and path.stat().st_size > 0
    store.close()


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


def test_an_invalid_record_is_reported_as_corrupt_when_read(data_dir: Path) -> None:
    write_db(
        data_dir,
        json.dumps({"meta": {"1": {"schema_version": 1}}, "students": {"1": {"id": "not a number"}}}).encode(),
    )
    store = RosterStore.open(data_dir)
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
    store.path.unlink()
    with pytest.raises(StoreCorrupt, match="missing or empty"), store.transaction():
        pass
    assert not store.path.exists()
