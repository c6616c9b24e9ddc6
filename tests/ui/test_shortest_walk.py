"""From a fresh demo to "students imported" with the fewest keys a first-time user needs.

Every key is pressed through the pilot and counted; waiting for Clever is not a key. The
district is picked from the list (the sandbox app's one district), the school is the one
the demo's platform teachers come from (preselected, Enter confirms), every teacher whose
match is exact is already chosen, and each Import asks once (``y``).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from cleverwizard.config import Settings
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.accounts import AccountsScreen
from cleverwizard.ui.screens.confirm import Confirm
from cleverwizard.ui.screens.connect import ConnectScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.screens.school import SchoolScreen
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.screens.teachers import TeachersScreen
from tests.ui.walk import SIZE, AppFactory, open_store, settle

MOST_KEYS = 20


class Keys:
    """Presses one key at a time, lets the app (and its workers) finish, and counts."""

    def __init__(self, app: CleverWizardApp, pilot: Pilot[Any]) -> None:
        self.app = app
        self.pilot = pilot
        self.pressed: list[str] = []

    async def press(self, key: str, *, to: type[object]) -> None:
        await self.pilot.press(key)
        self.pressed.append(key)
        await settle(self.app, self.pilot)
        assert isinstance(self.app.screen, to), (self.pressed, self.app.screen)


async def test_a_first_time_user_imports_students_in_at_most_20_keys(
    make_app: AppFactory, demo_settings: Settings
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = Keys(app, pilot)
        await keys.press("enter", to=ConnectScreen)  # Connect your District is focused
        await keys.press("enter", to=ConnectScreen)  # the district list: the demo's district
        await keys.press("enter", to=SchoolScreen)  # Select your School is focused once connected
        await keys.press("enter", to=NotificationsScreen)  # the demo's school is preselected
        await keys.press("enter", to=TeachersScreen)  # focus moved on to Teachers
        await keys.press("i", to=TeachersScreen)  # fetch: the preview, exact matches chosen
        screen = app.screen
        assert isinstance(screen, TeachersScreen) and screen.stage == "preview"
        exact = [row for row in screen.rows if row.suggestion is not None and row.suggestion.confident]
        assert exact and all(screen.choices[row.account.id] == row.suggested for row in exact)
        await keys.press("i", to=Confirm)  # Import asks once
        await keys.press("y", to=TeachersScreen)
        assert screen.stage == "done"
        await keys.press("escape", to=NotificationsScreen)
        await keys.press("enter", to=StudentsScreen)  # focus moved on to Students
        await keys.press("i", to=StudentsScreen)
        await keys.press("i", to=Confirm)
        await keys.press("y", to=StudentsScreen)
        students = app.screen
        assert isinstance(students, StudentsScreen) and students.stage == "done"
        assert str(students.query_one("#imported-message").render()).startswith("Imported ")
        assert len(keys.pressed) <= MOST_KEYS, keys.pressed
        print(f"{len(keys.pressed)} keys: {' '.join(keys.pressed)}")
        await keys.press("v", to=AccountsScreen)  # and the list is one key away
    with open_store(demo_settings) as store:
        assert store.meta().teachers_imported_at and store.meta().students_imported_at
