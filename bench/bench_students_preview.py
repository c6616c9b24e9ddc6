"""How long the grouped student preview takes to appear once a 5,000-student fetch ends.

Run by hand: ``.venv/bin/python bench/bench_students_preview.py``. It drives the real
wizard headless against a 5,000-student sandbox school and prints the fetch time and the
time from "fetch finished" to "preview on screen" (the issue's target: under 2 s).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from cleverwizard import config
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.service.roster_sync import CleverLink
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.wiring import build_app

d = SandboxDistrict.generate(seed=7, schools=1, teachers=200, students=5000)
api = SandboxAPI(d)
link = CleverLink(transport=api.transport())


async def main():
    folder = Path(tempfile.mkdtemp()) / "big"
    config.save_settings(folder, sandbox_seed=7, clever_url=config.SANDBOX_URL)
    config.save_token(folder, d.token)
    s = config.resolve(folder)
    app = build_app(s, link=link)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.sync.connect(d.district_id)
        await app.sync.select_school(next(iter(d.schools)))
        app.open_step("students")
        await pilot.pause()
        screen = app.screen
        marks = {}
        orig = StudentsScreen._planned

        def planned(self, event):
            marks["planned_msg"] = time.perf_counter()
            orig(self, event)
            marks["planned_done"] = time.perf_counter()

        StudentsScreen._planned = planned
        orig_plan = StudentsScreen._plan

        def plan(self, users):
            marks["fetched"] = time.perf_counter()
            return orig_plan(self, users)

        StudentsScreen._plan = plan
        t0 = time.perf_counter()
        await pilot.click("#fetch-students")
        while screen.pane != "students-preview":
            await asyncio.sleep(0.01)
        await pilot.pause()
        t1 = time.perf_counter()
        print(
            "total",
            round(t1 - t0, 2),
            "fetch",
            round(marks["fetched"] - t0, 2),
            "fetched->preview",
            round(t1 - marks["fetched"], 2),
        )
        print(screen.query_one("#plan-summary").content)


if __name__ == "__main__":
    asyncio.run(main())
