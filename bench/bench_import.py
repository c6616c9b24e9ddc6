"""Benchmark: importing 20,000 students end to end, the way ``cleverwizard import students`` does.

Run by hand (not a test):

    .venv/bin/python bench/bench_import.py [--students 20000] [--repeat 3] [--page-limit 10000]

A generated sandbox district (one school holding every student) is served over loopback
HTTP from this process (``cleverwizard.sandbox.serve``). Each case then runs in its own
fresh worker process, so its peak RSS is its own and the server never competes with it
for the GIL:

- **import**: a fresh data folder prepared as the CLI leaves it (``save_settings``,
  ``save_token``, ``RosterSync.connect`` and ``select_school``, untimed), then the three
  timed phases of ``import students``: ``RosterSync.fetch("student")`` (``CleverClient``,
  ``--page-limit`` records a page), ``RosterSync.plan`` and ``RosterSync.apply``. Twice,
  in two workers: ``cli`` runs the phases inside one ``paused_gc()`` as the ``import``
  command does; ``wizard`` calls them one by one as the wizard's screens do.
- **floor**: the same pages fetched with a plain ``httpx.Client`` and ``json.loads``, no
  models; and the students table the import saved, written with a plain ``json.dump``
  (and ``json.dumps``) plus fsync, as ``bench_store.py`` measures it.

Times are the best of ``--repeat`` runs; peak traced memory (tracemalloc) comes from one
extra, untimed run (tracing slows Python down), and max RSS is read after the timed runs.
Targets (the performance issue): the whole import under 2x the fetch floor, and the
store's write of the students under 2x a plain ``json.dump`` of the same data.

``--profile FILE`` also writes a cProfile of one import (fetch, plan and apply) to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import multiprocessing
import os
import resource
import shutil
import ssl
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from bench_store import json_dump_case, json_dumps_case

from cleverwizard.bulk import paused_gc
from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """Where the served sandbox is and which school to import, passed to each worker."""

    url: str
    token: str
    district_id: str
    school_id: str
    students: int
    page_limit: int
    repeat: int
    profile: str | None = None
    mode: str = "cli"
    """``cli``: the three phases inside one ``paused_gc()``, as ``cleverwizard import`` runs
    them; ``wizard``: called one by one, as the wizard's screens do (each step pauses the
    garbage collector only for its own bulk work)."""


@dataclass
class Result:
    """Best wall and CPU time per phase (seconds), peak traced memory per phase (MiB), max RSS (MiB)."""

    times: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)
    max_rss: float = 0.0
    notes: list[str] = field(default_factory=list)


def _max_rss_mib() -> float:
    """This process's peak resident memory (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


def _timed(func: Callable[[], T], cpu: dict[str, float] | None = None, name: str = "") -> tuple[T, float]:
    """``func()`` and its wall time; its CPU time goes into ``cpu[name]`` when given.

    CPU time is shown too because a shared machine makes wall times noisy.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    value = func()
    if cpu is not None:
        cpu[name] = time.process_time() - cpu_started
    return value, time.perf_counter() - started


def _keep_best(into: dict[str, float], found: dict[str, float]) -> None:
    for name, seconds in found.items():
        into[name] = min(into.get(name, float("inf")), seconds)


def _traced_peak() -> float:
    """Peak traced MiB since the last reset, then reset it for the next phase."""
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.reset_peak()
    return peak


# -- the floor: plain httpx + json.loads ------------------------------------------------


@cache
def _tls() -> ssl.SSLContext:
    """Made once, untimed, as ``CleverClient`` shares one (loading CA certificates takes ~80 ms)."""
    return httpx.create_ssl_context()


def plain_fetch(target: Target) -> list[dict[str, Any]]:
    """Every student record of the school as plain dicts: no models, no checks."""
    base = httpx.URL(target.url)
    url: httpx.URL | None = httpx.URL(
        f"{target.url}/schools/{target.school_id}/users",
        params={"role": "student", "limit": target.page_limit},
    )
    records: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {target.token}", "Accept": "application/json"}
    with httpx.Client(headers=headers, verify=_tls()) as client:
        while url is not None:
            response = client.get(url)
            response.raise_for_status()
            payload = json.loads(response.content)
            page = payload["data"]
            if not page:
                break
            records.extend(item["data"] for item in page)
            next_uri = next((link["uri"] for link in payload.get("links", []) if link["rel"] == "next"), None)
            url = base.join(next_uri) if next_uri else None
    return records


def floor_worker(target: Target) -> Result:
    """Time the plain fetch, best of ``repeat``, then one traced run for its peak memory."""
    result = Result()
    _tls()
    for _ in range(target.repeat):
        gc.collect()  # start each run from a clean heap, as a fresh CLI process would
        cpu: dict[str, float] = {}
        records, seconds = _timed(lambda: plain_fetch(target), cpu, "fetch")
        assert len(records) == target.students, f"fetched {len(records)} students, expected {target.students}"
        _keep_best(result.times, {"fetch": seconds})
        _keep_best(result.cpu, cpu)
    result.max_rss = _max_rss_mib()
    del records
    tracemalloc.start()
    plain_fetch(target)
    result.peaks["fetch"] = _traced_peak()
    tracemalloc.stop()
    return result


# -- the import: RosterSync as the CLI drives it ----------------------------------------


def _prepare(target: Target, folder: Path) -> tuple[RosterSync, RosterStore]:
    """A data folder as ``connect DISTRICT --school SCHOOL`` leaves it (untimed)."""
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVERWIZARD_DATA_DIR"):
        os.environ.pop(name, None)  # the bench's sandbox, not whatever the shell points at
    save_settings(folder, clever_url=target.url)
    save_token(folder, target.token)
    settings = resolve(folder)
    store = RosterStore.open(folder)
    sync = RosterSync(settings, store, page_limit=target.page_limit)
    asyncio.run(sync.connect(target.district_id))
    asyncio.run(sync.select_school(target.school_id))
    return sync, store


@dataclass
class Phases:
    """One import's measurements: wall and CPU seconds, traced MiB, per phase."""

    times: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)


def _import_once(target: Target, traced: bool = False) -> tuple[Phases, list[dict[str, Any]]]:
    """One import into a fresh folder: its measurements and the students it saved."""
    folder = Path(tempfile.mkdtemp(prefix="cw-bench-import-"))
    try:
        sync, store = _prepare(target, folder)
        gc.collect()  # start from a clean heap, as a fresh CLI process would
        m = Phases()
        times, cpu, peaks = m.times, m.cpu, m.peaks
        command: AbstractContextManager[None] = paused_gc() if target.mode == "cli" else nullcontext()
        if traced:
            tracemalloc.start()
        with command:
            users, times["fetch"] = _timed(lambda: asyncio.run(sync.fetch("student")), cpu, "fetch")
            if traced:
                peaks["fetch"] = _traced_peak()
            plan, times["plan"] = _timed(partial(sync.plan, "student", users), cpu, "plan")
            if traced:
                peaks["plan"] = _traced_peak()
            run, times["store"] = _timed(partial(sync.apply, plan), cpu, "store")
            if traced:
                peaks["store"] = _traced_peak()
                tracemalloc.stop()
            assert len(users) == target.students, f"fetched {len(users)} students"
            assert run.counts.created == target.students, f"created {run.counts.created} accounts"
            del users, plan  # freed before the collector is back on, as when the command returns
        saved = list(json.loads(store.path.read_bytes())["students"].values())
        store.close()
        times["total"], cpu["total"] = sum(times.values()), sum(cpu.values())
        return m, saved
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _time_case(case: Callable[[Path], None], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        folder = Path(tempfile.mkdtemp(prefix="cw-bench-dump-"))
        try:
            best = min(best, _timed(partial(case, folder))[1])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return best


def import_worker(target: Target) -> Result:
    """Best of ``repeat`` imports per phase, the json.dump floors of what was saved, peaks."""
    result = Result()
    saved: list[dict[str, Any]] = []
    for _ in range(target.repeat):
        measured, saved = _import_once(target)
        _keep_best(result.times, measured.times)
        _keep_best(result.cpu, measured.cpu)
    result.max_rss = _max_rss_mib()
    result.times["json.dump students, fsync"] = _time_case(json_dump_case(saved, fsync=True), target.repeat)
    result.times["json.dumps students, fsync"] = _time_case(json_dumps_case(saved), target.repeat)
    result.peaks = _import_once(target, traced=True)[0].peaks
    if target.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        _import_once(target)
        profiler.disable()
        profiler.dump_stats(target.profile)
        result.notes.append(f"cProfile of one import written to {target.profile}")
    return result


def _in_fresh_process(worker: Callable[[Target], Result], target: Target) -> Result:
    """Run one case in a new interpreter so its memory and imports are its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(worker, target).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--teachers", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-limit", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of one import to FILE")
    args = parser.parse_args()

    district = SandboxDistrict.generate(seed=args.seed, schools=1, teachers=args.teachers, students=args.students)
    server, url = serve(SandboxAPI(district))
    try:
        target = Target(
            url=url,
            token=district.token,
            district_id=district.district_id,
            school_id=next(iter(district.schools)),
            students=args.students,
            page_limit=args.page_limit,
            repeat=args.repeat,
            profile=args.profile,
        )
        plain_fetch(target)  # warm the server's per-record encoding cache, untimed
        floor = _in_fresh_process(floor_worker, target)
        imported = _in_fresh_process(import_worker, target)
        wizard = _in_fresh_process(import_worker, replace(target, mode="wizard", profile=None))
    finally:
        server.close()

    report(args, floor, imported, wizard)


def report(args: argparse.Namespace, floor: Result, cli: Result, wizard: Result) -> None:
    """The table and the ratios against the targets."""
    t, c, w, wc = cli.times, cli.cpu, wizard.times, wizard.cpu
    f, f_cpu = floor.times["fetch"], floor.cpu["fetch"]
    dump, dumps = t["json.dump students, fsync"], t["json.dumps students, fsync"]
    pages = args.students // args.page_limit
    print(
        f"{args.students:,} students, 1 school, page limit {args.page_limit:,} ({pages} full pages), "
        f"best of {args.repeat}; sandbox on loopback; Python {sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print("import: as `cleverwizard import students` runs it (cli) and step by step as the wizard does")
    head = (
        f"{'phase':6s} {'cli wall':>9s} {'cpu':>7s} {'wizard':>8s} {'cpu':>7s}   "
        f"{'floor':34s} {'wall':>7s} {'cpu':>6s} {'cli/floor':>9s} {'peak MiB':>8s}"
    )
    print(head)
    print("-" * len(head))
    rows: list[tuple[str, str, float | None, float | None]] = [
        ("fetch", "httpx.Client + json.loads", f, f_cpu),
        ("plan", "", None, None),
        ("store", "json.dump saved students + fsync", dump, None),
        ("total", "the fetch floor", f, f_cpu),
    ]
    for phase, label, base, base_cpu in rows:
        peak = max(cli.peaks.values()) if phase == "total" else cli.peaks[phase]
        base_ms = f"{base * 1000:7.0f}" if base else ""
        base_cpu_ms = f"{base_cpu * 1000:6.0f}" if base_cpu else ""
        ratio = f"{t[phase] / base:8.2f}x" if base else ""
        print(
            f"{phase:6s} {t[phase] * 1000:9.0f} {c[phase] * 1000:7.0f} {w[phase] * 1000:8.0f} {wc[phase] * 1000:7.0f}   "
            f"{label:34s} {base_ms:>7s} {base_cpu_ms:>6s} {ratio:>9s} {peak:8.1f}"
        )
    print()
    print(
        f"whole import / fetch floor:       cli {t['total'] / f:.2f}x wall ({c['total'] / f_cpu:.2f}x cpu), "
        f"wizard {w['total'] / f:.2f}x wall ({wc['total'] / f_cpu:.2f}x cpu)  (target < 2x)"
    )
    print(f"whole import / (fetch floor + json.dump): cli {t['total'] / (f + dump):.2f}x wall")
    print(
        f"store (apply) / json.dump + fsync: cli {t['store'] / dump:.2f}x, wizard {w['store'] / dump:.2f}x wall  (target < 2x)"
    )
    print(f"store (apply) / json.dumps + fsync (C encoder): cli {t['store'] / dumps:.2f}x wall")
    print(
        f"max RSS: cli {cli.max_rss:.0f} MiB, wizard {wizard.max_rss:.0f} MiB, floor {floor.max_rss:.0f} MiB; "
        f"traced peak: cli {max(cli.peaks.values()):.1f} MiB, wizard {max(wizard.peaks.values()):.1f} MiB, "
        f"floor {floor.peaks['fetch']:.1f} MiB"
    )
    for note in cli.notes:
        print(note)


if __name__ == "__main__":
    main()
