"""*Possibly the same person*: Clever records that may be someone whose Clever id is gone.

Clever sometimes gives a person a new id. With the same SIS id the import follows it by
itself; with only the same email or name it is a guess, so the preview asks, one tick per
record: ticked, the person keeps their account (and its history) under the new id; left
empty, the record gets a new account as usual (``SamePerson.suggested`` says which start
ticked; the administrator decides). The Students preview lists every offer; the Teachers
preview, whose dropdowns offer look-alike records, lists only second accounts a sync made
for a teacher it archived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Static

from cleverwizard.people.plan import SamePerson
from cleverwizard.text import one_line
from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.toggles import Tick


def same_person_label(same: SamePerson) -> str:
    """One tick's words, the evidence first so a narrow screen cuts the names, not the why."""
    who = f"account {same.account_id} ({same.account_name}) is Clever's new {same.clever_name}"
    if same.twin_id is None:
        return one_line(f"Same {same.alike_by}: {who}")
    return one_line(f"Same {same.alike_by}; archives account {same.twin_id}, made by a sync: {who}")


class SamePeople(Vertical):
    """The ticks, hidden when no record looks like anyone whose Clever id is gone; a long
    list scrolls under its title (app.tcss caps its height) so the grades stay in sight."""

    class Changed(Message):
        """The administrator ticked or cleared one: Clever id -> chosen account, as now."""

        def __init__(self, chosen: dict[str, int]) -> None:
            super().__init__()
            self.chosen = chosen

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="same-people")
        self.people: list[SamePerson] = []
        self.display = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="same-people-title")
        yield VerticalScroll(id="same-people-ticks")

    async def show(self, people: Sequence[SamePerson], chosen: Mapping[str, int]) -> None:
        """Replace the ticks with one per record (``chosen``: which are ticked)."""
        self.people = list(people)
        await self.query(Tick).remove()
        self.display = bool(self.people)
        if not self.people:
            return
        count = len(self.people)
        self.query_one(".same-people-title", Static).update(
            f"⚠ Possibly the same person ({count}), under a new Clever id: "
            "ticked keeps their account, empty makes a new one."
        )
        await self.query_one("#same-people-ticks").mount_all(
            Tick(
                literal(same_person_label(same)),
                value=chosen.get(same.clever_id) == same.account_id,
                id=f"same-person-{index}",
                compact=True,
            )
            for index, same in enumerate(self.people)
        )

    def chosen(self) -> dict[str, int]:
        return {
            same.clever_id: same.account_id
            for index, same in enumerate(self.people)
            if self.query_one(f"#same-person-{index}", Tick).value
        }

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self.chosen()))
