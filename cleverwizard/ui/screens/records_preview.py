"""What *Add from a file* and *Fill missing emails* share: inputs, *Preview*, then apply.

The administrator fills in where the records come from, presses *Preview* (or Enter) and
reads every line of the plan: what it adds or sets, what is already there or can't be done,
and every bad row with its line number. Planning and applying run in thread workers (they
read a file and the store); text from the file is shown literally, one line per entry.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Header, Input, Static

from cleverwizard.files.csv_in import FileUnusable
from cleverwizard.platform.apply import BadRowsInFile
from cleverwizard.rules.email_patterns import PatternRejected
from cleverwizard.runs.steps import StalePlan
from cleverwizard.service.files_in import EntryRejected
from cleverwizard.store.models import Run
from cleverwizard.text import one_line
from cleverwizard.ui.handoff import Handoff, lets_go
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, WizardScreen, explain
from cleverwizard.ui.widgets.keys_footer import KeysFooter

RECORD_ERRORS: tuple[type[BaseException], ...] = (
    *EXPECTED_ERRORS,
    FileUnusable,
    PatternRejected,
    BadRowsInFile,
    EntryRejected,
)
"""Errors whose text is written for an administrator, from files and typed entries too."""


class RecordsPlan(Protocol):
    """An add or fill plan, as the preview shows it."""

    @property
    def bad(self) -> list[Any]: ...

    @property
    def writes_nothing(self) -> bool: ...

    def lines(self) -> list[str]: ...


PlanT = TypeVar("PlanT", bound=RecordsPlan)


class Planned(Message):
    def __init__(self, plan: RecordsPlan) -> None:
        super().__init__()
        self.plan = plan


class Applied(Message):
    def __init__(self, run: Run) -> None:
        super().__init__()
        self.run = run


class Refused(Message):
    """Planning or applying failed with ``text``; ``stale``: the store changed, so plan again."""

    def __init__(self, text: str, *, stale: bool = False) -> None:
        super().__init__()
        self.text = text
        self.stale = stale


class NeedsInput(ValueError):
    """An input is empty or unusable; the message says what to type."""


class PreviewAndApplyScreen(WizardScreen, Generic[PlanT]):
    """Inputs, *Preview*, the plan line by line, then *Add* / *Set emails*; subclasses fill the hooks."""

    SCREEN_ID: ClassVar[str]
    APPLY_LABEL: ClassVar[str]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "preview", "Preview", tooltip="Read the file (or pattern) and show what it would do"),
        Binding("ctrl+s", "apply", "Save", tooltip="Save what the preview shows, as one run in History"),
        Binding("escape", "back", "Back", tooltip="Back to where you came from; nothing unsaved is kept"),
    ]
    DEFAULT_CSS = """
    PreviewAndApplyScreen #records-preview { height: 1fr; border: round $primary-muted; padding: 0 1; }
    PreviewAndApplyScreen .records-input { margin-bottom: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id=self.SCREEN_ID)
        self.plan: PlanT | None = None
        self.run: Run | None = None

    def release(self) -> None:
        super().release()
        self.plan, self.run = None, None

    # -- hooks --------------------------------------------------------------------------

    def title_text(self) -> str:
        raise NotImplementedError

    def intro_text(self) -> str:
        raise NotImplementedError

    def compose_inputs(self) -> ComposeResult:
        raise NotImplementedError

    def request(self) -> Any:
        """The inputs, read on the event loop; ``NeedsInput`` when something is missing."""
        raise NotImplementedError

    def make_plan(self, request: Any) -> PlanT:
        """Runs in a thread worker: read the file (or pattern) and plan."""
        raise NotImplementedError

    def apply_plan(self, plan: PlanT) -> Run:
        """Runs in a thread worker: one run in History."""
        raise NotImplementedError

    def next_step(self, plan: PlanT) -> str:
        """What to do after reading a good plan (press *Add*...)."""
        raise NotImplementedError

    def done_text(self, run: Run) -> str:
        raise NotImplementedError

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static(self.title_text(), classes="screen-title", markup=False)
            yield Static(self.intro_text(), classes="intro", markup=False)
            yield from self.compose_inputs()
            yield Static("", id="records-message", classes="message")
            with VerticalScroll(id="records-preview"):
                yield Static("", id="records-lines", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Preview", id="records-preview-button", variant="primary")
                yield Button(self.APPLY_LABEL, id="records-apply-button", variant="success", disabled=True)
                yield Button("Back", classes="back-button", id="records-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.tell("")
        self.query_one("#records-preview").display = False
        first = next(iter(self.query(Input)), None)
        if first is not None:
            first.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return True if self._can_apply() else None
        return True

    def _can_apply(self) -> bool:
        plan = self.plan
        return self.run is None and plan is not None and not plan.bad and not plan.writes_nothing

    def _show_buttons(self) -> None:
        self.query_one("#records-apply-button", Button).disabled = not self._can_apply()
        self.refresh_bindings()

    # -- preview ------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#records-preview-button")
    def _preview_requested(self) -> None:
        self.action_preview()

    def action_preview(self) -> None:
        try:
            request = self.request()
        except NeedsInput as error:
            self.tell(str(error), "error")
            return
        self.plan, self.run = None, None
        self._show_buttons()
        self.tell("Reading…", "busy")
        self._plan_worker(request)

    @work(thread=True, exclusive=True, group="records", exit_on_error=False, description="Preview")
    @lets_go
    def _plan_worker(self, request: Any) -> None:
        try:
            plan = self.make_plan(request)
        except RECORD_ERRORS as error:
            self.post_message(Refused(explain(error) if isinstance(error, EXPECTED_ERRORS) else str(error)))
            return
        self.post_message(Planned(plan))

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        plan: PlanT = message.plan  # type: ignore[assignment]
        self.plan = plan
        preview = self.query_one("#records-preview", VerticalScroll)
        preview.display = True
        self.query_one("#records-lines", Static).update(Content("\n".join(one_line(line) for line in plan.lines())))
        preview.scroll_home(animate=False)
        if plan.bad:
            self.tell("Fix the bad rows in the file, then Preview again. Nothing was saved.", "error")
        elif plan.writes_nothing:
            self.tell("Nothing to save: the preview lists why.", "warning")
        else:
            self.tell(self.next_step(plan), "")
        self._show_buttons()
        if self._can_apply():
            self.query_one("#records-apply-button", Button).focus()

    # -- applying -----------------------------------------------------------------------

    @on(Button.Pressed, "#records-apply-button")
    def _apply_requested(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        if not self._can_apply() or self.plan is None:
            return
        self.query_one("#records-apply-button", Button).disabled = True
        self.tell("Saving…", "busy")
        self._apply_worker(Handoff(self.plan))

    @work(thread=True, exclusive=True, group="records", exit_on_error=False, description="Save")
    @lets_go
    def _apply_worker(self, handoff: Handoff[PlanT]) -> None:
        try:
            run = self.apply_plan(handoff.take())
            self.wizard.count_checklist()  # in this thread: Notifications shows it at once
        except StalePlan as error:
            self.post_message(Refused(str(error), stale=True))
            return
        except RECORD_ERRORS as error:
            self.post_message(Refused(explain(error) if isinstance(error, EXPECTED_ERRORS) else str(error)))
            return
        self.post_message(Applied(run))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        self.run = message.run
        self.tell(self.done_text(message.run), "success")
        self.notify(self.done_text(message.run), title="Saved")
        self._show_buttons()
        self.query_one("#records-back", Button).focus()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.tell(message.text, "warning" if message.stale else "error")
        self._show_buttons()
        if message.stale:
            self.action_preview()  # planned again on what is saved now; the admin reviews it

    def tell(self, text: str, kind: str = "") -> None:
        """The message line, as plain text (it can quote a file's name or contents), styled by ``kind``."""
        message = self.query_one("#records-message", Static)
        message.update(Content(one_line(text)))
        message.display = bool(text)
        for css in ("-error", "-success", "-warning", "-busy"):
            message.set_class(css == f"-{kind}", css)

    def show_failure(self, message: str) -> None:
        self.tell(message, "error")
        self._show_buttons()
