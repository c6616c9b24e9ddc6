"""A damaged roster in the wizard: a wrong-typed field or an empty file shows the problem screen
at start, naming the file, and the file is left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from cleverwizard.config import Settings
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.service.roster_sync import CleverLink
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.problem import ProblemScreen
from cleverwizard.wiring import build_app
from tests.ui.conftest import SEED
from tests.ui.walk import SIZE, AppFactory, people_imported, press_to, roster_read


def _wrong_type(raw: bytes) -> bytes:
    db = json.loads(raw)
    db["teachers"][min(db["teachers"])]["first_name"] = {"not": "a name"}
    return json.dumps(db).encode()


@pytest.mark.parametrize("damage", [_wrong_type, lambda raw: b""], ids=["wrong-typed-field", "zero-bytes"])
async def test_a_damaged_roster_shows_the_problem_screen_and_is_left_as_it_is(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, damage: object
) -> None:
    await people_imported(demo_settings, district)
    roster = demo_settings.data_dir / "roster.json"
    damaged = damage(roster.read_bytes())  # type: ignore[operator]
    roster.write_bytes(damaged)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await roster_read(app, pilot)
        assert isinstance(app.screen, ProblemScreen)
        message = str(app.screen.query_one("#problem-message", Static).render())
        assert str(roster) in message and "damaged" in message
        await press_to(pilot, "escape", screen=NotificationsScreen)
        assert app.is_running
    assert roster.read_bytes() == damaged


async def test_a_damaged_roster_in_a_folder_named_like_markup_keeps_the_palette_working(
    tmp_path: Path, link: CleverLink
) -> None:
    """The palette reads its help lines as markup; the store's problem names the folder."""
    settings = prepare_demo(tmp_path / "[/b] old [@click=app.quit]" / "demo", seed=SEED)
    roster = settings.data_dir / "roster.json"
    roster.write_bytes(b"{ not json")
    app = build_app(settings, link=link)
    async with app.run_test(size=SIZE) as pilot:
        await roster_read(app, pilot)
        assert isinstance(app.screen, ProblemScreen)
        await press_to(pilot, "escape", screen=NotificationsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Students")
        await pilot.pause(0.3)
        assert app.is_running and isinstance(app.screen, CommandPalette)
    assert roster.read_bytes() == b"{ not json"
