"""Students: fetch Clever's students, preview them by grade, then *Import*.

The stages are those of every import step (``ImportStepScreen``). Here the intro says how
many students the platform has, grade by grade, and the preview lists the grades in school
order beside the highlighted grade's students, with a filter for those who will have no
login email. *View Imported Students* (``v``) is where those emails are entered.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, OptionList, Static

from cleverwizard.clever.decode import CleverUser
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import Plan, SamePerson, changed_ticks, suggested_ticks
from cleverwizard.rules.grades import group_by_grade
from cleverwizard.store.models import Run
from cleverwizard.text import counted
from cleverwizard.ui.literal import literal_cell, literal_lines
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, explain
from cleverwizard.ui.screens.import_step import ImportStepScreen, IntroTable
from cleverwizard.ui.screens.platform_records import RecordActions
from cleverwizard.ui.widgets.grade_preview import NO_EMAIL_NOTE, GradeGroup, GradePreview, group_rows, student_rows
from cleverwizard.ui.widgets.same_people import SamePeople
from cleverwizard.ui.widgets.step_item import when_text
from cleverwizard.ui.widgets.toggles import Tick

INTRO = (
    "Import Students fetches this school's students from Clever and shows, grade by grade, "
    "what the import will do. Nothing is saved until you press Import."
)


def students(count: int) -> str:
    """ "1 student", "2 students": counts an administrator reads."""
    return f"{count:,} student" if count == 1 else f"{count:,} students"


class StudentsFetch(NamedTuple):
    """Clever's students for the connected school, every page, planned and grouped by grade."""

    users: list[CleverUser]
    plan: Plan
    groups: list[GradeGroup]
    ticked: dict[str, int]
    """The *Possibly the same person* ticks the plan was made with (the suggested ones)."""


class StudentsScreen(RecordActions, ImportStepScreen[StudentsFetch, Plan]):
    """Import Students: link and create the school's students, grade by grade."""

    KIND = "students"
    FETCHING_TEXT = "Fetching this school's students from Clever. Cancel stops without saving anything."
    DONE_TEXT = "Done. View Imported Students to enter the login emails Clever does not have."
    RESULT_ID = "imported-message"
    VIEW_LABEL = "View Imported Students"
    ACCOUNTS = "student"
    PREVIEW_SCROLLS = False
    CHOICE = OptionList

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "toggle_no_email", "Only without email", id="only-no-email"),
        Binding(
            "i", "fetch", "Import Students", tooltip="Fetch this school's students from Clever", id="students-fetch"
        ),
        Binding("i", "apply", "Import", tooltip="Link and create accounts as the summary says", id="import-students"),
        Binding("v", "view_imported", "View Imported Students", id="students-view"),
        Binding(
            "m",
            "records('fill_student_emails')",
            "Fill missing emails",
            tooltip="From a pattern or a file",
            id="students-fill",
        ),
        Binding(
            "n", "records('add_student')", "Add a student", tooltip="Add one student by hand", id="students-add-one"
        ),
    ]
    RECORD_BUTTONS: ClassVar[dict[str, str]] = {
        "fill_student_emails": "Fill missing emails",
        "add_student": "Add a student",
    }

    def __init__(self) -> None:
        super().__init__()
        self.users: list[CleverUser] = []
        self.fetched_plan: Plan | None = None
        """The plan made off the event loop with the fetch (students have no choices to re-plan)."""
        self.groups: list[GradeGroup] = []
        self.imported_text = ""
        self.same_people: list[SamePerson] = []
        self.ticked: dict[str, int] = {}
        """*Possibly the same person*: Clever id -> the account the administrator says it is."""
        self._planned_for: dict[str, int] = {}
        self._regrouped: list[tuple[Plan, dict[str, int], list[GradeGroup]]] = []
        """Plans made for other ticks with their ticks and grade lists, until the newest is shown
        (appended by the plan worker's thread; a plan made for earlier ticks is never shown)."""

    def release(self) -> None:
        super().release()
        self.users, self.fetched_plan, self.groups, self.same_people = [], None, [], []
        self._regrouped.clear()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_no_email":
            return self.stage == "preview"  # hidden from the footer elsewhere
        return super().check_action(action, parameters)

    def intro_table(self) -> IntroTable:
        """How many students the platform has now, and in which grades."""
        active = [
            (grade, clever_id)
            for grade, clever_id, state in self.sync.fields("student", ("grade", "clever_id", "status"))
            if state == "active"
        ]
        linked = sum(1 for _, clever_id in active if clever_id)
        item = self.sync.checklist().item("students")
        status = f"Students on this platform now: {len(active)} ({linked} from Clever)."
        status += f" Last import: {when_text(item.when)}." if item.when else " Not imported from Clever yet."
        rows = [
            (literal_cell(label), Text(f"{len(people):,}"), Text(f"{sum(1 for _, c in people if c):,}"))
            for label, people in group_by_grade(active, lambda person: person[0])
        ]
        return IntroTable(f"{status} {INTRO}", ("Grade", "Students", "From Clever"), rows)

    def compose_preview(self) -> ComposeResult:
        with Horizontal(id="preview-tools"):
            yield Tick("Only students without email", id="only-no-email", compact=True)
        yield SamePeople(id="same-people")
        yield GradePreview(id="grade-preview")

    # -- fetching -------------------------------------------------------------------

    async def fetch(self) -> StudentsFetch:
        users = await self.sync.fetch("student", on_progress=self.report_progress)
        self.report_progress(len(users), f"Fetched {students(len(users))}; preparing the preview by grade…")
        return await asyncio.to_thread(self._first_plan, users)

    def _first_plan(self, users: list[CleverUser]) -> StudentsFetch:
        """The plan with the suggested *same person* ticks (found by a first plan without).

        Both plans and the rows read the students once: validating a school's worth is the
        slowest part of a plan, and its thread competes with the screen being drawn."""
        view = self.sync.view()
        plan, groups = self._plan(users, {}, view)
        ticked = suggested_ticks(plan.same_people)
        if ticked:
            plan, groups = self._plan(users, ticked, view)
        return StudentsFetch(users, plan, groups, ticked)

    def _plan(
        self, users: list[CleverUser], ticked: dict[str, int], view: PlatformView | None = None
    ) -> tuple[Plan, list[GradeGroup]]:
        view = view if view is not None else self.sync.view()
        plan = self.sync.plan("student", users, same_people=ticked, view=view)
        site = self.sync.store.site()
        span = site.school_grades if site else None
        return plan, group_rows(student_rows(plan, users, view.students, span))

    # -- preview --------------------------------------------------------------------

    def keep(self, fetched: StudentsFetch) -> str:
        self.users, self.fetched_plan, self.groups, ticked = fetched
        self.same_people = self.fetched_plan.same_people
        self.ticked, self._planned_for = dict(ticked), dict(ticked)
        return f"{students(len(self.users))} in Clever: check each grade's students, then press Import."

    def _no_email(self) -> int:
        return sum(1 for _, rows in self.groups for row in rows if not row.has_email)

    async def mount_rows(self) -> None:
        await self.query_one(SamePeople).show(self.same_people, self.ticked)
        self._show_groups()

    def _show_groups(self) -> None:
        self.query_one("#only-no-email", Checkbox).label = f"Only students without email ({self._no_email():,})"
        self.query_one(GradePreview).load(self.groups)

    @on(SamePeople.Changed)
    def _same_person_ticked(self, event: SamePeople.Changed) -> None:
        self.ticked = event.chosen
        self.rebuild_preview()

    def changed_choices(self) -> int:
        return changed_ticks(self.same_people, self.ticked)

    def make_plan(self) -> Plan:
        """The plan for the ticks as they are (made in the plan worker's thread)."""
        assert self.fetched_plan is not None
        ticked = dict(self.ticked)
        if ticked == self._planned_for:
            return self.fetched_plan
        plan, groups = self._plan(self.users, ticked)
        self._regrouped.append((plan, ticked, groups))
        return plan

    def imported_before(self) -> bool:
        return self.sync.store.meta().students_imported_at is not None

    def summary_note(self) -> str:
        no_email = self._no_email()
        lines = [f"⚠ {students(no_email)} will have no login email: {NO_EMAIL_NOTE}."] if no_email else []
        outside = sum(1 for _, rows in self.groups for row in rows if row.outside)
        if outside:
            whose = "student's grade is" if outside == 1 else "students' grades are"
            lines.append(f"⚠ {outside:,} {whose} outside this school's grades: check them in the SIS.")
        return "\n".join(lines)

    def show_rows(self) -> None:
        """The grade lists follow a plan made for other ticks; otherwise they were filled from it."""
        if self.plan is None:
            return  # the plan for the ticks as they are is still being made
        made = [entry for entry in self._regrouped if entry[0] is self.plan]
        self._regrouped.clear()  # the shown plan is the newest: the others were for earlier ticks
        if made:
            self.fetched_plan, self._planned_for, self.groups = made[0]
            self._show_groups()

    def action_toggle_no_email(self) -> None:
        box = self.query_one("#only-no-email", Checkbox)
        box.value = not box.value

    @on(Checkbox.Changed, "#only-no-email")
    def _filter(self, event: Checkbox.Changed) -> None:
        self.query_one(GradePreview).only_no_email = event.value

    # -- importing ------------------------------------------------------------------

    def apply_plan(self, plan: Plan) -> Run:
        return self.sync.apply(plan)

    async def reread(self) -> None:
        """Re-plan on the store as it is now; a tick whose offer is gone is dropped."""
        ticked = dict(self.ticked)
        plan, groups = await asyncio.to_thread(self._plan, self.users, ticked)
        offered = {(same.clever_id, same.account_id) for same in plan.same_people}
        still = {clever_id: account for clever_id, account in ticked.items() if (clever_id, account) in offered}
        # A tick for an offer that is gone counted for nothing: the plan is already the one for ``still``.
        self.fetched_plan, self.groups, self.same_people = plan, groups, plan.same_people
        self.ticked, self._planned_for = still, dict(still)

    def result_lines(self, run: Run) -> list[str]:
        c = run.counts
        total = self.plan.clever_total if self.plan else len(self.users)
        self.imported_text = (
            f"Imported {students(total)} from Clever: {counted(c.created, 'new account')}, {c.linked} linked, "
            f"{c.updated} updated, {c.unchanged} unchanged. Nothing was deleted."
        )
        return [self.imported_text, self._email_line(self._no_email())]

    def toast_text(self, lines: list[str]) -> str:
        return f"Imported {students(self.plan.clever_total if self.plan else len(self.users))}."

    def _email_line(self, no_email: int) -> str:
        if no_email:
            return (
                f"⚠ {students(no_email)} can't log in until an email is entered: "
                "enter them in View Imported Students (v)."
            )
        return "Every imported student has a login email."

    def _still_without_email(self) -> int:
        """Imported students who still have no login email, as the store says now."""
        fetched = {user.id for user in self.users}
        return sum(
            1 for s in self.sync.people("student") if s.clever_id in fetched and s.status == "active" and not s.email
        )

    def back_from_accounts(self) -> None:
        """Emails entered in the list change how many students can't log in: recount."""
        try:
            line = self._email_line(self._still_without_email())
            self.query_one(f"#{self.RESULT_ID}", Static).update(literal_lines([self.imported_text, line]))
        except EXPECTED_ERRORS as error:
            self.notify(explain(error), title="Could not re-read the students", severity="error")
        self.query_one("#view-button").focus()
