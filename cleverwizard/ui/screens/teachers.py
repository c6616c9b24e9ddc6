"""Teachers: fetch Clever's teachers, review who matches whom, then import.

The stages are those of every import step (``ImportStepScreen``). Here the intro lists the
platform's teachers, and the preview has one row per platform teacher with a *Select a
Match* dropdown, the Clever teachers who will get new accounts, the records to fix in the
SIS, and what *Import* will do. A Clever teacher chosen for two platform teachers is a
conflict: it blocks *Import* until one row is changed.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from cleverwizard.clever.decode import CleverUser
from cleverwizard.people.build import MatchConflict, find_conflicts
from cleverwizard.people.plan import Plan, SamePerson, changed_ticks, suggested_ticks
from cleverwizard.rules.order import account_order
from cleverwizard.rules.teachers import TeacherMatchRow, wrong_school_warning
from cleverwizard.store.models import Run
from cleverwizard.text import counted
from cleverwizard.ui.literal import literal_cell
from cleverwizard.ui.screens.import_step import ImportStepScreen, IntroTable
from cleverwizard.ui.screens.platform_records import RecordActions
from cleverwizard.ui.widgets.match_select import MatchBook, MatchSelect
from cleverwizard.ui.widgets.same_people import SamePeople
from cleverwizard.ui.widgets.teacher_plan import SIS_FIX, TeacherPlanLists
from cleverwizard.ui.widgets.teacher_row import TeacherRow


class TeachersFetch(NamedTuple):
    """Clever's teachers for the connected school, every page, with our suggestions."""

    users: list[CleverUser]
    rows: list[TeacherMatchRow]
    book: MatchBook


class TeachersScreen(RecordActions, ImportStepScreen[TeachersFetch, Plan]):
    """Import Teachers: match the platform's teachers to Clever's, then link and create."""

    KIND = "teachers"
    FETCHING_TEXT = "Fetching this school's teachers from Clever. Cancel stops without saving anything."
    DONE_TEXT = "Done. View Imported Teachers to check or edit login emails."
    RESULT_ID = "import-result"
    VIEW_LABEL = "View Imported Teachers"
    ACCOUNTS = "teacher"
    APPLY_BLOCKERS = (MatchConflict,)
    CHOICE = MatchSelect

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i", "fetch", "Import Teachers", tooltip="Fetch this school's teachers from Clever", id="teachers-fetch"
        ),
        Binding("i", "apply", "Import", tooltip="Link and create accounts as the summary says", id="teachers-apply"),
        Binding("v", "view_imported", "View Imported Teachers", id="teachers-view"),
        Binding(
            "a",
            "records('add_teachers_file')",
            "Add from a file",
            tooltip="Add the platform's existing teachers from a file",
            id="teachers-add-file",
        ),
        Binding(
            "n", "records('add_teacher')", "Add a teacher", tooltip="Add one teacher by hand", id="teachers-add-one"
        ),
    ]
    RECORD_BUTTONS: ClassVar[dict[str, str]] = {"add_teachers_file": "Add from a file", "add_teacher": "Add a teacher"}

    def __init__(self) -> None:
        super().__init__()
        self.users: list[CleverUser] = []
        self.rows: list[TeacherMatchRow] = []
        self.book: MatchBook | None = None
        self.choices: dict[int, str | None] = {}
        """Platform teacher id -> chosen Clever id (``None``: not in the list)."""
        self.conflicts: dict[str, list[int]] = {}
        self.chosen: set[int] = set()
        """Platform teachers whose row the administrator chose in, this preview."""
        self.twins: list[SamePerson] | None = None
        """Second accounts a sync made for a teacher it archived (``None``: no plan made yet)."""
        self.twin_ticks: dict[str, int] = {}
        """*Possibly the same person* ticks: Clever id -> the archived teacher's account."""

    def release(self) -> None:
        super().release()
        self.users, self.rows, self.book, self.twins = [], [], None, None

    def intro_table(self) -> IntroTable:
        """How many teachers the platform has, each with their link state."""
        teachers = sorted((t for t in self.sync.people("teacher") if t.status == "active"), key=account_order)
        site = self.sync.require_site(school=True)
        linked = sum(1 for t in teachers if t.clever_id)
        return IntroTable(
            f"{counted(len(teachers), 'teacher')} on the platform, {linked} linked to Clever. "
            f"Import Teachers fetches {site.school_name or 'the school'}'s teachers from Clever; "
            "nothing is saved until you press Import.",
            ("Platform teacher", "Login email", "Clever"),
            [
                (
                    literal_cell(t.full_name or "(no name)"),
                    literal_cell(t.email or "(none: can't log in)"),
                    literal_cell("linked to Clever" if t.clever_id else "not linked"),
                )
                for t in teachers
            ],
        )

    def compose_preview(self) -> ComposeResult:
        yield SamePeople(id="same-people")
        yield Horizontal(
            Static("Platform teacher", classes="teacher-who"),
            Static("Clever Matches", classes="teacher-match"),
            Static("Platform teacher · login email, then ▼ their Clever Match", classes="teacher-stacked"),
            id="match-header",
        )
        yield Vertical(id="match-rows")
        lists = TeacherPlanLists(id="teacher-plan-lists")
        lists.can_focus = True  # Tab after the last row scrolls the lists into view, before Import
        yield lists

    # -- fetching -------------------------------------------------------------------

    async def fetch(self) -> TeachersFetch:
        users = await self.sync.fetch("teacher", self.report_progress)
        self.report_progress(len(users), f"Matching {len(users)} Clever teachers with the platform's teachers…")
        rows, book = await asyncio.to_thread(self._suggest, users)
        return TeachersFetch(users, rows, book)

    def _suggest(self, users: list[CleverUser]) -> tuple[list[TeacherMatchRow], MatchBook]:
        """Rank every platform teacher's candidates (seconds for 100 x 1,000: off the loop)."""
        return self.sync.teacher_rows(users), MatchBook.build(users)

    # -- preview --------------------------------------------------------------------

    def keep(self, fetched: TeachersFetch) -> str:
        self.users, self.rows, self.book = fetched
        self.book.taken = self._taken_by
        self.choices = {row.account.id: row.suggested for row in self.rows}
        self.chosen = set()
        self.twins, self.twin_ticks = None, {}
        return (
            f"{counted(len(self.users), 'teacher')} in Clever. Check each platform teacher's match "
            "(Enter opens Select a Match; type to search), then press Import."
        )

    async def mount_rows(self) -> None:
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
        self.chosen.add(event.account_id)
        self.rebuild_preview()

    def changed_choices(self) -> int:
        suggested = {row.account.id: row.suggested for row in self.rows}
        changed = sum(1 for account_id in self.chosen if self.choices.get(account_id) != suggested.get(account_id))
        return changed + changed_ticks(self.twins or [], self.twin_ticks)

    @on(SamePeople.Changed)
    def _twin_ticked(self, event: SamePeople.Changed) -> None:
        self.twin_ticks = event.chosen
        self.rebuild_preview()

    def _offer_twins(self, plan: Plan) -> None:
        """With the first plan: the archived teachers a sync made a second account for.

        A look-alike record is offered in its account's dropdown instead; an archived teacher
        has no row, so folding a second account back into them is asked here.
        """
        self.twins = [same for same in plan.same_people if same.twin_id is not None]
        self.twin_ticks = suggested_ticks(self.twins)
        self.call_later(self.query_one(SamePeople).show, self.twins, self.twin_ticks)
        if self.twin_ticks:
            self.rebuild_preview()  # the same SIS id starts ticked: plan with it

    def import_warning(self) -> str | None:
        site = self.sync.store.site()
        return wrong_school_warning(self.rows, (site.school_name if site else None) or "this school")

    def imported_before(self) -> bool:
        return self.sync.store.meta().teachers_imported_at is not None

    def summary_note(self) -> str:
        return f"⚠ {warning}" if (warning := self.import_warning()) else ""

    def check_choices(self) -> str | None:
        """A Clever teacher is matched once: a conflict blocks planning until resolved."""
        self.conflicts = find_conflicts(self.choices)
        if not self.conflicts:
            return None
        names = self._names()
        assert self.book is not None
        parts = [
            f"Clever's {self.book.name(clever_id)} is chosen for {' and '.join(names[i] for i in ids)}"
            for clever_id, ids in self.conflicts.items()
        ]
        return "Import is blocked: " + "; ".join(parts) + ". A Clever teacher is matched once: change one row."

    def make_plan(self) -> Plan:
        """The teacher plan for these choices, reusing the suggestions ranked at fetch time."""
        return self.sync.plan(
            "teacher", self.users, dict(self.choices), rows=self.rows, same_people=dict(self.twin_ticks)
        )

    def show_rows(self) -> None:
        for widget in self.query(TeacherRow):
            account_id = widget.row.account.id
            value = self.choices.get(account_id)
            taken = self._taken_by(value, account_id) if value else []
            widget.show_state(value, taken, account_id in self.chosen)
        if self.plan is not None:
            self.query_one(TeacherPlanLists).show(self.plan)
            if self.twins is None:
                self._offer_twins(self.plan)

    # -- importing ------------------------------------------------------------------

    def apply_plan(self, plan: Plan) -> Run:
        return self.sync.apply(plan)

    async def reread(self) -> None:
        kept = dict(self.choices)
        self.rows = await asyncio.to_thread(self.sync.teacher_rows, self.users)
        self.choices = {row.account.id: kept.get(row.account.id, row.suggested) for row in self.rows}

    def result_lines(self, run: Run) -> list[str]:
        counts = run.counts
        lines = [
            "Teachers imported.",
            f"{counts.linked} linked to Clever, {counted(counts.created, 'new account')}, {counts.updated} updated, "
            f"{counts.unchanged} unchanged. Nothing was deleted.",
        ]
        if counts.flagged:
            lines.append(f"{counted(counts.flagged, 'Clever record')} to fix: {SIS_FIX}")
            if self.plan is not None:
                lines += [f"  ! {p.name}: {p.issue}. {p.fix or SIS_FIX}" for p in self.plan.problems]
        lines.append("Your match choices are saved and will be pre-selected next time.")
        return lines

    def back_from_accounts(self) -> None:
        """Escape on the list comes back here, one step back, as it does from Students."""
        self.query_one("#view-button").focus()
