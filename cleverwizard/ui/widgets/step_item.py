"""One row of the Notifications checklist: a step, its state in words, and its action.

State is always written out ("Done", "Needs review") with a symbol; colour only adds to
it, so the checklist reads the same in any theme and to people who cannot tell colours apart.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, Static

from cleverwizard.service.status import ChecklistItem, StepKey, StepState
from cleverwizard.ui.literal import literal

STATE_BADGES: dict[StepState, str] = {
    "not started": "○ Not started",
    "needs review": "! Needs review",
    "done": "✓ Done",
    "waiting": "… Waiting",
}
STATE_CLASSES: dict[StepState, str] = {
    "not started": "-not-started",
    "needs review": "-needs-review",
    "done": "-done",
    "waiting": "-waiting",
}


def when_text(stamp: str | None) -> str:
    """ "3 May 2026, 14:02 UTC" from the store's ISO timestamp; the raw text if it is odd."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


class StepItem(Horizontal):
    """A checklist step; its button posts ``StepItem.Chosen`` with the step key."""

    class Chosen(Message):
        """The step's action button was pressed."""

        def __init__(self, key: StepKey) -> None:
            self.key = key
            super().__init__()

    def __init__(self, number: int, key: StepKey) -> None:
        super().__init__(id=f"step-{key}", classes="step-item")
        self.number = number
        self.key: StepKey = key
        self.item: ChecklistItem | None = None

    def compose(self) -> ComposeResult:
        yield Label(f"{self.number}", classes="step-number")
        with Vertical(classes="step-text"):
            with Horizontal(classes="step-head"):
                yield Label("", classes="step-title")
                yield Label("", classes="badge")
            yield Static("", classes="step-detail")
            yield Static("", classes="step-clever")
            yield Static("", classes="step-note")
        yield Button("", id=f"go-{self.key}", classes="step-button", compact=False)

    def show(self, item: ChecklistItem) -> None:
        """Render ``item``; the button is disabled when an earlier step is missing."""
        self.item = item
        self.query_one(".step-title", Label).update(literal(item.title))
        badge = self.query_one(".badge", Label)
        badge.update(STATE_BADGES[item.state])
        for state, css in STATE_CLASSES.items():
            badge.set_class(state == item.state, css)
        self.query_one(".step-detail", Static).update(literal(item.detail))
        note = self.query_one(".step-note", Static)
        if item.needs:
            note.update(f"Needs {item.needs} first")
        elif item.when:
            note.update(f"Updated {when_text(item.when)}")
        else:
            note.update("")
        button = self.query_one(Button)
        button.label = literal(item.action)
        button.disabled = bool(item.needs)
        button.tooltip = f"Needs {item.needs} first" if item.needs else None
        self.set_class(button.disabled, "-blocked")

    def show_clever(self, line: str | None) -> None:
        """Clever's own word on the step (the district's SIS sync state), or nothing."""
        clever = self.query_one(".step-clever", Static)
        clever.update(literal(line or ""))
        clever.display = bool(line)

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Chosen(self.key))
