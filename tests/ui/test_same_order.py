"""The import previews and View Imported Teachers/Students list people in one order.

Last name, first name, ignoring case and accents, ties by Clever id then platform id
(``rules.order``): a student's place in the Students preview (inside their grade) is their
place in View Imported Students, and the Teachers preview lists the platform's teachers as
View Imported Teachers does.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from cleverwizard.clever.models import User
from cleverwizard.config import Settings
from cleverwizard.rules.grades import grade_label
from cleverwizard.rules.order import account_order, clever_user_order, person_order
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store.models import Account, Teacher
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.grade_preview import GradePreview
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.teacher_row import TeacherRow
from tests.ui.walk import (
    SIZE,
    AppFactory,
    fetch_students,
    open_store,
    press_to,
    roster_sync,
    school_connected,
    settle,
    teachers_preview,
)


def test_one_order_for_names_in_any_case_and_accent_with_a_stable_tie_break() -> None:
    names = [("nunez", "Zoe", None, 4), ("Núñez", "ana", None, 9), ("NUNEZ", "Ana", None, 2), ("Abe", "Zed", "c1", 7)]
    ordered = sorted(names, key=lambda n: person_order(n[0], n[1], n[2], n[3]))
    assert [n[3] for n in ordered] == [7, 2, 9, 4]
    linked = Teacher(id=5, first_name="Ana", last_name="Núñez", clever_id="t-ana")
    user = User.model_validate({"id": "t-ana", "name": {"first": "ana", "last": "NUNEZ"}})
    assert account_order(linked)[:3] == clever_user_order(user)[:3]  # a Clever person sits where their account will


async def shown_accounts(app: CleverWizardApp, pilot: Pilot[Any], kind: str) -> list[Account]:
    app.push_screen(AccountsScreen(kind))  # type: ignore[arg-type]
    await settle(app, pilot)  # the list is read, sorted and filled by workers
    screen = app.screen
    assert isinstance(screen, AccountsScreen)
    return [screen.accounts[int(str(key))] for key in screen.query_one(LongTable).row_keys]


async def test_the_students_preview_and_the_imported_list_agree(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await fetch_students(app, pilot)
        preview = screen.query_one(GradePreview)
        previewed = {label: [row.clever_id for row in rows] for label, rows in preview.shown}
        first_label, first_rows = preview.shown[0]
        table = preview.query_one("#grade-table", LongTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [row.name for row in first_rows]
        await pilot.press("i", "y")  # import, and yes to the question
        await pilot.pause()
        while screen.stage != "done":
            await pilot.pause(0.05)
        listed = await shown_accounts(app, pilot, "student")
    by_grade: dict[str, list[str]] = {}
    for account in listed:
        by_grade.setdefault(grade_label(getattr(account, "grade", None)), []).append(account.clever_id or "")
    assert by_grade == previewed and len(previewed[first_label]) > 1


async def test_the_teachers_preview_lists_the_platform_teachers_as_the_imported_list_does(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    with roster_sync(demo_settings) as sync:
        before = sorted(sync.view().teachers, key=lambda t: t.id)
    assert [t.id for t in before] != [t.id for t in sorted(before, key=account_order)]  # store order is not name order
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        rows = [widget.row.account for widget in screen.query(TeacherRow)]
        assert [a.id for a in rows] == [a.id for a in sorted(before, key=account_order) if a.status == "active"]
        await pilot.press("escape")
        await pilot.pause()
        listed = await shown_accounts(app, pilot, "teacher")
    assert [a.id for a in listed] == [a.id for a in sorted(listed, key=account_order)]
    with open_store(demo_settings) as store:
        assert {a.id for a in store.teachers()} == {a.id for a in listed}


async def test_the_teachers_step_lists_the_platform_teachers_in_that_order_before_any_fetch(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await school_connected(demo_settings, district)
    with roster_sync(demo_settings) as sync:
        expected = [t.full_name for t in sorted(sync.view().teachers, key=account_order) if t.status == "active"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_to(pilot, "3", screen=TeachersScreen)
        await settle(app, pilot)
        table = screen.query_one("#teachers-intro", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == expected
