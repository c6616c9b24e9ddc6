"""Benchmark: the whole ``cleverwizard import students`` process against a plain fetch, at any size.

Run by hand (not a test):

    .venv/bin/python bench/bench_import_process.py [--students 20000] [--repeat 5]
    .venv/bin/python bench/bench_import_process.py --students 1000,5000,20000,50000,100000 --repeat 3

A generated one-school sandbox district is served over loopback HTTP from this process,
after every student record is given **every field the Clever v3.0 spec defines** for a user
and a student role (date of birth, race, address, enrolments, ``ext``...), as a real
district sends them (``full_records``); the sandbox alone sends only the fields it models.
A data folder is connected to the school once (untimed) and copied fresh for every run.

Interleaved, ``--repeat`` times, each as a new process timed from start to exit, with its
peak RSS from ``wait4``:

- **floor**: a plain Python process that imports httpx, fetches the same pages (the CLI's
  page size, following the same ``next`` links) and ``json.loads`` each, keeping the records;
- **import**: ``python -m cleverwizard import students`` on a fresh copy of the folder:
  fetch, plan, save, print the report.

Prints medians (and minima) of wall time and peak RSS, the ratios, and roster.json's size.
Targets: the import at most 1.3x the floor's time and 1.5x its peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from process_env import process_env

from cleverwizard.clever.client import DEFAULT_PAGE_LIMIT
from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore

FLOOR = """
import json, sys
import httpx
url, token, school, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = httpx.URL(url)
next_url = httpx.URL(f"{url}/schools/{school}/users", params={"role": "student", "limit": limit})
records = []
with httpx.Client(headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}) as client:
    while next_url is not None:
        response = client.get(next_url)
        response.raise_for_status()
        payload = json.loads(response.content)
        if not payload["data"]:
            break
        records.extend(item["data"] for item in payload["data"])
        link = next((l["uri"] for l in payload.get("links", []) if l["rel"] == "next"), None)
        next_url = base.join(link) if link else None
print(len(records))
"""


def full_records(district: SandboxDistrict) -> None:
    """Give every student every v3.0 user and student-role field (values shaped as Clever's)."""
    for number, user in enumerate(district.users.values()):
        role = user.get("roles", {}).get("student")
        if role is None:
            continue
        user.setdefault("created", "2025-07-01T08:00:00.000Z")
        user.setdefault("last_modified", "2025-07-01T08:00:00.000Z")
        extra: dict[str, Any] = {
            "created": "2025-07-01T08:00:00.000Z",
            "last_modified": "2025-07-01T08:00:00.000Z",
            "legacy_id": f"legacy-{number:07d}",
            "race": ("Asian", "Black or African American", "White", "Two or More Races")[number % 4],
            "hispanic_ethnicity": "N" if number % 3 else "Y",
            "ell_status": "N" if number % 5 else "Y",
            "enrollments": [{"school": role.get("school"), "start_date": "2025-08-20T00:00:00.000Z", "end_date": None}],
            "location": {
                "address": f"{100 + number % 900} Elm Street",
                "city": "Springfield",
                "state": "OR",
                "zip": f"97{number % 1000:03d}",
                "lat": "44.0462",
                "lon": "-123.0220",
            },
            "ext": {"homeroom": f"Room {number % 40}", "bus_route": f"R{number % 12}"},
        }
        for key, value in extra.items():
            role.setdefault(key, value)
        for key in ("sis_id", "state_id", "student_number", "grade", "graduation_year", "dob", "gender"):
            role.setdefault(key, None)
        role.setdefault("credentials", {"district_username": f"student{number:07d}"})


def prepare(folder: Path, url: str, district: SandboxDistrict, school: str) -> None:
    """A data folder as ``connect DISTRICT --school SCHOOL`` leaves it."""
    save_settings(folder, clever_url=url)
    save_token(folder, district.token)
    with RosterStore.open(folder) as store:
        sync = RosterSync(resolve(folder), store)
        asyncio.run(sync.connect(district.district_id))
        asyncio.run(sync.select_school(school))


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """Wall seconds from start to exit, peak RSS in MiB, standard output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited {process.returncode}: {err.decode()[-500:]}")
    return seconds, usage.ru_maxrss / 1024, out


def measure(students: int, repeat: int, seed: int) -> dict[str, Any]:
    district = SandboxDistrict.generate(seed=seed, schools=1, teachers=max(students // 500, 4), students=students)
    full_records(district)
    school = next(iter(district.schools))
    server, url = serve(SandboxAPI(district))
    floor_cmd = [sys.executable, "-c", FLOOR, url, district.token, school, str(DEFAULT_PAGE_LIMIT)]
    results: dict[str, list[tuple[float, float]]] = {"floor": [], "import": []}
    size = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = process_env(Path(tmp))
            template = Path(tmp) / "template"
            prepare(template, url, district, school)

            def import_command(attempt: int | str) -> list[str]:
                folder = Path(tmp) / f"run{attempt}"
                shutil.copytree(template, folder)
                return [sys.executable, "-m", "cleverwizard", "import", "students", "--data-dir", str(folder)]

            timed(floor_cmd, env)  # warm the server's encoding cache, untimed
            timed(import_command("warm-up"), env)  # and the bytecode cache (see process_env)
            for attempt in range(repeat):
                seconds, rss, out = timed(floor_cmd, env)
                assert int(out) == students, out
                results["floor"].append((seconds, rss))
                folder = Path(tmp) / f"run{attempt}"
                seconds, rss, out = timed(import_command(attempt), env)
                assert "Saved as run" in out.decode(), out[-300:]
                results["import"].append((seconds, rss))
                size = (folder / "roster.json").stat().st_size
                shutil.rmtree(folder)
    finally:
        server.close()
    summary: dict[str, Any] = {"students": students, "roster_mb": size / 1e6}
    for name, runs in results.items():
        summary[name] = {
            "wall": statistics.median(s for s, _ in runs),
            "wall_min": min(s for s, _ in runs),
            "rss": statistics.median(r for _, r in runs),
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", default="20000", help="one size or a comma-separated list")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = [int(n) for n in args.students.split(",")]
    print(
        f"Whole processes, medians of {args.repeat} interleaved runs; full v3.0 student records; "
        f"page limit {DEFAULT_PAGE_LIMIT}; Python {sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    head = (
        f"{'students':>9} {'floor s':>8} {'import s':>9} {'x floor':>8} "
        f"{'floor MiB':>10} {'import MiB':>11} {'x floor':>8} {'roster.json':>12}"
    )
    print(head)
    print("-" * len(head))
    for students in sizes:
        s = measure(students, args.repeat, args.seed)
        f, i = s["floor"], s["import"]
        print(
            f"{students:>9,} {f['wall']:8.2f} {i['wall']:9.2f} {i['wall'] / f['wall']:7.2f}x "
            f"{f['rss']:10.0f} {i['rss']:11.0f} {i['rss'] / f['rss']:7.2f}x {s['roster_mb']:9.1f} MB"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
