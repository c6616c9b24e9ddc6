"""SVG snapshots of the Teachers step and of View Imported Teachers with the email editor.

Connecting is done through the service (it is not what is pictured); everything on the
pictured screens is done with keys. Time is frozen, toasts cleared and cursors still, so
a baseline changes only when the screen does. Update baselines with ``--snapshot-update``
only after looking at the rendered SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cleverwizard.config import Settings
from cleverwizard.sandbox import Faults, SandboxDistrict
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.match_select import MatchSelect
from cleverwizard.wiring import build_app
from tests.ui.walk import SIZE, AppFactory, connected, press_to, settle, still, teachers_preview

SnapCompare = Callable[..., bool]
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _frozen(frozen_time: datetime) -> datetime:
    return frozen_time


async def connected_preview(pilot: Pilot[Any], district: SandboxDistrict) -> TeachersScreen:
    """Connected, then 3 (Go to Teachers) and i (Import Teachers)."""
    screen = await teachers_preview(await connected(pilot, district), pilot)
    assert screen.stage == "preview"
    return screen


async def open_dropdown(pilot: Pilot[Any], screen: TeachersScreen, row: int, typed: str) -> None:
    select = list(screen.query(MatchSelect))[row]
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*["space" if ch == " " else ch for ch in typed])
    await pilot.pause()


def test_teachers_preview_with_a_dropdown_open(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        screen = await connected_preview(pilot, district)
        await open_dropdown(pilot, screen, 2, "thom")
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=SIZE, run_before=scene)


def test_teachers_preview_small_terminal_with_a_conflict(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        screen = await connected_preview(pilot, district)
        await open_dropdown(pilot, screen, 1, "isabella")
        await pilot.press("enter")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        assert screen.conflicts
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=SMALL, run_before=scene)


def test_teachers_fetch_failed(
    snap_compare: SnapCompare, make_app: AppFactory, district: SandboxDistrict, faults: Faults
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        app = await connected(pilot, district)
        faults.server_error_next = 50
        await teachers_preview(app, pilot)
        await still(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=scene)


def test_imported_teachers_with_the_email_editor(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await connected_preview(pilot, district)
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        await press_to(pilot, "v", screen=AccountsScreen)
        app.clear_notifications()
        for _ in range(3):
            await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#email-input", Input)
        field.value = ""
        await pilot.press(*"not-an-email", "enter")
        await settle(app, pilot)  # type: ignore[arg-type]
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=SIZE, run_before=scene)
