"""Regenerate ``screenshots/`` from the running demo: one SVG (and PNG) per screen.

Every screen is pictured, the import question, the imported lists and the email editor too.

Run from the project root: ``.venv/bin/python scripts/screenshots.py``. It walks the
wizard headless on a fresh demo folder (the in-process sandbox district, seed 2026), the
way an administrator would, and saves each screen. PNGs are made with ``rsvg-convert``
(Debian's ``librsvg2-bin``) when it is installed. ``--size 80x24 --out /tmp/small`` walks
the same screens in a small terminal (to check them, not for the README).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import demo_district
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.wiring import build_app

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)


async def settle(app: CleverWizardApp, pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause(0.3)


def save(app: CleverWizardApp, name: str, out: Path) -> None:
    svg = out / f"{name}.svg"
    app.save_screenshot(filename=svg.name, path=str(out))
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-w", "1400", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    print("saved", svg.name)


async def main(size: tuple[int, int] = SIZE, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    district = demo_district(2026)
    elementary = next(sid for sid, s in district.schools.items() if "Elementary" in s["name"])
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(prepare_demo(Path(tmp) / "demo", seed=2026))
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            save(app, "01-notifications", out)
            app.open_step("district")
            await settle(app, pilot)
            app.screen.query_one("#district-id", Input).value = district.district_id
            await pilot.click("#check")
            await settle(app, pilot)
            save(app, "02-connect-district", out)
            app.open_step("school")
            await settle(app, pilot)
            save(app, "03-select-school", out)
            assert app.sync is not None
            await app.sync.select_school(elementary)
            app.open_step("teachers")
            await settle(app, pilot)
            await pilot.click("#fetch-button")
            await settle(app, pilot)
            save(app, "04-teachers-preview", out)
            await pilot.click("#apply-button")
            await settle(app, pilot)
            save(app, "10-import-question", out)
            await pilot.press("y")
            await settle(app, pilot)
            await pilot.press("v")
            await settle(app, pilot)
            save(app, "11-imported-teachers", out)
            await pilot.press("e")
            await settle(app, pilot)
            save(app, "12-email-editor", out)
            await pilot.press("escape")
            await settle(app, pilot)
            app.open_step("students")
            await settle(app, pilot)
            await pilot.click("#fetch-button")
            await settle(app, pilot)
            save(app, "05-students-by-grade", out)
            await pilot.click("#apply-button")
            await settle(app, pilot)
            await pilot.press("y")
            await settle(app, pilot)
            app.open_step("student-list")
            await settle(app, pilot)
            save(app, "13-imported-students", out)
            app.open_step("home")
            await settle(app, pilot)
            save(app, "06-notifications-after-import", out)
            for step, name in (("sections", "07-sections"), ("history", "08-history"), ("help", "09-help")):
                app.open_step(step)  # type: ignore[arg-type]
                await settle(app, pilot)
                if step == "sections":
                    await pilot.click("#fetch-button")
                    await settle(app, pilot)
                save(app, name, out)
                app.open_step("home")
                await settle(app, pilot)


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=_size, default=SIZE, help="terminal size, e.g. 80x24 (default 120x36)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the pictures (default screenshots/)")
    args = parser.parse_args()
    asyncio.run(main(args.size, args.out))
