"""The long lists' table: measured once, drawn a screen at a time, moved through by keys and clicks.

A bare app with one ``LongTable`` stands in for the screens (they are tested through their
own walks): the layout is checked as plain data, then the cursor is driven as a person
would, at a size where the rows do not fit.
"""

from __future__ import annotations

import gc
import weakref
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen

from cleverwizard.ui.widgets.long_table import AT_ONCE, LongTable
from cleverwizard.ui.widgets.sheet import Column, Row, lay_out

COLUMNS = (Column("name", "Name"), Column("email", "Login email"))


def rows(count: int) -> list[Row]:
    return [((f"Student {i:05d}", f"s{i}@school.org"), str(i)) for i in range(count)]


class OneTable(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield LongTable(id="table")

    def on_mount(self) -> None:
        self.query_one(LongTable).set_columns(COLUMNS)

    def on_long_table_row_selected(self, message: LongTable.RowSelected) -> None:
        self.selected.append(message.key)


def test_columns_are_as_wide_as_their_widest_cell_or_label_and_wrapped_rows_as_tall_as_their_cells() -> None:
    sheet = lay_out(COLUMNS, [(("Ada", "a@b.org"), "1"), (("Bartholomew Quince", ""), "2")])
    assert sheet.widths == [len("Bartholomew Quince"), len("Login email")]
    assert sheet.lines == 2 and sheet.row_at(1) == (1, 0) and sheet.row_at(2) is None
    narrow = (Column("name", "Name", 6), Column("email", "Login email", 20))
    wrapped = lay_out(narrow, [(("Bartholomew Quince", Text("b@q.org\nlinked")), "1"), (("Ada", "a@b.org"), "2")], True)
    assert [wrapped.height(0), wrapped.height(1)] == [3, 1]  # the name wraps onto three lines
    assert wrapped.row_at(3) == (1, 0) and wrapped.row_index("2") == 1


async def test_keys_move_the_cursor_through_every_row_and_keep_it_on_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LongTable)
        table.fill(rows(1000))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1000 and table.cursor_row == 0
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_key == "2"
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_row == 2 + page
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 999
        assert table.scroll_offset.y == table.max_scroll_y  # the last row is on screen
        await pilot.press("pageup")
        assert table.cursor_row == 999 - page
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["0"]
        await pilot.click(LongTable, offset=(3, 4))  # the header, then rows 0, 1, 2
        await pilot.pause()
        assert table.cursor_row == 3 and app.selected == ["0", "3"]

        plain = table.render_line(7)
        await pilot.hover(LongTable, offset=(3, 7))
        await pilot.pause()
        assert table.render_line(7) != plain  # the row under the pointer is highlighted
        await pilot.press("down")
        await pilot.pause()
        assert table.render_line(7) == plain  # until a key moves the cursor, as in DataTable


async def test_a_long_list_shows_its_first_rows_at_once_and_every_row_once_measured() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LongTable)
        table.fill(rows(5000))
        assert table.row_count == AT_ONCE
        table.move_cursor(7)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 5000 and table.cursor_row == 7  # the cursor stays where it was moved
        table.fill(rows(3))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3  # a fill still measuring never replaces a newer one


class CountingTable(LongTable):
    """Counts the rows drawn, to show that a frame costs the rows on screen, not the list."""

    drawn: ClassVar[set[int]] = set()

    def _draw_row(self, row: int) -> list[list[Segment]]:
        self.drawn.add(row)
        return super()._draw_row(row)


class CountingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTable(id="table")


async def test_twenty_thousand_rows_draw_only_the_rows_on_screen() -> None:
    app = CountingApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(CountingTable)
        table.show(lay_out(COLUMNS, rows(20_000)))
        table.focus()
        await pilot.pause()
        on_screen = table.scrollable_content_region.height - 1
        assert -1 in table.drawn and len(table.drawn) <= on_screen + 1  # the header and one screenful
        table.drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 19_999 and min(table.drawn - {-1}) >= 19_999 - on_screen
        assert len(table.drawn) <= on_screen + 2


async def test_cells_are_shown_as_written_never_as_markup() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LongTable)
        table.fill([(("[b]Bold[/b] [@click=app.quit]x", "a\nb"), "1")])
        await pilot.pause()
        shown = [str(cell) for cell in table.get_row_at(0)]
        assert shown == ["[b]Bold[/b] [@click=app.quit]x", "a b"]
        line = "".join(segment.text for segment in table.render_line(1))
        assert "[b]Bold[/b] [@click=app.quit]x" in line and "a b" in line


class TableScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield LongTable(id="table")

    def on_mount(self) -> None:
        """Filled from the screen's own handler, as the step screens fill theirs."""
        table = self.query_one(LongTable)
        table.set_columns(COLUMNS)
        table.fill(rows(AT_ONCE * 3))


async def test_a_long_list_measured_in_a_thread_does_not_keep_its_closed_screen_alive() -> None:
    """The measuring thread lets go of its worker (``lets_go``): an idle pool thread that still
    named it would keep the screen, and everything it shows, past its closing."""
    app = App[None]()
    async with app.run_test(size=(60, 12)) as pilot:
        screen = TableScreen()
        await app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(LongTable).row_count == AT_ONCE * 3
        closed = weakref.ref(screen)
        del screen
        app.pop_screen()
        await pilot.pause()
        await pilot.pause()
        gc.collect()
        assert closed() is None, "the closed screen outlived its dismissal"
