"""Pilot tests of the wizard's shell: Notifications, Connect your District, Select your School,
help, the command palette, quitting, and a roster that cannot be opened."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Label, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store import RosterStore
from cleverwizard.store.errors import StoreError
from cleverwizard.ui.screens.connect import ConnectScreen
from cleverwizard.ui.screens.help import HelpScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.problem import ProblemScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.widgets.step_item import StepItem
from cleverwizard.wiring import build_app
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    click_to,
    connect_and_select,
    connect_district,
    go_home,
    open_store,
    press_to,
    school_id_named,
    settle,
)


def badge(screen: NotificationsScreen, key: str) -> str:
    return str(screen.query_one(f"#step-{key} .badge", Label).content)


def note(screen: NotificationsScreen, key: str) -> str:
    return str(screen.query_one(f"#step-{key} .step-note", Static).content)


def message(screen: ConnectScreen | SchoolScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_home_starts_with_nothing_done(make_app: AppFactory, district: SandboxDistrict) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert "Student Information System Sync" in str(home.query_one(".screen-title", Static).content)
        assert badge(home, "district") == "○ Not started"
        for key in ("school", "teachers", "students", "sections"):
            assert badge(home, key) == "… Waiting"
        assert note(home, "school") == "Needs Connect your District first"
        assert note(home, "students") == "Needs Select your School first"
        assert home.query_one("#go-district", Button).disabled is False
        for key in ("school", "teachers", "students", "sections"):
            assert home.query_one(f"#go-{key}", Button).disabled
        assert app.focused is home.query_one("#go-district")
        assert district.district_id in str(home.query_one("#demo-hint", Static).content)
        assert app.title == "cleverwizard" and "not connected" in app.sub_title
        await pilot.press("4")  # needs a school: nothing opens
        await pilot.pause()
        assert app.screen is home


async def test_home_is_reachable_by_keyboard_and_mouse(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press_to(pilot, "enter", screen=ConnectScreen)  # the focused first step
        await click_to(pilot, ".back-button", screen=NotificationsScreen)
        await click_to(pilot, "#go-district", screen=ConnectScreen)
        await press_to(pilot, "escape", screen=NotificationsScreen)
        await press_to(pilot, "1", screen=ConnectScreen)


async def test_connect_with_an_empty_id_asks_for_it_without_asking_clever(
    make_app: AppFactory, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_to(pilot, "1", screen=ConnectScreen)
        await settle(app, pilot)
        listed = sandbox.request_count  # the app's districts, listed when the screen opens
        screen = await connect_district(app, pilot, "   ")
        assert message(screen, "#connect-message") == "Enter the Clever district id first."
        assert sandbox.request_count == listed
        assert app.focused is screen.query_one("#district-id")


async def test_connect_with_a_wrong_id_shows_the_reason_and_stays(
    make_app: AppFactory, demo_settings: Settings, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await connect_district(app, pilot, "5b2ad81a709e300001e2cd7a")
        text = message(screen, "#connect-message")
        assert "Clever has no district '5b2ad81a709e300001e2cd7a'" in text
        assert "check the district id" in text
        assert screen.query_one("#connect-message").has_class("-error")
        assert app.screen is screen and screen.query_one("#check", Button).disabled is False
        assert sandbox.request_count >= 1
    with open_store(demo_settings) as store:
        assert store.site() is None


async def test_a_refused_token_can_be_replaced_and_the_retry_connects(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    demo_settings.token = "revoked-token"
    app = make_app(demo_settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await connect_district(app, pilot, district.district_id)
        assert "Clever refused the token" in message(screen, "#connect-message")
        token = screen.query_one("#token", Input)
        assert screen.query_one("#token-field").display and token.password
        assert app.focused is token
        await connect_district(app, pilot, district.district_id, token=district.token)
        assert message(screen, "#connect-message").startswith("Connected to ")
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.district_id == district.district_id
    assert (demo_settings.data_dir / "clever-token").read_text().strip() == district.token


async def test_connect_with_the_sandbox_district_updates_the_checklist(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await connect_district(app, pilot, district.district_id)
        name = district.district["name"]
        assert message(screen, "#connect-message").startswith(f"Connected to {name}")
        assert screen.query_one("#next-school").display
        assert not screen.query_one("#token-field").display  # the demo has a token
        home = await go_home(app, pilot)
        assert badge(home, "district") == "✓ Done"
        assert name in str(home.query_one("#step-district .step-detail", Static).content)
        assert badge(home, "school") == "○ Not started"
        assert home.query_one("#go-school", Button).disabled is False
        assert not home.query_one("#demo-hint").display
        assert name in app.sub_title
        assert app.focused is home.query_one("#go-school")


async def test_select_school_connects_the_site_and_offers_the_imports(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_district(app, pilot, district.district_id)
        await pilot.click("#next-school")  # offered right after connecting
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SchoolScreen)
        assert "One school connects to this site" in str(screen.query_one(".hint", Static).content)
        assert sorted(s.id for s in screen.schools) == sorted(district.schools)
        await go_home(app, pilot)
        await connect_and_select(app, pilot, district)
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert badge(home, "school") == "✓ Done"
        assert ELEMENTARY in str(home.query_one("#step-school .step-detail", Static).content)
        assert badge(home, "students") == "○ Not started"
        assert not home.query_one("#go-students", Button).disabled
        assert app.focused is home.query_one("#go-teachers")  # the first step still to do
        await pilot.press("down")
        assert app.focused is home.query_one("#go-students")
        await pilot.press("up", "up")
        assert app.focused is home.query_one("#go-school")
        assert ELEMENTARY in app.sub_title
    with open_store(demo_settings) as store:
        site = store.site()
        assert site is not None and site.school_id == school_id_named(district, ELEMENTARY)


async def test_a_school_list_failure_is_shown_with_try_again(
    make_app: AppFactory, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_district(app, pilot, district.district_id)
        await go_home(app, pilot)
        sandbox.faults.server_error_next = 50
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SchoolScreen)
        assert "Clever is not working right now" in message(screen, "#school-message")
        assert screen.query_one("#retry").display and screen.query_one("#confirm", Button).disabled
        sandbox.faults.clear()
        await pilot.click("#retry")
        await settle(app, pilot)
        assert len(screen.schools) == len(district.schools)
        assert not screen.query_one("#school-message").display


async def test_help_opens_with_f1_and_question_mark(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_to(pilot, "f1", screen=HelpScreen)
        await press_to(pilot, "escape", screen=NotificationsScreen)
        await press_to(pilot, "question_mark", screen=HelpScreen)
        await click_to(pilot, "#help-close", screen=NotificationsScreen)


async def test_command_palette_jumps_to_a_step(make_app: AppFactory, district: SandboxDistrict) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        await press_to(pilot, "1", screen=ConnectScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Select your")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SchoolScreen)
        assert len(app.screen_stack) == 2  # Notifications, then the step: nothing piles up
        await press_to(pilot, "escape", screen=NotificationsScreen)


async def test_a_step_that_is_not_ready_says_what_it_needs_by_its_number_or_the_palette(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dimmed step's number (its binding is off) says why too, instead of doing nothing."""
    app = make_app()
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda text, **_: said.append(text))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        app.open_step("students")  # what the palette's "Students" command calls
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)
        assert said == ["Teachers needs Select your School first.", "Students needs Select your School first."]


async def test_q_types_in_a_field_but_quits_elsewhere(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.click("#district-id")  # the app's one district has the focus first
        field = app.screen.query_one("#district-id", Input)
        assert app.focused is field
        await pilot.press("q")
        await pilot.pause()
        assert field.value == "q" and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_damaged_roster_is_explained_not_a_traceback(demo_settings: Settings) -> None:
    (demo_settings.data_dir / "roster.json").write_text("{ not json", encoding="utf-8")
    app = build_app(demo_settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert "damaged" in str(app.screen.query_one("#problem-message", Static).content)
        assert app.sync is None
        home = await press_to(pilot, "escape", screen=NotificationsScreen)
        assert home.query_one("#home-problem").display
        assert not home.query_one("#demo-hint").display
        assert not home.query(StepItem).first().display
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is home
    assert (demo_settings.data_dir / "roster.json").read_text(encoding="utf-8") == "{ not json"


async def test_the_store_the_app_opened_is_closed_on_exit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.store is not None
        assert app.store.site() is None
    with pytest.raises(StoreError, match="closed"):
        app.store.site()


async def test_a_store_handed_in_stays_open(demo_settings: Settings) -> None:
    store = RosterStore.open(demo_settings.data_dir)
    app = build_app(demo_settings, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.sync is not None and app.sync.store is store
        assert app.sync.started_by == "wizard"
    assert store.site() is None
    store.close()


async def test_three_opens_the_teachers_step_once_a_school_is_selected(
    make_app: AppFactory, district: SandboxDistrict
) -> None:
    teachers = pytest.importorskip("cleverwizard.ui.screens.teachers")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect_and_select(app, pilot, district)
        await press_to(pilot, "3", screen=teachers.TeachersScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, NotificationsScreen)
