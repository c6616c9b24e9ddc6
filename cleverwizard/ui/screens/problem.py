"""A modal that explains why the wizard cannot work (a damaged or locked roster) and quits.

Shown instead of a traceback when the store cannot be opened: the store's own message says
what happened and what to do, and the only sensible action is to quit and fix it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.keys_footer import KeysFooter


class ProblemScreen(ModalScreen[None]):
    """A titled message with a Quit button (and escape to look at the empty checklist)."""

    BINDINGS = [
        Binding("escape", "dismiss_problem", "Close", id="close-problem"),
        Binding("q", "app.quit", "Quit", id="problem-quit"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="problem-screen")
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box"):
            yield Static(literal(self.title_text), id="problem-title")
            yield Static(literal(self.message), id="problem-message")
            with Horizontal(classes="buttons"):
                yield Button("Quit", id="problem-quit-button", variant="error")
                yield Button("Close", id="problem-close-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#problem-quit-button", Button).focus()

    def action_dismiss_problem(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#problem-quit-button")
    def _quit(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#problem-close-button")
    def _close(self) -> None:
        self.dismiss(None)
