"""Benchmark: a daily sync of a 5,000-student school asks Clever in proportion to the changes.

Run by hand (not a test):

    .venv/bin/python bench/bench_daily_sync.py [--students 5000] [--teachers 250] [--changes 50]

A generated sandbox district with one school is served over loopback HTTP from this process
(``cleverwizard.sandbox.serve``). A fresh data folder is connected to it and goes through the
wizard's import steps, sections included, with the demo course catalogue (untimed), then:

1. **full**: the first ``RosterSync.daily_sync()``: the newest event id, then every teacher,
   student and section of the school, planned and written in one run;
2. ``--changes`` changes are made in the sandbox (new students, renamed and regraded
   students, students moved between sections, a renamed teacher, a few deletions), each
   logging its Clever events;
3. **events**: the next ``daily_sync()``, which should read only ``/events`` (and the
   school's course list if a changed section has no course decided yet), plus the one
   fixed request every run makes for the district record (Clever's own sync state: paused,
   failing), whatever the school's size.

For each run it prints the requests the server answered (and for which paths), the
seconds it took and what it wrote. The point of the issue: the second run's requests
follow the number of changes (one page of up to ``page_limit`` events), not the school.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.daily.report import SyncReport
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, demo_platform_courses, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Course


def make_changes(district: SandboxDistrict, school: str, count: int, seed: int) -> Counter[str]:
    """``count`` ordinary changes, about a day's worth for a big school (a deletion or a move
    also logs a ``sections.updated`` per section it touches)."""
    rng = random.Random(seed)
    students = district.users_at_school(school, "student")
    teachers = district.users_at_school(school, "teacher")
    made: Counter[str] = Counter()
    kinds = [
        "new student",
        "renamed student",
        "regraded student",
        "moved student",
        "renamed teacher",
        "deleted student",
    ]
    weights = [35, 20, 20, 15, 5, 5]
    sections = district.sections_at_school(school)
    touched: set[str] = set()
    while sum(made.values()) < count:
        kind = rng.choices(kinds, weights)[0]
        if kind == "new student":
            n = made[kind]
            district.add_student(school, "New", f"Student{n}", "3", f"new.student{n}@bench.example.org")
        elif kind == "renamed teacher":
            teacher = rng.choice(teachers)
            district.update_user(teacher["id"], last=f"Renamed{made[kind]}")
        else:
            person = rng.choice([s for s in students if s["id"] not in touched])
            touched.add(person["id"])
            if kind == "renamed student":
                district.update_user(person["id"], last=f"Renamed{made[kind]}")
            elif kind == "regraded student":
                district.update_user(person["id"], grade="9")
            elif kind == "moved student":
                source = next((s for s in sections if person["id"] in s["students"]), None)
                target = next(
                    (s for s in sections if s is not source and s["course"] == (source or {}).get("course")), None
                )
                if source is None or target is None:
                    continue
                district.move_student(person["id"], source["id"], target["id"])
            else:
                district.delete_user(person["id"])
        made[kind] += 1
    return made


def timed_sync(sync: RosterSync, api: SandboxAPI) -> tuple[SyncReport, float, int, Counter[str]]:
    before_total, before_paths = api.request_count, Counter(api.path_counts)
    started = time.perf_counter()
    report = asyncio.run(sync.daily_sync())
    seconds = time.perf_counter() - started
    paths = Counter(api.path_counts)
    paths.subtract(before_paths)
    return report, seconds, api.request_count - before_total, +paths


def show(label: str, report: SyncReport, seconds: float, requests: int, paths: Counter[str]) -> None:
    counts = {name: plan.counts for name, plan in report.plans.items()}
    print(f"{label}: mode={report.mode}, {requests} requests, {seconds:.2f} s, run {report.run_id}")
    for path, n in sorted(paths.items()):
        print(f"    {n:>4}  GET {path}")
    for name, c in counts.items():
        print(
            f"    {name}: created {c.created}, updated {c.updated}, archived {c.archived}, "
            f"restored {c.restored}, unchanged {c.unchanged}, flagged {c.flagged}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--teachers", type=int, default=250)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=5000)
    args = parser.parse_args()

    district = SandboxDistrict.generate(seed=args.seed, schools=1, teachers=args.teachers, students=args.students)
    school = next(iter(district.schools))
    api = SandboxAPI(district)
    server, base_url = serve(api)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "data"
            save_token(folder, district.token)
            save_settings(folder, clever_url=base_url)
            with RosterStore.open(folder) as store:
                sync = RosterSync(resolve(folder), store, started_by="bench")
                asyncio.run(sync.connect(district.district_id))
                asyncio.run(sync.select_school(school))
                with store.transaction() as tx:
                    tx.put_courses([Course(id=tx.next_course_id(), **c) for c in demo_platform_courses(district)])
                for kind in ("teacher", "student"):
                    sync.apply(sync.plan(kind, asyncio.run(sync.fetch(kind))))
                sync.apply_sections(sync.plan_sections(asyncio.run(sync.fetch_sections())))
                people = (
                    len(district.users_at_school(school, "student")),
                    len(district.users_at_school(school, "teacher")),
                )
                print(f"School {school}: {people[0]} students, {people[1]} teachers; Clever at {base_url}")

                full = timed_sync(sync, api)
                show("full (first sync)", *full)
                made = make_changes(district, school, args.changes, args.seed)
                print(f"changes in the sandbox: {dict(made)} ({len(district.events)} events logged)")
                daily = timed_sync(sync, api)
                show("events (daily sync)", *daily)
                assert daily[0].mode == "events", "the daily sync did not use the event log"
                print(f"requests: full {full[2]}, daily {daily[2]}; seconds: full {full[1]:.2f}, daily {daily[1]:.2f}")
    finally:
        server.close()


if __name__ == "__main__":
    main()
