"""*Select a Match*: a searchable dropdown of Clever teachers for one platform teacher.

Textual's ``Select`` lays out every option when it opens, which is too slow with a
thousand Clever teachers. This dropdown is an ``Input`` over an ``OptionList`` that is
refilled on every keystroke with at most ``SHOWN`` options: our ranked candidates first,
then *This teacher is not in the list*, then the teachers whose name, email or SIS id
contain every typed word. The options are folded once per import (``MatchBook``), so a
keystroke only compares strings. The open list lives on a small modal screen placed under
its row (``MatchPicker``): a keystroke then re-lays out that list only, not the hundred
rows of the preview behind it.

Keys typed faster than the app redraws arrive together. Textual checks a non-printable
key's bindings only once the key has bubbled up to the App, after the letters queued
behind it were already inserted, so Backspace would land out of order (``kowal``, five
Backspaces, ``jay`` gave ``kja``). The search box (``SearchBox``) therefore runs its own
keys as they arrive, and tells the picker about Enter and the arrows by messages that
queue behind its ``Changed`` messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Click, Key
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from cleverwizard.clever.decode import CleverUser
from cleverwizard.rules.names import fold
from cleverwizard.rules.teachers import Candidate, SearchOption, TeacherMatchRow, search, search_options
from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.keys_footer import KeysFooter

NOT_IN_LIST = "not-in-list"
"""Option id of *This teacher is not in the list* (Clever ids are hex, so no clash)."""
NOT_IN_LIST_LABEL = "This teacher is not in the list"
SHOWN = 50
"""Most search results listed at once; typing narrows the rest."""
LIST_HEIGHT = 14
"""Lines of options the open dropdown shows when the terminal has room."""
PICKER_FRAME = 3
"""The open dropdown's lines besides its options: the search box and the border."""
PICKER_HEIGHT = LIST_HEIGHT + PICKER_FRAME


def reason_text(candidate: Candidate) -> str:
    """Why we suggest someone, as the preview says it: "similar name 87%"."""
    said = f"similar name {candidate.score}%" if candidate.reason == "similar name" else candidate.reason
    return f"{said}, new Clever id" if candidate.replaces else said


@dataclass
class MatchBook:
    """What every dropdown of one import shares: the Clever teachers, prepared once."""

    options: list[SearchOption]
    by_id: dict[str, SearchOption]
    total: int
    taken: Callable[[str, int], list[str]] = field(default=lambda clever_id, account_id: [])
    """Names of the other platform teachers a Clever teacher is chosen for (set by the screen)."""

    @classmethod
    def build(cls, clever_teachers: Sequence[CleverUser]) -> MatchBook:
        options = search_options(clever_teachers)
        return cls(options=options, by_id={o.clever_id: o for o in options}, total=len(options))

    def name(self, clever_id: str) -> str:
        """The Clever teacher's name alone (the label without the email)."""
        return self.label(clever_id).split(" · ")[0]

    def label(self, clever_id: str | None) -> str:
        if clever_id is None:
            return NOT_IN_LIST_LABEL
        option = self.by_id.get(clever_id)
        return option.label if option else f"Clever teacher {clever_id}"


def dropdown_options(book: MatchBook, row: TeacherMatchRow, query: str, limit: int = SHOWN) -> list[Option | None]:
    """The options for one keystroke: candidates, *not in the list*, then search results."""
    words = fold(query).split()
    account_id = row.account.id
    listed: list[Option | None] = []
    seen: set[str] = set()
    for candidate in row.candidates:
        option = book.by_id.get(candidate.clever_id)
        if option and all(word in option.key for word in words):
            seen.add(option.clever_id)
            listed.append(_option(book, option, account_id, reason_text(candidate)))
    listed.append(Option(Content.styled(NOT_IN_LIST_LABEL, "italic"), id=NOT_IN_LIST))
    found = [o for o in search(book.options, query, limit + len(seen) + 1) if o.clever_id not in seen]
    if found:
        listed.append(None)
    listed += [_option(book, option, account_id, "") for option in found[:limit]]
    hint = ""
    if len(found) > limit:
        hint = f"Showing {limit} of {book.total:,} Clever teachers: type a name, email or SIS id to narrow"
        if words:
            hint = f"More than {limit} match: keep typing to narrow"
    elif not found and words:
        hint = "No Clever teacher matches what you typed"
        if seen:
            hint = (
                "Only the match above fits what you typed"
                if len(seen) == 1
                else ("Only the matches above fit what you typed")
            )
    if hint:
        listed.append(Option(Content.styled(hint, "dim italic"), disabled=True))
    return listed


def _option(book: MatchBook, option: SearchOption, account_id: int, why: str) -> Option:
    parts: list[str | Content] = [literal(option.label)]
    if why:
        parts += ["  ", literal(why, "bold $text-success")]
    taken = book.taken(option.clever_id, account_id)
    if taken:
        parts += ["  ", literal(f"chosen for {', '.join(taken)}", "italic $text-warning")]
    return Option(Content.assemble(*parts), id=option.clever_id)


class SearchBox(Input):
    """The dropdown's search field: every key it binds is handled in the order typed."""

    BINDINGS = [
        Binding("enter", "submit", "Choose", id="match-choose"),
        Binding("down", "move(1)", "Next", id="match-next"),
        Binding("up", "move(-1)", "Previous", id="match-previous"),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
    ]

    class Moved(Message):
        """Move the highlight ``step`` options (arrow keys, Page Up/Down)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def action_move(self, step: int) -> None:
        self.post_message(self.Moved(step))

    async def on_key(self, event: Key) -> None:
        """Run a bound key here, now, instead of after it bubbles up to the App."""
        action = _IN_ORDER.get(event.key)
        if action is None:
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)


_IN_ORDER: dict[str, str] = {
    key.strip(): binding.action
    for binding in [*Input.BINDINGS, *SearchBox.BINDINGS]
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
}
"""Key -> action of the search box's bindings (its own override the Input's)."""


class MatchPicker(ModalScreen[str | None]):
    """The open dropdown, on a layer of its own just below its row.

    On its own screen, a keystroke re-lays out only the search box and the list, however
    many rows the preview behind it has. Dismisses with the chosen option id (a Clever id
    or ``NOT_IN_LIST``), or ``None`` when closed without choosing.
    """

    DEFAULT_CSS = """
    MatchPicker {
        background: transparent;
        align: left top;
        & > #match-dropdown {
            width: 76;
            height: auto;
            border: round $border;
            background: $surface;
            & > Input { margin: 0; }
            & > OptionList {
                height: auto;
                border: none;
                padding: 0;
                background: $surface;
                text-wrap: nowrap;
                text-overflow: ellipsis;
            }
        }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close the list", id="match-close")]

    def __init__(
        self,
        book: MatchBook,
        row: TeacherMatchRow,
        value: str | None,
        anchor: Callable[[], Region],
        keep_clear: Callable[[], Region] | None = None,
    ) -> None:
        super().__init__(classes="match-picker")
        self.book = book
        self.row = row
        self.value = value
        self.anchor_region = anchor  # not "anchor": that would hide Widget.anchor()
        self.keep_clear = keep_clear or anchor
        """Where the whole preview row is now: the list opens below or above it, never over
        it, so the platform teacher's email stays in sight while choosing. Read at each
        placement, because the preview may still be scrolling its row into view."""
        self.filtered_for: str | None = None
        """What the list is filtered for (``None`` before the first fill)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="match-dropdown"):
            yield SearchBox(placeholder="Type a name, email or SIS id", compact=True, id="match-search")
            options = OptionList(id="match-options")
            options.can_focus = False
            yield options
        yield KeysFooter()

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#match-search", SearchBox).focus()
        self._place()
        self.call_after_refresh(self._place)

    def _place(self) -> None:
        """Below the row, or above it when there is more room there; the list is shortened to
        fit the room, so it never covers its own row (or the footer)."""
        box = self.query_one("#match-dropdown")
        options = self.query_one("#match-options", OptionList)
        screen = self.size
        anchor = self.anchor_region()
        width = min(max(anchor.width, 76), screen.width)
        x = max(0, min(anchor.x, screen.width - width))
        row = self.keep_clear()
        room_below = screen.height - 1 - row.bottom
        room_above = row.y
        opens_below = room_below >= PICKER_HEIGHT or room_below >= room_above
        room = max(room_below if opens_below else room_above, PICKER_FRAME + 1)
        options.styles.max_height = min(LIST_HEIGHT, room - PICKER_FRAME)
        height = min(box.outer_size.height or PICKER_HEIGHT, room)
        y = row.bottom if opens_below else max(0, row.y - height)
        box.styles.width = width
        box.styles.offset = (x, y)

    def fill(self, query: str) -> None:
        """Refill the list for ``query``; highlight the current choice, or the first match."""
        self.filtered_for = query
        options = self.query_one("#match-options", OptionList)
        options.set_options(dropdown_options(self.book, self.row, query))
        if self.is_mounted:
            self.call_after_refresh(self._place)  # opened above the row, its bottom stays put
        if query:
            options.highlighted = _first_teacher(options)
            return
        try:
            options.highlighted = options.get_option_index(self.value or NOT_IN_LIST)
        except OptionDoesNotExist:
            options.highlighted = _first_enabled(options)

    @on(Input.Changed, "#match-search")
    def _typed(self) -> None:
        """Filter for what the box holds now: a burst of keys refills once, never for a stale value."""
        self._filled()

    @on(Input.Submitted, "#match-search")
    def _submitted(self) -> None:
        self.action_choose()

    @on(SearchBox.Moved)
    def _moved(self, event: SearchBox.Moved) -> None:
        self.action_move(event.step)

    def _filled(self) -> None:
        """The list as the search box reads now, whatever messages are still on their way."""
        typed = self.query_one("#match-search", SearchBox).value
        if typed != self.filtered_for:
            self.fill(typed)

    def action_choose(self) -> None:
        """Take the highlighted option (Enter in the search box)."""
        self._filled()
        options = self.query_one("#match-options", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#match-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_click(self, event: Click) -> None:
        """A click outside the list closes it, as with any dropdown."""
        if event.widget is self:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        self._filled()
        options = self.query_one(OptionList)
        if options.option_count == 0:
            return
        index = options.highlighted if options.highlighted is not None else -step
        target = max(0, min(options.option_count - 1, index + step))
        direction = 1 if step > 0 else -1
        while 0 <= target < options.option_count and options.get_option_at_index(target).disabled:
            target += direction
        if 0 <= target < options.option_count:
            options.highlighted = target


class MatchSelect(Widget, can_focus=True):
    """One row's *Select a Match*: shows the chosen Clever teacher; Enter or a click opens it."""

    DEFAULT_CSS = """
    MatchSelect {
        height: 1;
        padding: 0 1;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    }
    """

    BINDINGS = [
        Binding("enter,space", "open", "Select a Match", tooltip="Choose the Clever teacher for this row"),
        Binding("down", "app.focus_next", "Next teacher", show=False),
        Binding("up", "app.focus_previous", "Previous teacher", show=False),
    ]
    """↓ and ↑ move between rows, as Help says, never open the list: with ↓ opening it, ↓ ↓
    Enter (meaning "two rows down") chose the next Clever teacher for this row instead."""

    value: var[str | None] = var[str | None](None, init=False)
    """The chosen Clever id; ``None`` is *This teacher is not in the list*."""
    expanded: var[bool] = var(False, init=False)
    """True while the dropdown is open."""

    class Changed(Message):
        """The administrator chose a Clever teacher (or *not in the list*) for a platform teacher."""

        def __init__(self, match_select: MatchSelect, account_id: int, clever_id: str | None) -> None:
            super().__init__()
            self.match_select = match_select
            self.account_id = account_id
            self.clever_id = clever_id

        @property
        def control(self) -> MatchSelect:
            return self.match_select

    def __init__(self, row: TeacherMatchRow, book: MatchBook, value: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row = row
        self.book = book
        self.set_reactive(MatchSelect.value, value)

    def render(self) -> Content:
        arrow = "▲ " if self.expanded else "▼ "
        if self.value is None:
            return Content.assemble(arrow, (NOT_IN_LIST_LABEL, "italic"))
        return Content.assemble(arrow, literal(self.book.label(self.value)))

    def watch_value(self) -> None:
        self.refresh()

    def watch_expanded(self) -> None:
        self.refresh()

    async def action_open(self) -> None:
        """Open the list once the preview has stopped scrolling this row into view.

        Focusing a row scrolls it into view with an animation; a quick Enter would otherwise
        place the list by where the row was, over where it ends up.
        """
        if self.expanded:
            return
        self.expanded = True
        for node in self.ancestors_with_self:
            await self.app.animator.stop_animation(node, "scroll_y")
        self.call_after_refresh(self._open_picker)

    def _open_picker(self) -> None:
        row = self.parent if isinstance(self.parent, Widget) else self
        picker = MatchPicker(self.book, self.row, self.value, lambda: self.region, keep_clear=lambda: row.region)
        self.app.push_screen(picker, callback=self._picked)

    def _picked(self, option_id: str | None) -> None:
        self.expanded = False
        if option_id is not None:
            self.choose(option_id)

    async def on_click(self, event: Click) -> None:
        event.stop()
        self.focus()
        await self.action_open()

    def choose(self, option_id: str) -> None:
        """Pick an option by id (a Clever id or ``NOT_IN_LIST``) and tell the screen.

        Told even when it is the choice already shown: the administrator has now decided.
        """
        clever_id = None if option_id == NOT_IN_LIST else option_id
        self.value = clever_id
        self.post_message(self.Changed(self, self.row.account.id, clever_id))


def _first_teacher(options: OptionList) -> int | None:
    """The first Clever teacher listed (what a search is for), else *not in the list*."""
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        if not option.disabled and option.id != NOT_IN_LIST:
            return index
    return _first_enabled(options)


def _first_enabled(options: OptionList) -> int | None:
    for index in range(options.option_count):
        if not options.get_option_at_index(index).disabled:
            return index
    return None
