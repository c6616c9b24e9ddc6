"""The wizard's heap over a long session: what a step leaves behind goes when the step closes.

The collector is kept off the roster (``CleverWizardApp.keep_heap``), so a step screen that
outlived its dismissal (held by a pool thread, or frozen while still open) would stay for
the rest of the session, and with it a whole preview.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from tests.ui.walk import (
    SIZE,
    AppFactory,
    fetch_students,
    go_home,
    people_imported,
    settle,
    teachers_preview,
)


async def test_a_dismissed_step_and_its_preview_are_freed(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        teachers = weakref.ref(await teachers_preview(app, pilot))
        await go_home(app, pilot)
        await settle(app, pilot)
        students = weakref.ref(await fetch_students(app, pilot))
        await go_home(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, NotificationsScreen)
        gc.collect()
        assert teachers() is None, "the Teachers screen outlived its dismissal"
        assert students() is None, "the Students screen outlived its dismissal"
        assert not any(isinstance(o, TeachersScreen | StudentsScreen) for o in gc.get_objects())


async def test_the_start_up_heap_is_kept_out_of_collections_while_the_wizard_runs(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert gc.get_freeze_count() > 0, "the roster and the first screen are walked by every full collection"
    assert gc.get_freeze_count() == 0, "an ended wizard's heap goes back to the collector"


@contextmanager
def collector_off() -> Iterator[None]:
    """Only reference counting frees anything meanwhile: what is freed was let go of."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_a_closed_step_lets_go_of_its_preview_before_any_full_collection(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    """A closed screen's widgets are freed only by a full collection, which would walk all a
    preview holds (a school's plan and rows: most of a pass's third of a second at 20,000
    students). The screen lets go of them as it closes, so they are freed there and then."""
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        students = await fetch_students(app, pilot)
        assert students.fetched_plan is not None and students.groups, "the preview was not shown"
        plan = weakref.ref(students.fetched_plan)
        row = weakref.ref(students.groups[0][1][0])
        del students
        with collector_off():
            await go_home(app, pilot)
            await settle(app, pilot)
            assert plan() is None, "the closed preview's plan waits for a full collection"
            assert row() is None, "the closed preview's rows wait for a full collection"


async def test_a_closed_list_lets_go_of_its_accounts_before_any_full_collection(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_step("student-list")
        await settle(app, pilot)
        listed = app.screen
        assert isinstance(listed, AccountsScreen) and listed.accounts, "the list was not read"
        account = weakref.ref(next(iter(listed.accounts.values())))
        del listed
        with collector_off():
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, NotificationsScreen)
            assert account() is None, "the closed list's accounts wait for a full collection"
