"""Pilot tests of the platform's own records in the wizard: add from a file, add by hand, fill emails.

A school not on Clever reaches them from Notifications (``a``); the Teachers step offers
*Add from a file* and *Add a teacher* before *Import Teachers*, and Students *Fill missing
emails*. Each is checked in the store afterwards, as a second process would see it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RadioButton, Static

from cleverwizard.config import Settings
from cleverwizard.rules.names import is_valid_email
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.ui.screens.add_from_file import AddFromFileScreen
from cleverwizard.ui.screens.add_person import AddPersonScreen
from cleverwizard.ui.screens.fill_emails import FillEmailsScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.platform_records import PlatformRecordsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from tests.ui.walk import SIZE, AppFactory, click_to, open_store, people_imported, press_to, school_connected, settle

GOOGLE = (
    "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Employee ID\r\n"
    "Ada,Lovelace,ada@lakeview.org,****,E1\r\n"
    "Alan,Turing,alan@lakeview.org,****,\r\n"
)


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def preview(pilot: Pilot[Any], screen: Any, value: str, field: str = "#records-path") -> None:
    screen.query_one(field, Input).value = value
    screen.query_one(field, Input).focus()
    await pilot.press("enter")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]


async def test_a_school_not_on_clever_adds_teachers_from_a_file_from_notifications(
    make_app: AppFactory, demo_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "google-users.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOGLE.encode())
    with open_store(demo_settings) as store:
        before = len(store.teachers())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)
        hub = await press_to(pilot, "a", screen=PlatformRecordsScreen)
        screen = await click_to(pilot, "#records-add-teachers-file", screen=AddFromFileScreen)
        assert hub is not screen
        await preview(pilot, screen, str(path))
        lines = text_of(screen, "#records-lines")
        assert "google-users.csv: 2 new teachers, 0 already there." in lines
        assert (
            "new teacher: Ada Lovelace <ada@lakeview.org>" in lines and "columns not used: Password [Required]" in lines
        )
        add = screen.query_one("#records-apply-button", Button)
        assert not add.disabled and add.has_focus
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Added 2: run 1 in History" in text_of(screen, "#records-message")
        assert screen.query_one("#records-apply-button", Button).disabled
    with open_store(demo_settings) as store:
        added = store.teachers()[before:]
        assert [(t.full_name, t.source, t.sis_id) for t in added] == [
            ("Ada Lovelace", "manual", "E1"),
            ("Alan Turing", "manual", None),
        ]
        assert store.runs()[0].kind == "add teachers" and store.site() is None


async def test_a_bad_file_shows_every_bad_row_and_adds_nothing(
    make_app: AppFactory, demo_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("first_name,last_name,email\n[bold]Eve[/bold],,eve@s.org\nBob,Ray,bob at s\nBo,Ri,EVE@s.org\n")
    before = (demo_settings.data_dir / "roster.json").read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press_to(pilot, "a", screen=PlatformRecordsScreen)
        screen = await click_to(pilot, "#records-add-teachers-file", screen=AddFromFileScreen)
        await preview(pilot, screen, str(path))
        lines = text_of(screen, "#records-lines").splitlines()
        assert lines == [
            "staff.csv: 3 bad rows; nothing is added until every row is good.",
            "  bad row: line 2: no last name ([bold]Eve[/bold] <eve@s.org>)",
            "  bad row: line 3: 'bob at s' is not an email address (Bob Ray <bob at s>)",
            "  bad row: line 4: same email as line 2 (Bo Ri <EVE@s.org>)",
        ]
        assert screen.query_one("#records-apply-button", Button).disabled
        assert "Fix the bad rows" in text_of(screen, "#records-message")
        await preview(pilot, screen, str(tmp_path / "missing.csv"))
        assert "There is no file" in text_of(screen, "#records-message")
    assert (demo_settings.data_dir / "roster.json").read_bytes() == before


async def test_the_teachers_step_adds_from_a_file_and_by_hand_and_matching_sees_them(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, tmp_path: Path
) -> None:
    await school_connected(demo_settings, district)
    with open_store(demo_settings) as store:
        known = " ".join(f"{t.full_name} {t.email}" for t in store.teachers()).casefold()
        school = store.site().school_id  # type: ignore[union-attr]
    clever = next(  # a Clever teacher the demo's hand-made accounts do not already stand for
        u
        for u in district.users_at_school(school, "teacher")
        if is_valid_email(u.get("email"))
        and u["name"]["last"].casefold() not in known
        and u["email"].casefold() not in known
        and [(v.get("email") or "").casefold() for v in district.users.values()].count(u["email"].casefold()) == 1
    )
    path = tmp_path / "staff.csv"
    path.write_text(f"first_name,last_name,email\nPat,Example,{clever['email'].upper()}\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        teachers = await press_to(pilot, "3", screen=TeachersScreen)
        assert teachers.query_one("#step-add-teachers-file", Button).display
        screen = await press_to(pilot, "a", screen=AddFromFileScreen)
        await preview(pilot, screen, str(path))
        await pilot.click("#records-apply-button")
        await settle(app, pilot)
        assert "Added 1: run 1 in History" in text_of(screen, "#records-message"), text_of(screen, "#records-lines")
        await press_to(pilot, "escape", screen=TeachersScreen)
        await settle(app, pilot)
        table = teachers.query_one("#teachers-intro", DataTable)
        assert "Pat Example" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        editor = await press_to(pilot, "n", screen=AddPersonScreen)
        for field, value in (("first-name", "Grace"), ("last-name", "Hopper"), ("email", "not-an-email")):
            editor.query_one(f"#person-{field}", Input).value = value
        await pilot.click("#person-save-button")
        await settle(app, pilot)
        assert "is not an email address" in text_of(editor, "#person-error")
        editor.query_one("#person-email", Input).value = "grace@lakeview.org"
        await pilot.click("#person-save-button")
        await settle(app, pilot)
        assert app.screen is teachers
        await pilot.press("i")
        await settle(app, pilot)
        assert teachers.plan is not None
        links = {change.name: change.account_id for change in teachers.plan.of("link")}
        assert clever["id"] in {change.clever_id for change in teachers.plan.of("link")}
    with open_store(demo_settings) as store:
        by_name = {t.full_name: t for t in store.teachers()}
        assert by_name["Grace Hopper"].source == "manual" and by_name["Grace Hopper"].email == "grace@lakeview.org"
        assert by_name["Pat Example"].id in links.values()  # the added account is what Select a Match links
        assert [r.kind for r in store.runs()] == ["add teachers", "add teachers"]


async def test_fill_missing_emails_from_the_students_step_by_pattern(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    with open_store(demo_settings) as store:
        missing = [s for s in store.students() if not s.email and s.status == "active"]
    assert missing
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_to(pilot, "4", screen=StudentsScreen)
        screen = await press_to(pilot, "m", screen=FillEmailsScreen)
        assert screen.query_one("#fill-by-pattern", RadioButton).value
        await preview(pilot, screen, "{first}.{last}@students.lakeview.org", field="#records-value")
        lines = text_of(screen, "#records-lines").splitlines()
        sets = [line for line in lines if line.startswith("  set: ")]
        cant = [line for line in lines if line.startswith("  can't fill: ")]
        assert len(sets) + len(cant) == len(missing) and sets
        await pilot.click("#records-apply-button")
        await settle(app, pilot)
        assert f"Set {len(sets)} login emails" in text_of(screen, "#records-message")
    with open_store(demo_settings) as store:
        filled = [s for s in store.students() if "email" in s.edited]
        assert len(filled) == len(sets) and all(s.email and s.email.endswith("@students.lakeview.org") for s in filled)
        assert store.runs()[0].kind == "fill emails"


async def test_fill_missing_emails_from_a_file_lists_what_it_cannot_fill(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, tmp_path: Path
) -> None:
    await people_imported(demo_settings, district)
    with open_store(demo_settings) as store:
        target = next(s for s in store.students() if not s.email and s.first_name and s.last_name)
        taken = next(s.email for s in store.students() if s.email)
    path = tmp_path / "emails.csv"
    path.write_text(f"first_name,last_name,email\n{target.first_name},{target.last_name},{taken}\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_to(pilot, "4", screen=StudentsScreen)
        screen = await press_to(pilot, "m", screen=FillEmailsScreen)
        await pilot.click("#fill-by-file")
        await pilot.pause()
        await preview(pilot, screen, str(path), field="#records-value")
        lines = text_of(screen, "#records-lines")
        assert f"can't fill: {target.full_name}: {taken} is already the login of" in lines
        assert screen.query_one("#records-apply-button", Button).disabled
        assert "Nothing to save" in text_of(screen, "#records-message")


async def test_a_student_added_by_hand_before_connect(make_app: AppFactory, demo_settings: Settings) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press_to(pilot, "a", screen=PlatformRecordsScreen)
        editor = await click_to(pilot, "#records-add-student", screen=AddPersonScreen)
        assert editor.query_one("#person-first-name", Input).has_focus
        values = {"first-name": "Mia", "last-name": "Wong", "email": "mia@students.org", "grade": "3"}
        for field, value in values.items():
            editor.query_one(f"#person-{field}", Input).value = value
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlatformRecordsScreen)
        again = await click_to(pilot, "#records-add-student", screen=AddPersonScreen)
        for field, value in {**values, "first-name": "Other"}.items():
            again.query_one(f"#person-{field}", Input).value = value
        await pilot.press("enter")
        await settle(app, pilot)
        assert "mia@students.org is already the login of Mia Wong." in text_of(again, "#person-error")
    with open_store(demo_settings) as store:
        assert [(s.full_name, s.grade, s.source) for s in store.students()] == [("Mia Wong", "3", "manual")]
        assert store.site() is None and [r.kind for r in store.runs()] == ["add students"]
