"""The platform's own records, reachable before Clever: the hub, and the actions the steps offer.

``PlatformRecordsScreen`` is opened from Notifications (``a``), so a school that is not on
Clever yet can add its teachers, students and courses from files or by hand. ``RecordActions``
is the few lines the Teachers and Students steps mix in: buttons before *Import …* (on the
intro and once done), their keys, and a refresh of the step's intro when one comes back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from cleverwizard.files.csv_in import FileKind
from cleverwizard.store.models import PersonKind
from cleverwizard.ui.screens.base import WizardScreen
from cleverwizard.ui.widgets.keys_footer import KeysFooter

ACTIONS: tuple[tuple[str, str], ...] = (
    ("add_teachers_file", "Add teachers from a file"),
    ("add_students_file", "Add students from a file"),
    ("add_courses_file", "Add courses from a file"),
    ("add_teacher", "Add a teacher"),
    ("add_student", "Add a student"),
    ("fill_student_emails", "Fill missing student emails"),
)


def screen_for(action: str) -> Screen[Any]:
    """The screen of one records action (``add_teachers_file``, ``add_student``, ``fill_student_emails``)."""
    if action.endswith("_file"):
        from cleverwizard.ui.screens.add_from_file import AddFromFileScreen

        kind: FileKind = {"teachers": "teachers", "students": "students"}.get(action.split("_")[1], "courses")  # type: ignore[assignment]
        return AddFromFileScreen(kind)
    if action.startswith("fill_"):
        from cleverwizard.ui.screens.fill_emails import FillEmailsScreen

        return FillEmailsScreen("teacher" if "teacher" in action else "student")
    from cleverwizard.ui.screens.add_person import AddPersonScreen

    person: PersonKind = "teacher" if action == "add_teacher" else "student"
    return AddPersonScreen(person)


class PlatformRecordsScreen(WizardScreen):
    """Add people and courses without Clever: from a file (a Google Workspace export) or by hand."""

    DEFAULT_CSS = """
    #records-actions { height: 1fr; }
    #records-actions Button { width: 40; margin-bottom: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="platform-records")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("The platform's own people and courses", classes="screen-title")
            yield Static(
                "For a school not on Clever yet, or the accounts made by hand before Clever: add them from "
                "a CSV file (a Google Workspace user export works as it is) or one by one. Teachers added "
                "here are the ones Select a Match links when you import teachers from Clever.",
                classes="intro",
            )
            with VerticalScroll(id="records-actions"):
                for action, label in ACTIONS:
                    yield Button(label, id=f"records-{action.replace('_', '-')}", name=action, compact=True)
                yield Button("Back to Notifications", classes="back-button", compact=True)
        yield KeysFooter()

    @on(Button.Pressed, "#records-actions Button")
    def _chosen(self, event: Button.Pressed) -> None:
        if event.button.name:
            self.app.push_screen(screen_for(event.button.name))


class RecordActions:
    """Mixed into an import step: ``RECORD_BUTTONS`` (action -> label) offered beside *Import …*.

    Textual calls every class's ``on_mount`` in the MRO, so this one only adds the buttons.
    """

    RECORD_BUTTONS: ClassVar[dict[str, str]] = {}

    def on_mount(self) -> None:
        screen: Any = self
        buttons = [
            Button(label, id=f"step-{action.replace('_', '-')}", name=action, classes="records-action", compact=True)
            for action, label in self.RECORD_BUTTONS.items()
        ]
        for button in buttons[:-1]:
            button.styles.margin = (0, 2, 0, 0)
        row = Horizontal(*buttons, id=f"{screen.KIND}-records", classes="records-row")
        row.styles.height = "auto"  # inline: Textual reads DEFAULT_CSS from its own classes only
        row.styles.margin = (1, 0, 0, 0)
        screen.query_one(f"#{screen.KIND}-actions").parent.mount(row, before=f"#{screen.KIND}-actions")

    def watch_stage(self, stage: str) -> None:
        super().watch_stage(stage)  # type: ignore[misc]
        for row in self.query(".records-row"):  # type: ignore[attr-defined]
            row.display = stage in ("intro", "done")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "records":
            return parameters[0] in self.RECORD_BUTTONS and self.stage in ("intro", "done")  # type: ignore[attr-defined]
        return super().check_action(action, parameters)  # type: ignore[misc, no-any-return]

    def action_records(self, action: str) -> None:
        screen: Any = self
        screen.app.push_screen(screen_for(action), callback=lambda _: self._after_records())

    def _after_records(self) -> None:
        """Back from an action: the intro counts what was added; Students' result recounts emails."""
        screen: Any = self
        if screen.stage == "intro":
            screen._show_intro()
        elif screen.stage == "done" and screen.KIND == "students":
            screen.back_from_accounts()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """By name, not ``@on``: Textual registers decorated handlers only on its own classes."""
        if event.button.has_class("records-action") and event.button.name:
            event.stop()
            self.action_records(event.button.name)
