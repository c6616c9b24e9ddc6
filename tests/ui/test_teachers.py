"""Pilot tests of the Teachers step, walked as an administrator would on the demo sandbox.

The demo platform starts with ten hand-made teachers (three with a Clever teacher's
email in other letter case, one under a nickname, one with only the SIS id in common,
a maiden name, a typo, a personal email, two people Clever does not know), so every
kind of suggestion, override and conflict has real data behind it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, OptionList, Static

from cleverwizard.clever.models import User
from cleverwizard.config import Settings
from cleverwizard.rules.teachers import suggest_teacher_matches
from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict
from cleverwizard.store import Teacher
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.match_select import (
    NOT_IN_LIST,
    SHOWN,
    MatchBook,
    MatchPicker,
    MatchSelect,
    dropdown_options,
)
from cleverwizard.ui.widgets.teacher_row import TeacherRow
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    click_to,
    open_store,
    press_to,
    roster_sync,
    school_connected,
    school_id_named,
    settle,
    teachers_preview,
)


def clever_id_of(district: SandboxDistrict, first: str, last: str) -> str:
    return next(
        uid
        for uid, user in district.users.items()
        if user["name"].get("first") == first and user["name"].get("last") == last and "teacher" in user["roles"]
    )


def account(settings: Settings, first: str, last: str) -> Teacher:
    with open_store(settings) as store:
        return next(t for t in store.teachers() if (t.first_name, t.last_name) == (first, last))


def text_of(screen: TeachersScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def note_of(screen: TeachersScreen, account_id: int) -> str:
    return str(screen.query_one(f"#teacher-row-{account_id} .match-note", Static).content)


async def open_teachers(app: CleverWizardApp, pilot: Pilot[Any]) -> TeachersScreen:
    """Notifications → 3 (Go to Teachers)."""
    await pilot.pause()
    return await press_to(pilot, "3", screen=TeachersScreen)


async def fetch(app: CleverWizardApp, pilot: Pilot[Any]) -> TeachersScreen:
    """Import Teachers (the i key) and wait for the preview or the failure."""
    screen = app.screen
    assert isinstance(screen, TeachersScreen)
    await pilot.press("i")
    await settle(app, pilot)
    return screen


async def choose(pilot: Pilot[Any], screen: TeachersScreen, account_id: int, typed: str) -> MatchSelect:
    """Focus a row's *Select a Match*, open it, type, and take the first match (Enter)."""
    select = screen.query_one(f"#match-{account_id}", MatchSelect)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert select.expanded and isinstance(pilot.app.screen, MatchPicker)
    await pilot.press(*["space" if ch == " " else ch for ch in typed])
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    assert not select.expanded and pilot.app.screen is screen
    return select


async def test_import_with_suggestions_overrides_a_conflict_and_not_in_the_list(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    isabella, rebecca, omar, bob, james, richard = (
        account(demo_settings, first, last)
        for first, last in [
            ("Isabella", "Thompson"),
            ("Rebecca", "Schafer"),
            ("Omar", "O'Neill"),
            ("Bob", "Thomas"),
            ("James", "Kowalski"),
            ("Richard", "Martin"),
        ]
    )
    with open_store(demo_settings) as store:
        before = {t.id for t in store.teachers()}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_teachers(app, pilot)
        assert "10 teachers on the platform, 0 linked to Clever" in text_of(screen, "#teachers-status")
        assert screen.query_one("#teachers-intro", DataTable).row_count == 10
        await fetch(app, pilot)
        assert screen.stage == "preview"
        clever_teachers = district.users_at_school(school_id_named(district, ELEMENTARY), "teacher")
        assert len(screen.users) == len(clever_teachers)

        for person, last in [(isabella, "Thompson"), (rebecca, "Schäfer"), (omar, "O'Neill")]:
            expected = clever_id_of(district, person.first_name, last)
            assert screen.query_one(f"#match-{person.id}", MatchSelect).value == expected
            assert note_of(screen, person.id) == "Suggested: same email"
        robert = clever_id_of(district, "Robert", "Thomas")
        assert screen.choices[bob.id] == robert and "similar name" in note_of(screen, bob.id)
        assert screen.choices[james.id] is None

        select = await choose(pilot, screen, james.id, "james clark")
        assert select.value == clever_id_of(district, "James", "Clark")
        assert note_of(screen, james.id).startswith("Chosen by you")

        await choose(pilot, screen, richard.id, "zzzz")  # nobody matches: only "not in the list"
        assert screen.choices[richard.id] is None
        assert note_of(screen, richard.id) == "Chosen by you: stays a platform-only account; not linked to Clever"

        await choose(pilot, screen, bob.id, "isabella")
        assert screen.choices[bob.id] == screen.choices[isabella.id]
        assert note_of(screen, bob.id) == "Conflict: also chosen for Isabella Thompson"
        assert note_of(screen, isabella.id) == "Conflict: also chosen for Bob Thomas"
        assert screen.query_one("#teacher-row-" + str(bob.id), TeacherRow).has_class("-conflict")
        assert screen.query_one("#apply-button", Button).disabled
        assert "Import is blocked" in text_of(screen, "#teachers-summary")
        revision = sandbox_revision(demo_settings)
        assert screen.query_one("#apply-button", Button).disabled
        await pilot.press("i")  # Import is offered but disabled while the conflict stands
        await settle(app, pilot)
        assert screen.stage == "preview" and sandbox_revision(demo_settings) == revision

        await choose(pilot, screen, bob.id, "robert thomas")
        assert screen.choices[bob.id] == robert
        assert not screen.conflicts and not screen.query_one("#apply-button", Button).disabled
        assert note_of(screen, isabella.id) == "Suggested: same email"
        summary = text_of(screen, "#teachers-summary")
        assert "7 linked to Clever" in summary and "18 new accounts" in summary and "Nothing is deleted" in summary
        assert "+ Richard Martin" in text_of(screen, "#new-accounts")
        problems = text_of(screen, "#sis-problems")
        assert "Margaret Robinson" in problems and "Update the data your SIS shares with Clever" in problems

        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        assert "7 linked to Clever, 18 new accounts" in text_of(screen, "#import-result")
        accounts = await click_to(pilot, "#view-button", screen=AccountsScreen)
        assert accounts.kind == "teacher" and accounts.query_one(LongTable).row_count == 28
        await press_to(pilot, "escape", screen=TeachersScreen)  # one step back, as from Students' list
        await press_to(pilot, "escape", screen=NotificationsScreen)

    with open_store(demo_settings) as store:
        teachers = {t.id: t for t in store.teachers()}
        assert before <= set(teachers) and len(teachers) == 28
        assert teachers[isabella.id].clever_id == clever_id_of(district, "Isabella", "Thompson")
        assert teachers[bob.id].clever_id == robert
        assert teachers[james.id].clever_id == clever_id_of(district, "James", "Clark")
        assert teachers[richard.id].clever_id is None
        clever_richard = clever_id_of(district, "Richard", "Martin")
        created = [t for t in teachers.values() if t.clever_id == clever_richard]
        assert len(created) == 1 and created[0].source == "clever" and created[0].id not in before
        matches = store.matches()
        assert matches[richard.id].clever_id is None and matches[richard.id].method == "not_in_list"
        assert matches[james.id].clever_id == clever_id_of(district, "James", "Clark")
        assert matches[james.id].method == "manual"
        assert matches[isabella.id].method == "email"


def sandbox_revision(settings: Settings) -> int:
    with open_store(settings) as store:
        return store.revision


async def test_reopening_teachers_preselects_saved_choices_without_duplicates(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    richard = account(demo_settings, "Richard", "Martin")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        await choose(pilot, screen, richard.id, "zzzz")
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        with open_store(demo_settings) as store:
            first = {t.id: t.clever_id for t in store.teachers()}
        await pilot.click(".back-button")
        await pilot.pause()

        screen = await open_teachers(app, pilot)
        linked = len([c for c in first.values() if c])
        status = text_of(screen, "#teachers-status")
        assert f"{len(first)} teachers on the platform, {linked} linked to Clever" in status
        await fetch(app, pilot)
        assert len(screen.rows) == len(first)
        for row in screen.rows:
            assert screen.choices[row.account.id] == first[row.account.id]
        assert note_of(screen, richard.id) == "Saved: not in the list"
        assert "0 new accounts" in text_of(screen, "#teachers-summary")
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"

    with open_store(demo_settings) as store:
        again = {t.id: t.clever_id for t in store.teachers()}
        assert again == first
        clever_ids = [c for c in again.values() if c]
        assert len(clever_ids) == len(set(clever_ids))


async def test_a_store_changed_elsewhere_is_explained_and_the_preview_rebuilt(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    harold = account(demo_settings, "Harold", "Finch")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        james = account(demo_settings, "James", "Kowalski")
        await choose(pilot, screen, james.id, "james clark")
        with roster_sync(demo_settings) as other:  # a second window, or a scheduled sync
            other.set_login_email("teacher", harold.id, "harold@lakeviewschools.org")
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "preview"
        assert "changed since this preview was made" in text_of(screen, "#teachers-status")
        assert screen.choices[james.id] == clever_id_of(district, "James", "Clark")  # kept
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
    with open_store(demo_settings) as store:
        kept = store.teacher(harold.id)
        assert kept is not None and kept.email == "harold@lakeviewschools.org"
        assert store.teacher(james.id).clever_id == clever_id_of(district, "James", "Clark")  # type: ignore[union-attr]


async def test_503_during_fetch_explains_and_saves_nothing_then_try_again_works(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, faults: Faults
) -> None:
    await school_connected(demo_settings, district)
    revision = sandbox_revision(demo_settings)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_teachers(app, pilot)
        faults.server_error_next = 50
        await fetch(app, pilot)
        assert screen.stage == "failed"
        error = text_of(screen, "#teachers-error")
        assert error.startswith("Clever is not working right now (error 503")
        assert "Traceback" not in error
        assert screen.query_one("#retry-button", Button).display
        assert app.focused is screen.query_one("#retry-button")
        assert sandbox_revision(demo_settings) == revision

        faults.clear()
        await pilot.click("#retry-button")
        await settle(app, pilot)
        assert screen.stage == "preview" and len(screen.rows) == 10
    assert sandbox_revision(demo_settings) == revision


async def test_a_revoked_token_shows_the_admin_message(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, faults: Faults
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_teachers(app, pilot)
        faults.revoked = True
        await fetch(app, pilot)
        assert screen.stage == "failed"
        assert "token" in text_of(screen, "#teachers-error").lower()
        assert app.is_running


async def test_cancel_stops_the_fetch_and_saves_nothing(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, faults: Faults
) -> None:
    await school_connected(demo_settings, district)
    revision = sandbox_revision(demo_settings)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_teachers(app, pilot)
        faults.latency = 5.0
        await pilot.press("i")
        await pilot.pause()
        assert screen.stage == "fetching"
        assert app.focused is screen.query_one("#fetch-cancel-button")
        await pilot.press("enter")  # Cancel
        await settle(app, pilot)
        assert screen.stage == "intro"
        assert "cancelled" in text_of(screen, "#teachers-status")
        assert not screen.users
    assert sandbox_revision(demo_settings) == revision


async def test_dropdown_lists_candidates_first_and_keeps_not_in_the_list(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    bob = account(demo_settings, "Bob", "Thomas")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        select = screen.query_one(f"#match-{bob.id}", MatchSelect)
        select.scroll_visible(animate=False)  # rows are by last name: Thomas is further down
        await pilot.pause()
        await pilot.click(f"#match-{bob.id}")
        await pilot.pause()
        assert select.expanded and isinstance(app.screen, MatchPicker)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        candidates = [c.clever_id for c in select.row.candidates]
        assert ids[: len(candidates)] == candidates
        assert ids[len(candidates)] == NOT_IN_LIST
        assert options.highlighted == 0  # the current choice, our suggestion
        first = str(options.get_option_at_index(0).prompt)
        assert "Robert Thomas" in first and "similar name 92%" in first
        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded and app.screen is screen
        assert app.focused is select

        await pilot.press("enter", "down", "enter")  # the second candidate, by arrow keys
        await settle(app, pilot)
        assert select.value == candidates[1]
        assert note_of(screen, bob.id).startswith("Chosen by you (similar name")


def test_the_dropdown_stays_capped_with_a_thousand_clever_teachers() -> None:
    """Every keystroke lists at most SHOWN teachers, our candidates first, "not in the list" always."""
    big = SandboxDistrict.generate(seed=7, schools=1, teachers=1000, students=1)
    users = [User.model_validate(u) for u in big.users_at_school(next(iter(big.schools)), "teacher")]
    assert len(users) >= 1000
    subject = users[500]
    teacher = Teacher(id=1, first_name=subject.name.first or "", last_name=subject.name.last or "")
    row = suggest_teacher_matches([teacher], users, {})[0]
    book = MatchBook.build(users)
    for query in ("", "a", subject.name.last or "", "zzzz"):
        options = dropdown_options(book, row, query)
        teachers = [o for o in options if o is not None and not o.disabled and o.id != NOT_IN_LIST]
        assert len(teachers) <= SHOWN + len(row.candidates)
        assert any(o is not None and o.id == NOT_IN_LIST for o in options)
    everyone = dropdown_options(book, row, "")
    ids = [o.id for o in everyone if o is not None]
    assert ids[: len(row.candidates)] == [c.clever_id for c in row.candidates]
    assert "Showing 50 of" in str(everyone[-1].prompt)  # type: ignore[union-attr]
    assert [o.id for o in dropdown_options(book, row, "zzzz") if o is not None and not o.disabled] == [NOT_IN_LIST]


def burst(app: CleverWizardApp, *keys: str) -> None:
    """Keys typed faster than the app redraws: all queued before the first is handled."""
    for key in keys:
        character = {"space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def test_fast_typing_in_the_search_box_keeps_every_key_in_order(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    bob = account(demo_settings, "Bob", "Thomas")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        select = screen.query_one(f"#match-{bob.id}", MatchSelect)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"kowal", *["backspace"] * 5, *"jay")
        await pilot.pause()
        search = app.screen.query_one("#match-search", Input)
        assert search.value == "jay"

        burst(app, *["backspace"] * 3, *"kowal", *["backspace"] * 5, *"jay")
        await settle(app, pilot)
        assert search.value == "jay"
        burst(app, *["backspace"] * 3, *"wu", "backspace", "backspace", *"xy")
        await settle(app, pilot)
        assert search.value == "xy"

        burst(app, *["backspace"] * 2, *"robert", "space", *"thomas", "enter")
        await settle(app, pilot)
        assert app.screen is screen and not select.expanded
        assert select.value == clever_id_of(district, "Robert", "Thomas")


async def test_the_lists_under_the_rows_are_reached_by_keyboard_and_the_result_names_records_to_fix(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await teachers_preview(app, pilot)
        preview = screen.query_one("#teachers-preview", VerticalScroll)
        lists = screen.query_one("#teacher-plan-lists")
        selects = list(screen.query(MatchSelect))
        selects[-1].focus()
        await pilot.pause()
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.focused is lists
        assert preview.scroll_y > 0 and lists.region.overlaps(preview.region)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is screen.query_one("#apply-button", Button)
        await pilot.press("home")
        await settle(app, pilot)
        assert preview.scroll_y == 0
        await pilot.press("end")
        await settle(app, pilot)
        assert preview.scroll_y == preview.max_scroll_y > 0
        problems = screen.plan.problems if screen.plan else []
        assert problems

        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        result = text_of(screen, "#import-result")
        assert f"{len(problems)} Clever records to fix" in result
        for problem in problems:
            assert f"{problem.name}: {problem.issue}" in result


async def test_back_from_a_finished_import_focus_moves_on_to_the_next_step(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        await pilot.press("i")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        home = await press_to(pilot, "escape", screen=NotificationsScreen)
        await settle(app, pilot)
        assert home.checklist is not None and home.checklist.item("teachers").state == "needs review"
        assert app.focused is home.query_one("#go-students")
        await press_to(pilot, "enter", screen=StudentsScreen)


async def test_choosing_not_in_the_list_says_what_happens_and_the_search_hint_fits_the_list(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    james, bob = account(demo_settings, "James", "Kowalski"), account(demo_settings, "Bob", "Thomas")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        row = screen.query_one(f"#teacher-row-{james.id}", TeacherRow).row
        assert screen.choices[james.id] is None and row.candidates
        assert note_of(screen, james.id) == "No confident match: choose one if listed"
        select = screen.query_one(f"#match-{james.id}", MatchSelect)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == NOT_IN_LIST
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.choices[james.id] is None
        assert note_of(screen, james.id) == "Chosen by you: stays a platform-only account; not linked to Clever"

        assert screen.book is not None
        bob_row = screen.query_one(f"#teacher-row-{bob.id}", TeacherRow).row
        robert = dropdown_options(screen.book, bob_row, "robert thomas")
        hints = [str(o.prompt) for o in robert if o is not None and o.disabled]
        assert robert[0] is not None and robert[0].id == bob_row.candidates[0].clever_id
        assert hints == ["Only the match above fits what you typed"]
        nobody = dropdown_options(screen.book, bob_row, "zzzz")
        assert [str(o.prompt) for o in nobody if o is not None and o.disabled] == [
            "No Clever teacher matches what you typed"
        ]


async def test_arrow_keys_move_between_teachers_and_never_change_a_match(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    """↓ ↓ Enter, meaning "two rows down", once opened the list and chose the next Clever teacher."""
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        selects = list(screen.query(MatchSelect))
        before = [select.value for select in selects]
        selects[0].focus()
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.focused is selects[2] and app.screen is screen
        await pilot.press("up")
        await pilot.pause()
        assert app.focused is selects[1] and not selects[1].expanded
        await settle(app, pilot)
        assert [select.value for select in selects] == before
