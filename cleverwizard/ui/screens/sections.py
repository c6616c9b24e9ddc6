"""Sections: fetch Clever's sections, choose each one's platform course, then import.

The stages are those of every import step (``ImportStepScreen``). Here the intro lists the
platform's course catalogue, and the preview has one row per Clever section with a course
dropdown, flagged sections with what is missing, and what *Import* will do.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Select, Static

from cleverwizard.rules.courses import SectionMatchRow
from cleverwizard.rules.grades import grade_label
from cleverwizard.sections.build import SectionData
from cleverwizard.sections.plan import SectionPlan
from cleverwizard.store.models import Course, Run
from cleverwizard.text import counted
from cleverwizard.ui.literal import literal, literal_cell
from cleverwizard.ui.screens.import_step import ImportStepScreen, IntroTable
from cleverwizard.ui.widgets.section_row import NOT_IN_LIST, SectionRow


class SectionsFetch(NamedTuple):
    """Clever's sections, courses and terms for the school, with our course suggestions."""

    data: SectionData
    rows: list[SectionMatchRow]
    teachers: dict[str, str]
    """Clever id -> name of the platform's teachers, for each row's "who teaches it"."""


class SectionsScreen(ImportStepScreen[SectionsFetch, SectionPlan]):
    """Import Sections: a platform course for every Clever section, then create and update."""

    KIND = "sections"
    FETCHING_TEXT = "Fetching this school's sections, courses and terms. Cancel stops without saving anything."
    DONE_TEXT = "Done. Press Done for Notifications, or History to review or undo this import."
    RESULT_ID = "sections-result"
    CHOICE = Select

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i", "fetch", "Import Sections", tooltip="Fetch this school's sections from Clever", id="sections-fetch"
        ),
        Binding("i", "apply", "Import", tooltip="Create and update sections as the summary says", id="sections-apply"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: SectionData | None = None
        self.rows: list[SectionMatchRow] = []
        self.courses: list[Course] = []
        self.teachers: dict[str, str] = {}
        self.choices: dict[str, int | None] = {}
        """Clever section id -> platform course id (``None``: not in the list)."""

    def release(self) -> None:
        super().release()
        self.data, self.rows, self.teachers = None, [], {}

    def intro_table(self) -> IntroTable:
        """The platform's course catalogue the sections will be matched to."""
        self.courses = self.sync.courses()
        site = self.sync.require_site(school=True)
        return IntroTable(
            f"{counted(len(self.courses), 'course')} in the platform's catalogue. Import Sections fetches "
            f"{site.school_name or 'the school'}'s sections from Clever so you can choose each one's course; "
            "nothing is saved until you press Import.",
            ("Platform course", "Subject", "Grades", "Number"),
            [
                (
                    literal_cell(course.name),
                    literal_cell(course.subject or ""),
                    literal_cell(", ".join(grade_label(g) for g in course.grades) or "any"),
                    literal_cell(course.number or ""),
                )
                for course in self.courses
            ],
        )

    def compose_preview(self) -> ComposeResult:
        yield Horizontal(
            Static("Clever section", classes="section-who"),
            Static("Platform course", classes="section-course"),
            Static("Clever section, then ▼ its platform course", classes="section-stacked"),
            id="section-header",
        )
        yield Vertical(id="section-rows")

    async def fetch(self) -> SectionsFetch:
        data = await self.sync.fetch_sections(self.report_progress)
        rows, teachers = await asyncio.to_thread(self._suggest, data)
        return SectionsFetch(data, rows, teachers)

    def _suggest(self, data: SectionData) -> tuple[list[SectionMatchRow], dict[str, str]]:
        """Course suggestions and teacher names: both read the whole platform, so off the loop."""
        teachers = {t.clever_id: t.full_name or "(no name)" for t in self.sync.people("teacher") if t.clever_id}
        return self.sync.section_rows(data), teachers

    # -- preview --------------------------------------------------------------------

    def keep(self, fetched: SectionsFetch) -> str:
        self.data, self.rows, self.teachers = fetched
        self.choices = {row.section.id: row.suggested for row in self.rows}
        return (
            f"{counted(len(self.rows), 'section')} in Clever. Check each section's platform course "
            "(Enter opens the list; type the start of a course name to jump to it), then press Import."
        )

    def _who(self, row: SectionMatchRow, teachers: dict[str, str], terms: dict[str, str]) -> Content:
        section = row.section
        facts = [
            f"period {section.period}" if section.period else "no period",
            counted(len(section.students), "student"),
        ]
        facts.append(teachers.get(section.teacher or "", "teacher not imported") if section.teacher else "no teacher")
        facts.append(terms.get(section.term_id or "", "no term"))
        return Content.assemble(
            literal(section.name or "(no name)", "bold"), "\n", literal(" · ".join(facts), "$foreground-muted")
        )

    async def mount_rows(self) -> None:
        assert self.data is not None
        container = self.query_one("#section-rows", Vertical)
        await container.remove_children()
        if not self.rows:
            await container.mount(Static("Clever lists no sections for this school."))
            return
        terms = {t.id: t.name or "(unnamed term)" for t in self.data.terms}
        await container.mount_all(
            SectionRow(row, self.courses, self.choices[row.section.id], self._who(row, self.teachers, terms), index)
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

    def changed_choices(self) -> int:
        return sum(1 for row in self.rows if self.choices.get(row.section.id, row.suggested) != row.suggested)

    def make_plan(self) -> SectionPlan:
        assert self.data is not None
        return self.sync.plan_sections(self.data, dict(self.choices))

    def show_rows(self) -> None:
        """Every row's note, and its flag line when the plan flags the section."""
        problems = {p.clever_id: p.issue for p in (self.plan.problems if self.plan else [])}
        for widget in self.query(SectionRow):
            widget.show_state(self.choices.get(widget.clever_id), problems.get(widget.clever_id))

    # -- importing ------------------------------------------------------------------

    def apply_plan(self, plan: SectionPlan) -> Run:
        return self.sync.apply_sections(plan)

    async def reread(self) -> None:
        assert self.data is not None
        kept = dict(self.choices)
        self.courses = await asyncio.to_thread(self.sync.courses)
        self.rows, self.teachers = await asyncio.to_thread(self._suggest, self.data)
        known = {course.id for course in self.courses}
        self.choices = {
            row.section.id: choice
            if (choice := kept.get(row.section.id, row.suggested)) is None or choice in known
            else row.suggested
            for row in self.rows
        }

    def result_lines(self, run: Run) -> list[str]:
        counts = run.counts
        lines = [
            "Sections imported.",
            f"{counts.created} new, {counts.updated} updated, {counts.archived} archived, "
            f"{counts.unchanged} unchanged. Nothing was deleted.",
        ]
        if counts.flagged:
            lines.append(
                f"{counted(counts.flagged, 'section')} flagged: their teacher or some students are not on the platform yet. "
                "Import them (Teachers, Students), then Import Sections again."
            )
        lines.append("Your course choices are saved and will be pre-selected next time.")
        return lines
