"""Select your School: moving a site that already has Clever people to another school asks first."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import ConfirmSwitch, SchoolScreen
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    open_store,
    people_imported,
    press_to,
    school_connected,
    school_id_named,
    settle,
)


async def open_other_school(app: CleverWizardApp, pilot: Pilot[Any]) -> tuple[SchoolScreen, str]:
    """2 → the first school that is not Lincoln → Enter → Confirm (Enter)."""
    await pilot.press("2")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, SchoolScreen)
    names = [school.name for school in screen.schools]
    other = next(name for name in names if name and name != ELEMENTARY)
    table = screen.query_one("#schools", DataTable)
    for _ in range(abs(names.index(other) - table.cursor_row)):
        await pilot.press("down" if names.index(other) > table.cursor_row else "up")
    await pilot.press("enter")  # Enter on the school confirms it
    await pilot.pause()
    return screen, other


async def test_switching_school_after_imports_asks_and_cancel_keeps_the_school(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    with open_store(demo_settings) as store:
        teachers = sum(1 for t in store.teachers() if t.clever_id)
        students = sum(1 for s in store.students() if s.clever_id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, other = await open_other_school(app, pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmSwitch)
        text = str(modal.query_one("#switch-text", Static).content)
        assert f"{teachers} teachers and {students} students from {ELEMENTARY}" in text
        assert f"to set up {other}, use another data folder (--data-dir)" in text
        assert app.focused is modal.query_one("#switch-cancel-button", Button)
        await pilot.press("enter")  # Cancel is the default
        await settle(app, pilot)
        assert app.screen is screen
        assert "Nothing changed" in str(screen.query_one("#school-message", Static).content)
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, ELEMENTARY)


async def test_switching_school_after_imports_switches_only_when_confirmed(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, other = await open_other_school(app, pilot)
        assert isinstance(app.screen, ConfirmSwitch)
        await pilot.click("#switch-confirm-button")
        await settle(app, pilot)
        assert isinstance(app.screen, NotificationsScreen)
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, other)


async def test_escape_on_the_question_cancels(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_other_school(app, pilot)
        await press_to(pilot, "escape", screen=SchoolScreen)
        assert app.screen is screen
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, ELEMENTARY)


async def test_switching_school_before_any_import_does_not_ask(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, other = await open_other_school(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, NotificationsScreen)
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, other)
