"""The wizard's event loop only draws and answers keys: reading the roster, planning and
saving run in thread workers, and a plan made for choices changed since is thrown away.

At 20,000 students each of these takes from a quarter of a second to seconds
(``bench/bench_ui_lag.py``); on the loop, nothing would redraw or answer meanwhile. These
tests pin where the work runs, with spies that note the thread of every call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from cleverwizard.config import Settings
from cleverwizard.people.plan import Plan
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.service import status
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore
from cleverwizard.ui import app as wizard_app
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.confirm import Confirm
from cleverwizard.ui.screens.history import HistoryScreen
from cleverwizard.ui.screens.notifications import READING, NotificationsScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.steps import import_step_screens
from tests.ui.walk import (
    SIZE,
    AppFactory,
    import_preview,
    people_imported,
    press_to,
    roster_read,
    school_connected,
    settle,
)


class Spy:
    """Wraps methods and notes, per call, whether it ran on the main (event loop) thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    def wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def spied(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, threading.current_thread() is threading.main_thread()))
            return method(*args, **kwargs)

        return spied

    def on_loop(self) -> list[str]:
        return [name for name, main in self.calls if main]

    def names(self) -> set[str]:
        return {name for name, _ in self.calls}


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    """Every roster read, plan and save the service makes, and every checklist built (not
    merely handed out again), is noted with its thread."""
    found = Spy()
    for name in ("view", "people", "plan", "apply", "teacher_rows", "history"):
        monkeypatch.setattr(RosterSync, name, found.wrap(name, getattr(RosterSync, name)))
    monkeypatch.setattr(RosterStore, "students", found.wrap("students", RosterStore.students))
    monkeypatch.setattr(status, "_build_checklist", found.wrap("checklist", status._build_checklist))
    return found


async def test_the_teachers_step_reads_plans_and_saves_off_the_event_loop(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI, spy: Spy
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        spy.calls.clear()  # the very first checklist is built before the first screen shows
        screen = await press_to(pilot, "3", screen=TeachersScreen)
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert screen.stage == "preview" and screen.plan is not None
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.stage == "done"
        await press_to(pilot, "escape", screen=NotificationsScreen)
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, NotificationsScreen) and home.checklist is not None
        assert home.checklist.item("teachers").when is not None  # the import just saved is shown
    assert {"view", "plan", "apply", "checklist", "teacher_rows"} <= spy.names()
    assert spy.on_loop() == []
    assert "students" not in spy.names(), "a teacher plan reads the students' logins, not every student"


async def test_the_students_step_validates_the_school_s_students_once_up_to_its_preview(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI, spy: Spy
) -> None:
    """Validating every student is the dearest read: the intro only counts (stored fields), and
    the plan and the preview's rows share one read."""
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        spy.calls.clear()
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        assert screen.stage == "preview" and screen.groups
    assert [name for name, _ in spy.calls].count("students") == 1
    assert spy.on_loop() == []


async def test_the_roster_and_the_first_checklist_are_read_off_the_event_loop_at_start_up(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """And once the checklist is drawn, the step screens' code is loaded in a thread too."""
    await people_imported(demo_settings, district)
    monkeypatch.setattr(RosterStore, "open", spy.wrap("open", RosterStore.open))
    monkeypatch.setattr(wizard_app, "import_step_screens", spy.wrap("screens", import_step_screens))
    spy.calls.clear()  # the import above ran in the test, not in the wizard
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await roster_read(app, pilot)
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, NotificationsScreen) and home.checklist is not None
        assert home.checklist.item("students").when is not None
    assert {"open", "checklist", "screens"} <= spy.names()
    assert spy.on_loop() == []


def hold(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> threading.Event:
    """From now on, ``owner.name`` called from a worker thread waits until the returned event
    is set: the wizard is still reading (the roster, the accounts, the history)."""
    gate = threading.Event()
    original = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            gate.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return gate


async def test_while_the_roster_is_read_notifications_says_so_and_a_step_key_waits_for_it(
    make_app: AppFactory, demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = hold(monkeypatch, RosterStore, "open")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert READING in str(home.query_one("#home-problem").render())
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is home, "a step opened before its roster was read"
        gate.set()
        await roster_read(app, pilot)
        assert home.checklist is not None and not home.query_one("#home-problem").display
        assert isinstance(app.screen, HistoryScreen), "the key typed ahead was lost"


async def test_enter_while_the_roster_is_read_opens_no_hidden_step_and_the_header_says_why(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step buttons are hidden while the roster is read: nothing holds the focus, so an
    early Enter cannot press *Connect your District* behind the message."""
    await school_connected(demo_settings, district)
    gate = hold(monkeypatch, RosterStore, "open")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert home.focused is None
        assert "reading the roster" in app.sub_title and "not connected" not in app.sub_title
        await pilot.press("enter")
        gate.set()
        await roster_read(app, pilot)
        assert app.screen is home, "Enter typed while reading opened a step"
        assert home.focused is not None and home.focused.id == "go-teachers"
        assert "not connected" not in app.sub_title


async def test_the_imported_list_says_it_reads_until_it_has_read(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    await people_imported(demo_settings, district)
    gate = hold(monkeypatch, RosterSync, "people")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await roster_read(app, pilot)
        accounts = await press_to(pilot, "s", screen=AccountsScreen)
        await pilot.resize_terminal(120, 40)  # a relayout before the read fills nothing
        await pilot.pause()
        status = str(accounts.query_one("#accounts-status").render())
        assert status.startswith("Reading the students"), status
        gate.set()
        await settle(app, pilot)
        assert str(accounts.query_one("#accounts-status").render()).startswith(f"{len(accounts.accounts)} students")


async def test_history_says_it_reads_until_it_has_read(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    await people_imported(demo_settings, district)
    gate = hold(monkeypatch, RosterSync, "history")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_to(pilot, "h", screen=HistoryScreen)
        await pilot.pause()
        assert str(screen.query_one("#run-details-text").render()) == "Reading the history…"
        gate.set()
        await settle(app, pilot)
        assert "Reading" not in str(screen.query_one("#run-details-text").render())
        assert screen.runs


async def test_the_imported_list_and_history_are_read_off_the_event_loop(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI, spy: Spy
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        spy.calls.clear()
        accounts = await press_to(pilot, "s", screen=AccountsScreen)
        await settle(app, pilot)
        assert accounts.query_one("#accounts-table").row_count == len(accounts.accounts) > 0  # type: ignore[attr-defined]
        await press_to(pilot, "escape", screen=NotificationsScreen)
        history = await press_to(pilot, "h", screen=HistoryScreen)
        await settle(app, pilot)
        assert history.runs
    assert {"people", "history"} <= spy.names()
    assert spy.on_loop() == []


async def test_a_plan_for_earlier_choices_is_thrown_away_when_a_newer_choice_was_made(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_to(pilot, "3", screen=TeachersScreen)
        await pilot.press("i")
        await settle(app, pilot)
        assert screen.stage == "preview"
        first_row, second_row = screen.rows[0].account.id, screen.rows[1].account.id

        release = threading.Event()
        asked: list[dict[int, str | None]] = []
        made: dict[int, Plan] = {}
        plan_now = screen.make_plan

        def slow_first_plan() -> Plan:
            """The plan for the first choice is still being made when the second one comes."""
            call = len(asked)
            asked.append(dict(screen.choices))
            if call == 0:
                release.wait(10)
            made[call] = plan_now()
            return made[call]

        screen.make_plan = slow_first_plan  # type: ignore[method-assign]
        screen.choices[first_row] = None  # "not in the list" for the first row
        screen.rebuild_preview()
        await pilot.pause()
        assert screen.plan is None and screen.query_one("#apply-button").disabled  # Import waits for the plan
        screen.choices[second_row] = None  # a newer choice while the first plan is still being made
        screen.rebuild_preview()
        await pilot.pause()
        latest = dict(screen.choices)
        release.set()
        await settle(app, pilot)
        assert len(made) == 2
        assert asked[0] != latest and asked[1] == latest
        assert screen.plan is made[1]  # the first plan arrived last, and was not shown
        assert not screen.query_one("#apply-button").disabled
