"""Sections: fetch Clever's sections, choose each one's platform course, then import.

Stages as on Teachers: *intro* (the platform's course catalogue and *Import Sections*),
*fetching* (progress and Cancel; nothing is written), *failed* (the admin-ready message
and *Try again*), *preview* (one row per Clever section with a course dropdown, flagged
sections with what is missing, and what *Import* will do) and *done*. The plan is rebuilt
by the sync layer after every choice, so what the administrator reads is what is applied.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, ContentSwitcher, DataTable, Footer, Header, Select, Static
from textual.worker import Worker, WorkerState

from cleverwizard.store.models import Course, Run
from cleverwizard.sync.apply import StalePlan
from cleverwizard.sync.courses import SectionMatchRow
from cleverwizard.sync.grades import grade_label
from cleverwizard.sync.section_plan import SectionPlan
from cleverwizard.sync.sections import SectionData
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, WizardScreen, explain
from cleverwizard.ui.widgets.progress import FetchProgress
from cleverwizard.ui.widgets.section_row import NOT_IN_LIST, SectionRow

Stage = Literal["intro", "fetching", "failed", "preview", "done"]
FETCH_GROUP = "sections-fetch"


class SectionsFetched(Message):
    """Clever's sections, courses and terms for the school, with our course suggestions."""

    def __init__(self, data: SectionData, rows: list[SectionMatchRow]) -> None:
        super().__init__()
        self.data = data
        self.rows = rows


class SectionsFetchFailed(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SectionsCounted(Message):
    """A page arrived: ``count`` sections so far."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SectionsCounted)


class SectionsScreen(WizardScreen):
    """Import Sections: a platform course for every Clever section, then create and update."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "fetch", "Import Sections", tooltip="Fetch this school's sections from Clever", id="sections-fetch"),
        Binding("i", "apply", "Import", tooltip="Create and update sections as the summary says", id="sections-apply"),
    ]

    stage: var[Stage] = var[Stage]("intro", init=False)

    def __init__(self) -> None:
        super().__init__(id="sections-screen")
        self.data: SectionData | None = None
        self.rows: list[SectionMatchRow] = []
        self.courses: list[Course] = []
        self.choices: dict[str, int | None] = {}
        """Clever section id -> platform course id (``None``: not in the list)."""
        self.plan: SectionPlan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("Sections", classes="screen-title")
            yield Static("", id="sections-status", classes="intro")
            with ContentSwitcher(initial="sections-intro", id="sections-stages"):
                yield DataTable(id="sections-intro", cursor_type="row", zebra_stripes=True)
                with Vertical(id="sections-fetching"):
                    yield FetchProgress("Fetching sections from Clever…", noun="sections")
                with Vertical(id="sections-failed"):
                    yield Static("", id="sections-error", classes="message -error")
                with VerticalScroll(id="sections-preview"):
                    yield Horizontal(
                        Static("Clever section", classes="section-who"),
                        Static("Platform course", classes="section-course"),
                        id="section-header",
                    )
                    yield Vertical(id="section-rows")
                with VerticalScroll(id="sections-done"):
                    yield Static("", id="sections-result", classes="message -success")
            yield Static("", id="sections-summary")
            with Horizontal(classes="buttons", id="sections-actions"):
                yield Button("Import Sections", id="fetch-button", variant="primary")
                yield Button("Try again", id="retry-button", variant="primary")
                yield Button("Import", id="apply-button", variant="success")
                yield Button("Back to Notifications", classes="back-button", id="sections-back")
        yield Footer()

    def on_mount(self) -> None:
        self._show_courses()
        self._show_stage(self.stage)

    # -- stages ---------------------------------------------------------------------

    def watch_stage(self, stage: Stage) -> None:
        self._show_stage(stage)

    def _show_stage(self, stage: Stage) -> None:
        self.query_one(ContentSwitcher).current = f"sections-{stage}"
        for button_id, shown in {
            "fetch-button": stage == "intro",
            "retry-button": stage == "failed",
            "apply-button": stage == "preview",
        }.items():
            self.query_one(f"#{button_id}", Button).display = shown
        self.query_one("#sections-summary", Static).display = stage == "preview"
        self.refresh_bindings()
        focus = {"intro": "#fetch-button", "failed": "#retry-button", "done": "#sections-back"}.get(stage)
        if focus:
            self.query_one(focus, Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fetch":
            return self.stage in ("intro", "failed")
        if action == "apply":
            if self.stage != "preview":
                return False
            return True if self.plan is not None else None
        return True

    def _status(self, text: str | Content) -> None:
        self.query_one("#sections-status", Static).update(text)

    def _show_courses(self) -> None:
        """The intro: the platform's course catalogue the sections will be matched to."""
        try:
            self.courses = self.sync.courses()
            site = self.sync.require_site(school=True)
        except EXPECTED_ERRORS as error:
            self._status(explain(error))
            self.query_one("#fetch-button", Button).disabled = True
            return
        self._status(
            f"{len(self.courses)} courses in the platform's catalogue. Import Sections fetches "
            f"{site.school_name or 'the school'}'s sections from Clever so you can choose each one's course; "
            "nothing is saved until you press Import."
        )
        table = self.query_one("#sections-intro", DataTable)
        table.clear(columns=True)
        table.add_columns("Platform course", "Subject", "Grades", "Number")
        for course in self.courses:
            table.add_row(
                Text(course.name),
                Text(course.subject or ""),
                Text(", ".join(grade_label(g) for g in course.grades) or "any"),
                Text(course.number or ""),
            )

    # -- fetching -------------------------------------------------------------------

    def action_fetch(self) -> None:
        self.stage = "fetching"
        self.query_one(FetchProgress).start("Fetching sections from Clever…")
        self._status("Fetching this school's sections, courses and terms. Cancel stops without saving anything.")
        self.fetch_sections()

    @work(exclusive=True, group=FETCH_GROUP, exit_on_error=False, description="Fetch Clever sections")
    async def fetch_sections(self) -> None:
        try:
            data = await self.sync.fetch_sections(lambda count: self.post_message(SectionsCounted(count)))
            rows = self.sync.section_rows(data)
        except EXPECTED_ERRORS as error:
            self.post_message(SectionsFetchFailed(explain(error)))
            return
        self.post_message(SectionsFetched(data, rows))

    @on(SectionsCounted)
    def _counted(self, message: SectionsCounted) -> None:
        if self.stage == "fetching":
            self.query_one(FetchProgress).count = message.count

    @on(FetchProgress.CancelRequested)
    def _cancel_fetch(self) -> None:
        self.workers.cancel_group(self, FETCH_GROUP)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.CANCELLED:
            self.stage = "intro"
            self._status("Import cancelled: nothing was fetched or saved. Import Sections starts again.")
            return
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.ERROR:
            self.post_message(SectionsFetchFailed(explain(event.worker.error or RuntimeError("fetch failed"))))
            return
        super().on_worker_state_changed(event)

    @on(SectionsFetchFailed)
    def _fetch_failed(self, message: SectionsFetchFailed) -> None:
        self.show_failure(message.text)
        self._status("Could not fetch the sections from Clever. Nothing was saved.")
        self.notify(message.text, title="Import Sections failed", severity="error", timeout=10)

    def show_failure(self, message: str) -> None:
        self.stage = "failed"
        self.query_one("#sections-error", Static).update(message)

    @on(Button.Pressed, "#fetch-button, #retry-button")
    def _fetch_pressed(self) -> None:
        self.action_fetch()

    # -- preview --------------------------------------------------------------------

    @on(SectionsFetched)
    async def _fetched(self, message: SectionsFetched) -> None:
        self.data = message.data
        self.rows = message.rows
        self.choices = {row.section.id: row.suggested for row in self.rows}
        await self._mount_rows()
        self.stage = "preview"
        self._status(
            f"{len(self.rows)} sections in Clever. Check each section's platform course "
            "(Enter opens the list; type to jump), then press Import."
        )
        self.rebuild_preview()
        first = self.query(Select).first(Select) if self.rows else None
        (first or self.query_one("#apply-button", Button)).focus()

    def _who(self, row: SectionMatchRow, teachers: dict[str, str], terms: dict[str, str]) -> Content:
        section = row.section
        facts = [f"period {section.period}" if section.period else "no period", f"{len(section.students)} students"]
        facts.append(teachers.get(section.teacher or "", "teacher not imported") if section.teacher else "no teacher")
        facts.append(terms.get(section.term_id or "", "no term"))
        return Content.assemble((section.name or "(no name)", "bold"), "\n", (" · ".join(facts), "$foreground-muted"))

    async def _mount_rows(self) -> None:
        assert self.data is not None
        container = self.query_one("#section-rows", Vertical)
        await container.remove_children()
        if not self.rows:
            await container.mount(Static("Clever lists no sections for this school."))
            return
        teachers = {t.clever_id: t.full_name or "(no name)" for t in self.sync.view().teachers if t.clever_id}
        terms = {t.id: t.name or "(unnamed term)" for t in self.data.terms}
        await container.mount_all(
            SectionRow(row, self.courses, self.choices[row.section.id], self._who(row, teachers, terms), index)
            for index, row in enumerate(self.rows)
        )

    @on(Select.Changed, ".course-select")
    def _course_changed(self, event: Select.Changed) -> None:
        row = event.select.parent
        if not isinstance(row, SectionRow) or not isinstance(event.value, int):
            return
        value = None if event.value == NOT_IN_LIST else event.value
        if self.choices.get(row.clever_id, NOT_IN_LIST) != value:
            self.choices[row.clever_id] = value
            self.rebuild_preview()

    def rebuild_preview(self) -> None:
        """Re-plan with the current choices; redraw every row's note and flag."""
        assert self.data is not None
        summary = self.query_one("#sections-summary", Static)
        self.plan = None
        try:
            self.plan = self.sync.plan_sections(self.data, dict(self.choices))
        except EXPECTED_ERRORS as error:
            summary.update(Content.styled(explain(error), "bold $text-error"))
        else:
            summary.update(Content.assemble(("Import will: ", "bold"), self.plan.summary()))
        problems = {p.clever_id: p.issue for p in (self.plan.problems if self.plan else [])}
        for widget in self.query(SectionRow):
            widget.show_state(self.choices.get(widget.clever_id), problems.get(widget.clever_id))
        self.query_one("#apply-button", Button).disabled = self.plan is None
        self.refresh_bindings()

    # -- importing ------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.stage != "preview" or self.plan is None:
            return
        try:
            run = self.sync.apply_sections(self.plan)
        except StalePlan as error:
            self.notify(str(error), title="Preview out of date", severity="warning", timeout=10)
            self.call_later(self._replan, str(error))
            return
        except EXPECTED_ERRORS as error:
            self.query_one("#sections-summary", Static).update(Content.styled(explain(error), "bold $text-error"))
            self.notify(explain(error), title="Import failed", severity="error", timeout=10)
            return
        self._imported(run)

    async def _replan(self, reason: str) -> None:
        """The store changed under the preview: re-read it, keep the choices, re-plan."""
        assert self.data is not None
        kept = dict(self.choices)
        try:
            self.sync.store.refresh()
            self.courses = self.sync.courses()
            self.rows = self.sync.section_rows(self.data)
        except EXPECTED_ERRORS as error:
            self.query_one("#sections-summary", Static).update(Content.styled(explain(error), "bold $text-error"))
            return
        known = {course.id for course in self.courses}
        self.choices = {
            row.section.id: choice if (choice := kept.get(row.section.id, row.suggested)) is None or choice in known
            else row.suggested
            for row in self.rows
        }
        await self._mount_rows()
        self.rebuild_preview()
        self._status(reason)

    @on(Button.Pressed, "#apply-button")
    def _apply_pressed(self) -> None:
        self.action_apply()

    def _imported(self, run: Run) -> None:
        counts = run.counts
        lines = [
            "Sections imported.",
            f"{counts.created} new, {counts.updated} updated, {counts.archived} archived, "
            f"{counts.unchanged} unchanged. Nothing was deleted.",
        ]
        if counts.flagged:
            lines.append(
                f"{counts.flagged} sections flagged: their teacher or some students are not on the platform yet. "
                "Import them (Teachers, Students), then Import Sections again."
            )
        lines.append("Your course choices are saved and will be pre-selected next time.")
        self.query_one("#sections-result", Static).update("\n".join(lines))
        self._status("Done. Back to Notifications, or History to review or undo this import.")
        self.stage = "done"
        self.notify(lines[1], title="Sections imported")
