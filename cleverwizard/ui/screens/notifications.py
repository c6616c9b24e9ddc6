"""Notifications, the home screen: where this site stands with Clever, step by step.

It renders ``RosterSync.checklist()``, the same model ``cleverwizard status`` prints, and
re-reads it every time it comes back on top, so a step finished on another screen shows
as soon as the user returns. The checklist is built once per change of the roster (the
step that saved builds it in its own thread); coming back only shows it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from cleverwizard.rules.district_state import moment
from cleverwizard.service.status import Checklist, now
from cleverwizard.service.steps import STEP_KEYS, STEPS, StepKey
from cleverwizard.store.errors import StoreError
from cleverwizard.ui.handoff import lets_go
from cleverwizard.ui.literal import literal
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, OnLoop
from cleverwizard.ui.widgets.keys_footer import KeysFooter
from cleverwizard.ui.widgets.step_item import StepItem, when_text

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp
    from cleverwizard.ui.steps import Destination


CLEVER_STATE_GROUP = "clever-state"
QUIET_ERRORS: tuple[type[BaseException], ...] = (*EXPECTED_ERRORS, OSError)
"""What a background look at Clever's district state may meet, and keeps to itself."""
READING = "Reading the roster…"
"""Shown for the moment the roster is read at start-up, before the checklist."""
REFRESH_AFTER = 60.0
"""Seconds a saved district state stays fresh enough not to ask Clever again on return."""


def demo_hint(district_id: str) -> str:
    """The line that tells a demo user which district to pick."""
    return f"Demo: Connect your District lists the sandbox district ({district_id}): pick it and press Enter"


class NotificationsScreen(Screen[None]):
    """The Student Information System Sync checklist."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(step.number), f"open('{step.key}')", step.label, tooltip=step.start, id=f"open-{step.key}")
            for step in STEPS
        ),
        Binding("h", "open('history')", "History", tooltip="Imports, syncs and undo", id="open-history"),
        Binding(
            "a",
            "records",
            "Add people",
            tooltip="Teachers, students, courses from a file or by hand",
            id="open-records",
            show=False,  # the Add people button says so; at 80 columns the footer keeps Quit and Help
        ),
        Binding(
            "t",
            "open('teacher-list')",
            "Teachers list",
            tooltip="View Imported Teachers",
            id="open-teacher-list",
            show=False,
        ),
        Binding(
            "s",
            "open('student-list')",
            "Students list",
            tooltip="View Imported Students",
            id="open-student-list",
            show=False,
        ),
        Binding("up,k", "app.focus_previous", "Previous step", show=False),
        Binding("down,j", "app.focus_next", "Next step", show=False),
    ]

    AUTO_FOCUS = ""
    """Focus goes to the first step still to do (``focus_first_action``), not the first widget
    (``None`` would mean the app's own "*"; while the roster is read, nothing is focused)."""

    def __init__(self) -> None:
        super().__init__(id="notifications")
        self.checklist: Checklist | None = None
        self.came_from: StepKey | None = None
        self._shown_once = False
        """The step whose screen was opened over this one; focus moves on from it on return."""

    @property
    def wizard(self) -> CleverWizardApp:
        return cast("CleverWizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home") as home:
            home.can_focus = False  # the step buttons take focus and scroll into view
            yield Static("Student Information System Sync", classes="screen-title")
            yield Static("", id="demo-hint")
            yield Static("", id="home-problem", classes="message -error")
            for step in STEPS:
                yield StepItem(step.number, step.key)
            with Horizontal(id="home-links"):
                yield Static("", id="last-sync")
                yield Button(
                    "Imported Teachers", id="go-teacher-list", compact=True, tooltip="View Imported Teachers (t)"
                )
                yield Button(
                    "Imported Students", id="go-student-list", compact=True, tooltip="View Imported Students (s)"
                )
                yield Button("History", id="go-history", compact=True, tooltip="Imports, syncs and undo (h)")
                yield Button(
                    "Add people", id="go-records", compact=True, tooltip="From a file or by hand, no Clever needed (a)"
                )
        yield KeysFooter(compact=True)

    def on_screen_resume(self) -> None:
        """Shown first, or back from a step: where things stand."""
        self.show_where_things_stand()

    def show_where_things_stand(self) -> None:
        """Re-read the checklist, and ask Clever (in a worker) how its own sync of the
        district stands when the saved word is old. Also called once the roster is read."""
        self.refresh_checklist()
        if self._clever_state_is_stale():
            self.refresh_clever_state()

    def _clever_state_is_stale(self) -> bool:
        checklist = self.checklist
        if self.wizard.sync is None or checklist is None or checklist.item("district").state != "done":
            return False
        state = checklist.clever_district
        read = moment(state.read_at) if state is not None else None
        return read is None or (now() - read).total_seconds() >= REFRESH_AFTER

    @work(exclusive=True, group=CLEVER_STATE_GROUP, exit_on_error=False, description="Ask Clever how it syncs")
    async def refresh_clever_state(self) -> None:
        """Clever's District record, read off the event loop's way (awaited I/O).

        Silent on failure: the saved state stays on the row, marked with its age ("checked 3
        days ago"), which says all the admin needs; any Clever or network problem shows on the
        step that needs Clever.
        """
        sync = self.wizard.sync
        if sync is None:
            return
        try:
            await self.wizard.away_from_screens(sync.refresh_district_state())
        except QUIET_ERRORS:  # information only: the stale row says it is stale
            return
        if self.checklist is not None:
            self.checklist.clever_district = sync.saved_district_state()
            self._show_clever()

    def _show_clever(self) -> None:
        checklist = self.checklist
        line = checklist.clever_line() if checklist is not None else None
        self.query_one("#step-district", StepItem).show_clever(line)

    def on_resize(self, event: events.Resize) -> None:
        """Below 90 columns the palette hint gives its place to Quit and Help in the footer.

        Every step key must stay readable at 80x24; ctrl+p still works and Help lists it.
        """
        self.query_one(KeysFooter).show_command_palette = event.size.width >= 90

    def refresh_checklist(self) -> None:
        """Where things stand, as saved now: at once when the checklist for the roster as it
        is was already built (the usual case: a step builds it after saving, in its thread);
        otherwise built in a thread, the checklist on screen staying until the new one is
        ready. Only the very first look builds it here, so the wizard opens on it."""
        sync = self.wizard.sync
        if sync is None:
            if self.wizard.reading_roster:
                self._show_checklist(None, "", reading=True)
            else:
                self._show_checklist(None, self.wizard.store_problem or "The roster store is not open.")
            return
        try:
            cached = sync.cached_checklist()
        except StoreError as error:
            self._show_checklist(None, str(error))
            return
        if cached is not None:
            self._show_checklist(cached, "")
        elif not self._shown_once:
            self._show_checklist(*self._read_checklist())
            self.wizard.keep_heap()
        else:
            self._checklist_worker()

    def _read_checklist(self) -> tuple[Checklist | None, str]:
        """Re-read the roster (a scheduled sync may have saved while the wizard was open) and
        build the checklist; a store that cannot be read is the sentence shown instead."""
        sync = self.wizard.sync
        if sync is None:
            return None, self.wizard.store_problem or "The roster store is not open."
        try:
            sync.store.refresh()
            return sync.checklist(), ""
        except StoreError as error:
            return None, str(error)

    @work(thread=True, exclusive=True, group="checklist", exit_on_error=False, description="Read the checklist")
    @lets_go
    def _checklist_worker(self) -> None:
        checklist, problem = self._read_checklist()
        self.post_message(OnLoop(partial(self._checklist_read, checklist, problem)))

    @on(OnLoop)
    def _on_loop(self, message: OnLoop) -> None:
        message.then()

    def _checklist_read(self, checklist: Checklist | None, problem: str) -> None:
        if self.app.screen is self:  # else a step is open over it; coming back reads it again
            self._show_checklist(checklist, problem)

    def _show_checklist(self, checklist: Checklist | None, problem_text: str, *, reading: bool = False) -> None:
        """Show where things stand, or the sentence why not; ``reading``: the roster is still
        being read at start-up (a moment, not a problem: the checklist comes next)."""
        before = self._states()
        self._shown_once = not reading
        self.checklist = checklist
        problem = self.query_one("#home-problem", Static)
        problem.update(READING if reading else literal(problem_text))
        problem.set_class(not reading, "-error")
        problem.display = self.checklist is None
        self._show_items()
        came_from, self.came_from = self.came_from, None
        if self.checklist is None:
            self.set_focus(None)  # no step's button is shown: Enter must not open a hidden one
        elif came_from is not None:
            self.focus_after(came_from)
        elif self._states() != before or self.focused is None or self.focused.disabled:
            self.focus_first_action()
        self.wizard.refresh_subtitle()
        self.refresh_bindings()

    def _show_items(self) -> None:
        checklist = self.checklist
        hint = self.query_one("#demo-hint", Static)
        settings = self.wizard.settings
        connected = checklist is not None and checklist.item("district").state == "done"
        hint.display = settings.is_sandbox and checklist is not None and not connected
        if hint.display and settings.demo_district_id is not None:
            hint.update(literal(demo_hint(settings.demo_district_id)))
        for item_widget in self.query(StepItem):
            item_widget.display = checklist is not None
            if checklist is not None:
                item = checklist.item(item_widget.key)
                item_widget.show(item)
        self._show_clever()
        last = self.query_one("#last-sync", Static)
        if checklist is not None:
            last.update(f"Last sync: {when_text(checklist.last_sync) or 'never'}")
        last.display = checklist is not None
        for key in ("teacher-list", "student-list"):
            link = self.query_one(f"#go-{key}", Button)
            link.display = checklist is not None and self.wizard.blocked_reason(key, checklist) is None

    def _states(self) -> tuple[str, ...]:
        return tuple(item.state for item in self.checklist.items) if self.checklist else ()

    def focus_first_action(self) -> None:
        """Put the keyboard on the first step that is not done yet."""
        checklist = self.checklist
        if checklist is None:
            return
        for key in STEP_KEYS:
            item = checklist.item(key)
            button = self.query_one(f"#go-{key}", Button)
            if item.state != "done" and not button.disabled:
                self._focus_still(button)
                return
        self._focus_still(self.query_one("#go-district", Button))

    def _focus_still(self, button: Button) -> None:
        """Focus ``button`` and bring it into view at once, not in an animated scroll: the
        checklist arrives just after the first frame (the roster is read in a thread), and a
        toast shown meanwhile must find the buttons where they will stay."""
        button.focus(scroll_visible=False)
        button.scroll_visible(animate=False)

    def focus_after(self, key: StepKey) -> None:
        """Back from ``key``: Enter should move the admin on, not back to a step just finished.

        Focus the next step after it that is not done (``key`` itself if it was left not
        started), else the first step not started, else the first not done.
        """
        checklist = self.checklist
        if checklist is None:
            return
        index = STEP_KEYS.index(key)
        after = STEP_KEYS[index:] if checklist.item(key).state == "not started" else STEP_KEYS[index + 1 :]
        not_started = [k for k in STEP_KEYS if checklist.item(k).state == "not started"]
        for candidate in [*after, *not_started]:
            button = self.query_one(f"#go-{candidate}")
            if checklist.item(candidate).state != "done" and not button.disabled:
                button.focus()
                return
        self.focus_first_action()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Steps that need an earlier one show dimmed in the footer and do nothing. While the
        roster is read at start-up every step key is taken: the step opens once it is read."""
        if action == "open" and parameters:
            if self.wizard.reading_roster:
                return True
            if parameters[0] == "history":
                return True if self.wizard.sync is not None else None
            key = cast("Destination", parameters[0])
            if self.checklist is None:
                return None
            return None if self.wizard.blocked_reason(key, self.checklist) else True
        return True

    def action_open(self, key: Destination) -> None:
        self.wizard.open_step(key)

    def on_key(self, event: events.Key) -> None:
        """A dimmed step's number (it needs an earlier step) says why instead of doing nothing.

        Only a number whose binding is off gets here: an open step's binding takes its key first."""
        step = next((step for step in STEPS if str(step.number) == event.key), None)
        if step is None or self.wizard.reading_roster:
            return
        if self.wizard.say_if_not_ready(step.key, self.checklist):
            event.stop()

    @on(Button.Pressed, "#go-records")
    def action_records(self) -> None:
        """The platform's own people and courses: reachable before Clever, for a school not on it."""
        from cleverwizard.ui.screens.platform_records import PlatformRecordsScreen

        if self.wizard.sync is not None:
            self.app.push_screen(PlatformRecordsScreen())

    @on(Button.Pressed, "#go-history")
    def _history_pressed(self) -> None:
        self.wizard.open_step("history")

    @on(Button.Pressed, "#go-teacher-list")
    def _teacher_list_pressed(self) -> None:
        self.wizard.open_step("teacher-list")

    @on(Button.Pressed, "#go-student-list")
    def _student_list_pressed(self) -> None:
        self.wizard.open_step("student-list")

    @on(StepItem.Chosen)
    def _step_chosen(self, event: StepItem.Chosen) -> None:
        self.wizard.open_step(event.key)
