"""Connect your District: check a Clever district id (and token) and save the connection.

The check runs in a worker so the screen stays responsive; any failure is shown inline in
Clever's words (wrong id, refused token, no network) and the user can fix it and retry.
The token field appears only when no token is configured, or when Clever refused the one
in use, and it is masked.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Static

from cleverwizard.clever import CleverAuthError, District
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, StepFailed, WizardScreen, explain

INTRO = (
    "Enter the id of your district as Clever shows it (Clever dashboard → the district's "
    "page). The wizard checks it with Clever before saving anything."
)


class ConnectScreen(WizardScreen):
    """District id (and token) → ``RosterSync.connect`` in a worker → name or reason."""

    class Connected(Message):
        def __init__(self, district: District) -> None:
            self.district = district
            super().__init__()

    def __init__(self) -> None:
        super().__init__(id="connect-screen")

    def compose(self) -> ComposeResult:
        site = self.sync.store.site()
        yield Header()
        with VerticalScroll(classes="step-body"):
            yield Static("Connect your District", classes="screen-title")
            yield Static(INTRO, classes="intro")
            if site is not None:
                yield Static(f"Connected now: {site.district_name} ({site.district_id})", id="connected-now")
            yield Label("Clever district id", classes="field-label")
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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#token-field").display = not self.sync.settings.token
        self.query_one("#next-school").display = False
        self.query_one("#connect-message").display = False
        self.query_one("#district-id", Input).focus()

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
            district = await self.sync.connect(district_id, token)
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
        if isinstance(error, CleverAuthError):
            self.query_one("#token-field").display = True
            self.query_one("#token-label", Label).update("District token (Clever refused the one in use)")
        self.show_failure(text)
        focus = "#token" if isinstance(error, CleverAuthError) else "#district-id"
        self.query_one(focus, Input).focus()

    @on(Button.Pressed, "#next-school")
    def _next(self) -> None:
        self.wizard.open_step("school")
