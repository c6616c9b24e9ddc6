"""Benchmark: how long ``cleverwizard --help``, ``status`` and ``history`` take to start and finish.

Run by hand (not a test):

    .venv/bin/python bench/bench_startup.py [--students 20000] [--repeat 15]

A one-school sandbox district is served over loopback HTTP from this process; a fresh data
folder is connected and its teachers and students imported (untimed). Then each command runs
as a whole new process, interleaved with its floors, ``--repeat`` times; the table gives
medians and the minimum:

- **python -c pass**: starting the interpreter at all;
- **store read**: a process that imports the store and opens the roster
  (``RosterStore.open(folder)``), the least ``status`` must do;
- ``cleverwizard --help``, ``cleverwizard status`` and ``cleverwizard history``.

Target: each command at most 3x ``python -c pass`` plus the store read's own share (store
read minus ``python -c pass``); ``--help`` reads no store.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from process_env import process_env

from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore


def prepare(folder: Path, students: int) -> None:
    district = SandboxDistrict.generate(seed=7, schools=1, teachers=max(students // 50, 10), students=students)
    server, base_url = serve(SandboxAPI(district))
    try:
        save_token(folder, district.token)
        save_settings(folder, clever_url=base_url)
        with RosterStore.open(folder) as store:
            sync = RosterSync(resolve(folder), store, started_by="bench")
            asyncio.run(sync.connect(district.district_id))
            asyncio.run(sync.select_school(next(iter(district.schools))))
            for kind in ("teacher", "student"):
                sync.apply(sync.plan(kind, asyncio.run(sync.fetch(kind))))
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        prepare(folder, args.students)
        env = process_env(Path(tmp), CLEVERWIZARD_DATA_DIR=str(folder))
        read = f"from cleverwizard.store import RosterStore; RosterStore.open({str(folder)!r}).close()"
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "store read": [sys.executable, "-c", read],
            "cleverwizard --help": [sys.executable, "-m", "cleverwizard", "--help"],
            "cleverwizard status": [sys.executable, "-m", "cleverwizard", "status"],
            "cleverwizard history": [sys.executable, "-m", "cleverwizard", "history"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for command in cases.values():  # untimed: fills the bytecode cache (see process_env)
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        for _ in range(args.repeat):
            for name, command in cases.items():
                started = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - started)
        size = (folder / "roster.json").stat().st_size
    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["python -c pass"]
    store_share = median["store read"] - floor
    print(f"{args.students} students, roster.json {size / 1e6:.1f} MB; medians of {args.repeat} interleaved runs")
    print(f"{'':<22} {'median':>9} {'min':>9} {'x pass':>7} {'target':>9}")
    for name, values in times.items():
        target = 3 * floor + (store_share if name in ("cleverwizard status", "cleverwizard history") else 0)
        shown = f"{target * 1e3:7.0f}ms" if name.startswith("cleverwizard") else ""
        print(
            f"{name:<22} {median[name] * 1e3:7.0f}ms {min(values) * 1e3:7.0f}ms {median[name] / floor:6.1f}x {shown:>9}"
        )


if __name__ == "__main__":
    main()
