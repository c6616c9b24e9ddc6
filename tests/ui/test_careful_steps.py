"""A tired administrator's walk: no key commits by accident, and every list has a way back.

Fetching and importing are separate actions (Import asks once, Cancel focused); leaving a
preview whose choices were changed asks first; a cancelled undo says so; the imported lists
open from Notifications and the palette without importing again; the checklist tells the
truth after an undo; a low match rate and grades outside the school's span are flagged.
"""

from __future__ import annotations

from textual.widgets import Button, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.confirm import Confirm
from cleverwizard.ui.screens.history import ConfirmUndo, HistoryScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.long_table import LongTable
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    connect_district,
    connected,
    fetch_students,
    go_home,
    open_store,
    people_imported,
    press_to,
    roster_sync,
    school_id_named,
    settle,
    teachers_preview,
)


def text(screen: object, selector: str) -> str:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(selector, Static).content)


async def test_pressing_i_twice_asks_before_importing_and_enter_cancels(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        screen = await press_to(pilot, "3", screen=TeachersScreen)
        await pilot.press("i", "i")  # the double press: fetch, then the question, never an import
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, Confirm) and screen.plan is not None
        assert screen.plan.summary() in text(question, ".confirm-body")
        assert app.focused is question.query_one("#confirm-no", Button)
        await pilot.press("i")  # a third press does nothing in the question
        await pilot.press("enter")  # Enter takes the focused, safe choice
        await settle(app, pilot)
        assert app.screen is screen and screen.stage == "preview"
        assert "Not imported yet" in text(screen, "#teachers-status")
        with open_store(demo_settings) as store:
            assert store.meta().teachers_imported_at is None and store.runs() == []
        await pilot.press("i", "y")
        await settle(app, pilot)
        assert screen.stage == "done"
        with open_store(demo_settings) as store:
            assert store.meta().teachers_imported_at is not None


async def test_escape_on_a_changed_preview_asks_and_stay_keeps_the_choices(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    from tests.ui.test_teachers import choose

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        screen = await teachers_preview(app, pilot)
        row = next(r for r in screen.rows if r.suggested is not None)
        await choose(pilot, screen, row.account.id, "zzzz")  # "not in the list"
        assert screen.choices[row.account.id] is None and screen.changed_choices() == 1
        await pilot.press("escape")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, Confirm)
        assert "You changed 1 choice" in text(question, ".confirm-body")
        await pilot.press("enter")  # Stay on the preview is focused
        await pilot.pause()
        assert app.screen is screen and screen.choices[row.account.id] is None
        await pilot.press("escape")
        await pilot.pause()
        await press_to(pilot, "y", screen=NotificationsScreen)


async def test_escape_on_an_untouched_preview_goes_straight_back(
    make_app: AppFactory, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        await teachers_preview(app, pilot)
        await press_to(pilot, "escape", screen=NotificationsScreen)


async def test_a_cancelled_undo_says_what_happened(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await press_to(pilot, "h", screen=HistoryScreen)
        await press_to(pilot, "u", screen=ConfirmUndo)
        await press_to(pilot, "enter", screen=HistoryScreen)  # Cancel is focused
        assert screen.query_one("#undo-result-box").display
        assert text(screen, "#undo-result") == "Undo cancelled: run 2 was left as it is."
    with open_store(demo_settings) as store:
        assert len(store.runs()) == 2


async def test_the_imported_lists_open_from_notifications_and_the_palette_without_a_new_run(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert home.query_one("#go-teacher-list", Button).display
        assert home.query_one("#go-student-list", Button).display
        teachers = await press_to(pilot, "t", screen=AccountsScreen)
        assert teachers.kind == "teacher" and teachers.query_one(LongTable).row_count > 0
        await press_to(pilot, "escape", screen=NotificationsScreen)
        app.open_step("student-list")  # what the palette's "View Imported Students" calls
        await pilot.pause()
        students = app.screen
        assert isinstance(students, AccountsScreen) and students.kind == "student"
        await go_home(app, pilot)
        step = await press_to(pilot, "4", screen=StudentsScreen)
        assert step.stage == "intro" and step.query_one("#view-button", Button).display
        await press_to(pilot, "v", screen=AccountsScreen)
        await press_to(pilot, "escape", screen=StudentsScreen)
    with open_store(demo_settings) as store:
        assert [run.kind for run in store.runs()] == ["import students", "import teachers"]


async def test_the_lists_wait_for_their_import(make_app: AppFactory, district: SandboxDistrict) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert not home.query_one("#go-teacher-list", Button).display
        assert app.blocked_reason("teacher-list") == "View Imported Teachers needs Import Teachers first."
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is home


async def test_sections_are_not_done_after_their_import_is_undone(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    with roster_sync(demo_settings) as sync:
        run = sync.apply_sections(sync.plan_sections(await sync.fetch_sections()))
        assert sync.checklist().item("sections").state in ("done", "needs review")
        sync.undo(run.id)
        item = sync.checklist().item("sections")
    assert item.state == "not started"
    assert item.detail == f"No sections on the platform: the sections import (run {run.id}) was undone"


async def test_the_wrong_school_is_questioned_before_import(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        assert app.sync is not None
        other = next(sid for sid, school in district.schools.items() if school["name"] != ELEMENTARY)
        await app.sync.select_school(other, switch_confirmed=True)
        screen = await teachers_preview(app, pilot)
        assert "Is this the right school?" in text(screen, "#teachers-summary")
        await pilot.press("i")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, Confirm)
        assert str(question.query_one(".confirm-title", Static).content) == "Import teachers anyway?"
        assert "platform teachers were not found" in text(question, ".confirm-body")


async def test_students_outside_the_schools_grades_are_flagged(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        screen = await fetch_students(app, pilot)
        outside = [row for _, rows in screen.groups for row in rows if row.outside]
        assert outside and all("outside this school's grades" in row.notes for row in outside)
        assert "outside this school's grades" in text(screen, "#students-summary")


async def test_select_your_school_starts_on_the_likely_school_and_enter_confirms(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_district(app, pilot, district.district_id)
        await go_home(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SchoolScreen)
        highlighted = screen.highlighted_school()
        assert highlighted is not None and highlighted.id == demo_settings.demo_school_id
        await press_to(pilot, "enter", screen=NotificationsScreen)
        await settle(app, pilot)
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, ELEMENTARY)
