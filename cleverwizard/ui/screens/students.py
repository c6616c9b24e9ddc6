"""Students: fetch Clever's students, preview them by grade, then *Import*.

The screen moves through panes: intro → fetching (progress, Cancel) → preview → imported,
or failed with *Try again*. Fetching and planning write nothing; only *Import* applies the
plan, so cancelling, going back or quitting at any point leaves the roster as it was.
Like Teachers and Sections, ``i`` fetches before the preview and imports on it, and ``v``
opens View Imported Students once imported.
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, ContentSwitcher, Footer, Header, Static
from textual.worker import Worker, WorkerState

from cleverwizard.clever import CleverAuthError, User
from cleverwizard.people.plan import Plan
from cleverwizard.runs.steps import StalePlan
from cleverwizard.store.models import Run
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, StepFailed, WizardScreen, explain
from cleverwizard.ui.widgets.grade_preview import (
    NO_EMAIL_NOTE,
    GradeGroup,
    GradePreview,
    group_rows,
    student_rows,
)
from cleverwizard.ui.widgets.progress import FetchProgress
from cleverwizard.ui.widgets.step_item import when_text

INTRO = (
    "Import Students fetches this school's students from Clever and shows, grade by grade, "
    "what the import will do. Nothing is saved until you press Import."
)


def students(count: int) -> str:
    """ "1 student", "2 students": counts an administrator reads."""
    return f"{count:,} student" if count == 1 else f"{count:,} students"


class StudentsScreen(WizardScreen):
    """Fetch → plan → preview by grade → apply, for the connected school's students."""

    BINDINGS = [
        Binding("f", "toggle_no_email", "Only without email", id="only-no-email"),
        Binding(
            "i", "fetch", "Import Students", tooltip="Fetch this school's students from Clever", id="students-fetch"
        ),
        Binding("i", "import_students", "Import", id="import-students"),
        Binding("v", "view_imported", "View Imported Students", id="students-view"),
    ]

    class Fetching(Message):
        """A page of students arrived; ``count`` is the running total."""

        def __init__(self, count: int, *, done: bool = False) -> None:
            self.count = count
            self.done = done
            super().__init__()

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, StudentsScreen.Fetching) and not message.done

    class Planned(Message):
        def __init__(self, users: list[User], plan: Plan, groups: list[GradeGroup], note: str = "") -> None:
            self.users = users
            self.plan = plan
            self.groups = groups
            self.note = note
            super().__init__()

    class Imported(Message):
        def __init__(self, run: Run, no_email: int) -> None:
            self.run = run
            self.no_email = no_email
            super().__init__()

    class Stale(Message):
        def __init__(self, error: StalePlan) -> None:
            self.error = error
            super().__init__()

    def __init__(self) -> None:
        super().__init__(id="students-screen")
        self.users: list[User] = []
        self.plan: Plan | None = None
        self.groups: list[GradeGroup] = []
        self.fetch_worker: Worker[None] | None = None
        self.imported_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("Students", classes="screen-title")
            with ContentSwitcher(initial="students-intro", id="students-panes"):
                with Vertical(id="students-intro", classes="pane"):
                    yield Static("", id="students-status")
                    yield Static(INTRO, classes="intro")
                    yield Static("", id="intro-message", classes="message")
                    with Horizontal(classes="buttons"):
                        yield Button("Import Students", id="fetch-students", variant="primary")
                        yield Button("Back to Notifications", classes="back-button")
                with Vertical(id="students-fetching", classes="pane"):
                    yield FetchProgress("Fetching students from Clever…", noun="students", id="students-progress")
                with Vertical(id="students-failed", classes="pane"):
                    yield Static("", id="failed-message", classes="message -error")
                    with Horizontal(classes="buttons"):
                        yield Button("Try again", id="retry-fetch", variant="primary")
                        yield Button("Connect your District", id="reconnect")
                        yield Button("Back to Notifications", classes="back-button")
                with Vertical(id="students-preview", classes="pane"):
                    yield Static("", id="plan-summary")
                    with Horizontal(id="preview-tools"):
                        yield Checkbox("Only students without email", id="only-no-email", compact=True)
                    yield GradePreview(id="grade-preview")
                    yield Static("", id="preview-message", classes="message")
                    with Horizontal(classes="buttons"):
                        yield Button("Import", id="apply", variant="success")
                        yield Button("Back to Notifications", classes="back-button")
                with Vertical(id="students-imported", classes="pane"):
                    yield Static("", id="imported-message", classes="message -success")
                    with Horizontal(classes="buttons"):
                        yield Button("View Imported Students", id="view-students", variant="primary")
                        yield Button("Back to Notifications", id="done", classes="back-button")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#intro-message").display = False
        self.query_one("#preview-message").display = False
        self._show_status()
        self.query_one("#fetch-students", Button).focus()

    @property
    def pane(self) -> str | None:
        return self.query_one("#students-panes", ContentSwitcher).current

    def _switch(self, pane: str) -> None:
        self.query_one("#students-panes", ContentSwitcher).current = pane
        self.refresh_bindings()

    def _show_status(self) -> None:
        students = [s for s in self.sync.view().students if s.status == "active"]
        linked = sum(1 for s in students if s.clever_id)
        item = self.sync.checklist().item("students")
        text = f"Students on this platform now: {len(students)} ({linked} from Clever)."
        text += f" Last import: {when_text(item.when)}." if item.when else " Not imported from Clever yet."
        self.query_one("#students-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_no_email", "import_students"):
            return self.pane == "students-preview"  # hidden from the footer elsewhere
        if action == "fetch":
            return self.pane in ("students-intro", "students-failed")
        if action == "view_imported":
            return self.pane == "students-imported"
        return True

    # -- fetching and planning ---------------------------------------------------------

    def action_fetch(self) -> None:
        self.start_fetch()

    @on(Button.Pressed, "#fetch-students, #retry-fetch")
    def start_fetch(self) -> None:
        self._switch("students-fetching")
        self.query_one(FetchProgress).start("Fetching students from Clever…")
        self.fetch_worker = self.fetch_and_plan()

    @work(exclusive=True, group="students-fetch", exit_on_error=False)
    async def fetch_and_plan(self, users: list[User] | None = None, note: str = "") -> None:
        """Fetch every page (unless re-planning), then plan off the event loop."""
        try:
            if users is None:
                users = await self.sync.fetch("student", on_progress=self._report_progress)
                self.post_message(self.Fetching(len(users), done=True))
            plan, groups = await asyncio.to_thread(self._plan, users)
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "fetch"))
        else:
            self.post_message(self.Planned(users, plan, groups, note))

    def _report_progress(self, count: int) -> None:
        """Called by the client after every page; the handler updates the panel."""
        self.post_message(self.Fetching(count))

    def _plan(self, users: list[User]) -> tuple[Plan, list[GradeGroup]]:
        plan = self.sync.plan("student", users)
        rows = student_rows(plan, users, self.sync.view().students)
        return plan, group_rows(rows)

    @on(Fetching)
    def _fetching(self, event: Fetching) -> None:
        panel = self.query_one(FetchProgress)
        panel.count = event.count
        if event.done:
            panel.finish(f"Fetched {students(event.count)}; preparing the preview by grade…")

    @on(FetchProgress.CancelRequested)
    def _cancel(self) -> None:
        if self.fetch_worker is not None:
            self.fetch_worker.cancel()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        cancelled = event.worker is self.fetch_worker and event.state == WorkerState.CANCELLED
        if cancelled and self.is_attached:
            self.say("#intro-message", "Import cancelled: nothing was written.", "warning")
            self._switch("students-intro")
            self.query_one("#fetch-students", Button).focus()

    @on(Planned)
    def _planned(self, event: Planned) -> None:
        self.users = event.users
        self.plan = event.plan
        self.groups = event.groups
        plan = event.plan
        no_email = sum(1 for _, rows in event.groups for row in rows if not row.has_email)
        summary = plan.summary()
        if no_email:
            summary += f"\n⚠ {students(no_email)} will have no login email: {NO_EMAIL_NOTE}."
        self.query_one("#plan-summary", Static).update(summary)
        self.query_one("#only-no-email", Checkbox).label = f"Only students without email ({no_email:,})"
        self._switch("students-preview")
        self.query_one(GradePreview).load(event.groups)
        self.query_one("#apply", Button).disabled = False
        self.say("#preview-message", event.note, "warning")
        self.query_one("#grade-list").focus()

    def show_failure(self, message: str) -> None:
        """Unexpected errors: on the preview they sit under the table, elsewhere a pane."""
        if self.pane == "students-preview":
            self.say("#preview-message", message, "error")
            self.query_one("#apply", Button).disabled = False
            return
        self._show_failed(message, auth=False)

    def _show_failed(self, message: str, *, auth: bool) -> None:
        self.query_one("#failed-message", Static).update(f"{message}\nNothing was written.")
        self.query_one("#reconnect").display = auth
        self._switch("students-failed")
        self.query_one("#retry-fetch", Button).focus()

    @on(StepFailed)
    def _failed(self, event: StepFailed) -> None:
        if event.during == "import":
            self.show_failure(explain(event.error))
            return
        self._show_failed(explain(event.error), auth=isinstance(event.error, CleverAuthError))
        self.notify(explain(event.error), title="Could not fetch students", severity="error", timeout=10)

    # -- filtering and importing -------------------------------------------------------

    def action_toggle_no_email(self) -> None:
        box = self.query_one("#only-no-email", Checkbox)
        box.value = not box.value

    @on(Checkbox.Changed, "#only-no-email")
    def _filter(self, event: Checkbox.Changed) -> None:
        self.query_one(GradePreview).only_no_email = event.value

    def action_import_students(self) -> None:
        self.query_one("#apply", Button).press()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        if self.plan is None:
            return
        self.query_one("#apply", Button).disabled = True
        self.say("#preview-message", "Importing…", "busy")
        self.apply_plan(self.plan)

    @work(exclusive=True, group="students-apply", exit_on_error=False)
    async def apply_plan(self, plan: Plan) -> None:
        no_email = sum(1 for _, rows in self.groups for row in rows if not row.has_email)
        try:
            run = self.sync.apply(plan)
        except StalePlan as error:
            self.post_message(self.Stale(error))
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "import"))
        else:
            self.post_message(self.Imported(run, no_email))

    @on(Stale)
    def _stale(self, event: Stale) -> None:
        """The roster changed since the preview: plan again on the students already fetched."""
        self.say("#preview-message", f"{event.error} Making a new preview…", "warning")
        try:
            self.sync.store.refresh()  # the store keeps what it last read; plan on what is saved now
        except EXPECTED_ERRORS as error:
            self.show_failure(explain(error))
            return
        note = f"{event.error} This is the new preview."
        self.fetch_worker = self.fetch_and_plan(self.users, note)

    @on(Imported)
    def _imported(self, event: Imported) -> None:
        c = event.run.counts
        total = self.plan.clever_total if self.plan else 0
        self.imported_text = (
            f"Imported {students(total)} from Clever: {c.created} new accounts, {c.linked} linked, "
            f"{c.updated} updated, {c.unchanged} unchanged. Nothing was deleted."
        )
        self._show_imported(event.no_email)
        self._switch("students-imported")
        self.query_one("#view-students", Button).focus()
        self.notify(f"Imported {students(total)}.", title="Students imported")

    def _show_imported(self, no_email: int) -> None:
        text = self.imported_text
        if no_email:
            text += (
                f"\n⚠ {students(no_email)} can't log in until an email is entered: "
                "enter them in View Imported Students (v)."
            )
        else:
            text += "\nEvery imported student has a login email."
        self.query_one("#imported-message", Static).update(text)

    def _still_without_email(self) -> int:
        """Imported students who still have no login email, as the store says now."""
        fetched = {user.id for user in self.users}
        return sum(
            1 for s in self.sync.view().students if s.clever_id in fetched and s.status == "active" and not s.email
        )

    def action_view_imported(self) -> None:
        from cleverwizard.ui.screens.accounts import AccountsScreen

        self.app.push_screen(AccountsScreen("student"), callback=self._back_from_accounts)

    def _back_from_accounts(self, _: object) -> None:
        """Emails entered in the list change how many students can't log in: recount."""
        try:
            self._show_imported(self._still_without_email())
        except EXPECTED_ERRORS as error:
            self.notify(explain(error), title="Could not re-read the students", severity="error")
        self._show_status()
        self.query_one("#view-students", Button).focus()

    @on(Button.Pressed, "#view-students")
    def _view_students(self) -> None:
        self.action_view_imported()

    @on(Button.Pressed, "#reconnect")
    def _reconnect(self) -> None:
        self.wizard.open_step("district")
