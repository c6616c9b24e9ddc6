"""One question before a step writes or throws work away: the safe answer is focused.

A tired administrator pressing a key twice, or Enter out of habit, lands on the safe
choice; the other one needs its own key (shown in the footer) or Tab then Enter.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cleverwizard.ui.widgets.keys_footer import KeysFooter


class Confirm(ModalScreen[bool]):
    """Ask once: ``True`` for the action, ``False`` for the safe choice (focused, escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Cancel", id="confirm-cancel"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
    ]

    def __init__(
        self,
        title: str,
        body: str | Content,
        *,
        yes: str,
        no: str = "Cancel",
        danger: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = title
        self.body = body
        self.yes_label = yes
        self.no_label = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-box"):
            yield Static(self.question, classes="confirm-title", markup=False)
            yield Static(self.body, classes="confirm-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.no_label, id="confirm-no", variant="primary")
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="error" if self.danger else "success")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)
