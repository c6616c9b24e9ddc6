"""The progress panel shown while people are fetched from Clever.

Clever's paged API never says how many records are coming, so the bar stays
indeterminate and the label shows the running count instead of a percentage. The panel
does not own the fetch: it only posts ``FetchProgress.CancelRequested`` and the screen
that started the worker cancels it, because workers belong to the screen.
"""

from __future__ import annotations

from time import monotonic

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Label, ProgressBar


class FetchProgress(Vertical):
    """Label, indeterminate-until-known bar, running count and a Cancel button."""

    DEFAULT_CSS = """
    FetchProgress {
        height: auto;
        padding: 1 2;
        border: round $primary;
    }
    FetchProgress > .fetch-label { text-style: bold; }
    FetchProgress > .fetch-count { color: $text-muted; margin-bottom: 1; }
    FetchProgress ProgressBar { margin: 1 0 0 0; }
    FetchProgress > Horizontal { height: auto; }
    """

    BINDINGS = [Binding("c", "cancel", "Cancel fetch", id="fetch-cancel")]

    class CancelRequested(Message):
        """The user asked to stop the fetch; the screen cancels its worker."""

        def __init__(self, panel: FetchProgress) -> None:
            self.panel = panel
            super().__init__()

        @property
        def control(self) -> FetchProgress:
            return self.panel

    count: reactive[int] = reactive(0, init=False)
    """Records received so far (Clever reports a running total after every page)."""

    def __init__(
        self,
        label: str = "Fetching from Clever…",
        *,
        noun: str = "records",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._label = label
        self.noun = noun
        self._started = monotonic()

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="fetch-label")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False)
        yield Label(self._count_text(), classes="fetch-count")
        with Horizontal():
            yield Button("Cancel", id="fetch-cancel-button", variant="warning")

    def start(self, label: str | None = None) -> None:
        """Reset for a new fetch: indeterminate bar, zero count, Cancel focused."""
        if label is not None:
            self._label = label
            self.query_one(".fetch-label", Label).update(label)
        self._started = monotonic()
        self.set_reactive(FetchProgress.count, 0)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(".fetch-count", Label).update(self._count_text())
        self.query_one("#fetch-cancel-button", Button).disabled = False
        self.query_one("#fetch-cancel-button", Button).focus()

    def set_total(self, total: int) -> None:
        """Switch to a determinate bar when a total becomes known (Clever never sends one)."""
        self.query_one(ProgressBar).update(total=total, progress=self.count)

    def finish(self, label: str = "Preparing the preview…") -> None:
        """Everything arrived: a full bar (which stops animating) and what happens next."""
        self.query_one(".fetch-label", Label).update(label)
        self.set_total(max(self.count, 1))
        self.query_one(ProgressBar).update(progress=max(self.count, 1))

    def watch_count(self, count: int) -> None:
        bar = self.query_one(ProgressBar)
        if bar.total is not None:
            bar.update(progress=count)
        self.query_one(".fetch-count", Label).update(self._count_text())

    def _count_text(self) -> str:
        seconds = monotonic() - self._started
        noun = self.noun.removesuffix("s") if self.count == 1 else self.noun  # "1 student", "2 students"
        return f"{self.count:,} {noun} so far ({seconds:.0f} s)"

    def action_cancel(self) -> None:
        self.post_message(self.CancelRequested(self))

    @on(Button.Pressed, "#fetch-cancel-button")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        event.button.disabled = True
        self.query_one(".fetch-label", Label).update("Cancelling…")
        self.action_cancel()
