"""Pilot tests of the Students step: fetch, preview by grade, filter, import, and failures."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.widgets import Button, Checkbox, OptionList, ProgressBar, Static

from cleverwizard.config import Settings
from cleverwizard.rules.grades import grade_label
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store import StoreBusy
from cleverwizard.store.models import Student
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.widgets.grade_preview import NO_EMAIL, GradePreview
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.progress import FetchProgress
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    clever_students,
    click_to,
    connect_and_select,
    fetch_students,
    open_store,
    press_to,
    school_id_named,
    settle,
)

SCHOOL_ORDER = [
    "PreKindergarten",
    "Kindergarten",
    *(f"Grade {n}" for n in range(1, 14)),
    "PostGraduate",
    "Ungraded",
    "Other",
    "No grade",
]


def text(screen: StudentsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def table_rows(screen: StudentsScreen) -> list[list[str]]:
    table = screen.query_one("#grade-table", LongTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_import_students_by_grade_then_import(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    school_id = school_id_named(district, ELEMENTARY)
    clever = clever_students(district, school_id)
    grades = Counter(grade_label(user["roles"]["student"].get("grade")) for user in clever)
    without_email = {user["id"] for user in clever if not user.get("email")}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        intro = await press_to(pilot, "4", screen=StudentsScreen)
        assert text(intro, "#students-status").startswith("Students on this platform now: 0 (0 from Clever).")
        await pilot.press("escape")
        await pilot.pause()
        screen = await fetch_students(app, pilot)
        assert screen.stage == "preview"
        assert text(screen, "#students-summary").startswith(f"Import will: {len(clever)} students in Clever:")
        assert "Nothing is deleted." in text(screen, "#students-summary")

        preview = screen.query_one(GradePreview)
        counts = preview.counts()
        assert counts == dict(grades)
        assert list(counts) == [label for label in SCHOOL_ORDER if label in counts]
        assert list(counts)[:3] == ["PreKindergarten", "Kindergarten", "Grade 1"]
        grade_list = screen.query_one("#grade-list", OptionList)
        prek = grades["PreKindergarten"]
        assert str(grade_list.get_option_at_index(0).prompt).startswith(f"PreKindergarten  {prek}")
        assert text(screen, "#grade-heading").startswith(f"PreKindergarten: {prek} students")
        assert len(table_rows(screen)) == grades["PreKindergarten"]
        await pilot.press("down")  # the grade list has focus: next grade
        await pilot.pause()
        assert text(screen, "#grade-heading").startswith(f"Kindergarten: {grades['Kindergarten']} students")
        assert len(table_rows(screen)) == grades["Kindergarten"]

        await pilot.press("f")
        await pilot.pause()
        assert screen.query_one("#only-no-email", Checkbox).value
        flagged = {row.clever_id for _, rows in preview.shown for row in rows}
        assert without_email <= flagged  # plus shared or malformed Clever emails
        assert all(not row.has_email for _, rows in preview.shown for row in rows)
        assert table_rows(screen) and all(row[1] == NO_EMAIL for row in table_rows(screen))
        assert text(screen, "#grade-heading").endswith("without a login email")
        await pilot.press("f")
        await pilot.pause()
        assert preview.counts() == dict(grades)

        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        assert text(screen, "#imported-message").startswith(f"Imported {len(clever)} students from Clever")
        assert app.focused is screen.query_one("#view-button")
        home = await click_to(pilot, "#students-back", screen=NotificationsScreen)
        assert "without a login email" in str(home.query_one("#step-students .step-detail", Static).content)

    with open_store(demo_settings) as store:
        students = store.students()
        assert len(students) == len(clever)
        assert {s.clever_id for s in students} == {user["id"] for user in clever}
        by_clever = {s.clever_id: s for s in students}
        assert all(by_clever[cid].email is None for cid in without_email)
        assert {cid for cid, s in by_clever.items() if s.email is None} == flagged
        assert all(s.school == school_id and s.source == "clever" for s in students)
        assert store.meta().students_imported_at is not None
        assert store.runs()[0].started_by == "wizard"


async def test_a_503_during_the_fetch_is_explained_and_nothing_changes(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        with open_store(demo_settings) as store:
            revision = store.revision
        sandbox.faults.server_error_next = 100
        screen = await fetch_students(app, pilot)
        assert screen.stage == "failed"
        failed = text(screen, "#students-error")
        assert "Clever is not working right now (error 503" in failed
        assert "Nothing was saved." in text(screen, "#students-status")
        assert not screen.query_one("#reconnect").display
        assert app.is_running and app.focused is screen.query_one("#retry-button")
        with open_store(demo_settings) as store:
            assert store.revision == revision and store.students() == []

        sandbox.faults.clear()
        await pilot.click("#retry-button")
        await settle(app, pilot)
        assert screen.stage == "preview"


async def test_a_revoked_token_is_explained_with_a_way_to_reconnect(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        sandbox.faults.revoked = True
        screen = await fetch_students(app, pilot)
        assert screen.stage == "failed"
        assert "Clever refused the token" in text(screen, "#students-error")
        assert screen.query_one("#reconnect").display
        await pilot.click("#reconnect")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConnectScreen"
        assert len(app.screen_stack) == 2
    with open_store(demo_settings) as store:
        assert store.students() == []


async def test_cancel_stops_the_fetch_and_writes_nothing(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        sandbox.faults.latency = 5.0
        screen = await fetch_students(app, pilot, wait=False)
        assert screen.stage == "fetching"
        assert app.focused is screen.query_one("#fetch-cancel-button")
        assert "0 students so far" in str(screen.query_one(".fetch-count", Static).content)
        await pilot.click("#fetch-cancel-button")
        await settle(app, pilot)
        assert screen.stage == "intro"
        assert text(screen, "#students-status").startswith("Import cancelled: nothing was fetched or saved.")
    with open_store(demo_settings) as store:
        assert store.students() == []


async def test_the_progress_panel_counts_what_arrived(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        panel = FetchProgress(noun="students")
        await app.screen.mount(panel)
        panel.start("Fetching students from Clever…")
        panel.count = 1234
        assert "1,234 students so far" in str(panel.query_one(".fetch-count", Static).content)
        panel.count = 1
        assert "1 student so far" in str(panel.query_one(".fetch-count", Static).content)
        panel.set_total(2000)
        panel.count = 1500
        assert panel.query_one(ProgressBar).progress == 1500


async def test_a_changed_roster_makes_a_new_preview_before_importing(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        screen = await fetch_students(app, pilot)
        with open_store(demo_settings) as other, other.transaction() as tx:  # a scheduled sync
            tx.put_students([Student(id=tx.next_account_id(), first_name="Hand", last_name="Made")])
        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "preview"
        assert "changed since this preview" in text(screen, "#students-status")
        assert screen.query_one("#apply-button", Button).disabled is False
        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
    with open_store(demo_settings) as store:
        names = {s.full_name for s in store.students()}
        assert "Hand Made" in names and len(names) > 100


async def test_view_imported_students_opens_the_accounts_list(make_app: AppFactory, district: SandboxDistrict) -> None:
    accounts = pytest.importorskip("cleverwizard.ui.screens.accounts")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        screen = await fetch_students(app, pilot)
        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        await pilot.click("#view-button")
        await settle(app, pilot)
        assert isinstance(app.screen, accounts.AccountsScreen)
        assert screen in app.screen_stack


async def test_a_busy_roster_at_import_is_explained_and_import_can_be_retried(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        screen = await fetch_students(app, pilot)
        assert app.sync is not None

        def busy(plan: object) -> None:
            raise StoreBusy(demo_settings.data_dir)

        monkeypatch.setattr(app.sync, "apply", busy)
        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "preview"
        assert "Another cleverwizard is saving" in text(screen, "#students-summary")
        assert screen.query_one("#apply-button", Button).disabled is False
    with open_store(demo_settings) as store:
        assert store.students() == []


async def test_quitting_in_the_middle_of_a_fetch_loses_nothing_saved(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        sandbox.faults.latency = 5.0
        await fetch_students(app, pilot, wait=False)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, ELEMENTARY)
        assert store.students() == [] and store.meta().students_imported_at is None


async def test_importing_again_changes_nothing_that_is_already_there(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    total = len(clever_students(district, school_id_named(district, ELEMENTARY)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        await fetch_students(app, pilot)
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        await pilot.click("#students-back")
        await pilot.pause()
        intro = await press_to(pilot, "4", screen=StudentsScreen)
        assert text(intro, "#students-status").startswith(
            f"Students on this platform now: {total} ({total} from Clever). Last import: "
        )
        await pilot.press("escape")
        await pilot.pause()
        screen = await fetch_students(app, pilot)
        summary = text(screen, "#students-summary")
        assert "0 new accounts" in summary and f"{total} unchanged" in summary
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
    with open_store(demo_settings) as store:
        assert len(store.students()) == total
        assert [run.counts.created for run in store.runs()] == [0, total]


async def test_i_fetches_v_views_and_the_count_is_refreshed_after_entering_emails(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    from textual.widgets import Input

    from cleverwizard.ui.screens.accounts import AccountsScreen, EmailEditor

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        screen = await press_to(pilot, "4", screen=StudentsScreen)
        footer = {b.binding.key: b.binding.description for b in screen.active_bindings.values()}
        assert footer["i"] == "Import Students" and "v" not in footer
        await pilot.press("i")  # like Teachers and Sections: i starts the fetch
        await settle(app, pilot)
        assert screen.stage == "preview"
        footer = {b.binding.key: b.binding.description for b in screen.active_bindings.values()}
        assert footer["i"] == "Import"
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        done = screen.query_one("#students-back", Button)
        assert str(done.label) == "Done" and done.display  # the article's Done, back to Notifications
        with open_store(demo_settings) as store:
            missing = [s for s in store.students() if not s.email]
        assert len(missing) >= 1
        assert f"{len(missing)} students can't log in" in text(screen, "#imported-message") or (
            len(missing) == 1 and "1 student can't log in" in text(screen, "#imported-message")
        )

        accounts = await press_to(pilot, "v", screen=AccountsScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EmailEditor)
        editor.query_one("#email-input", Input).value = "first.fixed.2026@students.example.org"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is accounts
        await press_to(pilot, "escape", screen=StudentsScreen)
        left = len(missing) - 1
        message = text(screen, "#imported-message")
        if left:
            assert f"{left} student{'s' if left != 1 else ''} can't log in" in message
        else:
            assert "Every imported student has a login email." in message
        assert app.focused is screen.query_one("#view-button")
        await click_to(pilot, "#students-back", screen=NotificationsScreen)  # Done


def test_counts_read_singular_for_one() -> None:
    from cleverwizard.ui.screens.students import students

    assert students(1) == "1 student"
    assert students(0) == "0 students"
    assert students(2500) == "2,500 students"
