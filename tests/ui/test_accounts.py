"""Pilot tests of View Imported Teachers / Students: filtering, sorting, editing a login email.

Teachers and students are imported through the service first (as ``cleverwizard import``
would), then the list is used as an administrator would: filter, pick a row, press e (or
Enter), type, Save. The store is checked afterwards: a valid email is saved and marked
edited, a refused one leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from cleverwizard.config import Settings
from cleverwizard.rules.grades import grade_rank
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store import Account
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen, EmailEditor, Kind
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.widgets.long_table import LongTable
from tests.ui.walk import SIZE, AppFactory, open_store, people_imported, roster_read, settle


def people(settings: Settings, kind: Kind) -> list[Account]:
    with open_store(settings) as store:
        return [*store.teachers()] if kind == "teacher" else [*store.students()]


async def open_accounts(app: CleverWizardApp, pilot: Pilot[Any], kind: Kind) -> AccountsScreen:
    await pilot.pause()
    app.push_screen(AccountsScreen(kind))
    await settle(pilot.app, pilot)  # type: ignore[arg-type]  # the list is read and sorted in threads
    assert isinstance(app.screen, AccountsScreen)
    return app.screen


async def pick(pilot: Pilot[Any], screen: AccountsScreen, text: str) -> None:
    """/ (Filter), type, Enter: the table is focused on the first matching row."""
    await pilot.press("slash")
    await pilot.press(*["space" if ch == " " else ch for ch in text])
    await pilot.press("enter")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]  # the list is read and sorted in threads
    assert screen.query_one(LongTable).has_focus


async def edit(pilot: Pilot[Any], email: str, key: str = "e") -> EmailEditor:
    """Open the editor (e or Enter), replace the text, and Save with Enter."""
    await pilot.press(key)
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, EmailEditor)
    field = editor.query_one("#email-input", Input)
    assert field.has_focus
    field.value = ""
    await pilot.press(*email)
    await pilot.press("enter")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    return editor


def error_text(editor: EmailEditor) -> str:
    error = editor.query_one("#email-error", Static)
    return str(error.content) if error.display else ""


async def test_a_teacher_login_email_is_saved_marked_edited_and_shown(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    harold = next(t for t in people(demo_settings, "teacher") if t.last_name == "Finch")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        table = screen.query_one(LongTable)
        assert table.row_count == len(people(demo_settings, "teacher"))
        await pick(pilot, screen, "finch")
        assert table.row_count == 1 and screen.selected() == harold
        await edit(pilot, "h.finch@lakeviewschools.org")
        assert app.screen is screen
        cell = str(table.get_cell(str(harold.id), "email"))
        assert "h.finch@lakeviewschools.org" in cell and "edited" in cell
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)
    with open_store(demo_settings) as store:
        saved = store.teacher(harold.id)
        assert saved is not None and saved.email == "h.finch@lakeviewschools.org"
        assert "email" in saved.edited


async def test_an_invalid_or_taken_email_is_explained_and_nothing_is_saved(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    teachers = people(demo_settings, "teacher")
    harold = next(t for t in teachers if t.last_name == "Finch")
    rebecca = next(t for t in teachers if t.last_name == "Schäfer")  # Clever's spelling since the link
    assert rebecca.email
    with open_store(demo_settings) as store:
        revision = store.revision
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        await pick(pilot, screen, "finch")
        editor = await edit(pilot, "not-an-email")
        assert app.screen is editor
        assert error_text(editor) == "'not-an-email' is not an email address (name@school.org)."
        assert editor.query_one("#email-input", Input).value == "not-an-email"

        editor.query_one("#email-input", Input).value = ""
        await pilot.press(*rebecca.email.upper())
        await pilot.click("#email-save-button")
        await settle(app, pilot)
        assert app.screen is editor
        assert error_text(editor) == f"{rebecca.email.upper()} is already the login of Rebecca Schäfer."
        assert editor.query_one("#email-input", Input).value == rebecca.email.upper()

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "edited" not in str(screen.query_one(LongTable).get_cell(str(harold.id), "email"))
    with open_store(demo_settings) as store:
        assert store.revision == revision
        unchanged = store.teacher(harold.id)
        assert unchanged is not None and unchanged.email == harold.email and unchanged.edited == []


async def test_students_are_sorted_by_grade_and_a_student_without_email_gets_one(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    students = people(demo_settings, "student")
    no_email = next(s for s in students if not s.email and s.first_name.isascii() and s.last_name.isalpha())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "student")
        table = screen.query_one(LongTable)
        assert table.row_count == len(students)
        shown = [screen.accounts[int(str(key))] for key in table.row_keys]
        ranks = [grade_rank(getattr(student, "grade", None)) for student in shown]
        assert ranks == sorted(ranks)
        status = str(screen.query_one("#accounts-status", Static).content)
        assert "Sorted by grade" in status and "can't log in (no email)" in status
        await pilot.press("s")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]  # the list is read and sorted in threads
        assert "Sorted by last name" in str(screen.query_one("#accounts-status", Static).content)

        await pick(pilot, screen, f"{no_email.first_name} {no_email.last_name}".lower())
        assert screen.selected() == no_email
        assert "(none: can't log in)" in str(table.get_cell(str(no_email.id), "email"))
        address = f"{no_email.first_name}.{no_email.last_name}.2026@students.example.org".lower()
        await edit(pilot, address, key="enter")
        assert app.screen is screen
        assert address in str(table.get_cell(str(no_email.id), "email"))
    with open_store(demo_settings) as store:
        saved = store.student(no_email.id)
        assert saved is not None and saved.email == address and "email" in saved.edited
        assert saved.grade == no_email.grade


async def test_an_edited_email_survives_the_next_teacher_import(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    isabella = next(t for t in people(demo_settings, "teacher") if t.last_name == "Thompson" and t.source == "manual")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        await pick(pilot, screen, "isabella")
        await edit(pilot, "bella.thompson@lakeviewschools.org")
    await people_imported(demo_settings, district)
    with open_store(demo_settings) as store:
        kept = store.teacher(isabella.id)
        assert kept is not None and kept.email == "bella.thompson@lakeviewschools.org"
        assert kept.clever_email and kept.clever_email.lower() == "isabella.thompson@lakeviewschools.org"


async def test_only_without_a_login_email_lists_the_students_who_cant_log_in(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    students = people(demo_settings, "student")
    without = {s.id for s in students if not s.email}
    assert without
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "student")
        table = screen.query_one(LongTable)
        descriptions = {b.binding.key: b.binding.description for b in screen.active_bindings.values()}
        assert descriptions["n"] == "Only without login email"
        assert descriptions["escape"] == "Back"
        await pilot.press("n")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]  # the list is read and sorted in threads
        assert screen.query_one("#only-no-login", Checkbox).value
        assert {int(str(key)) for key in table.row_keys} == without
        assert "only those without a login email" in str(screen.query_one("#accounts-status", Static).content)

        first = screen.selected()
        assert first is not None and first.id in without
        await edit(pilot, "worked.through.2026@students.example.org", key="enter")
        assert app.screen is screen
        assert table.row_count == len(without) - 1  # the student with an email leaves the list
        assert first.id not in {int(str(key)) for key in table.row_keys}

        await pilot.press("n")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]  # the list is read and sorted in threads
        assert table.row_count == len(students)


async def test_escape_in_the_filter_clears_it_and_stays_on_the_list(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    total = len(people(demo_settings, "teacher"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        table = screen.query_one(LongTable)
        await pilot.press("slash", *"finch")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        assert table.row_count == 1
        field = screen.query_one("#accounts-filter", Input)
        descriptions = {b.binding.key: b.binding.description for b in screen.active_bindings.values()}
        assert descriptions["escape"] == "Clear filter"
        await pilot.press("escape")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        assert app.screen is screen
        assert field.value == "" and table.row_count == total and table.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)


async def test_a_login_kept_from_before_clever_is_marked_kept_not_edited(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    """The demo's hand-made teachers linked by SIS id keep their own login: nobody edited it."""
    await people_imported(demo_settings, district)
    kept = [t for t in people(demo_settings, "teacher") if "email" in t.kept]
    assert kept and all(t.edited == [] and t.email != t.clever_email for t in kept)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        table = screen.query_one(LongTable)
        for account in kept:
            cell = str(table.get_cell(str(account.id), "email"))
            assert "kept from before Clever" in cell and "edited" not in cell
        await pick(pilot, screen, kept[0].last_name.lower())
        await edit(pilot, "typed.now@lakeviewschools.org")
        cell = str(table.get_cell(str(kept[0].id), "email"))
        assert "✎ edited" in cell and "kept from before" not in cell
    with open_store(demo_settings) as store:
        saved = store.teacher(kept[0].id)
        assert saved is not None and saved.edited == ["email"] and saved.kept == []


async def test_the_email_editor_says_what_clever_has_in_a_sentence(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    teachers = people(demo_settings, "teacher")
    linked = next(t for t in teachers if t.clever_id and t.clever_email)
    loose = next(t for t in teachers if not t.clever_id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        for account, hint in (
            (linked, f"Clever has {linked.clever_email}. Your edit is kept through later imports and syncs."),
            (loose, "Not linked to Clever, so no sync changes this email."),
        ):
            screen.query_one(LongTable).move_cursor(row=screen.query_one(LongTable).get_row_index(str(account.id)))
            await pilot.press("e")
            await pilot.pause()
            editor = app.screen
            assert isinstance(editor, EmailEditor)
            assert str(editor.query_one("#email-editor-hint", Static).content) == hint
            await pilot.press("escape")
            await pilot.pause()


async def test_an_empty_email_is_asked_for_in_a_sentence(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_accounts(app, pilot, "teacher")
        await pick(pilot, screen, "finch")
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EmailEditor)
        editor.query_one("#email-input", Input).value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is editor
        assert error_text(editor) == "The email is empty: enter an email address (name@school.org)."
        assert "''" not in error_text(editor)


async def test_a_filter_typed_ahead_while_the_list_opens_is_kept(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    """Keys arrive faster than a busy loop handles them (a school's list opening): "/" moves
    the focus before the next keys are routed, so none of "zara" is lost to the table."""
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await roster_read(app, pilot)
        await pilot.press("s")
        for key, character in (("slash", "/"), ("z", "z"), ("a", "a"), ("r", "r"), ("a", "a")):
            app.post_message(events.Key(key, character))  # all queued before the first is handled
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        assert screen.query_one("#accounts-filter", Input).value == "zara"
        await pilot.press("slash")  # typed in the filter, "/" is a character like any other
        assert screen.query_one("#accounts-filter", Input).value == "zara/"
