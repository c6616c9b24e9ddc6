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
from cleverwizard.wiring import build_app
from tests.ui.test_history import three_runs
from tests.ui.walk import SIZE, people_imported, press_to, sections_preview, still

SnapCompare = Callable[..., bool]


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
        screen = await sections_preview(app, pilot)
        assert screen.stage == "preview"
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=SIZE, run_before=run_before)


def test_history(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    import asyncio

    asyncio.run(three_runs(demo_settings, district))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await press_to(pilot, "h", screen=HistoryScreen)
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=SIZE, run_before=run_before)
