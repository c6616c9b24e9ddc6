"""A transaction reads the roster file again only when another writer replaced it.

Re-reading 13 MB for every save held the interpreter lock long enough to freeze the wizard's
event loop; these tests pin down that the shortcut never hides another writer's save, never
lets a failed block leak into the committed state, and starts from exactly what a fresh read
of the file would give.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from cleverwizard.store import MatchDecision, Problem, RosterStore, Run, Section, Site, StoreCorrupt
from cleverwizard.store.tables import check_database
from tests.store.conftest import make_student, make_teacher


def count_reads(store: RosterStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each file read through ``store``'s storage appends to the returned list."""
    reads: list[int] = []
    real_read = store._storage.read

    def spy() -> dict[str, dict[str, Any]] | None:
        reads.append(1)
        return real_read()

    monkeypatch.setattr(store._storage, "read", spy)
    return reads


def fresh_read(store: RosterStore) -> dict[str, dict[str, Any]]:
    """What a transaction would start from if it read the file now."""
    data = store._storage.read()
    assert data is not None
    return check_database(store.path, data)


def test_transactions_without_another_writer_never_read_the_file(
    store: RosterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_reads(store, monkeypatch)
    with store.transaction() as tx:
        tx.put_students([make_student(i) for i in range(1, 4)])
    with store.transaction() as tx:
        assert [s.id for s in tx.students()] == [1, 2, 3]
        tx.put_student(make_student(2, first_name="Bea"))
    assert reads == []
    assert store.revision == 2 and store.student(2) == make_student(2, first_name="Bea")
    with RosterStore.open(store.data_dir) as other:
        assert other.students() == store.students() and other.revision == 2


def test_the_first_transaction_after_open_starts_from_what_open_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with RosterStore.open(data_dir) as first, first.transaction() as tx:
        tx.put_teacher(make_teacher(1))
    with RosterStore.open(data_dir) as store:
        reads = count_reads(store, monkeypatch)
        with store.transaction() as tx:
            assert [t.id for t in tx.teachers()] == [1]
            tx.put_student(make_student(tx.next_account_id()))
        assert reads == [] and [s.id for s in store.students()] == [2]


def test_another_writers_save_is_read_before_the_next_transaction(
    store: RosterStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    reads = count_reads(store, monkeypatch)
    with RosterStore.open(data_dir) as sync, sync.transaction() as tx:  # the daily sync, say
        tx.put_teacher(make_teacher(tx.next_account_id()))
        tx.meta.last_event_id = "evt-7"
    with store.transaction() as tx:
        assert [t.id for t in tx.teachers()] == [2] and tx.meta.last_event_id == "evt-7"
        tx.put_student(make_student(3))
    assert reads == [1]
    with store.transaction() as tx:  # this store's own save is not read back
        assert [s.id for s in tx.students()] == [1, 3]
    assert reads == [1] and store.revision == 4


def test_a_rewrite_in_place_by_another_program_is_read(store: RosterStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not every writer replaces the file (an editor, TinyDB's own storage): same inode, new content."""
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    reads = count_reads(store, monkeypatch)
    inode = store.path.stat().st_ino
    edited = json.loads(store.path.read_bytes())
    edited["students"]["1"]["first_name"] = "Edited by hand"
    with open(store.path, "r+b") as handle:
        handle.write(json.dumps(edited).encode())
        handle.truncate()
    assert store.path.stat().st_ino == inode
    with store.transaction() as tx:
        assert tx.student(1) == make_student(1, first_name="Edited by hand")
    assert reads == [1]


def test_a_block_that_raises_leaves_the_committed_state_for_the_next_transaction(
    store: RosterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        tx.put_students([make_student(i) for i in range(1, 4)])
        tx.set_match(MatchDecision(account_id=1, clever_id="stu-1", method="clever_id"))
        tx.add_run(Run(id=tx.next_run_id(), kind="import students", started_by="admin"))
    saved = store.path.read_bytes()
    students, matches, runs = store.students(), store.matches(), store.runs()
    reads = count_reads(store, monkeypatch)

    with pytest.raises(RuntimeError, match="plan failed"), store.transaction() as tx:
        tx.put_students([make_student(1, first_name="Changed"), make_student(9)])
        tx.remove_student(2)
        tx.remove_match(1)
        tx.put_sections([Section(id=tx.next_section_id(), name="Math")])
        tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="schedule", before={"students": {"2": None}}))
        tx.site = Site(district_id="d-9")
        tx.meta.last_event_id = "evt-bad"
        raise RuntimeError("plan failed")

    assert store.path.read_bytes() == saved
    assert (store.students(), store.matches(), store.runs()) == (students, matches, runs)
    assert store.sections() == [] and store.site() is None and store.revision == 1
    with store.transaction() as tx:
        assert tx.students() == students and tx.matches() == matches and tx.sections() == []
        assert tx.site is None and tx.meta.last_event_id is None
    assert reads == []
    assert store._data == fresh_read(store)


def test_after_every_transaction_the_committed_state_is_what_a_fresh_read_gives(store: RosterStore) -> None:
    """So starting the next transaction from it is the same as reading the file again."""
    problems = [Problem(kind="student", clever_id=f"stu-{i}", name="Ana", issue="No email", fix="Fix") for i in (1, 2)]
    with store.transaction() as tx:
        tx.site = Site(district_id="d-1", school_id="s-1", school_name="Lakeview Élémentaire")
        tx.put_teachers([make_teacher(1, first_name="Zoë")])
        tx.put_student_docs([make_student(i).model_dump(mode="json") for i in range(2, 50)])
        tx.set_match(MatchDecision(account_id=1, clever_id="tea-1", method="email"))
        tx.add_run(
            Run(
                id=tx.next_run_id(),
                kind="import students",
                started_by="admin",
                before={"students": {str(i): None for i in range(2, 50)}},
                after={"students": {str(i): f"digest-{i}" for i in range(2, 50)}},
                problems=problems,
            )
        )
    assert store._data == fresh_read(store)
    with store.transaction() as tx:
        tx.put_sections([Section(id=tx.next_section_id(), name="Art", student_ids=[2, 3])])
        tx.remove_student(49)
        tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="schedule", problems=problems))
        tx.meta.last_event_id = "evt-1"
    assert store._data == fresh_read(store)
    assert store.runs()[0].problems == store.runs()[1].problems == problems


def test_a_roster_removed_while_open_is_still_damage(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    os.unlink(store.path)
    with pytest.raises(StoreCorrupt, match="removed while cleverwizard was open"), store.transaction() as tx:
        tx.put_student(make_student(2))
    assert not store.path.exists()
    assert [s.id for s in store.students()] == [1]
