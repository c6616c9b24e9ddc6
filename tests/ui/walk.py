"""Walking the wizard as a user would: small steps the pilot tests (and snapshots) share.

Each helper starts from Notifications, uses the keys and buttons a person would, waits for
the workers it started, and returns the screen it leaves the user on. Setup that is not
what a test is about (connecting, importing people) goes through the service instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.connect import ConnectScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.screens.sections import SectionsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.wiring import open_sync

ELEMENTARY = "Lincoln Elementary School"
SIZE = (100, 32)
"""The terminal most pilot tests and snapshots use."""
AppFactory = Callable[..., CleverWizardApp]
ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def settle(app: CleverWizardApp, pilot: Pilot[Any]) -> None:
    """Wait for every worker, then for the messages they posted to be handled.

    A worker's message may start another worker (a save, then the checklist, then a
    screen change), so wait until a pause after the last worker starts none."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    for _ in range(50):
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            break
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


@contextmanager
def roster_sync(settings: Settings) -> Iterator[RosterSync]:
    """The service on its own store, as the command line (or a second window) uses it."""
    with open_sync(settings, started_by="cli") as sync:
        yield sync


def school_id_named(district: SandboxDistrict, name: str) -> str:
    return next(sid for sid, school in district.schools.items() if school["name"] == name)


def clever_students(district: SandboxDistrict, school_id: str) -> list[dict[str, Any]]:
    """The Clever students of a school, as INTERFACE.md counts them (primary or not)."""
    return district.users_at_school(school_id, "student")


# -- setup through the service --------------------------------------------------------


async def connect_school(sync: RosterSync, district: SandboxDistrict, *, school: bool = True) -> None:
    """Connect the district (and the elementary school) with ``sync``."""
    await sync.connect(district.district_id)
    if school:
        await sync.select_school(school_id_named(district, ELEMENTARY))


async def school_connected(settings: Settings, district: SandboxDistrict) -> None:
    """District and elementary school connected through the service, before the app starts."""
    with roster_sync(settings) as sync:
        await connect_school(sync, district)


async def people_imported(settings: Settings, district: SandboxDistrict) -> None:
    """District and school connected, teachers and students imported, through the service."""
    with roster_sync(settings) as sync:
        await connect_school(sync, district)
        sync.apply(sync.plan("teacher", await sync.fetch("teacher")))
        sync.apply(sync.plan("student", await sync.fetch("student")))


async def connected(pilot: Pilot[Any], district: SandboxDistrict, *, school: bool = True) -> CleverWizardApp:
    """In a running app: connected through its service, and the checklist re-read."""
    app = pilot.app
    assert isinstance(app, CleverWizardApp)
    await roster_read(app, pilot)
    assert app.sync is not None
    await pilot.pause()
    await connect_school(app.sync, district, school=school)
    home = app.screen
    assert isinstance(home, NotificationsScreen)
    home.refresh_checklist()
    await pilot.pause()
    return app


# -- keys and clicks --------------------------------------------------------------------


async def press_to(pilot: Pilot[Any], *keys: str, screen: type[ScreenT]) -> ScreenT:
    """Press ``keys``, let the app handle them, and check which screen is showing."""
    if isinstance(pilot.app, CleverWizardApp):
        await roster_read(pilot.app, pilot)
    await pilot.press(*keys)
    await pilot.pause()
    shown = pilot.app.screen
    assert isinstance(shown, screen)
    return shown


async def click_to(pilot: Pilot[Any], selector: str, *, screen: type[ScreenT]) -> ScreenT:
    """Click ``selector``, let the app handle it, and check which screen is showing."""
    await pilot.click(selector)
    await pilot.pause()
    shown = pilot.app.screen
    assert isinstance(shown, screen)
    return shown


async def roster_read(app: CleverWizardApp, pilot: Pilot[Any]) -> None:
    """Wait for the start-up read of the roster (a thread worker) and the checklist it shows."""
    for _ in range(500):
        opening = [worker for worker in app.workers if worker.group == "open-roster" and not worker.is_finished]
        if not app.reading_roster and not opening:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.pause()


async def still(pilot: Pilot[Any]) -> None:
    """For a snapshot: no toasts, no blinking cursors; what is left is the screen itself."""
    assert isinstance(pilot.app, CleverWizardApp)
    await roster_read(pilot.app, pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def go_home(app: CleverWizardApp, pilot: Pilot[Any]) -> NotificationsScreen:
    return await press_to(pilot, "escape", screen=NotificationsScreen)


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
    for _ in range(abs(names.index(name) - table.cursor_row)):
        await pilot.press("down" if names.index(name) > table.cursor_row else "up")
    await pilot.press("enter")  # Enter on the school confirms it
    await settle(app, pilot)
    assert isinstance(app.screen, NotificationsScreen)


async def connect_and_select(
    app: CleverWizardApp, pilot: Pilot[Any], district: SandboxDistrict, name: str = ELEMENTARY
) -> None:
    await connect_district(app, pilot, district.district_id)
    await go_home(app, pilot)
    await select_school(app, pilot, name)


async def fetch_students(app: CleverWizardApp, pilot: Pilot[Any], *, wait: bool = True) -> StudentsScreen:
    """Notifications → 4 → Import Students; waits for the preview (or the failure) if ``wait``."""
    screen = await press_to(pilot, "4", screen=StudentsScreen)
    await pilot.click("#fetch-button")
    if wait:
        await settle(app, pilot)
    else:
        await pilot.pause()
    return screen


async def import_preview(app: CleverWizardApp, pilot: Pilot[Any], key: str, screen: type[ScreenT]) -> ScreenT:
    """Notifications → ``key`` (Go to …) → i (Import …); waits for the preview (or the failure)."""
    await pilot.pause()
    step = await press_to(pilot, key, screen=screen)
    await pilot.press("i")
    await settle(app, pilot)
    return step


async def teachers_preview(app: CleverWizardApp, pilot: Pilot[Any]) -> TeachersScreen:
    return await import_preview(app, pilot, "3", TeachersScreen)


async def sections_preview(app: CleverWizardApp, pilot: Pilot[Any]) -> SectionsScreen:
    return await import_preview(app, pilot, "5", SectionsScreen)
