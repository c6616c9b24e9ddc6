"""Benchmark: saving 20,000 students through RosterStore vs a plain json.dump.

Run by hand (not a test):  .venv/bin/python bench/bench_store.py [--students 20000] [--repeat 3]

Each case is timed ``--repeat`` times on a fresh folder (best time reported), then run
once more under tracemalloc for its peak Python memory. The target is a store
transaction under 2x a plain ``json.dump`` of the same dicts with fsync.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB

from cleverwizard.store import RosterStore, Student


def build_students(count: int) -> list[Student]:
    return [
        Student(
            id=i,
            clever_id=f"5f{i:022x}",
            first_name=f"Student{i}",
            last_name="Hernández" if i % 7 == 0 else "Smith",
            email=f"student{i}@school.example",
            source="clever",
            sis_id=f"S{i:06d}",
            clever_email=f"student{i}@school.example",
            schools=["5f0000000000000000000001"],
            grade=str(i % 12 + 1),
            school="5f0000000000000000000001",
        )
        for i in range(1, count + 1)
    ]


Case = Callable[[Path], None]


def json_dump_case(docs: list[dict[str, Any]], fsync: bool) -> Case:
    def run(folder: Path) -> None:
        with open(folder / "plain.json", "w", encoding="utf-8") as handle:
            json.dump(docs, handle)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())

    return run


def json_dumps_case(docs: list[dict[str, Any]]) -> Case:
    def run(folder: Path) -> None:
        with open(folder / "plain.json", "w", encoding="utf-8") as handle:
            handle.write(json.dumps(docs))
            handle.flush()
            os.fsync(handle.fileno())

    return run


def store_put_case(students: list[Student], prefill: bool, by_another: bool = False) -> tuple[Case, Case]:
    """(setup, timed): the store is opened in setup; the timed part is one transaction
    (lock, put every student, one atomic write with fsync). With ``by_another`` the full
    roster was saved by another writer after the store was opened, so the transaction
    reads the file again first, as after a scheduled sync."""
    opened: dict[Path, RosterStore] = {}

    def setup(folder: Path) -> None:
        store = opened[folder] = RosterStore.open(folder / "data")
        writer = RosterStore.open(folder / "data") if by_another else store
        if prefill:
            with writer.transaction() as tx:
                tx.put_students(students)
        if writer is not store:
            writer.close()

    def run(folder: Path) -> None:
        store = opened.pop(folder)
        writes = store.write_count
        with store.transaction() as tx:
            tx.put_students(students)
        assert store.write_count - writes == 1, "a transaction must be one physical write"
        store.close()

    return setup, run


def store_read_case(students: list[Student]) -> tuple[Case, Case]:
    """(setup, timed): open a saved roster of every student and read them all as models."""

    def setup(folder: Path) -> None:
        with RosterStore.open(folder / "data") as store, store.transaction() as tx:
            tx.put_students(students)

    def run(folder: Path) -> None:
        with RosterStore.open(folder / "data") as store:
            assert len(store.students()) == len(students)

    return setup, run


def tinydb_insert_case(docs: list[dict[str, Any]]) -> Case:
    def run(folder: Path) -> None:
        with TinyDB(folder / "tiny.json") as db:  # TinyDB's own in-place JSONStorage
            db.table("students").insert_multiple(docs)

    return run


def _once(setup: Case | None, run: Case, traced: bool) -> tuple[float, int]:
    folder = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    try:
        if setup:
            setup(folder)
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        run(folder)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        return seconds, peak
    finally:
        if traced:
            tracemalloc.stop()
        shutil.rmtree(folder, ignore_errors=True)


def measure(setup: Case | None, run: Case, repeat: int) -> tuple[float, float]:
    """Best wall time in seconds, and peak traced memory in MiB from one extra (untimed) round."""
    best = min(_once(setup, run, traced=False)[0] for _ in range(repeat))
    _, peak = _once(setup, run, traced=True)  # tracemalloc slows code down, so it is not timed
    return best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    students = build_students(args.students)
    docs = [s.model_dump() for s in students]
    cases: list[tuple[str, Case | None, Case]] = [
        ("json.dump (pure-Python encoder), fsync", None, json_dump_case(docs, fsync=True)),
        ("json.dump, no fsync", None, json_dump_case(docs, fsync=False)),
        ("json.dumps + write (C encoder), fsync", None, json_dumps_case(docs)),
        ("RosterStore: put all into empty store", *store_put_case(students, prefill=False)),
        ("RosterStore: upsert all over full store", *store_put_case(students, prefill=True)),
        ("  ... saved by another writer (re-read)", *store_put_case(students, prefill=True, by_another=True)),
        ("RosterStore: open + students() (read)", *store_read_case(students)),
        ("TinyDB JSONStorage insert_multiple", None, tinydb_insert_case(docs)),
    ]
    results = [(name, *measure(setup, run, args.repeat)) for name, setup, run in cases]

    baseline = results[0][1]
    size = len(json.dumps(docs).encode()) / 2**20
    print(
        f"{args.students:,} students, ~{size:.1f} MiB of JSON, best of {args.repeat}; Python {sys.version.split()[0]}"
    )
    print(f"{'case':44s} {'time ms':>9s} {'vs json.dump':>13s} {'peak MiB':>9s}")
    print("-" * 78)
    for name, seconds, peak in results:
        print(f"{name:44s} {seconds * 1000:9.1f} {seconds / baseline:12.2f}x {peak:9.1f}")
    timings = {name: seconds for name, seconds, _ in results}
    put, upsert = timings[cases[3][0]], timings[cases[4][0]]
    print()
    for label, base in [
        ("json.dump+fsync", results[0][1]),
        ("json.dump", results[1][1]),
        ("json.dumps+fsync", results[2][1]),
    ]:
        print(f"store transaction / {label:17s}: put {put / base:.2f}x, upsert {upsert / base:.2f}x  (target < 2x)")


if __name__ == "__main__":
    main()
