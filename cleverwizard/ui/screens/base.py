"""What every step screen shares: the way back, the footer, and failure handling.

Each step is pushed on top of Notifications and returns to it (escape or the *Back to
Notifications* button). Workers catch the errors an administrator can act on and post a
message; anything else reaches ``on_worker_state_changed`` here and is shown as a
sentence in the screen, never as a traceback, and the app keeps running.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from cleverwizard.clever.errors import CleverError
from cleverwizard.runs.steps import StalePlan
from cleverwizard.service.roster_sync import EmailRejected, RosterSync, StepOutOfOrder
from cleverwizard.store.errors import StoreError
from cleverwizard.ui.literal import literal

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp

EXPECTED_ERRORS: tuple[type[BaseException], ...] = (
    CleverError,
    StoreError,
    StalePlan,
    StepOutOfOrder,
    EmailRejected,
)
"""Errors whose text is already written for an administrator."""


def explain(error: BaseException) -> str:
    """The sentence to show for a failure: the error's own words when it has them."""
    if isinstance(error, CleverError):
        return error.message
    if isinstance(error, EXPECTED_ERRORS):
        return str(error)
    return (
        f"Something unexpected went wrong ({type(error).__name__}: {error}). "
        "Nothing was saved by this step; try again, and report it if it keeps happening."
    )


class StepFailed(Message):
    """A step's worker caught an expected error; ``during`` names which of its jobs failed."""

    def __init__(self, error: BaseException, during: str) -> None:
        self.error = error
        self.during = during
        super().__init__()


class OnLoop(Message):
    """A thread worker's result, to be shown by the screen it was posted to, on the event loop.

    Posting (thread-safe) rather than ``call_from_thread``: a screen dismissed meanwhile
    simply never handles it, and the worker never waits for the loop."""

    def __init__(self, then: Callable[[], object]) -> None:
        self.then = then
        super().__init__()


class WizardScreen(Screen[None]):
    """Base for step screens: escape and *Back to Notifications* return home."""

    BINDINGS = [
        Binding("escape", "back", "Back to Notifications", id="back"),
    ]

    @property
    def wizard(self) -> CleverWizardApp:
        """The app, typed, for ``self.wizard.sync`` and ``self.wizard.open_step``."""
        return cast("CleverWizardApp", self.app)

    @property
    def sync(self) -> RosterSync:
        sync = self.wizard.sync
        if sync is None:
            raise StoreError("The roster store is not open; restart the wizard.")
        return sync

    def later(self, then: Callable[..., object], *args: Any) -> None:
        """From a thread worker: call ``then(*args)`` on the event loop (widgets live there)."""
        self.post_message(OnLoop(partial(then, *args)))

    def once_drawn(self, then: Callable[..., object], *args: Any) -> None:
        """Call ``then(*args)`` once the screen has drawn what is pending now: for starting a
        thread worker. A worker busy in Python holds the interpreter lock half the time or
        more, so a layout drawn beside it took twice as long; the first refresh after a
        change is often only the focus moving, so this waits for the one after it too."""
        self.call_after_refresh(self.call_after_refresh, then, *args)

    @on(OnLoop)
    def _on_loop(self, message: OnLoop) -> None:
        message.then()

    def on_unmount(self) -> None:
        """The screen is closed for good (a step is a new screen each time it opens)."""
        self.release()

    def release(self) -> None:
        """Hook: drop what the screen holds of the school's data (a preview, a plan, the accounts).

        A closed screen's widgets refer to each other, so Python frees the screen only in a full
        garbage collection, which walks whatever it still holds: at 20,000 students, a third of a
        second in which a key waits (``ui/heap.py``). Dropped here, that data is freed at once."""

    def action_back(self) -> None:
        """Return to Notifications; a running fetch is cancelled with this screen."""
        self.dismiss(None)

    @on(Button.Pressed, ".back-button")
    def _back_pressed(self) -> None:
        self.action_back()

    def say(self, selector: str, text: str, kind: str = "") -> None:
        """Put ``text`` in a ``.message`` line, styled by ``kind``; no text hides the line.

        Shown literally: these lines carry Clever's names and error messages."""
        message = self.query_one(selector, Static)
        message.update(literal(text))
        message.display = bool(text)
        for css in ("-error", "-success", "-warning", "-busy"):
            message.set_class(css == f"-{kind}", css)

    def show_failure(self, message: str) -> None:
        """Hook for screens: put ``message`` where the user is looking. Default: a toast."""
        self.notify(message, title="Something went wrong", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Unexpected worker errors become a sentence in the screen, not a crash."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_failure(explain(event.worker.error))
