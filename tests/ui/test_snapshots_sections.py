"""SVG snapshots of the Sections preview and of History, with time frozen.

Setup (connect, teachers, students) goes through the service; the pictured screens are
reached with keys. Update baselines with ``--snapshot-update`` only after looking at them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.history import HistoryScreen
from cleverwizard.ui.screens.sections import SectionsScreen
from tests.ui.test_history import three_runs
from tests.ui.test_sections import people_imported
from tests.ui.walk import settle

SnapCompare = Callable[..., bool]
SIZE = (100, 32)


@pytest.fixture(autouse=True)
def _frozen(frozen_time: datetime) -> datetime:
    return frozen_time


def test_sections_preview(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    import asyncio

    asyncio.run(people_imported(demo_settings, district))

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, CleverWizardApp)
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("i")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SectionsScreen) and screen.stage == "preview"
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SIZE, run_before=run_before)


def test_history(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    import asyncio

    asyncio.run(three_runs(demo_settings, district))

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(CleverWizardApp(demo_settings), terminal_size=SIZE, run_before=run_before)
