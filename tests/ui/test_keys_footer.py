"""The wizard's footer keeps its keys while they stay the same, and shows new ones at once."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button

from cleverwizard.ui.widgets.keys_footer import KeysFooter


class Special(Button):
    """A button with a key of its own: focusing it changes what the footer shows."""

    BINDINGS = [Binding("x", "press", "Press it")]


class Walk(App[None]):
    BINDINGS = [Binding("h", "bell", "History")]

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Special("special", id="special")
        yield KeysFooter()


def keys(app: App[None]) -> list[Widget]:
    """The key widgets the footer mounted (Textual's FooterKey, found by its CSS type name)."""
    return list(app.query("FooterKey"))


def shown(app: App[None]) -> list[str]:
    return [str(getattr(key, "description", "")) for key in keys(app)]


async def test_moving_focus_between_widgets_with_the_same_keys_keeps_the_footer_keys() -> None:
    app = Walk()
    async with app.run_test() as pilot:
        app.query_one("#one").focus()
        await pilot.pause()
        before = keys(app)
        assert shown(app) == ["History", "palette"]
        app.query_one("#two").focus()
        await pilot.pause()
        await pilot.pause()
        assert keys(app) == before  # the very same widgets: nothing rebuilt


async def test_a_widget_with_its_own_key_shows_it_and_leaving_it_hides_it() -> None:
    app = Walk()
    async with app.run_test() as pilot:
        app.query_one("#special").focus()
        await pilot.pause()
        await pilot.pause()
        assert shown(app) == ["Press it", "History", "palette"]
        app.query_one("#one").focus()
        await pilot.pause()
        await pilot.pause()
        assert shown(app) == ["History", "palette"]
