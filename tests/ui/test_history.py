"""Pilot tests of History: runs newest first, a run's details, and *Undo this run*.

The runs are made through the service (teachers, students, then sections), so the test is
about the History screen: what it lists, and that an undo it starts really reverts the store.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store import RosterStore
from cleverwizard.sync.service import RosterSync
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.history import ConfirmUndo, HistoryScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from tests.ui.test_sections import people_imported
from tests.ui.walk import open_store, settle

AppFactory = Callable[..., CleverWizardApp]
SIZE = (100, 32)


async def three_runs(settings: Settings, district: SandboxDistrict) -> None:
    """Teachers, students and sections imported: runs 1, 2 and 3."""
    await people_imported(settings, district)
    store = RosterStore.open(settings.data_dir)
    try:
        sync = RosterSync(settings, store)
        sync.apply_sections(sync.plan_sections(await sync.fetch_sections()))
    finally:
        store.close()


async def test_history_lists_runs_and_undoes_the_latest(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await three_runs(demo_settings, district)
    with open_store(demo_settings) as store:
        assert len(store.sections()) > 0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#runs", DataTable)
        kinds = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert kinds == ["import sections", "import students", "import teachers"]
        details = str(screen.query_one("#run-details-text", Static).content)
        assert details.startswith("Run 3: import sections")

        await pilot.press("down")
        await pilot.pause()
        assert "Run 2: import students" in str(screen.query_one("#run-details-text", Static).content)
        await pilot.press("up")
        await pilot.pause()

        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmUndo)
        await pilot.click("#undo-yes")
        await settle(app, pilot)
        assert app.screen is screen
        result = str(screen.query_one("#undo-result", Static).content)
        assert "Undo of run 3" in result
        kinds = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert kinds[0] == "undo"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)

    with open_store(demo_settings) as store:
        assert store.sections() == []
        assert [run.kind for run in store.runs()][:2] == ["undo", "import sections"]


async def test_cancelling_the_confirmation_changes_nothing(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await three_runs(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#go-history")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.click("#undo-button")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmUndo)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
    with open_store(demo_settings) as store:
        assert len(store.runs()) == 3
        assert store.sections()
