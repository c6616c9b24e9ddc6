"""At 80x24 every decision is made without scrolling sideways: layout facts, asserted.

Each test walks to a screen in the smallest terminal we design for and checks where things
are drawn: the evidence for a match (both emails) fits its cell uncut, an open dropdown
never covers its own row, every grade is reachable, the imported lists show who, which
login and what state, toasts stay off the buttons, and a checkbox looks different on and off.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, OptionList, Select, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen, state_text
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.match_select import MatchPicker, MatchSelect
from cleverwizard.ui.widgets.section_row import SectionRow
from cleverwizard.ui.widgets.teacher_row import TeacherRow
from tests.ui.walk import AppFactory, people_imported, school_connected, sections_preview, settle, teachers_preview

SMALL = (80, 24)


def shown_text(widget: Widget) -> str:
    """What a one-line widget holds (a Static's content, a dropdown's label)."""
    return str(widget.render()) if isinstance(widget, MatchSelect) else str(widget.query_one(Static).content)


def uncut(widget: Widget, text: str) -> bool:
    """``text`` fits the widget's line without an ellipsis, inside the terminal."""
    region = widget.content_region
    return cell_len(text) <= region.width and region.right <= SMALL[0]


async def test_both_emails_of_every_match_are_shown_in_full_at_80_columns(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await teachers_preview(app, pilot)
        rows = list(screen.query(TeacherRow))
        assert len(rows) >= 5
        for row in rows:
            email = row.query_one(".teacher-email", Static)
            platform_email = row.row.account.email or "(no login email)"
            assert str(email.content) == platform_email
            assert uncut(email, platform_email), platform_email
            name = row.query_one(".teacher-name", Static)
            assert uncut(name, str(name.content))
            assert email.region.y == name.region.y  # one line: name, then email
            select = row.match_select
            label = str(select.render())
            assert uncut(select, label), label
            if select.value is not None:
                assert select.book.label(select.value).split(" · ")[-1] in label  # the Clever email
            assert select.region.y > email.region.y  # the match is under the teacher, not beside


async def _open_picker(pilot: Pilot[Any], screen: TeachersScreen, row: TeacherRow) -> MatchPicker:
    row.match_select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    picker = pilot.app.screen
    assert isinstance(picker, MatchPicker)
    return picker


@pytest.mark.parametrize("size", [SMALL, (120, 40), (200, 60)])
async def test_the_open_dropdown_never_covers_its_own_row(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, size: tuple[int, int]
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await teachers_preview(app, pilot)
        rows = list(screen.query(TeacherRow))
        preview = screen.query_one("#teachers-preview")
        visible = [row for row in rows if preview.region.contains_region(row.region)]
        assert len(visible) >= 2
        for row in (visible[0], visible[-1], rows[-1]):  # top, bottom of the view, scrolled to
            picker = await _open_picker(pilot, screen, row)
            box = picker.query_one("#match-dropdown")
            options = picker.query_one(OptionList)
            kept = row.region  # read after opening: focusing may have scrolled the row into view
            assert not box.region.overlaps(kept), (box.region, kept)
            assert Region(0, 0, *size).contains_region(box.region)
            assert options.region.height >= 3  # room for a few Clever teachers at least
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen


async def test_enter_pressed_while_the_row_scrolls_into_view_opens_clear_of_it(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    """A quick typist: Enter arrives while the focused row is still scrolling into view."""
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await teachers_preview(app, pilot)
        for row in list(screen.query(TeacherRow))[::-1]:  # from the bottom up: every row scrolls
            row.match_select.focus()
            await pilot.press("enter")
            await pilot.pause(0.3)  # longer than the scroll animation
            picker = app.screen
            assert isinstance(picker, MatchPicker)
            box = picker.query_one("#match-dropdown")
            assert not box.region.overlaps(row.region), (box.region, row.region)
            await pilot.press("escape")
            await pilot.pause()


async def test_every_grade_is_in_sight_and_reached_by_keyboard_at_80x24(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("4", "i")
        await settle(app, pilot)
        grades = app.screen.query_one("#grade-list", OptionList)
        count = grades.option_count
        assert count >= 7  # PreKindergarten to 5, and the odd grades among them
        assert grades.max_scroll_y == 0, "every grade fits the list without scrolling"
        for index in range(count):
            line = grades.content_region.y + index
            assert grades.content_region.y <= line < grades.content_region.bottom
        heading = app.screen.query_one("#grade-heading", Static)
        grades.focus()
        await pilot.press(*["down"] * (count - 1))
        await pilot.pause()
        assert grades.highlighted == count - 1
        last = str(grades.get_option_at_index(count - 1).id)
        assert str(heading.content).startswith(last)


def _actions(app: CleverWizardApp) -> list[Widget]:
    kinds = (Button, MatchSelect, Select, Checkbox)
    return [w for w in app.screen.query("*") if isinstance(w, kinds) and w.display and w.region.area]


async def _toasts_clear_of_actions(app: CleverWizardApp, pilot: Pilot[Any]) -> None:
    app.notify("Lincoln Elementary School's teachers were imported: 7 linked, 18 new.", title="Teachers imported")
    await pilot.pause()
    await pilot.pause()
    toasts = [t for t in app.screen.query("Toast") if t.region.area]
    assert toasts, "the toast is shown"
    for toast in toasts:
        for action in _actions(app):
            assert not toast.region.overlaps(action.region), (toast.region, action)
    app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_toasts_never_cover_a_button_or_a_dropdown(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, size: tuple[int, int]
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        await _toasts_clear_of_actions(app, pilot)  # Notifications
        await teachers_preview(app, pilot)
        await _toasts_clear_of_actions(app, pilot)
        await pilot.press("escape", "enter")  # leave the preview (confirm if asked)
        await settle(app, pilot)
        app.open_step("students")
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await _toasts_clear_of_actions(app, pilot)


def _box(toggle: Checkbox) -> tuple[str, object]:
    """The box part of a checkbox as drawn: its mark and its background colour."""
    return str(toggle.render())[:3], toggle.get_visual_style("toggle--button").background


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_a_checkbox_looks_different_on_and_off_in_both_themes(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, theme: str
) -> None:
    await school_connected(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.theme = theme
        await pilot.press("4", "i")
        await settle(app, pilot)
        box = app.screen.query_one("#only-no-email", Checkbox)
        off_mark, off_background = _box(box)
        await pilot.press("f")
        await pilot.pause()
        assert box.value
        on_mark, on_background = _box(box)
        assert off_mark.strip("▐▌ ") == ""  # off: an empty box
        assert "✓" in on_mark  # on: a tick, by shape and not only by colour
        assert on_background != off_background
        widget_background = box.background_colors[1]
        assert off_background != widget_background  # the empty box is still drawn


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_an_open_course_list_never_covers_its_own_section(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, size: tuple[int, int]
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await sections_preview(app, pilot)
        rows = list(screen.query(SectionRow))
        preview = screen.query_one("#sections-preview")
        visible = [row for row in rows if preview.region.contains_region(row.region)]
        assert len(visible) >= 2
        for row in (visible[0], visible[-1], rows[-1]):
            row.select.focus()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert row.select.expanded
            overlay = row.select.query_one("SelectOverlay")  # by CSS type: the class is not public
            assert not overlay.region.overlaps(row.region), (overlay.region, row.region)
            assert Region(0, 0, *size).contains_region(overlay.region)
            who = row.query_one(".section-who", Static)
            assert who.region.right <= size[0] and cell_len(str(who.content).split("\n")[-1]) <= who.region.width
            await pilot.press("escape")
            await pilot.pause()
            assert not row.select.expanded


@pytest.mark.parametrize("kind", ["teacher", "student"])
async def test_the_imported_lists_show_name_login_email_and_state_at_80_columns(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, kind: str
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_step("teacher-list" if kind == "teacher" else "student-list")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountsScreen) and screen.stacked
        table = screen.query_one(LongTable)
        widths = table.render_widths
        assert [column.key for column in table.columns] == ["name", "email"]
        assert table.region.x + sum(widths) <= table.scrollable_content_region.right <= SMALL[0]
        assert table.max_scroll_x == 0, "nothing to scroll to sideways"
        name_width, email_width = (column.width or 0 for column in table.columns)  # fixed widths
        assert name_width and email_width
        for account in screen.accounts.values():
            lines = table.row_height(table.get_row_index(str(account.id)))
            name = str(table.get_cell(str(account.id), "name"))
            assert name.split("\n")[0] == (account.full_name or "(no name)")
            assert cell_len(name.split("\n")[0]) <= name_width * lines
            login, state = str(table.get_cell(str(account.id), "email")).split("\n")
            assert state == state_text(account) and "linked" in state
            email = account.email or "(none: can't log in)"
            assert login.startswith(email)
            assert cell_len(login) + cell_len(state) <= email_width * lines  # wrapped, never cut
