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
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.match_select import MatchSelect
from tests.ui.walk import ELEMENTARY, school_id_named, settle

SnapCompare = Callable[..., bool]
SIZE = (100, 32)
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _frozen(frozen_time: datetime) -> datetime:
    return frozen_time


async def still(pilot: Pilot[Any]) -> None:
    """No toasts, no blinking cursors: what is left is the screen itself."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def connected(pilot: Pilot[Any], district: SandboxDistrict) -> CleverWizardApp:
    """District and school connected through the service, the checklist re-read."""
    app = pilot.app
    assert isinstance(app, CleverWizardApp) and app.sync is not None
    await pilot.pause()
    await app.sync.connect(district.district_id)
    await app.sync.select_school(school_id_named(district, ELEMENTARY))
    home = app.screen
    assert isinstance(home, NotificationsScreen)
    home.refresh_checklist()
    await pilot.pause()
    return app


async def teachers_preview(pilot: Pilot[Any], district: SandboxDistrict) -> TeachersScreen:
    """Connected, then 3 (Go to Teachers) and i (Import Teachers)."""
    app = await connected(pilot, district)
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("i")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, TeachersScreen) and screen.stage == "preview"
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
        screen = await teachers_preview(pilot, district)
        await open_dropdown(pilot, screen, 2, "thom")
        await still(pilot)

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SIZE, run_before=scene)


def test_teachers_preview_small_terminal_with_a_conflict(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        screen = await teachers_preview(pilot, district)
        await open_dropdown(pilot, screen, 1, "isabella")
        await pilot.press("enter")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        assert screen.conflicts
        await still(pilot)

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SMALL, run_before=scene)


def test_teachers_fetch_failed(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict, faults: Faults
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        app = await connected(pilot, district)
        faults.server_error_next = 50
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("i")
        await settle(app, pilot)
        await still(pilot)

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SMALL, run_before=scene)


def test_imported_teachers_with_the_email_editor(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await teachers_preview(pilot, district)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
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

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SIZE, run_before=scene)
