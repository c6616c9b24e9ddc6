"""A table for the wizard's long lists: 20,000 students cost what one screenful costs.

Textual's ``DataTable`` measures every cell of every new row on the event loop and rebuilds
its list of line offsets after each add, so 20,000 imported students blocked the wizard
however they were added (one ``add_rows``: a 2 s stall; a batch at a time: 22 s of stalls of
up to 0.7 s). Here the rows are plain data and that work is done once, where it costs
nothing to the loop: ``lay_out`` (pure, in a thread for long lists) measures the column
widths and each row's lines (``sheet.py``), and ``LongTable`` draws only the lines on
screen (Textual's Line API), with DataTable's look (header, zebra rows, row cursor, the
row under the mouse), so the screens read as before.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cleverwizard.text import one_line
from cleverwizard.ui.handoff import Handoff, lets_go
from cleverwizard.ui.widgets.sheet import Cell, Column, Row, Sheet, as_text, cell_width, lay_out, row_lines

AT_ONCE = 200
"""Rows laid out on the loop (a few ms); longer lists are laid out in a thread."""
PADDING = 1
"""Cells on each side of a cell, as DataTable pads them."""


class LongTable(ScrollView, can_focus=True):
    """Rows as data, drawn a screen line at a time, with a row cursor (Enter or a click selects)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first_row", "First row", show=False),
        Binding("end,ctrl+end", "last_row", "Last row", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "long-table--cursor",
        "long-table--hover",
        "long-table--header",
        "long-table--odd-row",
        "long-table--even-row",
    }
    DEFAULT_CSS = """
    LongTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .long-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .long-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark {
            & > .long-table--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .long-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .long-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .long-table--odd-row {
        }
        & > .long-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .long-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .long-table--hover {
            background: $block-hover-background;
        }
    }
    """

    class RowSelected(Message):
        """Enter or a click on a row."""

        def __init__(self, table: LongTable, row: int, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

        @property
        def control(self) -> LongTable:
            return self.table

    class _LaidOut(Message):
        """A long list measured in a thread, to be shown if nothing newer was asked for."""

        def __init__(self, filling: int, sheet: Sheet, cursor_row: int | None) -> None:
            super().__init__()
            self.filling = filling
            self.sheet = sheet
            self.cursor_row = cursor_row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.sheet = lay_out((), [])
        self.cursor_row = 0
        self._filling = 0
        """Counts fills asked for: a thread's layout is shown only if it is the latest."""
        self._drawn: LRUCache[Hashable, list[list[Segment]]] = LRUCache(300)
        self._pseudo: Hashable = None
        self._hover: int | None = None
        """The row under the mouse pointer, while the mouse (not a key) moved last."""

    def on_unmount(self) -> None:
        """Its screen is closed: the rows go now, not in the next full collection (``WizardScreen.release``)."""
        self.sheet = lay_out((), [])

    # -- what the screens call ------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self.sheet.row_count

    @property
    def row_keys(self) -> list[str | None]:
        return self.sheet.keys

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.sheet.columns

    @property
    def render_widths(self) -> list[int]:
        """Each column's width on screen, padding included."""
        return [width + 2 * PADDING for width in self.sheet.widths]

    @property
    def cursor_key(self) -> str | None:
        return self.sheet.keys[self.cursor_row] if self.row_count else None

    def set_columns(self, columns: Sequence[Column]) -> None:
        """New columns, and no rows until the next ``fill``."""
        self._filling += 1
        self.show(lay_out(columns, []))

    def fill(self, rows: Sequence[Row], wrap: bool = False, cursor_row: int | None = None) -> None:
        """Show ``rows`` under the current columns: a short list now; a long one's first
        ``AT_ONCE`` rows now and every row once a thread has measured them."""
        self._filling += 1
        columns = self.sheet.columns
        self.show(lay_out(columns, rows[:AT_ONCE], wrap), cursor_row)
        if len(rows) > AT_ONCE:
            filling, handoff = self._filling, Handoff(rows)

            @lets_go
            def measure() -> None:
                self.post_message(self._LaidOut(filling, lay_out(columns, handoff.take(), wrap), cursor_row))

            self.run_worker(
                measure,
                thread=True,
                group=f"lay-out-{self.id}",
                exclusive=True,
                exit_on_error=False,
                description="Measure the table's rows",
            )

    @on(_LaidOut)
    def _laid_out(self, message: LongTable._LaidOut) -> None:
        message.stop()
        if message.filling == self._filling:
            keep = self.cursor_row if message.cursor_row is None else message.cursor_row
            self.show(message.sheet, keep)

    def show(self, sheet: Sheet, cursor_row: int | None = None) -> None:
        """Show rows measured by ``lay_out`` (O(1) here, whatever their number)."""
        self.sheet = sheet
        self.cursor_row = max(0, min(cursor_row or 0, sheet.row_count - 1))
        self._drawn.clear()
        self.virtual_size = Size(sum(self.render_widths), sheet.lines + 1)
        self._scroll_to_cursor()
        self.refresh()

    def get_row_at(self, row: int) -> list[Text]:
        """The cells of row ``row`` as they are drawn."""
        return [as_text(cell, self.sheet.wrap) for cell in self.sheet.cells[row]]

    def get_row_index(self, key: str) -> int:
        return self.sheet.row_index(key)

    def get_cell(self, key: str, column: str) -> Text:
        keys = [c.key for c in self.sheet.columns]
        return self.get_row_at(self.get_row_index(key))[keys.index(column)]

    def row_height(self, row: int) -> int:
        return self.sheet.height(row)

    def update_row(self, key: str, cells: Sequence[Cell]) -> None:
        """Show new cells for one row (one edited person): widens a column that needs it and,
        when wrapped, moves the rows below by the lines it gained or lost."""
        sheet = self.sheet
        row = sheet.row_index(key)
        sheet.cells[row] = cells
        for i, column in enumerate(sheet.columns):
            if column.width is None:
                sheet.widths[i] = max(sheet.widths[i], cell_width(cells[i]))
        if sheet.starts is not None:
            change = row_lines(cells, sheet.widths) - sheet.height(row)
            for later in range(row + 1, len(sheet.starts)):
                sheet.starts[later] += change
            sheet.lines += change
        self.show(sheet, self.cursor_row)

    def move_cursor(self, row: int, scroll: bool = True) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))
        if scroll:
            self._scroll_to_cursor()
        self.refresh()

    # -- keys and the mouse ---------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._key_move(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._key_move(self.cursor_row + 1)

    def action_first_row(self) -> None:
        self._key_move(0)

    def action_last_row(self) -> None:
        self._key_move(self.row_count - 1)

    def _key_move(self, row: int) -> None:
        """A key moves the cursor: the mouse pointer's row stops being highlighted (as DataTable)."""
        self._hover = None
        self.move_cursor(row)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """A screenful of lines on, the cursor to the row that many lines away (as DataTable)."""
        if not self.row_count:
            return
        page = max(1, self.scrollable_content_region.height - 1)
        line = self.sheet.start(self.cursor_row) + direction * page
        found = self.sheet.row_at(max(0, min(line, self.sheet.lines - 1)))
        self.scroll_relative(y=direction * page, animate=False, force=True)
        self._key_move(found[0] if found else self.cursor_row)

    def action_select_cursor(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor_row, self.cursor_key))

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = event.style.meta.get("row")
        hover = row if isinstance(row, int) and 0 <= row < self.row_count else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def _on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if isinstance(row, int) and 0 <= row < self.row_count:
            event.stop()
            self.move_cursor(row)
            self.action_select_cursor()

    def _scroll_to_cursor(self) -> None:
        if not self.row_count:
            return
        top = self.sheet.start(self.cursor_row) + 1
        width = max(self.size.width, self.virtual_size.width)
        region = Region(int(self.scroll_x), top, width, self.sheet.height(self.cursor_row))
        self.scroll_to_region(region, animate=False, spacing=Spacing(1, 0, 0, 0), force=True)

    # -- drawing --------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._drawn.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pseudo = tuple(self.get_pseudo_class_state())
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            row, line = -1, 0
        else:
            found = self.sheet.row_at(y - 1 + self.scroll_offset.y)
            if found is None:
                return Strip.blank(width, base)
            row, line = found
        scroll_x = self.scroll_offset.x
        strip = Strip(self._draw_row(row)[line]).crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, base).simplify()

    def _draw_row(self, row: int) -> list[list[Segment]]:
        """Every line of one row (``-1``: the header), cells drawn as DataTable draws them."""
        cursor = row == self.cursor_row and row >= 0
        hover = row == self._hover
        key = (row, cursor, hover, self._pseudo, self.size.width, self.sheet.lines, id(self.sheet))
        drawn = self._drawn.get(key)
        if drawn is not None:
            return drawn
        sheet = self.sheet
        if row == -1:
            row_style = self.get_component_styles("long-table--header").rich_style
            cells: Sequence[Text] = [Text(one_line(column.label)) for column in sheet.columns]
            height = 1
        else:
            zebra = "long-table--odd-row" if row % 2 else "long-table--even-row"
            row_style = self.get_component_styles(zebra).rich_style
            cells = self.get_row_at(row)
            height = sheet.height(row)
        cursor_style = self.get_component_rich_style("long-table--hover") if hover else Style()
        if cursor:
            cursor_style += self.get_component_rich_style("long-table--cursor")
        post_style = Style.from_color(color=cursor_style.color)
        console, console_options = self.app.console, self.app.console_options
        columns: list[list[list[Segment]]] = []
        for index, (cell, width) in enumerate(zip(cells, self.render_widths, strict=True)):
            options = console_options.update_dimensions(width, height)
            if height == 1:
                options = options.update(no_wrap=True)
            pre_style = row_style + Style.from_meta({"row": row, "column": index}) + cursor_style
            padded = Styled(Padding(cell, (0, PADDING)), pre_style=pre_style, post_style=post_style)
            columns.append(console.render_lines(padded, options))
        spare = max(0, self.size.width - sum(self.render_widths))
        extend = row_style + cursor_style + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        drawn = [
            [*(segment for lines in columns for segment in lines[line]), Segment(" " * spare, extend)]
            for line in range(height)
        ]
        self._drawn[key] = drawn
        return drawn
