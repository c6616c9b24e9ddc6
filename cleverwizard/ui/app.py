"""The wizard: one App that owns the roster store and the ``RosterSync`` every screen uses.

Screens reach the service as ``self.app.sync`` (typed via ``WizardScreen.wizard``) and
move between steps with ``self.app.open_step(key)``. Notifications is the default screen,
so it is always at the bottom of the stack and every step returns to it. Nothing is
written except by a step's explicit action (Connect, Confirm, Import, Save), so quitting at
any moment loses nothing that was saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Coroutine
from typing import Any, ClassVar, TypeVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerState

from cleverwizard.bulk import paused_gc
from cleverwizard.config import Settings
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.service.status import Checklist
from cleverwizard.service.steps import STEP_KEYS
from cleverwizard.store import RosterStore
from cleverwizard.store.errors import StoreError
from cleverwizard.text import one_line
from cleverwizard.ui.commands import WizardCommands
from cleverwizard.ui.heap import IdleCollector
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.steps import LISTS, STEP_SCREENS, Destination, history_screen, import_step_screens, list_screen

__all__ = ["CleverWizardApp", "Destination"]

T = TypeVar("T")


class CleverWizardApp(App[None]):
    """The Clever setup wizard on one data folder."""

    TITLE = "cleverwizard"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {WizardCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Below 100 columns (80x24 is the smallest we design for) rows stack their columns, so
    the evidence for a decision (both emails of a match) is never cut off."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    """Below 30 lines buttons lose their 3-line frame and margins shrink, so a preview keeps
    room for its rows."""
    NOTIFICATION_TIMEOUT: ClassVar[float] = 4
    """Routine notices go quickly; failures pass ``timeout=10`` so they can be read."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit the wizard (ctrl+q works everywhere).", id="quit-q"),
        Binding("f1", "help", "Help", tooltip="The steps and the keys.", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-question"),
    ]

    def __init__(self, settings: Settings, *, link: CleverLink | None = None, store: RosterStore | None = None) -> None:
        """``link`` is how the service reaches Clever (``wiring.build_app`` chooses it);
        a ``store`` handed in stays its owner's to close."""
        super().__init__()
        self.settings = settings
        self.link = link
        self.store: RosterStore | None = store
        self._owns_store = store is None
        self.sync: RosterSync | None = None
        """The service every screen calls; ``None`` only when the store could not be opened."""
        self.store_problem: str | None = None
        """Why the store could not be opened, shown instead of the checklist."""
        self._plain_context = contextvars.copy_context()
        """The context the app was made in: it refers to no worker and no screen."""
        self._asked_for: Destination | None = None
        """A step asked for while the roster was being read, opened once it is."""
        self.heap = IdleCollector()
        """Full garbage collections only while the person pauses (see ``ui/heap.py``)."""

    def on_load(self) -> None:
        """A store handed in (tests) is ready at once; otherwise the roster is read in a
        thread once the first screen shows (``on_ready``)."""
        if self.store is not None:
            self.sync = RosterSync(self.settings, self.store, link=self.link, started_by="wizard")
            self.keep_heap()

    @property
    def reading_roster(self) -> bool:
        """The roster is still being read: no step can open yet, and that is not a problem."""
        return self.sync is None and self.store_problem is None

    @work(thread=True, exclusive=True, group="open-roster", exit_on_error=False, description="Read the roster")
    def _open_roster(self) -> None:
        """Read and check roster.json and build the first checklist off the event loop: at
        20,000 students that is a third of a second the wizard would otherwise stand still,
        before it has drawn anything. A roster that cannot be read is one sentence on the
        problem screen."""
        try:
            with paused_gc():  # frozen below before the collector ever walks the roster's documents
                store = RosterStore.open(self.settings.data_dir)
                sync = RosterSync(self.settings, store, link=self.link, started_by="wizard")
                with contextlib.suppress(StoreError):  # Notifications reads it again and says why
                    sync.checklist()  # kept per roster state: Notifications finds it ready
                self.heap.freeze()
        except (StoreError, OSError) as error:
            with contextlib.suppress(RuntimeError):  # the wizard was closed meanwhile
                self.call_from_thread(self._roster_failed, str(error))
            return
        try:
            self.call_from_thread(self._roster_ready, store, sync)
        except RuntimeError:  # the wizard was closed while the roster was read
            store.close()

    def _roster_ready(self, store: RosterStore, sync: RosterSync) -> None:
        self.store, self.sync = store, sync
        self.keep_heap()
        self.refresh_subtitle()
        home = self.screen_stack[0]
        if isinstance(home, NotificationsScreen):
            home.show_where_things_stand()
        asked_for, self._asked_for = self._asked_for, None
        if asked_for is not None:
            self.open_step(asked_for)
        self.call_after_refresh(self._import_screens)

    @work(thread=True, group="import-screens", exit_on_error=False, description="Load the step screens")
    def _import_screens(self) -> None:
        """The step screens' code, loaded while the checklist is read (``import_step_screens``)."""
        import_step_screens()

    def _roster_failed(self, problem: str) -> None:
        from cleverwizard.ui.screens.problem import ProblemScreen

        self.store_problem = problem
        home = self.screen_stack[0]
        if isinstance(home, NotificationsScreen):
            home.refresh_checklist()
        self.push_screen(ProblemScreen("The roster cannot be opened", problem))

    async def away_from_screens(self, talk: Coroutine[Any, Any, T]) -> T:
        """Await ``talk`` (Clever I/O from an async worker) in a task whose context refers to
        no worker and no screen.

        Every time limit of a request leaves a cancelled timer in the event loop until its
        deadline (asyncio drops them lazily), each holding the context it was made in. Made in
        a worker's, those timers kept the worker, its screen and a whole preview alive for up
        to two minutes after the screen closed. Cancelling the worker cancels ``talk`` too.
        """
        return await asyncio.create_task(talk, context=self._plain_context.copy())

    def keep_heap(self) -> None:
        """Exempt everything alive now (the roster just read, Textual, the first screen) from
        garbage collection passes: they live as long as the wizard does. The first call also
        keeps full passes for idle moments (``ui/heap.py``)."""
        if self.heap.running:
            self.heap.freeze()
        else:
            self.heap.start()

    async def on_event(self, event: events.Event) -> None:
        """Note each key and click, so a full collection never starts while someone works."""
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp):
            self.heap.noticed_input()
        await super().on_event(event)

    def collect_if_idle(self) -> None:
        """Every half second: a full collection if the person pauses (``ui/heap.py``); after one
        at Notifications with nothing passing (no step, no toast), what survived it lives as long
        as the wizard (Notifications, its drawn lines, the roster) and is frozen out of the next."""
        busy = any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in self.workers)
        if self.heap.collect_if_idle(busy=busy) and self.settled_at_home():
            self.heap.freeze()

    def settled_at_home(self) -> bool:
        """Only Notifications is open and nothing on it is about to go (a toast times out): what
        is alive now is not about to become garbage (``IdleCollector.freeze``)."""
        return len(self.screen_stack) == 1 and not self.screen.query("Toast")

    def get_default_screen(self) -> Screen[None]:
        return NotificationsScreen()

    def on_mount(self) -> None:
        self.refresh_subtitle()
        self.set_interval(0.5, self.collect_if_idle)

    def on_ready(self) -> None:
        """The first screen is up (saying it reads the roster): read it now. Started any
        earlier, a quick failure's problem screen went under the first screen."""
        if self.store is None:
            self._open_roster()

    def on_unmount(self) -> None:
        self.heap.stop()
        self.close_store()

    def close_store(self) -> None:
        """Close a store this app opened (a store handed in by a test stays the test's)."""
        if self._owns_store and self.store is not None:
            self.store.close()

    def refresh_subtitle(self) -> None:
        """District and school in the header, so every screen says where it is working."""
        site = self.store.site() if self.store is not None and self.sync is not None else None
        if self.reading_roster:
            where = "reading the roster…"
        elif site is None:
            where = "not connected to Clever"
        elif site.school_name:
            where = f"{site.district_name} · {site.school_name}"
        else:
            where = site.district_name
        self.sub_title = one_line(f"Demo · {where}" if self.settings.is_sandbox else where)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, from any screen or worker, is literal and on one line: toasts carry
        Clever's names and error messages, and Textual would read them as markup. ``markup``
        is accepted (screens pass it through) and ignored."""
        super().notify(one_line(message), title=one_line(title), severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from cleverwizard.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def checklist(self) -> Checklist | None:
        """Where the site stands now, or ``None`` when the store cannot be read."""
        if self.sync is None:
            return None
        try:
            return self.sync.checklist()
        except StoreError:
            return None

    def count_checklist(self) -> None:
        """From a thread that just saved: build the checklist now (it is kept per roster
        state), so Notifications and the step keys find it ready. A store that cannot be
        read is left for the checklist's own reader to report."""
        self.checklist()

    def blocked_reason(self, key: Destination, checklist: Checklist | None = None) -> str | None:
        """Why a step cannot be opened yet, in the checklist's words; ``None`` if it can.

        Pass a ``checklist`` already read when asking about several steps: building one
        reads every account, which adds up with thousands of students.
        """
        if key == "home" or key == "help":
            return None
        if self.reading_roster:
            return "The roster is still being read: a moment."
        if key == "history":
            return None if self.sync is not None else self.store_problem or "The roster store cannot be read."
        checklist = checklist or self.checklist()
        if checklist is None:
            return self.store_problem or "The roster store cannot be read."
        if key == "teacher-list" or key == "student-list":
            step, name = LISTS[key]
            imported = checklist.item(step).when is not None
            return None if imported else f"{name} needs Import {step.capitalize()} first."
        item = checklist.item(key)
        return f"{item.title} needs {item.needs} first." if item.needs else None

    def say_if_not_ready(self, key: Destination, checklist: Checklist | None = None) -> bool:
        """If ``key`` cannot open yet, say why ("Not yet", in the checklist's words); say whether it did."""
        reason = self.blocked_reason(key, checklist)
        if reason is not None:
            self.notify(reason, title="Not yet", severity="warning")
        return reason is not None

    def open_step(self, key: Destination) -> None:
        """Go to a step from anywhere: back to Notifications, then that step's screen.

        A step asked for while the roster is still being read opens as soon as it is read
        (a key typed ahead at start-up is not lost)."""
        if self.reading_roster and key not in ("home", "help"):
            self._asked_for = key
            return
        if self.say_if_not_ready(key):
            return
        if key == "help":
            self.action_help()
            return
        home = self.screen_stack[0]
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if key == "home":
            return
        if key in STEP_KEYS and isinstance(home, NotificationsScreen):
            home.came_from = key  # back on Notifications, focus moves on from this step
        if key == "teacher-list" or key == "student-list":
            self.push_screen(list_screen(key))
        elif key == "history":
            self.push_screen(history_screen())
        else:
            self.push_screen(STEP_SCREENS[key].screen())
