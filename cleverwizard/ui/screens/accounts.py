"""View Imported Teachers / Students: the platform's accounts, and editing a login email.

One ``LongTable`` of the accounts of one kind (measured in the thread that sorts them, so
20,000 students show as fast as 20), narrowed by a filter box and by *Only without a login
email* (n) so the people who can't log in can be worked through, students sorted by grade in
school order (or by name). Escape in the filter box clears it; escape
elsewhere goes back to the screen this list was opened from. A login email is edited in a small modal: the
sync layer validates it and checks it is unique, and its refusal is shown in the modal
with the typed text kept. Edited emails are marked "edited" because later imports and
syncs keep them instead of Clever's value; a hand-made account's own login, kept when it was
linked to Clever, is marked "kept from before Clever" (kept the same way, but nobody edited it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Header, Input, Static

from cleverwizard.rules.grades import grade_label, grade_rank
from cleverwizard.rules.names import fold
from cleverwizard.rules.order import account_order
from cleverwizard.service.roster_sync import EmailRejected
from cleverwizard.store.models import Account, Student
from cleverwizard.ui.handoff import Handoff, lets_go
from cleverwizard.ui.literal import literal, literal_cell
from cleverwizard.ui.screens.base import EXPECTED_ERRORS, OnLoop, WizardScreen, explain
from cleverwizard.ui.widgets.keys_footer import KeysFooter
from cleverwizard.ui.widgets.long_table import LongTable
from cleverwizard.ui.widgets.sheet import Cell, Column, Row, Sheet, lay_out
from cleverwizard.ui.widgets.toggles import Tick

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp

Kind = Literal["teacher", "student"]
NO_LOGIN = "(none: can't log in)"
NO_LOGIN_CELL = literal_cell(NO_LOGIN, style="italic")
"""One cell shared by every account without a login (half a school, before emails are
entered): never changed, so 10,000 rows don't each keep a ``Text`` for the collector to walk."""
DEBOUNCE_FROM = 1000
"""Above this many accounts the filter waits for a pause in typing before redrawing."""
STACKED_NAME = 22
"""Width of the name column in the narrow two-line layout."""
STACKED_SPARE = 9
"""The narrow table's width besides its two columns: the screen's padding, cell padding, scrollbar."""


EDITED_MARK = "✎ edited"
KEPT_MARK = "kept from before Clever"


def email_cell(account: Account) -> Text:
    """The login email as the table shows it, marked when syncs keep it over Clever's: edited
    here, or a hand-made account's own login kept when it was linked (nobody edited that)."""
    if not account.email:
        return NO_LOGIN_CELL
    if "email" in account.edited:
        return Text.assemble(literal_cell(account.email), "  ", (EDITED_MARK, "bold"))
    if "email" in account.kept:
        return Text.assemble(literal_cell(account.email), "  ", (KEPT_MARK, "italic"))
    return literal_cell(account.email)


def clever_email_hint(account: Account) -> str:
    """What Clever says about this person's email, as a sentence for the email editor."""
    if not account.clever_id:
        return "Not linked to Clever, so no sync changes this email."
    if not account.clever_email:
        return "Clever has no email for them. Your edit is kept through later imports and syncs."
    return f"Clever has {account.clever_email}. Your edit is kept through later imports and syncs."


def state_text(account: Account) -> str:
    """Link, source and status in a few words, under the login email in the narrow rows."""
    parts = ["linked to Clever" if account.clever_id else "not linked to Clever"]
    if account.source != "clever":
        parts.append("made by hand")
    if account.status != "active":
        parts.append(account.status)
    return " · ".join(parts)


def search_text(account: Account) -> str:
    grade = grade_label(account.grade) if isinstance(account, Student) else ""
    return fold(" ".join(filter(None, [account.full_name, account.email, account.clever_id, account.sis_id, grade])))


class FilterInput(Input):
    """The filter box: escape clears it and hands the keys back to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="clear-filter"),
    ]

    class Cleared(Message):
        """The filter was cleared with escape; the screen moves focus to the table."""

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())


class EmailEditor(ModalScreen[Account | None]):
    """Edit one login email; Save asks the sync layer, whose refusal is shown here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="email-cancel"),
        Binding("ctrl+s", "save", "Save", id="email-save"),
    ]

    def __init__(self, account: Account, save: Callable[[str], Account]) -> None:
        super().__init__(classes="email-editor-screen")
        self.account = account
        self.save = save
        self.saving = False
        """A save is running (in a thread); Save again does nothing until it answers."""

    def compose(self) -> ComposeResult:
        account = self.account
        with Vertical(id="email-editor"):
            yield Static(literal(f"Login email for {account.full_name or '(no name)'}"), id="email-editor-title")
            yield Static(literal(clever_email_hint(account)), id="email-editor-hint")
            yield Input(account.email or "", placeholder="name@school.org", id="email-input")
            yield Static("", id="email-error", classes="message -error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="email-save-button", variant="primary")
                yield Button("Cancel", id="email-cancel-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#email-error", Static).display = False
        self.query_one("#email-input", Input).focus()

    def action_save(self) -> None:
        if not self.saving:
            self.saving = True
            self._save_worker(self.query_one("#email-input", Input).value)

    @work(thread=True, group="email-save", exit_on_error=False, description="Save the login email")
    @lets_go
    def _save_worker(self, typed: str) -> None:
        """In a thread: saving one email still checks it against, and writes, the whole roster."""
        try:
            saved = self.save(typed)
        except EmailRejected as error:
            self.post_message(OnLoop(partial(self._refuse, str(error))))
        except EXPECTED_ERRORS as error:
            self.post_message(OnLoop(partial(self._refuse, explain(error))))
        else:
            cast("CleverWizardApp", self.app).count_checklist()
            self.post_message(OnLoop(partial(self.dismiss, saved)))

    @on(OnLoop)
    def _on_loop(self, message: OnLoop) -> None:
        message.then()

    def _refuse(self, text: str) -> None:
        self.saving = False
        error = self.query_one("#email-error", Static)
        error.update(literal(text))
        error.display = True
        self.query_one("#email-input", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#email-input")
    @on(Button.Pressed, "#email-save-button")
    def _save_requested(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#email-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class AccountsScreen(WizardScreen):
    """The platform's teachers or students, filterable, with *Edit Email*."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("e", "edit_email", "Edit Email", tooltip="Edit the selected account's login email", id="edit-email"),
        Binding("s", "toggle_sort", "Sort", tooltip="Sort by grade or by name", id="toggle-sort"),
        Binding("slash", "focus_filter", "Filter", tooltip="Type to narrow the list", id="focus-filter", priority=True),
        Binding(
            "n",
            "toggle_no_login",
            "Only without login email",
            tooltip="Show only the accounts that can't log in yet",
            id="only-no-login",
        ),
    ]

    def __init__(self, kind: Kind) -> None:
        super().__init__(id=f"{kind}-accounts-screen")
        self.kind: Kind = kind
        self.accounts: dict[int, Account] = {}
        self.read_yet = False
        """Whether the accounts were read: until then the list says so instead of "0 on the platform"."""
        self._keys: dict[int, str] = {}
        """Each account's folded search text, made once so filtering is a substring test."""
        self.by_grade = kind == "student"
        self._debounce: Timer | None = None
        self._filling = 0
        """Counts refills asked for; only the latest one's sorted rows reach the table."""
        self._shown = 0
        """How many accounts the filter shows (the table may still be filling)."""
        self.stacked = False
        """Two lines per person (a narrow terminal): see ``_add_columns``."""

    def release(self) -> None:
        super().release()
        self.accounts, self._keys = {}, {}

    @property
    def noun(self) -> str:
        return f"{self.kind}s"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="step-body"):
            yield Static(f"Imported {self.noun.title()}", classes="screen-title")
            yield Static(f"Reading the {self.noun}…", id="accounts-status", classes="intro")
            with Horizontal(id="accounts-tools"):
                yield FilterInput(
                    placeholder=f"Filter {self.noun} by name, email, Clever id or grade (/)",
                    id="accounts-filter",
                    compact=True,
                )
                yield Tick("Only without a login email (n)", id="only-no-login", compact=True)
            yield LongTable(id="accounts-table")
            with Horizontal(classes="buttons"):
                yield Button("Edit Email", id="edit-email-button", variant="primary")
                yield Button("Back", id="accounts-back", classes="back-button")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._add_columns()
        self.once_drawn(self.load)
        self.query_one(LongTable).focus()

    def on_resize(self) -> None:
        """Crossing the narrow breakpoint changes the columns: lay the table out again (after
        the refresh, once the screen carries its breakpoint class)."""
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        if self.has_class("-narrow") != self.stacked:
            self._add_columns()
            self.refill()

    def _add_columns(self) -> None:
        """One column per fact; below 100 columns (``-narrow``) two columns instead: the name
        (over the grade) beside the login email over the state, wrapped onto more lines
        rather than cut, so all three are read in 80 columns without scrolling sideways."""
        table = self.query_one(LongTable)
        self.stacked = self.has_class("-narrow")
        if self.stacked:
            email_width = max(24, self.size.width - STACKED_NAME - STACKED_SPARE)
            table.set_columns(
                [Column("name", "Name", STACKED_NAME), Column("email", "Login email · state", email_width)]
            )
            return
        grade = [Column("grade", "Grade")] if self.kind == "student" else []
        table.set_columns(
            [
                Column("name", "Name"),
                *grade,
                Column("email", "Login email"),
                Column("clever", "Clever"),
                Column("source", "Source"),
                Column("status", "Status"),
            ]
        )

    def load(self) -> None:
        """Read the accounts (through the sync layer, in a thread) and show them."""
        self._read_worker()

    @work(thread=True, exclusive=True, group="accounts-read", exit_on_error=False, description="Read the accounts")
    @lets_go
    def _read_worker(self) -> None:
        """A school's worth of accounts is read and validated off the event loop."""
        try:
            people = self.sync.people(self.kind)
        except EXPECTED_ERRORS as error:
            self.later(self._read_failed, explain(error))
            return
        keys = {account.id: search_text(account) for account in people}
        self.later(self._read, {account.id: account for account in people}, keys)

    def _read_failed(self, text: str) -> None:
        self.query_one("#accounts-status", Static).update(literal(text))

    def _read(self, accounts: dict[int, Account], keys: dict[int, str]) -> None:
        self.accounts, self._keys = accounts, keys
        self.read_yet = True
        self.refill()

    def refill(self, cursor_row: int | None = None) -> None:
        """Filter, sort and measure (in a thread: 20,000 names take a while), then show them.

        ``cursor_row``: where to put the cursor once filled (kept within the table)."""
        if not self.read_yet:
            return  # a resize or a filter typed before the read: the read fills the table itself
        words = fold(self.query_one("#accounts-filter", Input).value).split()
        no_login = self.query_one("#only-no-login", Checkbox).value
        self._filling += 1
        columns = self.query_one(LongTable).columns
        everyone = list(self.accounts.values())
        self._order_worker(self._filling, Handoff(everyone), words, no_login, self.by_grade, columns, cursor_row)

    @work(thread=True, group="accounts-order", exit_on_error=False, description="Sort the accounts")
    @lets_go
    def _order_worker(
        self,
        filling: int,
        handoff: Handoff[list[Account]],
        words: list[str],
        no_login: bool,
        by_grade: bool,
        columns: tuple[Column, ...],
        cursor_row: int | None,
    ) -> None:
        shown = self._ordered(handoff.take(), words, no_login, by_grade)
        rows: list[Row] = [(self._cells(account), str(account.id)) for account in shown]
        sheet = lay_out(columns, rows, wrap=self.stacked)  # narrow: wrapped, as tall as needed
        self.later(self._ordered_ready, filling, sheet, cursor_row)

    def _ordered_ready(self, filling: int, sheet: Sheet, cursor_row: int | None) -> None:
        if filling != self._filling:
            return  # a newer filter, sort or layout was asked for meanwhile: its result is shown instead
        self.query_one(LongTable).show(sheet, cursor_row)
        self._shown = sheet.row_count
        self._show_status(sheet.row_count)

    def _ordered(self, everyone: list[Account], words: list[str], no_login: bool, by_grade: bool) -> list[Account]:
        shown = [a for a in everyone if all(w in self._keys[a.id] for w in words)] if words else everyone
        if no_login:
            shown = [a for a in shown if not a.email]
        if by_grade:
            return sorted(shown, key=lambda a: (grade_rank(getattr(a, "grade", None)), account_order(a)))
        return sorted(shown, key=account_order)

    def _cells(self, account: Account) -> tuple[Cell, ...]:
        """One row; plain values stay ``str`` (the table shows them literally) and the row a
        tuple: 20,000 rows of ``Text`` in lists cost the sorting thread half a second more and
        give the garbage collector twice the objects to walk."""
        if self.stacked:
            name = literal_cell(account.full_name or "(no name)")
            if isinstance(account, Student):
                name.append("\n")
                name.append(literal_cell(grade_label(account.grade), style="dim"))
            login = Text.assemble(email_cell(account), "\n", literal_cell(state_text(account), style="dim"))
            return (name, login)  # assembled: the email's own style (italic "none") stays on its line
        email, marked = account.email, "email" in account.edited or "email" in account.kept
        grade = (grade_label(account.grade),) if isinstance(account, Student) else ()
        return (
            account.full_name or "(no name)",
            *grade,
            email if email and not marked else email_cell(account),
            "linked" if account.clever_id else "not linked",
            "Clever" if account.source == "clever" else "made by hand",
            account.status,
        )

    def _show_status(self, shown: int) -> None:
        total = len(self.accounts)
        no_login = sum(1 for a in self.accounts.values() if not a.email)
        parts = [f"{total} {self.noun} on the platform"]
        if shown != total:
            parts.append(f"{shown} shown")
        if no_login:
            parts.append(f"{no_login} can't log in (no email)")
        if self.query_one("#only-no-login", Checkbox).value:
            parts.append("only those without a login email")
        sort = "by grade, then last name" if self.by_grade else "by last name"
        self.query_one("#accounts-status", Static).update(
            ", ".join(parts) + f". Sorted {sort}. Select a row and press e (or Enter) to edit a login email."
        )

    @on(Input.Changed, "#accounts-filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if len(self.accounts) > DEBOUNCE_FROM:
            self._debounce = self.set_timer(0.2, self.refill)
        else:
            self.refill()

    @on(Input.Submitted, "#accounts-filter")
    @on(FilterInput.Cleared)
    def _filter_done(self) -> None:
        self.query_one(LongTable).focus()

    def action_toggle_no_login(self) -> None:
        box = self.query_one("#only-no-login", Checkbox)
        box.value = not box.value

    @on(Checkbox.Changed, "#only-no-login")
    def _no_login_changed(self) -> None:
        self.refill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_sort":
            return self.kind == "student"
        if action == "focus_filter":
            return not isinstance(self.focused, Input)  # a field being typed in takes its "/"
        return True

    def action_toggle_sort(self) -> None:
        self.by_grade = not self.by_grade
        self.refill()

    def action_focus_filter(self) -> None:
        """At once, not after the keys already typed: "/" is a priority binding, run as the
        app reads the key, so "/zara" typed while the list opens puts "zara" in the filter
        (``Widget.focus`` would move the focus after those keys reached the table)."""
        self.set_focus(self.query_one("#accounts-filter", Input))

    def selected(self) -> Account | None:
        key = self.query_one(LongTable).cursor_key
        return self.accounts.get(int(key)) if key is not None else None

    def action_edit_email(self) -> None:
        account = self.selected()
        if account is None:
            self.notify("No account selected.", severity="warning")
            return

        def save(email: str) -> Account:
            return self.sync.set_login_email(self.kind, account.id, email)

        self.app.push_screen(EmailEditor(account, save), callback=self._email_saved)

    @on(LongTable.RowSelected, "#accounts-table")
    @on(Button.Pressed, "#edit-email-button")
    def _edit_requested(self) -> None:
        self.action_edit_email()

    def _email_saved(self, account: Account | None) -> None:
        if account is None:
            return
        self.accounts[account.id] = account
        self._keys[account.id] = search_text(account)
        table = self.query_one(LongTable)
        if self.query_one("#only-no-login", Checkbox).value:
            self.refill(cursor_row=table.cursor_row)  # the account now has an email, so it leaves this list
        else:
            try:
                table.update_row(str(account.id), self._cells(account))
            except KeyError:
                self.refill()
            self._show_status(self._shown)
        self.notify(
            f"{account.full_name}'s login email is now {account.email}. Later syncs keep it.",
            title="Login email saved",
        )
