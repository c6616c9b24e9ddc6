"""One platform teacher in the Teachers preview: who they are and their *Clever Matches* cell.

A row is three light widgets (the dropdown is mounted only while open), so a preview of
a hundred teachers mounts quickly. The note under the dropdown says, in words, why the
current choice is there (our suggestion and its reason, a saved match, the
administrator's own choice) or that the same Clever teacher is also chosen for someone else.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from cleverwizard.rules.teachers import TeacherMatchRow
from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.choice_note import choice_note
from cleverwizard.ui.widgets.match_select import MatchBook, MatchSelect, reason_text

NOT_LISTED = "stays a platform-only account; not linked to Clever"
"""What *This teacher is not in the list* does, said under the row once chosen."""


def match_note(
    row: TeacherMatchRow, value: str | None, also_chosen_for: Sequence[str], chosen: bool = False
) -> Content:
    """The words under a dropdown: conflict first, else why this choice is there."""
    if also_chosen_for:
        return Content.assemble(
            ("Conflict: ", "bold $text-error"),
            literal(f"also chosen for {', '.join(also_chosen_for)}", "$text-error"),
        )
    candidate = next((c for c in row.candidates if c.clever_id == value), None)
    reason = reason_text(candidate) if candidate is not None else None
    return choice_note(
        row,
        value,
        reason,
        saved="Saved match",
        nothing_similar="No similar Clever teacher found",
        chosen=chosen,
        not_listed=NOT_LISTED,
    )


class TeacherRow(Widget):
    """A platform teacher (name over login email) beside their *Select a Match* and its note.

    A small grid, so a long preview stays cheap to lay out. Wide, it is two by two (the
    teacher beside the dropdown); below 100 columns (``Screen.-narrow`` in app.tcss) the
    three parts stack, the teacher's name and email on one line, so both emails of a match
    are shown in full at 80 columns.
    """

    DEFAULT_CSS = """
    TeacherRow {
        layout: grid;
        grid-size: 2 2;
        grid-columns: 2fr 3fr;
        grid-rows: 1 1;
        height: 3;
        padding: 0 1;
        border-bottom: hkey $panel-lighten-1;
        & > .teacher-who { row-span: 2; padding-right: 1; height: 2; }
        & > .teacher-who > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .teacher-who > .teacher-email { color: $foreground-muted; }
        & > .match-note { text-wrap: nowrap; text-overflow: ellipsis; }
        &.-conflict { background: $error 10%; }
    }
    """

    def __init__(self, row: TeacherMatchRow, book: MatchBook, value: str | None) -> None:
        super().__init__(id=f"teacher-row-{row.account.id}")
        self.row = row
        self.book = book
        self.value = value
        self._shown: tuple[str | None, tuple[str, ...], bool] = (value, (), False)

    def compose(self) -> ComposeResult:
        account = self.row.account
        with Vertical(classes="teacher-who"):
            yield Static(literal(account.full_name or "(no name)", "bold"), classes="teacher-name")
            yield Static(literal(account.email or "(no login email)"), classes="teacher-email")
        yield MatchSelect(self.row, self.book, self.value, id=f"match-{account.id}")
        yield Static(match_note(self.row, self.value, ()), classes="match-note")

    @property
    def match_select(self) -> MatchSelect:
        return self.query_one(MatchSelect)

    def show_state(self, value: str | None, also_chosen_for: Sequence[str], chosen: bool = False) -> None:
        """Redraw the note (and the dropdown's label) when the choice or a conflict changed."""
        state = (value, tuple(also_chosen_for), chosen)
        if state == self._shown:
            return
        self._shown = state
        self.value = value
        self.set_class(bool(also_chosen_for), "-conflict")
        self.query_one(".match-note", Static).update(match_note(self.row, value, also_chosen_for, chosen))
        select = self.match_select
        if select.value != value:
            select.value = value
