"""Transactions: one physical write per commit, nothing on failure, revisions, ids."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cleverwizard.store import (
    SCHEMA_VERSION,
    AtomicJSONStorage,
    MatchDecision,
    RosterStore,
    Run,
    Site,
    StoreError,
    StoreTransaction,
)
from tests.store.conftest import make_student, make_teacher


def test_a_transaction_makes_exactly_one_physical_write(
    store: RosterStore, replace_calls: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    storage_writes: list[int] = []
    real_write = AtomicJSONStorage.write

    def spy(self: AtomicJSONStorage, data: dict) -> None:  # type: ignore[type-arg]
        storage_writes.append(len(data["students"]))
        real_write(self, data)

    monkeypatch.setattr(AtomicJSONStorage, "write", spy)
    with store.transaction() as tx:
        tx.put_students([make_student(i) for i in range(1, 501)])
        for i in range(501, 601):
            tx.put_student(make_student(i))
        tx.put_teachers([make_teacher(i) for i in range(601, 611)])
        tx.set_match(MatchDecision(account_id=601, clever_id="tea-601", method="clever_id"))
        tx.add_run(Run(id=tx.next_run_id(), kind="import students", started_by="admin"))
        tx.site = Site(district_id="d-1")
        assert replace_calls == []  # nothing reaches the disk inside the block
    assert storage_writes == [600]
    assert replace_calls == [(replace_calls[0][0], str(store.path))]
    assert len(store.students()) == 600


def test_an_exception_writes_nothing_and_leaves_reads_unchanged(
    store: RosterStore, replace_calls: list[tuple[str, str]]
) -> None:
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    replace_calls.clear()
    before_bytes = store.path.read_bytes()

    with pytest.raises(RuntimeError, match="plan failed"), store.transaction() as tx:
        tx.put_students([make_student(i, first_name="New") for i in range(1, 50)])
        tx.remove_student(1)
        tx.site = Site(district_id="d-9")
        tx.meta.last_event_id = "evt-bad"
        raise RuntimeError("plan failed")

    assert replace_calls == []
    assert store.path.read_bytes() == before_bytes
    assert store.revision == 1
    assert store.students() == [make_student(1)]
    assert store.site() is None and store.meta().last_event_id is None
    with store.transaction() as tx:  # the next transaction starts from the saved state
        assert tx.students() == [make_student(1)] and tx.site is None


def test_revision_goes_up_by_one_per_transaction_even_if_meta_is_edited(store: RosterStore) -> None:
    assert store.revision == 0
    with store.transaction() as tx:
        assert tx.base_revision == 0
    assert store.revision == 1
    with store.transaction() as tx:
        tx.meta.revision = 999
        tx.meta.schema_version = 42
    assert store.revision == 2
    assert store.meta().revision == 2 and store.meta().schema_version == SCHEMA_VERSION


def test_a_transaction_reloads_what_another_writer_saved(store: RosterStore, data_dir: Path) -> None:
    other = RosterStore.open(data_dir)
    with other.transaction() as tx:
        tx.put_teacher(make_teacher(tx.next_account_id()))
    assert store.teachers() == []  # reads show this store's last committed state...
    with store.transaction() as tx:
        assert [t.id for t in tx.teachers()] == [1]  # ...but a transaction reloads from disk
        new_id = tx.next_account_id()
        tx.put_student(make_student(new_id))
    assert new_id == 2
    assert store.revision == 2 and [t.id for t in store.teachers()] == [1]
    other.refresh()
    assert other.revision == 2 and [s.id for s in other.students()] == [2]
    other.close()


def test_account_ids_are_unique_across_teachers_and_students(store: RosterStore) -> None:
    with store.transaction() as tx:
        ids = []
        for _ in range(10):
            teacher_id, student_id = tx.next_account_id(), tx.next_account_id()
            tx.put_teacher(make_teacher(teacher_id))
            tx.put_student(make_student(student_id))
            ids += [teacher_id, student_id]
    assert len(set(ids)) == 20
    assert {t.id for t in store.teachers()}.isdisjoint({s.id for s in store.students()})


def test_account_ids_are_never_reused_after_undo_or_reopen(store: RosterStore, data_dir: Path) -> None:
    with store.transaction() as tx:
        tx.put_teacher(make_teacher(100))  # e.g. an account made before the wizard
        created = tx.next_account_id()
        tx.put_student(make_student(created))
    assert created == 101
    with store.transaction() as tx:  # undo of the create
        assert tx.remove_student(created) is True
        assert tx.remove_student(created) is False
    reopened = RosterStore.open(data_dir)
    with reopened.transaction() as tx:
        assert tx.next_account_id() == 102
    assert reopened.meta().last_account_id == 102
    reopened.close()


def test_an_id_cannot_be_both_a_teacher_and_a_student(store: RosterStore) -> None:
    with pytest.raises(ValueError, match="already belongs to a student"), store.transaction() as tx:
        tx.put_student(make_student(5))
        tx.put_teacher(make_teacher(5))
    with pytest.raises(TypeError, match="expected Student"), store.transaction() as tx:
        tx.put_students([make_teacher(6)])  # type: ignore[list-item]
    assert store.revision == 0


def test_accounts_can_be_put_in_their_stored_form(store: RosterStore) -> None:
    """``put_*_docs`` skips the models but keeps the id rules, and stores what a put of the model would."""
    with store.transaction() as tx:
        tx.put_student_docs([make_student(1).model_dump(mode="json")])
        tx.put_teacher_docs([make_teacher(2).model_dump(mode="json")])
        tx.put_students([make_student(3)])
        assert tx.documents("students")["3"] == make_student(3).model_dump(mode="json")
        assert tx.next_account_id() == 4
    assert store.students() == [make_student(1), make_student(3)] and store.teachers() == [make_teacher(2)]
    with pytest.raises(ValueError, match="already belongs to a teacher"), store.transaction() as tx:
        tx.put_student_docs([make_student(2).model_dump(mode="json")])
    assert store.revision == 1


def test_documents_is_a_read_only_view_of_the_stored_form(store: RosterStore) -> None:
    with store.transaction() as tx:
        docs = tx.documents("students")
        assert dict(docs) == {}
        tx.put_student(make_student(1))
        assert docs["1"] == make_student(1).model_dump(mode="json")  # the view follows later puts
        with pytest.raises(TypeError):
            docs["2"] = make_student(2).model_dump(mode="json")  # type: ignore[index]
    with pytest.raises(StoreError):
        tx.documents("students")


def test_upsert_replaces_by_id(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_students([make_student(1), make_student(2)])
    with store.transaction() as tx:
        tx.put_students([make_student(2, grade="6"), make_student(3)])
    assert [(s.id, s.grade) for s in store.students()] == [(1, "5"), (2, "6"), (3, "5")]


def test_teacher_removal_and_lookup_inside_a_transaction(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.put_teacher(make_teacher(1))
        assert tx.teacher(1) == make_teacher(1) and tx.teacher(2) is None
        assert tx.remove_teacher(1) is True and tx.teachers() == []
    assert store.teachers() == []


def test_match_decisions_set_replace_and_remove(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.set_match(MatchDecision(account_id=1, clever_id="a", method="name"))
        tx.set_match(MatchDecision(account_id=1, clever_id="b", method="manual"))
        tx.set_match(MatchDecision(account_id=2, clever_id=None, method="not_in_list"))
        assert tx.match(1) is not None and tx.match(1).clever_id == "b"  # type: ignore[union-attr]
    with store.transaction() as tx:
        assert tx.remove_match(2) is True and tx.remove_match(2) is False
        assert set(tx.matches()) == {1}
    assert {k: (m.clever_id, m.method) for k, m in store.matches().items()} == {1: ("b", "manual")}


def test_run_ids_and_history(store: RosterStore) -> None:
    with store.transaction() as tx:
        first = Run(id=tx.next_run_id(), kind="import teachers", started_by="admin")
        tx.add_run(first)
        with pytest.raises(ValueError, match="already in the history"):
            tx.add_run(first)
        tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="cron"))
        assert [r.id for r in tx.runs()] == [2, 1] and tx.run(1) == first
    assert [r.kind for r in store.runs()] == ["sync", "import teachers"]
    assert store.run(1) == first and store.meta().last_run_id == 2


def test_site_can_be_changed_in_place_and_cleared(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.site = Site(district_id="d-1")
    with store.transaction() as tx:
        assert tx.site is not None
        tx.site.school_id = "sch-1"  # the live site is saved like meta
    assert store.site() is not None and store.site().school_id == "sch-1"  # type: ignore[union-attr]
    with store.transaction() as tx:
        tx.site = None
    assert store.site() is None


def test_a_finished_transaction_cannot_be_used(store: RosterStore) -> None:
    with store.transaction() as tx:
        pass
    kept: StoreTransaction = tx
    with pytest.raises(StoreError, match="already ended"):
        kept.put_student(make_student(1))
    with pytest.raises(StoreError, match="already ended"):
        kept.students()
    assert store.students() == []


def test_nested_transactions_and_closed_stores_are_refused(store: RosterStore, data_dir: Path) -> None:
    with store.transaction(), pytest.raises(StoreError, match="already open"), store.transaction():
        pass
    other = RosterStore.open(data_dir)
    other.close()
    with pytest.raises(StoreError, match="closed"):
        other.students()
    with pytest.raises(StoreError, match="closed"), other.transaction():
        pass


def test_store_is_a_context_manager(data_dir: Path) -> None:
    with RosterStore.open(data_dir) as opened:
        assert opened.path == data_dir / "roster.json" and opened.data_dir == data_dir
    with pytest.raises(StoreError):
        opened.meta()


def test_twenty_thousand_students_one_write_near_json_dump_speed(store: RosterStore, tmp_path: Path) -> None:
    """Generous bound (the benchmark in bench/ has the real numbers): well under 3x json.dump."""
    import json
    import os

    students = [make_student(i) for i in range(1, 20_001)]
    writes_before = store.write_count
    started = time.perf_counter()
    with store.transaction() as tx:
        tx.put_students(students)
    store_seconds = time.perf_counter() - started

    docs = [s.model_dump() for s in students]
    started = time.perf_counter()
    with open(tmp_path / "plain.json", "w") as handle:
        json.dump(docs, handle)
        handle.flush()
        os.fsync(handle.fileno())
    dump_seconds = time.perf_counter() - started

    assert store.write_count - writes_before == 1
    assert len(store.students()) == 20_000
    assert store_seconds < 3 * dump_seconds + 0.2, (store_seconds, dump_seconds)


def test_refresh_reads_the_file_only_when_another_save_replaced_it(tmp_path: Path) -> None:
    from cleverwizard.store import RosterStore
    from cleverwizard.store.models import Teacher

    first = RosterStore.open(tmp_path / "data")
    second = RosterStore.open(tmp_path / "data")
    reads = 0
    original = first._storage.read

    def counting_read():  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return original()

    first._storage.read = counting_read  # type: ignore[method-assign]
    first.refresh()
    assert reads == 0
    with second.transaction() as tx:
        tx.put_teachers([Teacher(id=tx.next_account_id(), first_name="Ann", last_name="Lee")])
    first.refresh()
    assert reads == 1 and [t.first_name for t in first.teachers()] == ["Ann"]
    first.refresh()
    assert reads == 1
    first.close()
    second.close()
