"""What the fetch → preview → *Import* steps (Teachers, Students, Sections) share.

Both steps move through the same stages: *intro* (a table of what the platform has and
*Import …*), *fetching* (progress and Cancel; nothing is written), *failed* (Clever's
admin-ready message and *Try again*), *preview* (one row per record with a dropdown, and
what *Import* will do) and *done*. The preview is re-planned by the sync layer after every
choice, so what the administrator reads is what is applied; when the store changed under
the preview (``StalePlan``) it is re-read and re-planned with the choices kept.

``ImportStepScreen`` owns the stages, the fetch worker with its progress and Cancel, the
failure pane, the summary and applying; a step screen fills in the small hooks below.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import ClassVar, Generic, Literal, NamedTuple, Protocol, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, DataTable, Header, Static
from textual.worker import Worker, WorkerState

from cleverwizard.clever.errors import CleverAuthError
from cleverwizard.runs.steps import StalePlan
from cleverwizard.store.models import PersonKind, Run
from cleverwizard.text import counted
from cleverwizard.ui.handoff import Handoff, lets_go
from cleverwizard.ui.literal import literal, literal_lines
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, WizardScreen, explain
from cleverwizard.ui.screens.confirm import Confirm
from cleverwizard.ui.widgets.batched import Row, fill_rows
from cleverwizard.ui.widgets.keys_footer import KeysFooter
from cleverwizard.ui.widgets.progress import FetchProgress

Stage = Literal["intro", "fetching", "failed", "preview", "done"]
FETCH_GROUP = "import-fetch"
APPLY_GROUP = "import-apply"
INTRO_GROUP = "import-intro"
PLAN_GROUP = "import-plan"


class Summarised(Protocol):
    """A plan as the preview needs it: the sentence saying what *Import* will do."""

    def summary(self) -> str: ...


FetchedT = TypeVar("FetchedT")
PlanT = TypeVar("PlanT", bound=Summarised)


class IntroTable(NamedTuple):
    """The intro stage: the status sentence and the table of what the platform has now."""

    status: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Text]]


class Fetched(Message, Generic[FetchedT]):
    """Everything the preview needs arrived from Clever (and was matched)."""

    def __init__(self, result: FetchedT) -> None:
        super().__init__()
        self.result = result


class FetchFailed(Message):
    """The fetch failed; ``text`` is the sentence to show (Clever's admin-ready message).

    ``auth``: Clever refused the token, so the way on is Connect your District.
    """

    def __init__(self, text: str, *, auth: bool = False) -> None:
        super().__init__()
        self.text = text
        self.auth = auth


class FetchCounted(Message):
    """A page arrived: ``count`` records so far; ``label``: the panel's next words, if new."""

    def __init__(self, count: int, label: str | None = None) -> None:
        super().__init__()
        self.count = count
        self.label = label

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FetchCounted)


class ImportStepScreen(WizardScreen, Generic[FetchedT, PlanT]):
    """Intro → fetching → preview → done (or failed); subclasses fill in the hooks."""

    KIND: ClassVar[str]
    """Plural noun and id prefix: ``teachers`` gives ``#teachers-status``, *Import Teachers*."""
    FETCHING_TEXT: ClassVar[str]
    """The status line while fetching: what is being fetched, and that Cancel saves nothing."""
    DONE_TEXT: ClassVar[str]
    """The status line once imported: where to go next."""
    RESULT_ID: ClassVar[str]
    """Id of the *done* pane's message; each step keeps the id it always had."""
    VIEW_LABEL: ClassVar[str | None] = None
    """A *View Imported …* button offered when done: the imported list of ``ACCOUNTS``."""
    ACCOUNTS: ClassVar[PersonKind | None] = None
    """Whose accounts *View Imported …* (``v``) lists."""
    PREVIEW_SCROLLS: ClassVar[bool] = True
    """Whether the preview pane scrolls as a whole (False: its own lists scroll inside it)."""
    APPLY_BLOCKERS: ClassVar[tuple[type[Exception], ...]] = ()
    """Errors that mean "change the choices first": said in the summary, without a toast."""
    CHOICE: ClassVar[type[Widget]]
    """The rows' dropdown type; the first one gets focus when the preview opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "scroll_stage('page_down')", "Page down", show=False),
        Binding("pageup", "scroll_stage('page_up')", "Page up", show=False),
        Binding("end", "scroll_stage('end')", "Scroll to the end", show=False),
        Binding("home", "scroll_stage('home')", "Scroll to the top", show=False),
    ]
    """With a button focused, the preview (or the result) still scrolls to what is below it."""

    stage: var[Stage] = var[Stage]("intro", init=False)
    """Which part of the step is showing; bindings and buttons follow it."""

    def __init__(self) -> None:
        super().__init__(id=f"{self.KIND}-screen")
        self.plan: PlanT | None = None
        """The plan for the current choices; ``None`` while it cannot be made."""
        self.saving = False
        """An import is being saved (in a thread); *Import* does nothing until it ends."""
        self._planning = 0
        """Counts re-plans asked for; only the plan for the latest choices is shown."""

    def release(self) -> None:
        super().release()
        self.plan = None

    @property
    def title_word(self) -> str:
        """*Teachers*: the screen title, and the step's name in *Import …* and messages."""
        return self.KIND.capitalize()

    # -- hooks ------------------------------------------------------------------------

    def intro_table(self) -> IntroTable:
        """What the platform has now; may raise an expected error (no school, store).

        Runs in a thread worker: read the store, build ``Text`` cells, touch no widget."""
        raise NotImplementedError

    def compose_preview(self) -> ComposeResult:
        """The preview pane's header, rows container and any lists under them."""
        raise NotImplementedError

    async def fetch(self) -> FetchedT:
        """Runs in the fetch worker: fetch every page (report with ``report_progress``)."""
        raise NotImplementedError

    def keep(self, fetched: FetchedT) -> str:
        """Keep what was fetched and the suggested choices; returns the preview's status."""
        raise NotImplementedError

    async def mount_rows(self) -> None:
        """(Re)mount one row per record with the current choices."""
        raise NotImplementedError

    def check_choices(self) -> str | None:
        """A sentence when the choices cannot be planned as they are (default: they can)."""
        return None

    def make_plan(self) -> PlanT:
        """Runs in a thread worker: plan the current choices; touch no widget."""
        raise NotImplementedError

    def show_rows(self) -> None:
        """Redraw every row's note (and anything else that follows ``self.plan``)."""
        raise NotImplementedError

    def apply_plan(self, plan: PlanT) -> Run:
        raise NotImplementedError

    async def reread(self) -> None:
        """After ``store.refresh()``: recompute the rows, keeping the choices still valid."""
        raise NotImplementedError

    def result_lines(self, run: Run) -> list[str]:
        """The *done* message; its second line is also the toast."""
        raise NotImplementedError

    def toast_text(self, lines: list[str]) -> str:
        """The toast once imported (default: the result's second line)."""
        return lines[1]

    def import_warning(self) -> str | None:
        """A reason to doubt the whole import (e.g. the wrong school), asked about before it."""
        return None

    def changed_choices(self) -> int:
        """How many of the preview's choices the administrator changed (leaving asks first)."""
        return 0

    def imported_before(self) -> bool:
        """Whether this step was imported before, so its list is worth offering on the intro."""
        return False

    def summary_note(self) -> str:
        """A line under *Import will: …* (default: none)."""
        return ""

    def back_from_accounts(self) -> None:
        """Back from *View Imported …*: redraw what the edits there change (default: nothing)."""

    # -- layout and stages ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        kind = self.KIND
        yield Header()
        with Vertical(classes="step-body"):
            yield Static(self.title_word, classes="screen-title")
            yield Static("", id=f"{kind}-status", classes="intro")
            with ContentSwitcher(initial=f"{kind}-intro", id=f"{kind}-stages", classes="import-stages"):
                yield DataTable(id=f"{kind}-intro", classes="import-intro", cursor_type="row", zebra_stripes=True)
                with Vertical(id=f"{kind}-fetching", classes="import-fetching"):
                    yield FetchProgress(f"Fetching {kind} from Clever…", noun=kind)
                with Vertical(id=f"{kind}-failed"):
                    yield Static("", id=f"{kind}-error", classes="message -error")
                with (VerticalScroll if self.PREVIEW_SCROLLS else Vertical)(id=f"{kind}-preview"):
                    yield from self.compose_preview()
                with VerticalScroll(id=f"{kind}-done"):
                    yield Static("", id=self.RESULT_ID, classes="message -success")
            yield Static("", id=f"{kind}-summary", classes="import-summary")
            with Horizontal(classes="buttons", id=f"{kind}-actions"):
                yield Button(f"Import {self.title_word}", id="fetch-button", variant="primary")
                yield Button("Try again", id="retry-button", variant="primary")
                yield Button("Connect your District", id="reconnect")
                yield Button("Import", id="apply-button", variant="success")
                if self.VIEW_LABEL:
                    yield Button(self.VIEW_LABEL, id="view-button", variant="primary")
                yield Button("History", id="history-button")
                yield Button("Back to Notifications", classes="back-button", id=f"{kind}-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        """The platform is read once the screen is drawn (``once_drawn``)."""
        self.once_drawn(self._show_intro)
        self._show_stage(self.stage)

    def watch_stage(self, stage: Stage) -> None:
        self._show_stage(stage)

    def _show_stage(self, stage: Stage) -> None:
        self.query_one(ContentSwitcher).current = f"{self.KIND}-{stage}"
        visible = {
            "fetch-button": stage == "intro",
            "retry-button": stage == "failed",
            "apply-button": stage == "preview",
        }
        if self.VIEW_LABEL:
            visible["view-button"] = stage == "done" or (stage == "intro" and self.imported_before())
        visible["history-button"] = stage == "done"
        back = self.query_one(f"#{self.KIND}-back", Button)
        back.label = "Done" if stage == "done" else "Back to Notifications"  # the step is finished
        reconnect = self.query_one("#reconnect", Button)
        reconnect.display = reconnect.display and stage == "failed"
        for button_id, shown in visible.items():
            self.query_one(f"#{button_id}", Button).display = shown
        self.query_one(f"#{self.KIND}-summary", Static).display = stage == "preview"
        self.refresh_bindings()
        done = "#view-button" if self.VIEW_LABEL else f"#{self.KIND}-back"
        focus = {"intro": "#fetch-button", "failed": "#retry-button", "done": done}.get(stage)
        if focus:
            self.query_one(focus, Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each stage offers its own next step; *Import* shows disabled until it can run."""
        if action == "fetch":
            return self.stage in ("intro", "failed")
        if action == "apply":
            if self.stage != "preview":
                return False
            return True if self.can_apply() else None
        if action == "view_imported":
            shown = self.stage == "done" or (self.stage == "intro" and self.imported_before())
            return shown and self.ACCOUNTS is not None
        return True

    def action_scroll_stage(self, where: Literal["page_down", "page_up", "end", "home"]) -> None:
        """Scroll the preview or the result, whatever has focus (a row, a button)."""
        stage = self.query_one(ContentSwitcher).visible_content
        if isinstance(stage, VerticalScroll):
            scroll = {
                "page_down": stage.scroll_page_down,
                "page_up": stage.scroll_page_up,
                "end": stage.scroll_end,
                "home": stage.scroll_home,
            }[where]
            scroll()

    def can_apply(self) -> bool:
        return self.stage == "preview" and self.plan is not None

    def _status(self, text: str | Content) -> None:
        self.query_one(f"#{self.KIND}-status", Static).update(literal(text) if isinstance(text, str) else text)

    def _summary_error(self, text: str) -> None:
        self.query_one(f"#{self.KIND}-summary", Static).update(literal(text, "bold $text-error"))

    def _show_intro(self) -> None:
        """The intro table, read in a thread (a school's worth of accounts is validated for it)."""
        self._intro_worker()

    @work(thread=True, exclusive=True, group=INTRO_GROUP, exit_on_error=False, description="Read the platform")
    @lets_go
    def _intro_worker(self) -> None:
        try:
            intro = self.intro_table()
            rows = [(list(row), None) for row in intro.rows]
        except EXPECTED_ERRORS as error:
            self.later(self._intro_failed, explain(error))
            return
        self.later(self._intro_read, intro.status, intro.columns, rows)

    def _intro_failed(self, text: str) -> None:
        """Without a school (or store) say why and offer no fetch."""
        if self.stage == "intro":
            self._status(text)
            self.query_one("#fetch-button", Button).disabled = True

    def _intro_read(self, status: str, columns: Sequence[str], rows: list[Row]) -> None:
        if self.stage == "intro":  # a fetch started meanwhile has its own status line
            self._status(status)
        table = self.query_one(f"#{self.KIND}-intro", DataTable)
        table.clear(columns=True)
        table.add_columns(*columns)
        fill_rows(table, rows)

    # -- fetching ---------------------------------------------------------------------

    def action_fetch(self) -> None:
        self.stage = "fetching"
        self.query_one(FetchProgress).start(f"Fetching {self.KIND} from Clever…")
        self._status(self.FETCHING_TEXT)
        self.fetch_step()

    @work(exclusive=True, group=FETCH_GROUP, exit_on_error=False, description="Fetch from Clever")
    async def fetch_step(self) -> None:
        """Every page from Clever; expected errors become a sentence, not a traceback."""
        try:
            result = await self.wizard.away_from_screens(self.fetch())
        except EXPECTED_ERRORS as error:
            self.post_message(FetchFailed(explain(error), auth=isinstance(error, CleverAuthError)))
            return
        self.post_message(Fetched(result))

    def report_progress(self, count: int, label: str | None = None) -> None:
        """Called by the client after every page; the handler updates the panel."""
        self.post_message(FetchCounted(count, label))

    @on(FetchCounted)
    def _counted(self, message: FetchCounted) -> None:
        if self.stage == "fetching":
            progress = self.query_one(FetchProgress)
            progress.count = message.count
            if message.label is not None:
                progress.start(message.label)
                progress.count = message.count

    @on(FetchProgress.CancelRequested)
    def _cancel_fetch(self) -> None:
        self.workers.cancel_group(self, FETCH_GROUP)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.CANCELLED:
            self.stage = "intro"
            self._status(f"Import cancelled: nothing was fetched or saved. Import {self.title_word} starts again.")
            return
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.ERROR:
            self.post_message(FetchFailed(explain(event.worker.error or RuntimeError("fetch failed"))))
            return
        super().on_worker_state_changed(event)

    @on(FetchFailed)
    def _fetch_failed(self, message: FetchFailed) -> None:
        self.show_failure(message.text)
        self.query_one("#reconnect", Button).display = message.auth
        self._status(f"Could not fetch the {self.KIND} from Clever. Nothing was saved.")
        self.notify(message.text, title=f"Import {self.title_word} failed", severity="error", timeout=10)

    def show_failure(self, message: str) -> None:
        self.stage = "failed"
        self.query_one(f"#{self.KIND}-error", Static).update(literal(message))
        self.query_one("#reconnect", Button).display = False

    @on(Button.Pressed, "#reconnect")
    def _reconnect(self) -> None:
        self.wizard.open_step("district")

    @on(Button.Pressed, "#fetch-button, #retry-button")
    def _fetch_pressed(self) -> None:
        self.action_fetch()

    # -- preview ----------------------------------------------------------------------

    @on(Fetched)
    async def _fetched(self, message: Fetched[FetchedT]) -> None:
        status = self.keep(message.result)
        await self.mount_rows()
        self.stage = "preview"
        self._status(status)
        self.rebuild_preview()
        first = next(iter(self.query(self.CHOICE)), None)
        (first or self.query_one("#apply-button", Button)).focus()

    def rebuild_preview(self) -> None:
        """Re-plan with the current choices, then redraw every row; *Import* follows the plan.

        The rows (and a conflict, on both its rows) show the choices at once and *Import*
        waits; the plan itself is made in a thread (at 20,000 students it reads and checks
        every account). Only the plan for the latest choices is kept: a plan still being
        made for earlier ones is thrown away when it arrives.
        """
        self.plan = None
        self._planning += 1
        blocked = self.check_choices()
        if blocked is not None:
            self._summary_error(blocked)
            self._show_plan()
            return
        self.show_rows()
        self.query_one("#apply-button", Button).disabled = True
        self.refresh_bindings()
        self.once_drawn(self._plan_worker, self._planning)

    @work(thread=True, exclusive=True, group=PLAN_GROUP, exit_on_error=False, description="Plan the import")
    @lets_go
    def _plan_worker(self, planning: int) -> None:
        try:
            plan = self.make_plan()
        except self.APPLY_BLOCKERS as error:
            self.later(self._planned, planning, None, str(error))
        except EXPECTED_ERRORS as error:
            self.later(self._planned, planning, None, explain(error))
        else:
            self.later(self._planned, planning, plan, None)

    def _planned(self, planning: int, plan: PlanT | None, refused: str | None) -> None:
        if planning != self._planning or self.stage != "preview":
            return  # made for choices changed since (or a preview left): the latest plan is on its way
        self.plan = plan
        if plan is None:
            self._summary_error(refused or "")
        else:
            note = self.summary_note()
            self.query_one(f"#{self.KIND}-summary", Static).update(
                Content.assemble(("Import will: ", "bold"), plan.summary(), f"\n{note}" if note else "")
            )
        self._show_plan()

    def _show_plan(self) -> None:
        self.show_rows()
        self.query_one("#apply-button", Button).disabled = not self.can_apply()
        self.refresh_bindings()

    # -- importing --------------------------------------------------------------------

    def action_apply(self) -> None:
        """Ask once, with the plan's own sentence (and any warning), before writing anything."""
        if not self.can_apply() or self.plan is None or self.saving or isinstance(self.app.screen, Confirm):
            return
        warning = self.import_warning()
        if warning:
            body = Content.assemble(("⚠ " + warning, "bold $text-warning"), "\n\n", self.plan.summary())
        else:
            note = self.summary_note()
            body = Content.assemble(self.plan.summary(), f"\n{note}" if note else "")
        question = f"Import {self.KIND} anyway?" if warning else f"Import {self.KIND} now?"
        self.app.push_screen(
            Confirm(question, body, yes="Import", id="confirm-import"),
            callback=self._import_answered,
        )

    def _import_answered(self, yes: bool | None) -> None:
        if yes:
            self.import_now()
        else:
            self._status("Not imported yet: the preview is as you left it. Press Import when it is right.")

    def import_now(self) -> None:
        """Apply the plan the administrator just confirmed."""
        if not self.can_apply() or self.plan is None or self.saving:
            return
        self.saving = True
        self.query_one("#apply-button", Button).disabled = True
        self.apply_step(Handoff(self.plan))

    @work(group=APPLY_GROUP, exit_on_error=False, description="Save the import")
    async def apply_step(self, handoff: Handoff[PlanT]) -> None:
        """Save in a thread: writing a school's worth of records must not freeze the screen."""
        try:
            run = await asyncio.to_thread(self._apply_and_count, handoff.take())
        except StalePlan as error:
            self.notify(str(error), title="Preview out of date", severity="warning", timeout=10)
            self.call_later(self._replan, str(error))
            return
        except self.APPLY_BLOCKERS as error:
            self._summary_error(str(error))
            self._apply_button_back()
            return
        except EXPECTED_ERRORS as error:
            self._summary_error(explain(error))
            self.notify(explain(error), title="Import failed", severity="error", timeout=10)
            self._apply_button_back()
            return
        finally:
            self.saving = False
        self._imported(run)

    def _apply_and_count(self, plan: PlanT) -> Run:
        """In the save thread: apply, then build the checklist for the roster just saved, so
        Notifications shows it at once instead of counting 20,000 accounts on the loop."""
        run = self.apply_plan(plan)
        self.wizard.count_checklist()
        return run

    def _apply_button_back(self) -> None:
        self.query_one("#apply-button", Button).disabled = not self.can_apply()

    async def _replan(self, reason: str) -> None:
        """The store changed under the preview: re-read it, keep the choices, re-plan."""
        try:
            self.sync.store.refresh()
            await self.reread()
        except EXPECTED_ERRORS as error:
            self._summary_error(explain(error))
            return
        await self.mount_rows()
        self.rebuild_preview()
        self._status(reason)

    @on(Button.Pressed, "#apply-button")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#history-button")
    def _history_pressed(self) -> None:
        self.wizard.open_step("history")

    def action_back(self) -> None:
        """Leaving a preview whose choices were changed throws them away: ask first."""
        changed = self.changed_choices() if self.stage == "preview" else 0
        if not changed:
            super().action_back()
            return
        choices = counted(changed, "choice")
        self.app.push_screen(
            Confirm(
                "Leave without importing?",
                f"You changed {choices} on this preview. Leaving throws them away; nothing has been imported.",
                yes="Leave",
                no="Stay on the preview",
                danger=True,
                id="confirm-leave",
            ),
            callback=lambda leave: super(ImportStepScreen, self).action_back() if leave else None,
        )

    def _imported(self, run: Run) -> None:
        lines = self.result_lines(run)
        self.query_one(f"#{self.RESULT_ID}", Static).update(literal_lines(lines))
        self._status(self.DONE_TEXT)
        self.stage = "done"
        self.notify(self.toast_text(lines), title=f"{self.title_word} imported")

    # -- the imported list ------------------------------------------------------------

    def action_view_imported(self) -> None:
        if self.ACCOUNTS is None:
            return
        from cleverwizard.ui.screens.accounts import AccountsScreen

        self.app.push_screen(AccountsScreen(self.ACCOUNTS), callback=lambda _: self.back_from_accounts())

    @on(Button.Pressed, "#view-button")
    def _view_pressed(self) -> None:
        self.action_view_imported()
