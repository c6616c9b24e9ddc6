"""Connect your District: check a Clever district id (and token) and save the connection.

With the platform's app credentials set, the screen lists the districts connected to the
app (fetched in a worker) to pick from, one key for a one-district app, or takes a typed id;
the admin never sees a token. The check runs in a worker so the screen stays responsive;
any failure is shown inline in Clever's words (wrong id, refused token or app credentials,
no network) and the user can fix it and retry. The token field appears only when there are
no app credentials and no token is configured, or when Clever refused the one in use, and
it is masked.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cleverwizard.clever import CleverAuthError, District
from cleverwizard.clever.oauth import AppCredentialsRefused
from cleverwizard.text import one_line
from cleverwizard.ui.literal import literal
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, StepFailed, WizardScreen, explain
from cleverwizard.ui.widgets.keys_footer import KeysFooter

INTRO = (
    "Enter the id of your district as Clever shows it (Clever dashboard → the district's "
    "page). The wizard checks it with Clever before saving anything."
)
APP_INTRO = (
    "Pick your district from those connected to your platform's Clever app, or enter the "
    "district id your platform's team gave you. The wizard checks it with Clever before "
    "saving anything; you never need a token."
)


class ConnectScreen(WizardScreen):
    """District id (and token) → ``RosterSync.connect`` in a worker → name or reason."""

    class Connected(Message):
        def __init__(self, district: District) -> None:
            self.district = district
            super().__init__()

    class DistrictsLoaded(Message):
        """The districts connected to the platform's Clever app arrived."""

        def __init__(self, districts: list[District]) -> None:
            self.districts = districts
            super().__init__()

    def __init__(self) -> None:
        super().__init__(id="connect-screen")

    def compose(self) -> ComposeResult:
        site = self.sync.store.site()
        yield Header()
        with VerticalScroll(classes="step-body"):
            yield Static("Connect your District", classes="screen-title")
            yield Static(APP_INTRO if self.with_app else INTRO, classes="intro")
            if site is not None:
                yield Static(literal(f"Connected now: {site.district_name} ({site.district_id})"), id="connected-now")
            with Vertical(id="app-districts"):
                yield Label("Districts connected to the platform's Clever app", classes="field-label")
                yield Static("Asking Clever…", id="districts-message", classes="message -busy")
                yield OptionList(id="district-list")
                yield Label("…or type another district's Clever id", classes="field-label")
            yield Label("Clever district id", classes="field-label", id="district-id-label")
            yield Input(
                value=site.district_id if site else "",
                placeholder="e.g. 5b2ad81a709e300001e2cd7a",
                id="district-id",
            )
            with Vertical(id="token-field"):
                yield Label("District token", classes="field-label", id="token-label")
                yield Input(password=True, placeholder="from the Clever dashboard", id="token")
                yield Static(
                    "Saved only in this data folder, readable by you alone; never shown again.",
                    classes="hint",
                )
            yield Static("", id="connect-message", classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Check and Connect", id="check", variant="primary")
                yield Button("Select your School", id="next-school", variant="success")
                yield Button("Back to Notifications", classes="back-button")
        yield KeysFooter()

    @property
    def with_app(self) -> bool:
        """The platform's app credentials are set: Clever gives the token, no field for one."""
        return self.sync.settings.uses_app_credentials

    def on_mount(self) -> None:
        settings = self.sync.settings
        self.query_one("#token-field").display = not settings.token and settings.app is None
        self.query_one("#next-school").display = False
        self.query_one("#connect-message").display = False
        self.query_one("#app-districts").display = self.with_app
        self.query_one("#district-list").display = False
        self.query_one("#district-id-label").display = not self.with_app
        self.query_one("#district-id", Input).focus()
        if self.with_app:
            self.load_districts()

    @work(exclusive=True, group="districts", exit_on_error=False)
    async def load_districts(self) -> None:
        try:
            districts = await self.wizard.away_from_screens(self.sync.app_districts())
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "districts"))
        else:
            self.post_message(self.DistrictsLoaded(districts))

    @on(DistrictsLoaded)
    def _districts_loaded(self, event: DistrictsLoaded) -> None:
        districts = event.districts
        picker = self.query_one("#district-list", OptionList)
        picker.set_options(Option(Text(one_line(f"{d.name or '(no name)'}  ({d.id})")), id=d.id) for d in districts)
        if not districts:
            self.say(
                "#districts-message",
                "No district has connected to the app yet: ask the district to add it in Clever, or type its id below.",
                "warning",
            )
            return
        self.say("#districts-message", "")
        picker.display = True
        site = self.sync.store.site()
        ids = [d.id for d in districts]
        picker.highlighted = ids.index(site.district_id) if site and site.district_id in ids else 0
        typed = self.query_one("#district-id", Input)
        if len(districts) == 1 or not typed.value.strip() or typed.value.strip() in ids:
            picker.focus()

    @on(OptionList.OptionSelected, "#district-list")
    def _district_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.query_one("#district-id", Input).value = event.option.id
            self.check()

    def show_failure(self, message: str) -> None:
        self.say("#connect-message", message, "error")
        self.query_one("#check", Button).disabled = False

    @on(Input.Submitted)
    @on(Button.Pressed, "#check")
    def check(self) -> None:
        """Validate the fields here (no request for an empty id), then ask Clever."""
        district_id = self.query_one("#district-id", Input).value.strip()
        token_field = self.query_one("#token-field")
        token = self.query_one("#token", Input).value.strip() if token_field.display else ""
        if not district_id:
            self.say("#connect-message", "Enter the Clever district id first.", "error")
            self.query_one("#district-id", Input).focus()
            return
        if token_field.display and not token:
            self.say("#connect-message", "Enter the district token from the Clever dashboard.", "error")
            self.query_one("#token", Input).focus()
            return
        self.query_one("#check", Button).disabled = True
        self.query_one("#next-school").display = False
        self.say("#connect-message", "Checking with Clever…", "busy")
        self.connect(district_id, token or None)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self, district_id: str, token: str | None) -> None:
        try:
            district = await self.wizard.away_from_screens(self.sync.connect(district_id, token))
        except EXPECTED_ERRORS as error:
            self.post_message(StepFailed(error, "connect"))
        else:
            self.post_message(self.Connected(district))

    @on(Connected)
    def _connected(self, event: Connected) -> None:
        district = event.district
        name = district.name or district.id
        self.say("#connect-message", f"Connected to {name} ({district.id}). Next, select your school.", "success")
        self.query_one("#check", Button).disabled = False
        self.query_one("#token-field").display = False
        self.query_one("#token", Input).value = ""
        self.query_one("#next-school").display = True
        self.query_one("#next-school", Button).focus()
        self.notify(f"Connected to {name}.", title="District connected")
        self.wizard.refresh_subtitle()

    @on(StepFailed)
    def _failed(self, event: StepFailed) -> None:
        error = event.error
        text = explain(error)
        if event.during == "districts":
            self.say("#districts-message", text, "error")
            return
        if isinstance(error, CleverAuthError) and not isinstance(error, AppCredentialsRefused) and not self.with_app:
            self.query_one("#token-field").display = True
            self.query_one("#token-label", Label).update("District token (Clever refused the one in use)")
        self.show_failure(text)
        token_shown = self.query_one("#token-field").display
        focus = "#token" if isinstance(error, CleverAuthError) and token_shown else "#district-id"
        self.query_one(focus, Input).focus()

    @on(Button.Pressed, "#next-school")
    def _next(self) -> None:
        self.wizard.open_step("school")
