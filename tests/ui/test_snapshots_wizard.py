"""SVG snapshots of the wizard's screens (pytest-textual-snapshot).

Scenes are set up through the service where the path there is not what is being pictured,
and through the UI otherwise. Time is frozen (``frozen_time``) and toasts are cleared, so a
baseline only changes when the screen does. Update baselines with ``--snapshot-update``
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
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.wiring import build_app
from tests.ui.walk import SIZE, connected, fetch_students, settle, still

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _frozen(frozen_time: datetime) -> datetime:
    return frozen_time


def wizard(settings: Settings) -> CleverWizardApp:
    return build_app(settings)


async def students_preview(pilot: Pilot[Any], district: SandboxDistrict) -> None:
    app = await connected(pilot, district)
    await fetch_students(app, pilot)


def test_notifications_fresh(snap_compare: SnapCompare, demo_settings: Settings) -> None:
    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=still)


def test_notifications_connected(snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await connected(pilot, district)
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)


def test_notifications_small_terminal(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await connected(pilot, district)
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=(80, 24), run_before=scene)


def test_notifications_large_terminal_after_students(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await students_preview(pilot, district)
        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await pilot.click("#students-back")
        await pilot.pause()
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=(200, 60), run_before=scene)


def test_notifications_light_theme(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await connected(pilot, district, school=False)
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)


def test_connect_wrong_id(snap_compare: SnapCompare, demo_settings: Settings) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await pilot.press("1")
        await pilot.pause()
        pilot.app.screen.query_one("#district-id", Input).value = "5b2ad81a709e300001e2cd7a"
        await pilot.click("#check")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)


def test_select_school(snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await connected(pilot, district, school=False)
        await pilot.press("2")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await pilot.press("down")
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)


def test_students_preview(snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await students_preview(pilot, district)
        await pilot.press("down", "down")
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)


def test_students_preview_small_terminal_only_without_email(
    snap_compare: SnapCompare, demo_settings: Settings, district: SandboxDistrict
) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await students_preview(pilot, district)
        await pilot.press("f")
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=(80, 24), run_before=scene)


def test_help(snap_compare: SnapCompare, demo_settings: Settings) -> None:
    async def scene(pilot: Pilot[Any]) -> None:
        await pilot.press("f1")
        await still(pilot)

    assert snap_compare(wizard(demo_settings), terminal_size=SIZE, run_before=scene)
