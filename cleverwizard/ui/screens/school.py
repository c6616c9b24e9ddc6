"""Select your School: the district's schools in a table, then *Confirm*.

A site belongs to exactly one Clever school; the screen says how to set up another one.
Switching a site that already has people imported from Clever to a different school asks
first (Cancel focused), because the next import would mix two schools on one site.
Loading and confirming both talk to Clever, so both run in workers and failures appear
inline with *Try again*.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, LoadingIndicator, Static

from cleverwizard.clever import School
from cleverwizard.ui.literal import literal, literal_cell
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, StepFailed, WizardScreen, explain
from cleverwizard.ui.widgets.keys_footer import KeysFooter

ONE_SCHOOL = (
    "One school connects to this site. To set up another school, run the wizard for that "
    "site with its own data folder (--data-dir)."
)


class ConfirmSwitch(ModalScreen[bool]):
    """Asks before moving a site with imported people to another school; Cancel is the default."""

    DEFAULT_CSS = """
    ConfirmSwitch { align: center middle; }
    #switch-box {
        width: 80%; max-width: 76; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    #switch-title { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="switch-cancel")]

    def __init__(self, text: str) -> None:
        super().__init__(id="switch-school-screen")
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="switch-box"):
            yield Static("Switch this site to another school?", id="switch-title")
            yield Static(literal(self.text), id="switch-text")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="switch-cancel-button", variant="primary")
                yield Button("Switch anyway", id="switch-confirm-button", variant="error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#switch-cancel-button", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#switch-cancel-button")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#switch-confirm-button")
    def _confirm(self) -> None:
        self.dismiss(True)


class SchoolScreen(WizardScreen):
    """``RosterSync.schools()`` → table → ``RosterSync.select_school`` on *Confirm*."""

    class Loaded(Message):
        def __init__(self, schools: list[School]) -> None:
            self.schools = schools
            super().__init__()

    class Selected(Message):
        def __init__(self, school: School) -> None:
            self.school = school
            super().__init__()

    def __init__(self) -> None:
        super().__init__(id="school-screen")
        self.schools: list[School] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static("Select your School", classes="screen-title")
            yield Static("", id="school-district", classes="intro")
            yield Static(ONE_SCHOOL, classes="hint")
            yield LoadingIndicator(id="schools-loading")
            yield DataTable(id="schools", cursor_type="row", zebra_stripes=True)
            yield Static("", id="school-message", classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Confirm", id="confirm", variant="primary", disabled=True)
                yield Button("Try again", id="retry", variant="warning")
                yield Button("Back to Notifications", classes="back-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        site = self.sync.store.site()
        if site is not None:
            self.query_one("#school-district", Static).update(
                literal(f"Schools of {site.district_name} ({site.district_id}) that Clever shares with this app.")
            )
        table = self.query_one("#schools", DataTable)
        table.add_column("School", key="name")
        table.add_column("Grades", key="grades")
        table.add_column("Clever id", key="id")
        self.load()

    def show_failure(self, message: str) -> None:
        self.say("#school-message", message, "error")
        self.query_one("#schools-loading").display = False
        self.query_one("#retry").display = True
        self.query_one("#confirm", Button).disabled = not self.schools
        self.query_one("#retry", Button).focus()

    def load(self) -> None:
        self.query_one("#schools-loading").display = True
        self.query_one("#schools").display = False
        self.query_one("#retry").display = False
        self.query_one("#confirm", Button).disabled = True
        self.say("#school-message", "")
        self.fetch_schools()

    @work(exclusive=True, group="schools", exit_on_error=False)
    async def fetch_schools(self) -> None:
        try:
            schools = await self.wizard.away_from_screens(self.sync.schools())
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "load"))
        else:
            self.post_message(self.Loaded(schools))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.schools = event.schools
        site = self.sync.store.site()
        current = site.school_id if site else None
        table = self.query_one("#schools", DataTable)
        table.clear()
        for school in self.schools:
            name = school.name or "(no name in Clever)"
            if school.id == current:
                name += "  (connected now)"
            table.add_row(
                literal_cell(name),
                literal_cell(school.grade_span or "not given"),
                literal_cell(school.id),
                key=school.id,
            )
        self.query_one("#schools-loading").display = False
        table.display = True
        if not self.schools:
            self.show_failure(
                "Clever shares no schools of this district with this app: check data sharing "
                "in the Clever dashboard, then try again."
            )
            return
        ids = [school.id for school in self.schools]
        likely = current or self.wizard.settings.demo_school_id
        if likely in ids:
            table.move_cursor(row=ids.index(likely))
        self.query_one("#confirm", Button).disabled = False
        table.focus()

    @on(DataTable.RowSelected, "#schools")
    def _row_chosen(self) -> None:
        """Enter on a school (or a click on its highlighted row) confirms it, as *Confirm* does."""
        self.confirm()

    def highlighted_school(self) -> School | None:
        table = self.query_one("#schools", DataTable)
        if not self.schools or table.cursor_row < 0 or table.cursor_row >= len(self.schools):
            return None
        return self.schools[table.cursor_row]

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        school = self.highlighted_school()
        if school is None:
            self.say("#school-message", "Choose a school in the list first.", "error")
            return
        try:
            warning = self.switch_warning(school)
        except EXPECTED_ERRORS as error:
            self.say("#school-message", explain(error), "error")
            return
        if warning:
            self.app.push_screen(ConfirmSwitch(warning), callback=lambda ok: self._switch_answered(school, ok))
            return
        self.connect_to(school)

    def switch_warning(self, school: School) -> str | None:
        """The consequence to spell out when moving a site with Clever people to another school."""
        consequence = self.sync.school_switch_consequence(school.id, school.name)
        return None if consequence is None else f"{consequence} Switch anyway?"

    def _switch_answered(self, school: School, ok: bool | None) -> None:
        if ok:
            self.connect_to(school)
        else:
            self.say("#school-message", "Nothing changed: this site stays with its school.", "warning")
            self.query_one("#schools", DataTable).focus()

    def connect_to(self, school: School) -> None:
        """Connect to ``school``: only reached once any switch was confirmed (or needed none)."""
        self.query_one("#confirm", Button).disabled = True
        self.say("#school-message", f"Connecting this site to {school.name or school.id}…", "busy")
        self.select(school.id)

    @work(exclusive=True, group="select-school", exit_on_error=False)
    async def select(self, school_id: str) -> None:
        try:
            school = await self.wizard.away_from_screens(self.sync.select_school(school_id, switch_confirmed=True))
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "select"))
        else:
            self.post_message(self.Selected(school))

    @on(Selected)
    def _selected(self, event: Selected) -> None:
        name = event.school.name or event.school.id
        self.notify(f"This site is now connected to {name}.", title="School selected")
        self.wizard.refresh_subtitle()
        self.dismiss(None)

    @on(StepFailed)
    def _failed(self, event: StepFailed) -> None:
        self.show_failure(explain(event.error))
        if event.during == "select":
            self.query_one("#retry").display = False
            self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.load()
