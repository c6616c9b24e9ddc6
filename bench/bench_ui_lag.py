"""Benchmark: how long the wizard's event loop is blocked at 20,000 students and 30 runs.

Run by hand (not a test):

    .venv/bin/python bench/bench_ui_lag.py [--students 20000] [--runs 30] [--repeat 3] [--pauses]

A one-school sandbox district is served over loopback HTTP from a thread of this process.
A data folder is connected, given the demo's hand-made platform teachers, its students
imported and ``--runs`` runs in its history in all (quiet ones, each flagging what the
import flagged), untimed. Then the real wizard runs headless (Textual's pilot) while a
**lag probe** on its event loop sleeps 10 ms at a time and records how late it wakes:
that lateness is exactly how long the loop was blocked (no key, no redraw meanwhile).

The walk: start-up to the first Notifications; Students opened, imported from Clever
(fetch, plan, preview), another grade shown, saved (answering the import question); back
to Notifications; Teachers opened and fetched; one *Select a Match* choice (re-plan); back
to Notifications; History (``--runs`` runs); the Imported Students list; then a 3-second pause, in which the wizard runs the full
garbage collection it keeps for idle moments (``cleverwizard/ui/heap.py``). With ``--pauses`` the
walk also stops 3 s at Notifications after start-up and after each step, as a person reading
the checklist does: the idle pass then runs there, once per closed step, and what survives it
is frozen. Per phase it
prints the worst and the total lateness: with ``--repeat`` walks (each on a freshly
prepared folder), the median of the walks' worst stalls and their range, since one walk's
worst swings by tens of milliseconds on a shared machine. Target: no single stall over 100 ms. The probe's
own floor (the worst lateness on an idle loop, after start-up) is printed from the same run.
``--why MS`` also samples the loop thread's stack whenever a wake-up is more than MS ms
overdue and prints, per phase, where the loop was (a stall inside one long C call that
holds the GIL shows as the frame after it, or as an empty stack; a full garbage collection
holds it too, so its stall is blamed on whatever frame happened to start it).

The sandbox is served from a child process (forked once the district is generated), so its
JSON encoding never holds this process's interpreter lock: real Clever is another machine.
The bench's own copy of the district is dropped before the wizard starts, and the walk
drops each step screen when it leaves it: a person's wizard has neither, and full
collections would walk them. Every garbage collection is timed too (``gc.callbacks``): the
``gc ms`` columns say how much of a phase's stalls the collector itself caused.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from statistics import median
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from process_env import bytecode_in_process

from cleverwizard.config import resolve, save_settings, save_token
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, demo_platform_teachers, serve
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore, Run, Teacher, now_iso
from cleverwizard.ui.screens.confirm import Confirm
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.wiring import build_app


class LagProbe:
    """Sleeps ``tick`` seconds at a time on the loop and records how late each wake-up is.

    With ``why``, a watchdog thread samples the loop thread's Python stack while a wake-up is
    overdue by more than ``why`` seconds, so each stall can be blamed on the code it was in.
    """

    def __init__(self, tick: float = 0.01, why: float | None = None) -> None:
        self.tick = tick
        self.phase = "idle"
        self.late: dict[str, list[float]] = defaultdict(list)
        self.blame: dict[str, Counter[str]] = defaultdict(Counter)
        self._task: asyncio.Task[None] | None = None
        self._why = why
        self._due = 0.0
        self._stop = threading.Event()
        self.collections: dict[str, list[float]] = defaultdict(list)
        self._collecting = 0.0

    def _collection(self, event: str, info: dict[str, int]) -> None:
        """Time each garbage collection: it holds the interpreter lock, whichever thread ran it."""
        if event == "start":
            self._collecting = time.perf_counter()
        else:
            self.collections[self.phase].append(time.perf_counter() - self._collecting)

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            self._due = started + self.tick
            await asyncio.sleep(self.tick)
            self.late[self.phase].append(time.perf_counter() - started - self.tick)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())
        gc.callbacks.append(self._collection)
        if self._why is not None:
            threading.Thread(target=self._watch, args=(threading.get_ident(),), daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        gc.callbacks.remove(self._collection)
        if self._task is not None:
            self._task.cancel()

    def _watch(self, loop_thread: int) -> None:
        """Every 20 ms: if the loop is overdue, note where its thread is (our frames, innermost)."""
        assert self._why is not None
        while not self._stop.wait(0.02):
            if time.perf_counter() - self._due < self._why:
                continue
            frame = sys._current_frames().get(loop_thread)
            where = [
                f"{Path(f.filename).name}:{f.name}"
                for f in traceback.extract_stack(frame)
                if "cleverwizard" in f.filename or "textual" in f.filename
            ]
            self.blame[self.phase][" < ".join(reversed(where[-4:]))] += 1


def serve_district(district: SandboxDistrict, reply: Any) -> None:
    """The child process: serve the district on loopback and send its URL back."""
    server, url = serve(SandboxAPI(district), background=False)
    reply.send(url)
    server.serve_forever()


class School(NamedTuple):
    """What preparing a data folder needs from the generated district (the district itself is
    dropped before the wizard runs: a person's wizard has no copy of Clever in its heap)."""

    url: str
    token: str
    district_id: str
    school: str
    teachers: list[dict[str, Any]]


def prepare(folder: Path, at: School, runs: int) -> None:
    save_settings(folder, clever_url=at.url)
    save_token(folder, at.token)
    with RosterStore.open(folder) as store:
        sync = RosterSync(resolve(folder), store, started_by="bench")
        asyncio.run(sync.connect(at.district_id))
        asyncio.run(sync.select_school(at.school))
        stamp = now_iso()
        with store.transaction() as tx:
            tx.put_teachers(
                [
                    Teacher(id=tx.next_account_id(), source="manual", created_at=stamp, updated_at=stamp, **person)
                    for person in at.teachers
                ]
            )
        imported = sync.apply(sync.plan("student", asyncio.run(sync.fetch("student"))))
        for _ in range(runs - 2):
            with store.transaction() as tx:
                tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="schedule", problems=imported.problems))


async def wait_for(condition: Any, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there")
        await asyncio.sleep(0.02)


async def walk(folder: Path, probe: LagProbe, pauses: bool = False) -> None:
    """``pauses``: the person also stops for 3 s at Notifications after start-up and after
    each step, so the wizard makes its idle pass there (and freezes what survives it)."""
    app = build_app(resolve(folder))
    probe.start()
    probe.phase = "start-up: first Notifications"
    async with app.run_test(size=(120, 40)) as pilot:

        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.pause()

        async def click(selector: str) -> None:
            """A click as a terminal delivers it: the app notes it as input (Pilot.click hands
            the event straight to the screen), so the walk reads as someone working, not pausing."""
            app.heap.noticed_input()
            await pilot.click(selector)

        def go(step: Any) -> None:
            """Open a step as its key on Notifications would (a key press is input too)."""
            app.heap.noticed_input()
            app.open_step(step)

        await settle()
        probe.phase = "idle (probe floor)"
        await asyncio.sleep(1.0)

        async def pause_at_home(after: str) -> None:
            if pauses:
                probe.phase = f"pause at home after {after}"
                await asyncio.sleep(3.0)

        await pause_at_home("start-up")

        probe.phase = "Students: open, fetch, preview"
        go("students")
        await pilot.pause()
        step = {"screen": app.screen}  # held here only while the step is open (see below)
        await click("#fetch-button")
        await wait_for(lambda: getattr(step["screen"], "stage", "") == "preview")
        await settle()
        probe.phase = "Students: another grade"
        await click("#grade-list")
        await pilot.press("down", "down")
        await settle()
        probe.phase = "Students: import (save)"
        await click("#apply-button")
        await wait_for(lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(lambda: getattr(step["screen"], "stage", "") == "done")
        await settle()
        probe.phase = "back to Notifications"
        await click("#students-back")
        await wait_for(lambda: isinstance(app.screen, NotificationsScreen))
        step.clear()  # a person's wizard keeps no dismissed screen alive; neither does the walk
        await settle()
        await pause_at_home("Students")
        probe.phase = "Teachers: open, fetch, preview"
        go("teachers")
        await pilot.pause()
        step["screen"] = teachers = app.screen
        await click("#fetch-button")
        await wait_for(lambda: getattr(step["screen"], "stage", "") == "preview")
        await settle()
        probe.phase = "Teachers: a dropdown choice"
        selects = list(teachers.query("MatchSelect"))
        if selects:
            select = selects[0]
            select.focus()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("down", "enter")
            await settle()
        probe.phase = "back to Notifications (again)"
        await click("#teachers-back")
        await pilot.pause()
        if isinstance(app.screen, Confirm):  # the choice changed the preview: leaving asks
            await pilot.press("y")
        await wait_for(lambda: isinstance(app.screen, NotificationsScreen))
        del teachers, selects
        step.clear()
        await settle()
        await pause_at_home("Teachers")
        probe.phase = "History (30 runs)"
        go("history")
        await settle()
        await pilot.press("escape")
        await settle()
        await pause_at_home("History")
        probe.phase = "Imported Students list"
        go("student-list")
        await settle()
        await pilot.press("escape")
        await settle()
        probe.phase = "a pause (the idle full collection)"
        await asyncio.sleep(3.0)
        probe.stop()


def report(students: int, runs: int, probes: list[LagProbe]) -> None:
    """Per phase: the worst stall of each walk (median and highest), the median total."""
    print(f"{students:,} students, {runs} runs, {len(probes)} walk(s); loop lateness per phase (10 ms probe)")
    print(f"{'phase':<34} {'worst ms':>9} {'of walks':>9} {'total ms':>9} {'wakes':>6} {'gc worst':>9} {'gc total':>9}")
    for phase in probes[0].late:
        late = [probe.late[phase] for probe in probes]
        collections = [probe.collections.get(phase) or [0.0] for probe in probes]
        worst = sorted(max(values) * 1e3 for values in late)
        span = f"{worst[0]:.0f}-{worst[-1]:.0f}" if len(worst) > 1 else ""
        print(
            f"{phase:<34} {median(worst):9.0f} {span:>9} {median(sum(v) for v in late) * 1e3:9.0f}"
            f" {median(len(v) for v in late):>6.0f} {median(max(c) for c in collections) * 1e3:9.0f}"
            f" {median(sum(c) for c in collections) * 1e3:9.0f}"
        )
    for phase in probes[0].late:
        where = sum((probe.blame[phase] for probe in probes), Counter[str]())
        if where:
            print(f"\nwhere the loop was during stalls, {phase} (20 ms samples):")
            for stack, samples in where.most_common(8):
                print(f"  {samples:4d}  {stack}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="walks, each on a freshly prepared data folder")
    parser.add_argument(
        "--pauses", action="store_true", help="also pause 3 s at Notifications after start-up and each step"
    )
    parser.add_argument(
        "--why", type=float, metavar="MS", help="sample the loop's stack during stalls over MS ms and print where"
    )
    args = parser.parse_args()
    district = SandboxDistrict.generate(seed=2026, schools=1, teachers=args.teachers, students=args.students)
    school = next(iter(district.schools))
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve_district, args=(district, theirs), daemon=True)
    server.start()
    at = School(ours.recv(), district.token, district.district_id, school, demo_platform_teachers(district, school))
    del district  # the server's copy lives in its own process; the wizard's heap is its own
    probes: list[LagProbe] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bytecode_in_process(Path(tmp))
            for walked in range(args.repeat):
                folder = Path(tmp) / f"data-{walked}"
                prepare(folder, at, args.runs)
                gc.collect()
                probes.append(LagProbe(why=args.why / 1e3 if args.why else None))
                asyncio.run(walk(folder, probes[-1], args.pauses))
                gc.collect()  # the walked wizard's heap is not the next one's
    finally:
        server.terminate()
    report(args.students, args.runs, probes)


if __name__ == "__main__":
    main()
