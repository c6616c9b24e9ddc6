"""*Add the platform's existing teachers from a file* (students and courses too).

The accounts made by hand before Clever (a Google Workspace user export works as it is) are
added as ``manual`` accounts, so *Select a Match* then links them to Clever's teachers. The
preview lists what the file adds, what is already there and every bad row with its line
number; a file with a bad row adds nothing.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input

from cleverwizard.files.csv_in import FileKind
from cleverwizard.platform.add import AddPlan
from cleverwizard.store.models import Run
from cleverwizard.ui.screens.records_preview import NeedsInput, PreviewAndApplyScreen

COLUMNS: dict[FileKind, str] = {
    "teachers": "first_name, last_name, email (sis_id or Employee ID if you have them)",
    "students": "first_name, last_name, email (sis_id and grade if you have them)",
    "courses": "name or title (number or course_code, and subject, if you have them)",
}


class AddFromFileScreen(PreviewAndApplyScreen[AddPlan]):
    """A CSV path, the preview of what it adds, then *Add*: one run in History, undoable."""

    SCREEN_ID = "add-from-file"
    APPLY_LABEL = "Add"

    def __init__(self, kind: FileKind) -> None:
        self.kind: FileKind = kind
        super().__init__()

    def title_text(self) -> str:
        if self.kind == "courses":
            return "Add the platform's course catalogue from a file"
        return f"Add the platform's existing {self.kind} from a file"

    def intro_text(self) -> str:
        google = " A Google Workspace user export works as it is." if self.kind != "courses" else ""
        return (
            f"A CSV with a header row and the columns {COLUMNS[self.kind]}; other columns are ignored.{google} "
            "Rows already on the platform change nothing, and nothing is added while any row is bad."
        )

    def compose_inputs(self) -> ComposeResult:
        yield Input(
            placeholder="Path of the CSV file, e.g. ~/Downloads/users.csv", id="records-path", classes="records-input"
        )

    def request(self) -> Path:
        typed = self.query_one("#records-path", Input).value.strip()
        if not typed:
            raise NeedsInput("Type the path of the CSV file, then press Enter.")
        return Path(typed).expanduser()

    def make_plan(self, request: Path) -> AddPlan:
        return self.sync.plan_add(self.kind, request)

    def apply_plan(self, plan: AddPlan) -> Run:
        return self.sync.apply_add(plan)

    def next_step(self, plan: AddPlan) -> str:
        return f"Press Add to add {plan.new_count} {self.kind if plan.new_count != 1 else self.kind[:-1]}."

    def done_text(self, run: Run) -> str:
        return f"Added {run.counts.created}: run {run.id} in History, where it can be undone."
