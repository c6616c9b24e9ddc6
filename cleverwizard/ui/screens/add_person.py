"""*Add a teacher* / *Add a student*: one account typed in, for a school not on Clever yet.

Checked like a login-email edit (a real address, not already someone's login), then saved as
one run in History (undoable). The account is ``manual``, like those made on the platform
before Clever, so a later teacher import can still link it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from cleverwizard.store.errors import StoreError
from cleverwizard.store.models import PersonKind, Run
from cleverwizard.text import one_line
from cleverwizard.ui.handoff import lets_go
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, explain
from cleverwizard.ui.screens.records_preview import RECORD_ERRORS
from cleverwizard.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp

FIELDS: tuple[tuple[str, str], ...] = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Login email (name@school.org)"),
    ("sis_id", "SIS id (optional)"),
)


class PersonAdded(Message):
    def __init__(self, run: Run) -> None:
        super().__init__()
        self.run = run


class PersonRefused(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class AddPersonScreen(ModalScreen[Run | None]):
    """First name, last name, login email (and SIS id, grade); *Add* saves it as one run."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="person-cancel"),
        Binding("ctrl+s", "save", "Add", id="person-save"),
    ]
    DEFAULT_CSS = """
    AddPersonScreen { align: center middle; }
    #person-editor { width: 80%; max-width: 72; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    #person-editor-title { text-style: bold; }
    #person-editor-hint { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(self, kind: PersonKind) -> None:
        super().__init__(id="add-person")
        self.kind: PersonKind = kind
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="person-editor"):
            yield Static(f"Add a {self.kind}", id="person-editor-title")
            yield Static(
                "For a school not on Clever yet, or someone Clever does not have. Saved as one run in History.",
                id="person-editor-hint",
            )
            fields = (
                [*FIELDS, ("grade", "Grade (optional, e.g. 3 or Kindergarten)")] if self.kind == "student" else FIELDS
            )
            for name, label in fields:
                yield Input(placeholder=label, id=f"person-{name.replace('_', '-')}")
            yield Static("", id="person-error", classes="message -error")
            with Horizontal(classes="buttons"):
                yield Button("Add", id="person-save-button", variant="primary")
                yield Button("Cancel", id="person-cancel-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#person-error", Static).display = False
        self.query_one("#person-first-name", Input).focus()

    def _value(self, name: str) -> str:
        found = self.query(f"#person-{name.replace('_', '-')}")
        return found.first(Input).value if found else ""

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        values = {name: self._value(name) for name in ("first_name", "last_name", "email", "sis_id", "grade")}
        self._save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, description="Add an account")
    @lets_go
    def _save(self, values: dict[str, str]) -> None:
        sync = cast("CleverWizardApp", self.app).sync
        try:
            if sync is None:
                raise StoreError("The roster store is not open; restart the wizard.")
            plan = sync.plan_add_person(
                self.kind,
                values["first_name"],
                values["last_name"],
                values["email"],
                sis_id=values["sis_id"],
                grade=values["grade"],
            )
            run = sync.apply_add(plan)
        except RECORD_ERRORS as error:
            self.post_message(PersonRefused(explain(error) if isinstance(error, EXPECTED_ERRORS) else str(error)))
            return
        self.post_message(PersonAdded(run))

    @on(PersonAdded)
    def _added(self, message: PersonAdded) -> None:
        self.dismiss(message.run)

    @on(PersonRefused)
    def _refused(self, message: PersonRefused) -> None:
        self.saving = False
        error = self.query_one("#person-error", Static)
        error.update(Content(one_line(message.text)))
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#person-save-button")
    def _save_requested(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#person-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
