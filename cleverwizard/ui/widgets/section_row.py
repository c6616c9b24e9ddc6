"""One Clever section in the Sections preview: what it is, its *Platform Course* dropdown, why.

``MatchSelect`` is built around Clever teachers (a ``MatchBook`` searched by name, email and
SIS id, keyed by platform account), so it does not fit courses without a rewrite. A school's
course catalogue is short, so Textual's ``Select`` (which searches as you type) does the job
in the same order as the teacher dropdown: our ranked candidates with their reason first,
then *This course is not in the list*, then every other course by name.

Prompts are Rich ``Text``, not ``Content``: Select's type-to-search only reads ``Text`` and
``str`` prompts, and every prompt starts with the course name so typing a name's first
letters jumps to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Select, Static

from cleverwizard.rules.courses import CourseCandidate, SectionMatchRow, course_label
from cleverwizard.store.models import Course
from cleverwizard.text import one_line
from cleverwizard.ui.literal import literal
from cleverwizard.ui.widgets.choice_note import choice_note

NOT_IN_LIST = -1
"""Dropdown value of *This course is not in the list* (platform course ids start at 1)."""
NOT_IN_LIST_LABEL = "This course is not in the list"
LIST_HEIGHT = 8
"""Courses the open list shows at once when the terminal has room (type to jump further)."""


def course_reason(candidate: CourseCandidate) -> str:
    """Why a course is suggested, as the preview says it: "similar name 72%"."""
    if candidate.reason == "similar name":
        return f"similar name {candidate.score}%"
    return candidate.reason


def _one_line(*parts: str | tuple[str, str]) -> Text:
    """An option prompt that never wraps: too long for the list, it ends in "…"."""
    safe = [one_line(part) if isinstance(part, str) else (one_line(part[0]), part[1]) for part in parts]
    return Text.assemble(*safe, no_wrap=True, overflow="ellipsis", end="")


def course_options(row: SectionMatchRow, courses: Sequence[Course]) -> list[tuple[Text, int]]:
    """Candidates (with why) first, then *not in the list*, then the rest of the catalogue."""
    by_id = {course.id: course for course in courses}
    options: list[tuple[Text, int]] = []
    for candidate in row.candidates:
        course = by_id.get(candidate.course_id)
        if course is not None:
            options.append((_one_line(course_label(course), "  ", (course_reason(candidate), "bold")), course.id))
    options.append((_one_line((NOT_IN_LIST_LABEL, "italic")), NOT_IN_LIST))
    listed = {candidate.course_id for candidate in row.candidates}
    options += [(_one_line(course_label(c)), c.id) for c in courses if c.id not in listed]
    return options


def course_note(row: SectionMatchRow, value: int | None) -> Content:
    """The words under a dropdown: why this course is there (suggestion, saved, yours)."""
    candidate = next((c for c in row.candidates if c.course_id == value), None)
    reason = course_reason(candidate) if candidate is not None else None
    return choice_note(row, value, reason, saved="Saved choice", nothing_similar="No similar platform course found")


class CourseSelect(Select[int]):
    """A section's course dropdown where ↓ and ↑ move between sections, as on Teachers.

    Textual's ``Select`` opens its list on ↓ and ↑ too; then ↓ ↓ Enter, meant as "two rows
    down", chose the next course for this section. Enter and Space open the list.
    """

    BINDINGS = [
        Binding("down", "app.focus_next", "Next section", show=False),
        Binding("up", "app.focus_previous", "Previous section", show=False),
    ]


class SectionRow(Widget):
    """A Clever section (name, period, term, teacher, students) beside its course dropdown.

    The open list is placed below the whole row, or above it when there is more room there,
    and shortened to the room (``_place_list``), so it never covers its own row. Below 100
    columns the parts stack (``Screen.-narrow`` in app.tcss) so the teacher's name is not
    cut off.
    """

    DEFAULT_CSS = """
    SectionRow {
        layout: grid;
        grid-size: 2 3;
        grid-columns: 1fr 1fr;
        grid-rows: 1 1 auto;
        height: auto;
        padding: 0 1;
        border-bottom: hkey $panel-lighten-1;
        & > .section-who { row-span: 2; padding-right: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        & > Select { height: 1; }
        & > Select > SelectCurrent { border: none; height: 1; padding: 0 1; background: $boost; }
        & > Select:focus > SelectCurrent { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > Select.course-select > SelectOverlay {
            width: 100%;
            min-width: 44;
            max-height: 10;
            constrain: inside none;
            border: round $primary !important;
            padding: 0 !important;
            margin: 0;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & > .course-note { text-wrap: nowrap; text-overflow: ellipsis; }
        & > .section-flag { column-span: 2; height: auto; display: none; }
        &.-flagged > .section-flag { display: block; }
        &.-flagged { background: $warning 8%; }
    }
    """

    def __init__(
        self, row: SectionMatchRow, courses: Sequence[Course], value: int | None, who: Content, index: int
    ) -> None:
        super().__init__(id=f"section-row-{index}")
        self.row = row
        self.courses = courses
        self.value = value
        self.who = who

    @property
    def clever_id(self) -> str:
        return self.row.section.id

    def compose(self) -> ComposeResult:
        yield Static(self.who, classes="section-who")
        yield CourseSelect(
            course_options(self.row, self.courses),
            value=NOT_IN_LIST if self.value is None else self.value,
            allow_blank=False,
            compact=True,
            classes="course-select",
        )
        yield Static(course_note(self.row, self.value), classes="course-note")
        yield Static("", classes="section-flag")

    @property
    def select(self) -> Select[int]:
        return self.query_one(Select)

    def on_mount(self) -> None:
        self.watch(self.select, "expanded", self._place_list, init=False)

    def _place_list(self, expanded: bool) -> None:
        """Open the list below the row (or above it), never over the section it is for."""
        if not expanded:
            return
        select = self.select
        overlay = select.query_one("SelectOverlay", OptionList)  # by CSS type: the class is not exported
        row, screen = self.region, self.screen.size
        room_below = screen.height - 1 - row.bottom  # the footer's line stays free
        room_above = row.y
        wanted = min(overlay.option_count, LIST_HEIGHT) + 2  # and its border
        opens_below = room_below >= wanted or room_below >= room_above
        room = max(3, room_below if opens_below else room_above)
        height = min(wanted, room)
        overlay.styles.max_height = height
        natural = select.region.y + 1  # where Select lays its list out: under its current value
        top = row.bottom if opens_below else row.y - height
        overlay.styles.offset = (0, top - natural)

    def show_state(self, value: int | None, problem: str | None) -> None:
        """Redraw the note and the flag line after a choice or a re-plan."""
        self.value = value
        self.query_one(".course-note", Static).update(course_note(self.row, value))
        self.set_class(problem is not None, "-flagged")
        if problem is not None:
            self.query_one(".section-flag", Static).update(
                Content.assemble(("! Flagged: ", "bold $text-warning"), literal(problem, "$text-warning"))
            )
