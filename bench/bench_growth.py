"""Benchmark: the roster does not grow with quiet days, and status/history do not slow down.

Run by hand (not a test):

    .venv/bin/python bench/bench_growth.py [--students 20000] [--syncs 30] [--mode full|events] [--repeat 3]

A one-school sandbox district is served over loopback HTTP from this process. A fresh data
folder is connected, its teachers and students imported (the wizard's steps, untimed), then
``--syncs`` daily syncs run in which nothing changes in Clever. ``--mode full`` (the default,
the worst case) makes each a full comparison (``sync --full``: every person read, planned and
flagged again); ``events`` is the ordinary daily sync (an empty page of events).

After the first and after the last quiet sync it prints roster.json's size and, best of
``--repeat``: ``cleverwizard status`` and ``cleverwizard history`` as whole processes, the same
two in this process on an open store (``RosterSync.checklist()`` and ``RosterSync.history()``)
and ``python -c pass`` as the floor of a process. The point: the second row should equal the
first, give or take a few hundred bytes a run. (A quiet sync is no history entry any more,
so after the first one the runs table does not grow at all; the file still changes by the
sync time and the revision.)
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from process_env import process_env

from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def process(args: list[str], folder: Path) -> Callable[[], object]:
    # the first of ``best``'s runs fills the bytecode cache (see process_env)
    env = process_env(folder.parent, CLEVERWIZARD_DATA_DIR=str(folder))

    def run() -> object:
        return subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)

    return run


def measure(label: str, folder: Path, repeat: int) -> None:
    size = (folder / "roster.json").stat().st_size
    floor = best(repeat, process([sys.executable, "-c", "pass"], folder))
    status = best(repeat, process([sys.executable, "-m", "cleverwizard", "status"], folder))
    history = best(repeat, process([sys.executable, "-m", "cleverwizard", "history"], folder))
    with RosterStore.open(folder) as store:
        sync = RosterSync(resolve(folder), store, started_by="bench")
        runs = len(store.runs(journal=False, problems=False)) if _has_light_runs(store) else len(store.runs())
        checklist = best(repeat, sync.checklist)
        listed = best(repeat, sync.history)
    print(
        f"{label:<22} runs {runs:>3}  roster.json {size / 1e6:8.2f} MB  "
        f"status {status * 1e3:6.0f} ms  history {history * 1e3:6.0f} ms  (python -c pass {floor * 1e3:4.0f} ms)  "
        f"in process: checklist {checklist * 1e3:6.1f} ms, history {listed * 1e3:6.1f} ms"
    )


def _has_light_runs(store: RosterStore) -> bool:
    """Older trees (for a before/after comparison) have no ``journal=`` flag."""
    try:
        store.runs(journal=False)
    except TypeError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--teachers", type=int, default=400)
    parser.add_argument("--syncs", type=int, default=30)
    parser.add_argument("--mode", choices=("full", "events"), default="full")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    district = SandboxDistrict.generate(seed=args.seed, schools=1, teachers=args.teachers, students=args.students)
    school = next(iter(district.schools))
    server, base_url = serve(SandboxAPI(district))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "data"
            save_token(folder, district.token)
            save_settings(folder, clever_url=base_url)
            with RosterStore.open(folder) as store:
                sync = RosterSync(resolve(folder), store, started_by="bench")
                asyncio.run(sync.connect(district.district_id))
                asyncio.run(sync.select_school(school))
                for kind in ("teacher", "student"):
                    sync.apply(sync.plan(kind, asyncio.run(sync.fetch(kind))))
                print(f"School {school}: {args.students} students, {args.teachers} teachers; {args.mode} syncs")
                asyncio.run(sync.daily_sync(full=True))  # the first sync is always full
            measure("after 1 quiet sync", folder, args.repeat)
            with RosterStore.open(folder) as store:
                sync = RosterSync(resolve(folder), store, started_by="bench")
                started = time.perf_counter()
                for _ in range(args.syncs - 1):
                    report = asyncio.run(sync.daily_sync(full=args.mode == "full"))
                    assert not any(plan.changes for plan in report.plans.values()), "a quiet sync changed something"
                per_sync = (time.perf_counter() - started) / max(args.syncs - 1, 1)
            measure(f"after {args.syncs} quiet syncs", folder, args.repeat)
            print(f"each quiet sync took {per_sync:.2f} s")
    finally:
        server.close()


if __name__ == "__main__":
    main()
