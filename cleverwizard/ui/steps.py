"""Where the wizard goes: each step's screen, beside the core registry of steps.

``service/steps.py`` says which steps there are, in what order and what each needs first;
this table adds only what the wizard needs to show one: its screen (imported when first
opened, so Notifications starts without loading every step) and its paragraph in Help.
The app's ``open_step``, the Notifications checklist and its number keys, the command
palette and Help all read these two tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple

from textual.screen import Screen

from cleverwizard.service.steps import STEPS, StepKey

ImportedList = Literal["teacher-list", "student-list"]
"""The imported teachers or students (View Imported …, where login emails are edited)."""
Destination = StepKey | ImportedList | Literal["home", "history", "help"]
"""Anywhere ``CleverWizardApp.open_step`` can go: a step, a list, or Notifications, History, Help."""

LISTS: dict[ImportedList, tuple[StepKey, str]] = {
    "teacher-list": ("teachers", "View Imported Teachers"),
    "student-list": ("students", "View Imported Students"),
}
"""Each list, the import step it needs first, and its name."""


class StepScreen(NamedTuple):
    """A step as the wizard shows it."""

    screen: Callable[[], Screen[None]]
    help: str
    """What the step does, for Help (Markdown)."""


def _connect() -> Screen[None]:
    from cleverwizard.ui.screens.connect import ConnectScreen

    return ConnectScreen()


def _school() -> Screen[None]:
    from cleverwizard.ui.screens.school import SchoolScreen

    return SchoolScreen()


def _teachers() -> Screen[None]:
    from cleverwizard.ui.screens.teachers import TeachersScreen

    return TeachersScreen()


def _students() -> Screen[None]:
    from cleverwizard.ui.screens.students import StudentsScreen

    return StudentsScreen()


def _sections() -> Screen[None]:
    from cleverwizard.ui.screens.sections import SectionsScreen

    return SectionsScreen()


def list_screen(key: ImportedList) -> Screen[None]:
    from cleverwizard.ui.screens.accounts import AccountsScreen

    return AccountsScreen("teacher" if key == "teacher-list" else "student")


def history_screen() -> Screen[None]:
    from cleverwizard.ui.screens.history import HistoryScreen

    return HistoryScreen()


STEP_SCREENS: dict[StepKey, StepScreen] = {
    "district": StepScreen(
        _connect,
        "pick the district from the app's list, or type its Clever id (and\n"
        "   the district token when there are no app credentials). The wizard checks it with\n"
        "   Clever before saving it; its row then says how Clever's own SIS sync stands.",
    ),
    "school": StepScreen(
        _school,
        "one Clever school connects to this site. For another school, run\n"
        "   the wizard for that site with its own data folder (`--data-dir`).",
    ),
    "teachers": StepScreen(
        _teachers,
        "*Import Teachers* fetches Clever's teachers; choose the match for each\n"
        "   platform teacher, then *Import*. *View Imported Teachers* lets you fix login emails.",
    ),
    "students": StepScreen(
        _students,
        "*Import Students* fetches Clever's students and shows them by grade;\n"
        "   students without an email can't log in until one is entered. *Import*, then\n"
        "   *View Imported Students* to enter emails.",
    ),
    "sections": StepScreen(
        _sections,
        "*Import Sections* fetches Clever's sections (classes); choose each one's\n"
        "   platform course (our suggestion is pre-selected and says why, or *not in the list*),\n"
        "   then *Import*. Sections whose teacher or students are not imported yet are flagged.",
    ),
}
assert tuple(STEP_SCREENS) == tuple(step.key for step in STEPS), "one screen per step, in the steps' order"


def import_step_screens() -> None:
    """Import every step's screen now, from a thread, once Notifications is drawn.

    Imported when first opened, a screen's modules (and the Textual widgets they use) took
    40-70 ms on the event loop, in the same moment as the screen's own first layout: the
    longest stall of opening Students. A thread imports them while the person reads the
    checklist (Python's import lock makes a step opened meanwhile wait for its module).
    """
    import cleverwizard.ui.screens.accounts
    import cleverwizard.ui.screens.connect
    import cleverwizard.ui.screens.history
    import cleverwizard.ui.screens.school
    import cleverwizard.ui.screens.sections
    import cleverwizard.ui.screens.students
    import cleverwizard.ui.screens.teachers  # noqa: F401


def help_steps() -> str:
    """Help's numbered list of the steps, in order."""
    return "\n".join(f"{step.number}. **{step.name}** – {STEP_SCREENS[step.key].help}" for step in STEPS)
