"""History: every applied import, sync and undo, a run's details, and *Undo this run*.

The list is ``RosterSync.history()`` (newest first, re-read from disk, so a scheduled sync
shows up). Undo asks first, runs in a worker, and then says what was put back and what
was left as it is (a later run or an edit built on it), because undo never guesses.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Static

from cleverwizard.runs.history import already_undone, undone_by
from cleverwizard.runs.undo import UndoReport, UnknownRun
from cleverwizard.store.models import Run
from cleverwizard.ui.handoff import lets_go
from cleverwizard.ui.literal import literal, literal_cell, literal_lines
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, WizardScreen, explain
from cleverwizard.ui.widgets.keys_footer import KeysFooter
from cleverwizard.ui.widgets.step_item import when_text

UNDO_GROUP = "history-undo"
PROBLEMS_SHOWN = 50
"""Most problems listed in the details; a sync can flag hundreds of students."""
UNDO_ERRORS: tuple[type[BaseException], ...] = (*EXPECTED_ERRORS, UnknownRun)


def kind_text(run: Run, undone: int | None) -> str:
    """The list's *What* column: the run's kind, and who undid it if an undo still stands."""
    return f"{run.kind} (undone by run {undone})" if undone is not None else run.kind


def details_text(run: Run, undone: int | None = None) -> Content:
    """A run's counts, its detail line and its problems, as the details panel shows them."""
    c = run.counts
    parts: list[Content] = [
        literal(f"Run {run.id}: {run.kind}, {when_text(run.at)}, started by {run.started_by}", "bold"),
    ]
    if undone is not None:
        parts.append(Content.styled(f"Undone by run {undone}: there is nothing left to undo.", "bold $text-warning"))
    parts += [
        Content(
            f"Created {c.created}, linked {c.linked}, updated {c.updated}, archived {c.archived}, "
            f"restored {c.restored}, flagged {c.flagged}, unchanged {c.unchanged}."
        ),
    ]
    for kind, counts in run.parts.items():
        parts.append(
            literal(f"  {kind}: {counts.created} created, {counts.updated} updated, {counts.archived} archived")
        )
    if run.detail:
        parts.append(literal(run.detail, "italic"))
    if run.problems:
        parts.append(Content.styled(f"Problems ({len(run.problems)}):", "bold $text-warning"))
        for problem in run.problems[:PROBLEMS_SHOWN]:
            parts.append(
                Content.assemble(
                    ("  ! ", "bold $text-warning"), literal(problem.name, "bold"), literal(f": {problem.issue}")
                )
            )
        if len(run.problems) > PROBLEMS_SHOWN:
            parts.append(Content.styled(f"  … and {len(run.problems) - PROBLEMS_SHOWN} more", "italic"))
    else:
        parts.append(Content.styled("No problems recorded.", "$foreground-muted"))
    return Content("\n").join(parts)


class ConfirmUndo(ModalScreen[bool]):
    """Undo writes to the roster: say what it does and ask once."""

    BINDINGS = [Binding("escape", "cancel", "Keep the run", id="undo-keep")]

    def __init__(self, run: Run) -> None:
        super().__init__()
        self.run_record = run

    def compose(self) -> ComposeResult:
        with Vertical(id="undo-confirm-box"):
            yield Static(literal(f"Undo run {self.run_record.id} ({self.run_record.kind})?"), id="undo-confirm-title")
            yield Static(
                "Records this run created are removed and records it changed are put back, unless "
                "something later changed them. The undo is saved as a run of its own, so it can be undone too.",
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Undo this run", id="undo-yes", variant="error")
                yield Button("Cancel", id="undo-no")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#undo-no", Button).focus()

    @on(Button.Pressed, "#undo-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#undo-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


class UndoFinished(Message):
    def __init__(self, report: UndoReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class HistoryScreen(WizardScreen):
    """The runs, newest first; the selected run's details; *Undo this run*."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "u",
            "undo",
            "Undo this run",
            tooltip="Revert the selected run where nothing later depends on it",
            id="history-undo",
        ),
        Binding("r", "reload", "Refresh", tooltip="Read the history again", id="history-reload"),
    ]

    def __init__(self) -> None:
        super().__init__(id="history-screen")
        self.runs: list[Run] = []
        self.undone: dict[int, int] = {}
        """Run id -> the undo run that reverted it (see ``sync.history.undone_by``)."""
        self.result_for: int | None = None
        """The run the undo result panel is about; it hides when another run is selected."""

    def release(self) -> None:
        super().release()
        self.runs, self.undone = [], {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("History", classes="screen-title")
            yield Static(
                "Every applied import, sync and undo, newest first. Choose a run to see its details.",
                id="history-status",
                classes="intro",
            )
            yield DataTable(id="runs", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="run-details"):
                yield Static("Reading the history…", id="run-details-text")
            with VerticalScroll(id="undo-result-box"):
                yield Static("", id="undo-result", classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Undo this run", id="undo-button", variant="warning")
                yield Button("Back to Notifications", classes="back-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#undo-result-box").display = False
        self.once_drawn(self.load)
        self.query_one("#runs", DataTable).focus()

    def load(self, select: int | None = None) -> None:
        """Read the history again (in a thread) and show it, keeping the cursor on ``select`` if listed."""
        self._read_worker(select)

    @work(thread=True, exclusive=True, group="history-read", exit_on_error=False, description="Read the history")
    @lets_go
    def _read_worker(self, select: int | None) -> None:
        try:
            runs, problem = self.sync.history(), None
        except EXPECTED_ERRORS as error:
            runs, problem = [], explain(error)
        self.later(self._show_runs, runs, problem, select)

    def _show_runs(self, runs: list[Run], problem: str | None, select: int | None) -> None:
        table = self.query_one("#runs", DataTable)
        self.runs = runs
        if problem is not None:
            self.query_one("#history-status", Static).update(literal(problem))
        self.undone = undone_by(self.runs)
        table.clear(columns=True)
        table.add_columns("Run", "When", "What", "By", "Created", "Linked", "Updated", "Archived", "Flagged")
        for run in self.runs:
            c = run.counts
            table.add_row(
                literal_cell(str(run.id)),
                literal_cell(when_text(run.at)),
                literal_cell(kind_text(run, self.undone.get(run.id))),
                literal_cell(run.started_by),
                *(
                    literal_cell(str(n), justify="right")
                    for n in (c.created, c.linked, c.updated, c.archived, c.flagged)
                ),
                key=str(run.id),
            )
        if not self.runs:
            self.query_one("#run-details-text", Static).update("No runs yet: nothing has been imported or synced.")
        ids = [run.id for run in self.runs]
        if select in ids:
            table.move_cursor(row=ids.index(select))
        self._show_selected()

    @property
    def selected(self) -> Run | None:
        table = self.query_one("#runs", DataTable)
        if not self.runs or not 0 <= table.cursor_row < len(self.runs):
            return None
        return self.runs[table.cursor_row]

    @on(DataTable.RowHighlighted, "#runs")
    def _highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        run = self.selected
        if run is not None:
            self.query_one("#run-details-text", Static).update(details_text(run, self.undone.get(run.id)))
        if run is None or run.id != self.result_for:
            self.query_one("#undo-result-box").display = False
            self.result_for = None
        self.query_one("#undo-button", Button).disabled = run is None or run.id in self.undone
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return True if self.selected is not None else None
        return True

    def action_reload(self) -> None:
        run = self.selected
        self.load(run.id if run else None)

    def action_undo(self) -> None:
        run = self.selected
        if run is None:
            return
        if run.id in self.undone:
            message = already_undone(run.id, self.undone[run.id])
            self._show_result(run.id, message, "-warning")
            self.notify(message, title="Nothing to undo", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.query_one("#undo-button", Button).disabled = True
                self.undo_run(run.id)
            else:
                self._show_result(run.id, f"Undo cancelled: run {run.id} was left as it is.", "-warning")

        self.app.push_screen(ConfirmUndo(run), callback=confirmed)

    @on(Button.Pressed, "#undo-button")
    def _undo_pressed(self) -> None:
        self.action_undo()

    @work(thread=True, exclusive=True, group=UNDO_GROUP, exit_on_error=False, description="Undo a run")
    @lets_go
    def undo_run(self, run_id: int) -> None:
        """In a thread: an undo reads the run's journal and saves the whole roster."""
        try:
            report = self.sync.undo(run_id)
            self.wizard.count_checklist()
        except UNDO_ERRORS as error:
            self.post_message(UndoFinished(None, explain(error) if not isinstance(error, UnknownRun) else str(error)))
            return
        self.post_message(UndoFinished(report))

    def _show_result(self, run_id: int | None, text: str, state: str) -> None:
        """The result panel under the details, about ``run_id`` (``-success``, ``-warning``, ``-error``)."""
        result = self.query_one("#undo-result", Static)
        for name in ("-success", "-warning", "-error"):
            result.set_class(name == state, name)
        result.update(literal_lines(text.splitlines()))
        self.result_for = run_id
        box = self.query_one("#undo-result-box")
        box.display = True
        box.scroll_home(animate=False)

    @on(UndoFinished)
    def _undone(self, message: UndoFinished) -> None:
        report = message.report
        acted = report.run_id if report is not None else (self.selected.id if self.selected else None)
        if report is None:
            self._show_result(acted, message.error or "Undo failed.", "-error")
            self.notify(message.error or "Undo failed.", title="Undo failed", severity="error", timeout=10)
            self._show_selected()
            return
        ok = report.undo_run_id is not None
        self._show_result(acted, "\n".join(report.lines()), "-success" if ok else "-warning")
        self.notify(report.summary, title="Undo" if ok else "Nothing undone")
        self.load(report.run_id)

    def show_failure(self, message: str) -> None:
        self.post_message(UndoFinished(None, message))
