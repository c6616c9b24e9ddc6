"""*Fill missing emails*: a login email for every account without one, from a pattern or a file.

The preview lists every email it would set and every account it can't fill, with why (not
unique, a name two accounts share, no name to build it from). Filled emails are edits: later
syncs keep them.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet

from cleverwizard.platform.fill_emails import FillPlan
from cleverwizard.store.models import PersonKind, Run
from cleverwizard.ui.screens.records_preview import NeedsInput, PreviewAndApplyScreen
from cleverwizard.ui.widgets.toggles import Choice

PATTERN_HINT = "{first}.{last}@students.school.org  ({first_initial} and {sis_id} work too)"
FILE_HINT = "Path of a CSV of first name, last name, email (and sis_id or Employee ID)"


class FillEmailsScreen(PreviewAndApplyScreen[FillPlan]):
    """Pattern or file, the preview of every email set and every one it can't, then *Set emails*."""

    SCREEN_ID = "fill-emails"
    APPLY_LABEL = "Set emails"

    def __init__(self, kind: PersonKind = "student") -> None:
        self.kind: PersonKind = kind
        super().__init__()

    def title_text(self) -> str:
        return f"Fill missing {self.kind} emails"

    def intro_text(self) -> str:
        return (
            f"Gives a login email to every {self.kind} who has none. A pattern builds it from the name "
            "(lowercased, accents removed); a file is matched by SIS id, else by a full name only one "
            "account has. An email that would not be unique is listed and set for nobody."
        )

    def compose_inputs(self) -> ComposeResult:
        with RadioSet(id="fill-source", classes="records-input"):
            yield Choice("From a pattern", value=True, id="fill-by-pattern")
            yield Choice("From a file", id="fill-by-file")
        yield Input(placeholder=PATTERN_HINT, id="records-value", classes="records-input")

    @property
    def by_file(self) -> bool:
        return self.query_one("#fill-by-file", RadioButton).value

    @on(RadioSet.Changed, "#fill-source")
    def _source_changed(self) -> None:
        field = self.query_one("#records-value", Input)
        field.placeholder = FILE_HINT if self.by_file else PATTERN_HINT
        field.focus()

    def request(self) -> tuple[bool, str]:
        typed = self.query_one("#records-value", Input).value.strip()
        if not typed:
            raise NeedsInput(
                "Type the path of the file, then press Enter."
                if self.by_file
                else "Type a pattern such as {first}.{last}@students.school.org, then press Enter."
            )
        return self.by_file, typed

    def make_plan(self, request: tuple[bool, str]) -> FillPlan:
        by_file, typed = request
        if by_file:
            return self.sync.plan_fill_emails(self.kind, path=Path(typed).expanduser())
        return self.sync.plan_fill_emails(self.kind, pattern=typed)

    def apply_plan(self, plan: FillPlan) -> Run:
        return self.sync.apply_fill(plan)

    def next_step(self, plan: FillPlan) -> str:
        return f"Press Set emails to set {len(plan.people.changes)}."

    def done_text(self, run: Run) -> str:
        return f"Set {run.counts.updated} login emails: run {run.id} in History, where it can be undone."
