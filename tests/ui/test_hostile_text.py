"""Clever's text is data in the wizard: hostile names are shown literally and never run.

A district, a school, two teachers and a student carry markup (a ``[@click=app.quit]`` that
would quit when clicked, a ``[/b]`` that makes the parser raise), ANSI and OSC escapes,
newlines, a bidi override and a NUL (see ``tests/hostile_strings.py``). The wizard is walked
connect → school → teachers → students → history; on every screen the app is alive, the
payload is on screen as written (escapes shown as ``\\x1b``), and no control character is in
what was drawn.
"""

from __future__ import annotations

import copy
import html
import re

import pytest
from textual.widgets import Input, OptionList

from cleverwizard.config import Settings
from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict, demo_district
from cleverwizard.service.roster_sync import CleverLink
from cleverwizard.text import one_line
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.history import HistoryScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.grade_preview import GradePreview
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.wiring import build_app, open_sync
from tests.hostile_strings import (
    CLICK_QUIT,
    DISTRICT_NAME,
    SCHOOL_NAME,
    STUDENT_EMAIL,
    STUDENT_GRADE,
    STUDENT_LAST,
    TEACHER_LAST,
    has_control,
    plant,
)
from tests.ui.conftest import SEED
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    connect_district,
    fetch_students,
    go_home,
    press_to,
    school_id_named,
    select_school,
    settle,
    teachers_preview,
)

WIDE = (160, 48)
"""Wide enough that the payloads are not cut by an ellipsis."""
_TEXT = re.compile(r'<text [^>]*clip-path="url\(#[\w-]*line-(\d+)\)">([^<]*)</text>')


def drawn(app: CleverWizardApp) -> str:
    """What the terminal shows now, line by line, read back from the screenshot."""
    lines: dict[int, str] = {}
    for number, text in _TEXT.findall(app.export_screenshot()):
        lines[int(number)] = lines.get(int(number), "") + html.unescape(text).replace("\xa0", " ").strip("\n")
    return "\n".join(lines[n] for n in sorted(lines))


def assert_safe(app: CleverWizardApp, *shown: str) -> str:
    """The app is alive, every ``shown`` value is on screen as one_line writes it, nothing drawn is a control."""
    assert app.is_running and app.return_code is None
    screen = drawn(app)
    assert not has_control(screen.replace("\n", "")), [c for c in screen if has_control(c) and c != "\n"]
    for value in shown:
        assert one_line(value) in screen, (value, screen)
    return screen


@pytest.fixture
def district() -> SandboxDistrict:
    hostile = copy.deepcopy(demo_district(SEED))  # the demo district is cached: plant in a copy
    plant(hostile, school_id_named(hostile, ELEMENTARY))
    return hostile


async def test_hostile_names_are_shown_literally_through_the_whole_walk(
    make_app: AppFactory, district: SandboxDistrict
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await connect_district(app, pilot, district.district_id)
        assert_safe(app, CLICK_QUIT, "\x1b]0;pwned\x07")
        await go_home(app, pilot)
        assert_safe(app, DISTRICT_NAME)
        await select_school(app, pilot, SCHOOL_NAME)
        assert_safe(app, SCHOOL_NAME)
        assert one_line(SCHOOL_NAME) in app.sub_title and "\x1b" not in app.sub_title

        teachers = await teachers_preview(app, pilot)
        assert isinstance(teachers, TeachersScreen) and teachers.stage == "preview"
        screen = assert_safe(app)
        assert TEACHER_LAST in screen and "Ada\\x1b]52;c;aGVsbG8=\\x07" in screen  # a new account, as written
        assert "FORGED" in screen and "Bob FORGED" in screen  # the newline is a space: no line of its own
        await pilot.press("i")
        await settle(app, pilot)
        assert_safe(app)  # the question Import asks quotes the plan's sentence
        await pilot.press("y")
        await settle(app, pilot)
        assert teachers.stage == "done"
        assert_safe(app)
        await go_home(app, pilot)

        students = await fetch_students(app, pilot)
        assert students.stage == "preview"
        preview = students.query_one(GradePreview)
        grades = students.query_one("#grade-list", OptionList)
        prompts = [str(grades.get_option_at_index(i).prompt) for i in range(grades.option_count)]
        hostile = next(i for i, prompt in enumerate(prompts) if prompt.startswith(one_line(STUDENT_GRADE)))
        grades.highlighted = hostile
        await pilot.pause()
        table = preview.query_one("#grade-table", LongTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert any(one_line(STUDENT_LAST) in cell for cell in cells)
        assert_safe(app, STUDENT_GRADE, STUDENT_LAST, STUDENT_EMAIL)
        await pilot.click("#apply-button")
        await settle(app, pilot)
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert students.stage == "done"
        assert_safe(app)


async def test_a_roster_with_hostile_names_opens_on_every_screen(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, link: CleverLink
) -> None:
    """Saved names are read back at start: a malformed one used to crash every start."""
    with open_sync(demo_settings, started_by="cli", link=link) as sync:
        await sync.connect(district.district_id)
        await sync.select_school(next(s for s, school in district.schools.items() if school["name"] == SCHOOL_NAME))
        sync.apply(sync.plan("teacher", await sync.fetch("teacher")))
        sync.apply(sync.plan("student", await sync.fetch("student")))
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)
        assert_safe(app, DISTRICT_NAME, SCHOOL_NAME)
        await press_to(pilot, "2", screen=SchoolScreen)
        await settle(app, pilot)
        assert_safe(app, SCHOOL_NAME)
        await go_home(app, pilot)
        history = await press_to(pilot, "h", screen=HistoryScreen)
        await settle(app, pilot)
        assert_safe(app)
        assert history.runs
        await go_home(app, pilot)
        for kind, shown, typed in (("teacher", TEACHER_LAST, "Lovelace"), ("student", STUDENT_LAST, "Byte")):
            app.push_screen(AccountsScreen(kind))
            await settle(app, pilot)
            app.screen.query_one("#accounts-filter", Input).value = typed
            await settle(app, pilot)
            assert_safe(app, shown)
            app.pop_screen()
            await pilot.pause()


async def test_a_click_on_a_district_name_written_as_click_markup_does_not_quit(demo_settings: Settings) -> None:
    """``[@click=app.quit]Lakeview[/]`` as a district name: clicking it is a click on text."""
    plain = copy.deepcopy(demo_district(SEED))
    plain.district["name"] = f"{CLICK_QUIT} Unified"
    plain.version += 1
    link = CleverLink(transport=SandboxAPI(plain, Faults()).transport())
    with open_sync(demo_settings, started_by="cli", link=link) as sync:
        await sync.connect(plain.district_id)
    app = build_app(demo_settings, link=link)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        detail = home.query_one("#step-district .step-detail")
        assert str(detail.render()).startswith(f"Connected to {CLICK_QUIT} Unified")
        for column in range(13, 40, 3):  # wherever "Lakeview" would be drawn as a link
            await pilot.click(detail, offset=(column, 0))
            await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, NotificationsScreen)
