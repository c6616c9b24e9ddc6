"""Walking the wizard as a user would: small steps the pilot tests (and snapshots) share.

Each helper starts from Notifications, uses the keys and buttons a person would, waits for
the workers it started, and returns the screen it leaves the user on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store import RosterStore
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.connect import ConnectScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.screens.students import StudentsScreen

ELEMENTARY = "Lincoln Elementary School"


async def settle(app: CleverWizardApp, pilot: Pilot[Any]) -> None:
    """Wait for every worker, then for the messages they posted to be handled."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


@contextmanager
def open_store(settings: Settings) -> Iterator[RosterStore]:
    """The roster as a second process would see it, for assertions after (or during) a test."""
    store = RosterStore.open(settings.data_dir)
    try:
        yield store
    finally:
        store.close()


def school_id_named(district: SandboxDistrict, name: str) -> str:
    return next(sid for sid, school in district.schools.items() if school["name"] == name)


def clever_students(district: SandboxDistrict, school_id: str) -> list[dict[str, Any]]:
    """The Clever students of a school, as INTERFACE.md counts them (primary or not)."""
    return district.users_at_school(school_id, "student")


async def go_home(app: CleverWizardApp, pilot: Pilot[Any]) -> NotificationsScreen:
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, NotificationsScreen)
    return app.screen


async def connect_district(
    app: CleverWizardApp, pilot: Pilot[Any], district_id: str, token: str | None = None
) -> ConnectScreen:
    """Notifications → 1 → type the id (and token) → Check and Connect."""
    if not isinstance(app.screen, ConnectScreen):
        await pilot.press("1")
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ConnectScreen)
    screen.query_one("#district-id", Input).value = district_id
    if token is not None:
        screen.query_one("#token", Input).value = token
    await pilot.click("#check")
    await settle(app, pilot)
    return screen


async def select_school(app: CleverWizardApp, pilot: Pilot[Any], name: str = ELEMENTARY) -> None:
    """Notifications → 2 → arrow down to the school → Confirm; ends back on Notifications."""
    await pilot.press("2")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, SchoolScreen)
    table = screen.query_one("#schools", DataTable)
    names = [school.name for school in screen.schools]
    for _ in range(names.index(name) - table.cursor_row):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, NotificationsScreen)


async def connect_and_select(
    app: CleverWizardApp, pilot: Pilot[Any], district: SandboxDistrict, name: str = ELEMENTARY
) -> None:
    await connect_district(app, pilot, district.district_id)
    await go_home(app, pilot)
    await select_school(app, pilot, name)


async def fetch_students(app: CleverWizardApp, pilot: Pilot[Any]) -> StudentsScreen:
    """Notifications → 4 → Import Students; waits for the preview (or the failure)."""
    await pilot.press("4")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StudentsScreen)
    await pilot.click("#fetch-students")
    await settle(app, pilot)
    return screen
