"""The students preview: grades in school order on the left, one grade's students on the right.

Only the highlighted grade is put in the table, a ``LongTable``: it draws only the rows on
screen and measures a long grade in a thread, so the preview appears, and another grade
shows, at once even with 1,500 students in a grade. Students without a login
email are flagged in words, and ``only_no_email`` narrows both lists to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cleverwizard.clever.decode import CleverUser
from cleverwizard.people.plan import ChangeAction, Plan
from cleverwizard.rules.grades import grade_label, group_by_grade, outside_span, span_text
from cleverwizard.rules.order import PersonOrder, clever_user_order
from cleverwizard.rules.teachers import display_name
from cleverwizard.store.models import Student
from cleverwizard.text import counted
from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.sheet import Column

NO_EMAIL = "⚠ none (can't log in)"
NO_EMAIL_NOTE = "they can't log in until an email is entered"
ACTION_TEXT: dict[ChangeAction | None, str] = {
    "create": "new account",
    "link": "link to account",
    "update": "update",
    "restore": "restore",
    "archive": "archive",
    "unlink": "unlink",
    "relink": "follow the new Clever id",
    None: "no change",
}


@dataclass(frozen=True)
class StudentRow:
    """One Clever student as the preview shows them, with what Import will do."""

    clever_id: str
    name: str
    sort_key: PersonOrder
    grade: str | None
    login_email: str | None
    action: str
    notes: str
    outside: bool = False
    """The grade is outside the school's span."""

    @property
    def has_email(self) -> bool:
        return bool(self.login_email)


GradeGroup = tuple[str, list[StudentRow]]


def student_rows(
    plan: Plan, users: Sequence[CleverUser], accounts: Sequence[Student], span: str | None = None
) -> list[StudentRow]:
    """Join Clever's students with the plan: the login email each will have, and why not.

    ``span``: the school's grades; a student outside them is noted (a wrong grade in the SIS).
    """
    changes = {change.clever_id: change for change in plan.changes if change.clever_id}
    linked = {account.clever_id: account for account in accounts if account.clever_id}
    issues: dict[str, list[str]] = {}
    for problem in plan.problems:
        if problem.clever_id:
            issues.setdefault(problem.clever_id, []).append(problem.issue)
    rows = []
    for user in users:
        change = changes.get(user.id)
        if change is not None:
            email = change.values.get("email")
        else:
            account = linked.get(user.id)
            email = account.email if account else None
        role = user.roles.student
        grade = role.grade if role else None
        notes = list(issues.get(user.id, []))
        if outside_span(grade, span):
            notes.append(f"{grade_label(grade)} is outside this school's grades ({span_text(span or '')})")
        rows.append(
            StudentRow(
                clever_id=user.id,
                name=display_name(user),
                sort_key=clever_user_order(user),
                grade=role.grade if role else None,
                login_email=email or None,
                action=ACTION_TEXT[change.action if change else None],
                notes="; ".join(notes),
                outside=outside_span(grade, span),
            )
        )
    return rows


def group_rows(rows: Sequence[StudentRow]) -> list[GradeGroup]:
    """Grades in school order (PreKindergarten … 12, 13, PostGraduate, …, No grade)."""
    return group_by_grade(rows, lambda row: row.grade, lambda row: row.sort_key)


class GradePreview(Horizontal):
    """Grade list (with counts) beside a table of the highlighted grade's students."""

    only_no_email: reactive[bool] = reactive(False, init=False)
    """Show only students who will have no login email after the import."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="grade-preview")
        self.groups: list[GradeGroup] = []
        self.shown: list[GradeGroup] = []
        self.current: str | None = None
        self._filled: tuple[str | None, int] = (None, -1)
        """The grade and row count the table was last filled with (it may still be filling)."""

    def on_unmount(self) -> None:
        """Its screen is closed: the students go now (``WizardScreen.release``)."""
        self.groups, self.shown = [], []

    def compose(self) -> ComposeResult:
        yield OptionList(id="grade-list")
        with Vertical(id="grade-detail"):
            yield Static("", id="grade-heading")
            yield LongTable(id="grade-table")

    def on_mount(self) -> None:
        self.query_one("#grade-table", LongTable).set_columns(
            [
                Column("name", "Student"),
                Column("email", "Login email"),
                Column("action", "Import will"),
                Column("notes", "To fix in the SIS"),
            ]
        )
        self.query_one("#grade-list", OptionList).border_title = "Grades"

    def load(self, groups: list[GradeGroup]) -> None:
        """Show new groups, keeping the highlighted grade when it still exists."""
        self.groups = groups
        self._refill_grades()

    def watch_only_no_email(self) -> None:
        self._refill_grades()

    def _visible(self, rows: list[StudentRow]) -> list[StudentRow]:
        return [row for row in rows if not row.has_email] if self.only_no_email else rows

    def _refill_grades(self) -> None:
        shown: list[GradeGroup] = []
        for label, rows in self.groups:
            visible = self._visible(rows)
            if visible:
                shown.append((label, visible))
        self.shown = shown
        grade_list = self.query_one("#grade-list", OptionList)
        options = []
        for label, rows in shown:
            missing = sum(1 for row in rows if not row.has_email)
            flag = f" ⚠{missing}" if missing and not self.only_no_email else ""
            options.append(Option(literal(f"{label}  {len(rows)}{flag}"), id=label))
        grade_list.set_options(options)
        grade_list.border_title = counted(len(shown), "grade").capitalize()  # when not all fit, says how many
        labels = [label for label, _ in shown]
        if not shown:
            self.current = None
            self._fill_table(None, [])
            return
        index = labels.index(self.current) if self.current in labels else 0
        grade_list.highlighted = index
        self._show_grade(index)

    @on(OptionList.OptionHighlighted, "#grade-list")
    def _grade_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_grade(event.option_index)

    @on(OptionList.OptionSelected, "#grade-list")
    def _grade_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a grade moves into its table."""
        event.stop()
        self.query_one("#grade-table", LongTable).focus()

    def _show_grade(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        label, rows = self.shown[index]
        if (label, len(rows)) == self._filled:
            return
        self.current = label
        self._fill_table(label, rows)

    def _fill_table(self, label: str | None, rows: list[StudentRow]) -> None:
        heading = self.query_one("#grade-heading", Static)
        table = self.query_one("#grade-table", LongTable)
        self._filled = (label, len(rows))
        if label is None:
            table.fill([])
            heading.update("Every student will have a login email." if self.only_no_email else "No students.")
            return
        missing = sum(1 for row in rows if not row.has_email)
        count = f"{len(rows)} without a login email" if self.only_no_email else counted(len(rows), "student")
        text = f"{label}: {count}"
        if missing and not self.only_no_email:
            text += f", {missing} without a login email (⚠)"
        if any(row.outside for row in rows):
            text += ", outside this school's grades (⚠)"
        heading.update(literal(text))
        table.fill([((row.name, row.login_email or NO_EMAIL, row.action, row.notes), None) for row in rows])

    def counts(self) -> dict[str, int]:
        """Students per grade label as shown now (for tests and the summary)."""
        return {label: len(rows) for label, rows in self.shown}
