"""Teachers: fetch Clever's teachers, review who matches whom, then import.

The screen moves through stages: *intro* (the platform's teachers and *Import Teachers*),
*fetching* (progress and Cancel; nothing is written), *failed* (Clever's admin-ready
message and *Try again*), *preview* (one row per platform teacher with a *Select a Match*
dropdown, the Clever teachers who will get new accounts, the records to fix in the SIS, and
what *Import* will do) and *done*. The preview is rebuilt from the sync layer's pure
planning functions after every choice, so what the administrator reads is what is applied.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, ContentSwitcher, DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from cleverwizard.clever.models import User
from cleverwizard.store.models import Run
from cleverwizard.sync.apply import StalePlan
from cleverwizard.sync.matching import TeacherMatchRow
from cleverwizard.sync.plan import Plan
from cleverwizard.sync.planning import MatchConflict, find_conflicts
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, WizardScreen, explain
from cleverwizard.ui.widgets.match_select import MatchBook, MatchSelect
from cleverwizard.ui.widgets.progress import FetchProgress
from cleverwizard.ui.widgets.teacher_plan import SIS_FIX, TeacherPlanLists
from cleverwizard.ui.widgets.teacher_row import TeacherRow

Stage = Literal["intro", "fetching", "failed", "preview", "done"]
FETCH_GROUP = "teachers-fetch"


class TeachersFetched(Message):
    """Clever's teachers for the connected school, every page, with our suggestions."""

    def __init__(self, users: list[User], rows: list[TeacherMatchRow], book: MatchBook) -> None:
        super().__init__()
        self.users = users
        self.rows = rows
        self.book = book


class FetchFailed(Message):
    """The fetch failed; ``text`` is the sentence to show (Clever's admin-ready message)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class FetchCounted(Message):
    """A page arrived: ``count`` teachers so far (``done``: all in, now matching)."""

    def __init__(self, count: int, done: bool = False) -> None:
        super().__init__()
        self.count = count
        self.done = done

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FetchCounted)


class TeachersScreen(WizardScreen):
    """Import Teachers: match the platform's teachers to Clever's, then link and create."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i", "fetch", "Import Teachers", tooltip="Fetch this school's teachers from Clever", id="teachers-fetch"
        ),
        Binding("i", "apply", "Import", tooltip="Link and create accounts as the summary says", id="teachers-apply"),
        Binding("v", "view_imported", "View Imported Teachers", id="teachers-view"),
    ]

    stage: var[Stage] = var[Stage]("intro", init=False)
    """Which part of the step is showing; bindings and buttons follow it."""

    def __init__(self) -> None:
        super().__init__(id="teachers-screen")
        self.users: list[User] = []
        self.rows: list[TeacherMatchRow] = []
        self.book: MatchBook | None = None
        self.choices: dict[int, str | None] = {}
        """Platform teacher id -> chosen Clever id (``None``: not in the list)."""
        self.plan: Plan | None = None
        """The plan for the current choices; ``None`` while blocked by a conflict."""
        self.conflicts: dict[str, list[int]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("Teachers", classes="screen-title")
            yield Static("", id="teachers-status", classes="intro")
            with ContentSwitcher(initial="teachers-intro", id="teachers-stages"):
                yield DataTable(id="teachers-intro", cursor_type="row", zebra_stripes=True)
                with Vertical(id="teachers-fetching"):
                    yield FetchProgress("Fetching teachers from Clever…", noun="teachers")
                with Vertical(id="teachers-failed"):
                    yield Static("", id="teachers-error", classes="message -error")
                with VerticalScroll(id="teachers-preview"):
                    yield Horizontal(
                        Static("Platform teacher", classes="teacher-who"),
                        Static("Clever Matches", classes="teacher-match"),
                        id="match-header",
                    )
                    yield Vertical(id="match-rows")
                    yield TeacherPlanLists()
                with VerticalScroll(id="teachers-done"):
                    yield Static("", id="import-result", classes="message -success")
            yield Static("", id="teachers-summary")
            with Horizontal(classes="buttons", id="teachers-actions"):
                yield Button("Import Teachers", id="fetch-button", variant="primary")
                yield Button("Try again", id="retry-button", variant="primary")
                yield Button("Import", id="apply-button", variant="success")
                yield Button("View Imported Teachers", id="view-button", variant="primary")
                yield Button("Back to Notifications", classes="back-button")
        yield Footer()

    def on_mount(self) -> None:
        self._show_platform_teachers()
        self._show_stage(self.stage)

    # -- stages ---------------------------------------------------------------------

    def watch_stage(self, stage: Stage) -> None:
        self._show_stage(stage)

    def _show_stage(self, stage: Stage) -> None:
        self.query_one(ContentSwitcher).current = f"teachers-{stage}"
        visible = {
            "fetch-button": stage == "intro",
            "retry-button": stage == "failed",
            "apply-button": stage == "preview",
            "view-button": stage == "done",
        }
        for button_id, shown in visible.items():
            self.query_one(f"#{button_id}", Button).display = shown
        self.query_one("#teachers-summary", Static).display = stage == "preview"
        self.refresh_bindings()
        focus = {"intro": "#fetch-button", "failed": "#retry-button", "done": "#view-button"}.get(stage)
        if focus:
            self.query_one(focus, Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each stage offers its own next step; *Import* waits until conflicts are resolved."""
        if action == "fetch":
            return self.stage in ("intro", "failed")
        if action == "apply":
            if self.stage != "preview":
                return False
            return True if self._can_apply() else None
        if action == "view_imported":
            return self.stage == "done"
        return True

    def _status(self, text: str | Content) -> None:
        self.query_one("#teachers-status", Static).update(text)

    def _show_platform_teachers(self) -> None:
        """The intro: how many teachers the platform has, each with their link state."""
        try:
            teachers = [t for t in self.sync.view().teachers if t.status == "active"]
            site = self.sync.require_site(school=True)
        except EXPECTED_ERRORS as error:
            self._status(explain(error))
            self.query_one("#fetch-button", Button).disabled = True
            return
        linked = sum(1 for t in teachers if t.clever_id)
        self._status(
            f"{len(teachers)} teachers on the platform, {linked} linked to Clever. "
            f"Import Teachers fetches {site.school_name or 'the school'}'s teachers from Clever; "
            "nothing is saved until you press Import."
        )
        table = self.query_one("#teachers-intro", DataTable)
        table.clear(columns=True)
        table.add_columns("Platform teacher", "Login email", "Clever")
        for t in teachers:
            table.add_row(
                Text(t.full_name or "(no name)"),
                Text(t.email or "(none: can't log in)"),
                Text("linked to Clever" if t.clever_id else "not linked"),
            )

    # -- fetching -------------------------------------------------------------------

    def action_fetch(self) -> None:
        self.stage = "fetching"
        self.query_one(FetchProgress).start("Fetching teachers from Clever…")
        self._status("Fetching this school's teachers from Clever. Cancel stops without saving anything.")
        self.fetch_teachers()

    @work(exclusive=True, group=FETCH_GROUP, exit_on_error=False, description="Fetch Clever teachers")
    async def fetch_teachers(self) -> None:
        """Every page of the school's teachers; errors become a sentence, not a traceback."""
        try:
            users = await self.sync.fetch("teacher", lambda count: self.post_message(FetchCounted(count)))
            self.post_message(FetchCounted(len(users), done=True))
            rows, book = await asyncio.to_thread(self._suggest, users)
        except EXPECTED_ERRORS as error:
            self.post_message(FetchFailed(explain(error)))
            return
        self.post_message(TeachersFetched(users, rows, book))

    def _suggest(self, users: list[User]) -> tuple[list[TeacherMatchRow], MatchBook]:
        """Rank every platform teacher's candidates (seconds for 100 x 1,000: off the loop)."""
        return self.sync.teacher_rows(users), MatchBook.build(users)

    @on(FetchCounted)
    def _counted(self, message: FetchCounted) -> None:
        if self.stage == "fetching":
            progress = self.query_one(FetchProgress)
            progress.count = message.count
            if message.done:
                progress.start(f"Matching {message.count} Clever teachers with the platform's teachers…")
                progress.count = message.count

    @on(FetchProgress.CancelRequested)
    def _cancel_fetch(self) -> None:
        self.workers.cancel_group(self, FETCH_GROUP)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.CANCELLED:
            self.stage = "intro"
            self._status("Import cancelled: nothing was fetched or saved. Import Teachers starts again.")
            return
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.ERROR:
            self.post_message(FetchFailed(explain(event.worker.error or RuntimeError("fetch failed"))))
            return
        super().on_worker_state_changed(event)

    @on(FetchFailed)
    def _fetch_failed(self, message: FetchFailed) -> None:
        self.stage = "failed"
        self.query_one("#teachers-error", Static).update(message.text)
        self._status("Could not fetch the teachers from Clever. Nothing was saved.")
        self.notify(message.text, title="Import Teachers failed", severity="error", timeout=10)

    def show_failure(self, message: str) -> None:
        self.stage = "failed"
        self.query_one("#teachers-error", Static).update(message)

    @on(Button.Pressed, "#fetch-button, #retry-button")
    def _fetch_pressed(self) -> None:
        self.action_fetch()

    # -- preview --------------------------------------------------------------------

    @on(TeachersFetched)
    async def _fetched(self, message: TeachersFetched) -> None:
        self.users = message.users
        self.rows = message.rows
        self.book = message.book
        self.book.taken = self._taken_by
        self.choices = {row.account.id: row.suggested for row in self.rows}
        await self._mount_rows()
        self.stage = "preview"
        self._status(
            f"{len(self.users)} teachers in Clever. Check each platform teacher's match "
            "(Enter opens Select a Match; type to search), then press Import."
        )
        self.rebuild_preview()
        first = self.query(MatchSelect).first(MatchSelect) if self.rows else None
        (first or self.query_one("#apply-button", Button)).focus()

    async def _mount_rows(self) -> None:
        assert self.book is not None
        container = self.query_one("#match-rows", Vertical)
        await container.remove_children()
        if not self.rows:
            await container.mount(Static("No teachers on the platform yet: every Clever teacher gets a new account."))
            return
        await container.mount_all([TeacherRow(row, self.book, self.choices[row.account.id]) for row in self.rows])

    def _names(self) -> dict[int, str]:
        return {row.account.id: row.account.full_name or "(no name)" for row in self.rows}

    def _taken_by(self, clever_id: str, account_id: int) -> list[str]:
        """Who else a Clever teacher is chosen for, for the dropdown's "chosen for" note."""
        names = self._names()
        return [names[other] for other, chosen in self.choices.items() if chosen == clever_id and other != account_id]

    @on(MatchSelect.Changed)
    def _match_changed(self, event: MatchSelect.Changed) -> None:
        self.choices[event.account_id] = event.clever_id
        self.rebuild_preview()

    def _can_apply(self) -> bool:
        return self.stage == "preview" and not self.conflicts and self.plan is not None

    def rebuild_preview(self) -> None:
        """Redraw every row's note, then re-plan; a conflict blocks Import until resolved."""
        self.conflicts = find_conflicts(self.choices)
        for widget in self.query(TeacherRow):
            account_id = widget.row.account.id
            value = self.choices.get(account_id)
            widget.show_state(value, self._taken_by(value, account_id) if value else [])
        summary = self.query_one("#teachers-summary", Static)
        self.plan = None
        if self.conflicts:
            summary.update(Content.styled(self._conflict_text(), "bold $text-error"))
        else:
            try:
                self.plan = self._plan_for(dict(self.choices))
            except MatchConflict as error:
                summary.update(Content.styled(str(error), "bold $text-error"))
            except EXPECTED_ERRORS as error:
                summary.update(Content.styled(explain(error), "bold $text-error"))
            else:
                summary.update(Content.assemble(("Import will: ", "bold"), self.plan.summary()))
                self.query_one(TeacherPlanLists).show(self.plan)
        self.query_one("#apply-button", Button).disabled = not self._can_apply()
        self.refresh_bindings()

    def _plan_for(self, choices: dict[int, str | None]) -> Plan:
        """The teacher plan for these choices, reusing the suggestions ranked at fetch time."""
        return self.sync.plan("teacher", self.users, choices, rows=self.rows)

    def _conflict_text(self) -> str:
        names = self._names()
        assert self.book is not None
        parts = [
            f"Clever's {self.book.name(clever_id)} is chosen for {' and '.join(names[i] for i in ids)}"
            for clever_id, ids in self.conflicts.items()
        ]
        return "Import is blocked: " + "; ".join(parts) + ". A Clever teacher is matched once: change one row."

    # -- importing ------------------------------------------------------------------

    def action_apply(self) -> None:
        if not self._can_apply() or self.plan is None:
            return
        try:
            run = self.sync.apply(self.plan)
        except StalePlan as error:
            self.notify(str(error), title="Preview out of date", severity="warning", timeout=10)
            self.call_later(self._replan, str(error))
            return
        except MatchConflict as error:
            self.query_one("#teachers-summary", Static).update(Content.styled(str(error), "bold $text-error"))
            return
        except EXPECTED_ERRORS as error:
            self.query_one("#teachers-summary", Static).update(Content.styled(explain(error), "bold $text-error"))
            self.notify(explain(error), title="Import failed", severity="error", timeout=10)
            return
        self._imported(run)

    async def _replan(self, reason: str) -> None:
        """The store changed under the preview: re-read it, keep the choices, re-plan."""
        kept = dict(self.choices)
        try:
            self.sync.store.refresh()
            self.rows = await asyncio.to_thread(self.sync.teacher_rows, self.users)
        except EXPECTED_ERRORS as error:
            self.query_one("#teachers-summary", Static).update(Content.styled(explain(error), "bold $text-error"))
            return
        self.choices = {row.account.id: kept.get(row.account.id, row.suggested) for row in self.rows}
        await self._mount_rows()
        self.rebuild_preview()
        self._status(reason)

    @on(Button.Pressed, "#apply-button")
    def _apply_pressed(self) -> None:
        self.action_apply()

    def _imported(self, run: Run) -> None:
        counts = run.counts
        lines = [
            "Teachers imported.",
            f"{counts.linked} linked to Clever, {counts.created} new accounts, {counts.updated} updated, "
            f"{counts.unchanged} unchanged. Nothing was deleted.",
        ]
        if counts.flagged:
            lines.append(f"{counts.flagged} Clever records to fix: {SIS_FIX}")
        lines.append("Your match choices are saved and will be pre-selected next time.")
        self.query_one("#import-result", Static).update("\n".join(lines))
        self._status("Done. View Imported Teachers to check or edit login emails.")
        self.stage = "done"
        self.notify(lines[1], title="Teachers imported")

    def action_view_imported(self) -> None:
        from cleverwizard.ui.screens.accounts import AccountsScreen

        self.app.push_screen(AccountsScreen("teacher"), callback=self._home_after_accounts)

    def _home_after_accounts(self, _: object) -> None:
        """Leaving the list goes on to Notifications: this import is finished."""
        self.dismiss(None)

    @on(Button.Pressed, "#view-button")
    def _view_pressed(self) -> None:
        self.action_view_imported()

