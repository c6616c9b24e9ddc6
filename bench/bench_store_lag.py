"""Benchmark: how long the roster store's work in a worker thread blocks an event loop.

Run by hand (not a test):

    .venv/bin/python bench/bench_store_lag.py [--students 20000] [--runs 30] [--repeat 5]

The wizard runs store work (saves, reads of every student, the history) in thread workers,
but a single long C call in a worker (a JSON parse or encode, a msgspec check, a collector
pass) holds the interpreter lock and freezes the loop just the same. ``bench_ui_lag.py``
shows it inside the whole wizard, where Textual's own rendering and the machine's load mix
in; this bench isolates the store: a data folder prepared as ``bench_ui_lag.py`` prepares
it, then each operation runs in ``asyncio.to_thread`` while a probe on the loop sleeps 2 ms
at a time and records how late it wakes. Opening the roster runs in a thread too, as the
wizard's start-up opens it (``CleverWizardApp._open_roster``). Medians of ``--repeat``
fresh copies.
Target: well under 100 ms for every operation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ui_lag import School, prepare

from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, demo_platform_teachers, serve
from cleverwizard.store import RosterStore, Run

TICK = 0.002


async def lateness_during(work: Callable[[], object]) -> tuple[float, float]:
    """(worst loop lateness, the work's own time), in milliseconds."""
    late: list[float] = []
    done = False

    async def probe() -> None:
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            late.append(time.perf_counter() - started - TICK)

    task = asyncio.create_task(probe())
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await asyncio.to_thread(work)
    took = time.perf_counter() - started
    done = True
    await task
    return max(late) * 1e3, took * 1e3


def one_round(source: Path) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(source, folder)
        opened: list[RosterStore] = []
        found = {"open the roster": asyncio.run(lateness_during(lambda: opened.append(RosterStore.open(folder))))}
        store = opened[0]
        problems = store.runs()[0].problems

        def quiet_run(on: RosterStore) -> None:
            with on.transaction() as tx:
                tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="schedule", problems=problems))

        def another_writer() -> None:  # the daily sync from cron, say (untimed)
            with RosterStore.open(folder) as other:
                quiet_run(other)

        cases: list[tuple[str, Callable[[], object] | None, Callable[[], object]]] = [
            ("save a quiet run", None, lambda: quiet_run(store)),
            ("save 2,000 students", None, lambda: _save_some(store)),
            ("save after another writer's save", another_writer, lambda: quiet_run(store)),
            ("read every student", None, store.students),
            ("read the history", None, lambda: store.runs(journal=False)),
        ]
        for name, setup, work in cases:
            if setup is not None:
                setup()
            found[name] = asyncio.run(lateness_during(work))
        store.close()
        return found


def _save_some(store: RosterStore) -> None:
    students = store.students()[:2000]
    with store.transaction() as tx:
        tx.put_students(students)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    district = SandboxDistrict.generate(seed=2026, schools=1, teachers=args.teachers, students=args.students)
    school = next(iter(district.schools))
    server, url = serve(SandboxAPI(district))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "data"
            at = School(url, district.token, district.district_id, school, demo_platform_teachers(district, school))
            prepare(source, at, args.runs)
            rounds = [one_round(source) for _ in range(args.repeat)]
    finally:
        server.close()
    load = f"; load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"{args.students:,} students, {args.runs} runs; medians of {args.repeat}{load}")
    print(f"{'operation':34} {'worst loop lateness ms':>23} {'work ms':>9}")
    for name in rounds[0]:
        worst = statistics.median(found[name][0] for found in rounds)
        took = statistics.median(found[name][1] for found in rounds)
        print(f"{name:34} {worst:23.1f} {took:9.1f}")


if __name__ == "__main__":
    main()
