"""Pilot tests of History: runs newest first, a run's details, and *Undo this run*.

The runs are made through the service (teachers, students, then sections), so the test is
about the History screen: what it lists, and that an undo it starts really reverts the store.
"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.ui.screens.history import ConfirmUndo, HistoryScreen
from cleverwizard.ui.screens.notifications import NotificationsScreen
from tests.ui.walk import SIZE, AppFactory, click_to, open_store, people_imported, press_to, roster_sync, settle


async def three_runs(settings: Settings, district: SandboxDistrict) -> None:
    """Teachers, students and sections imported: runs 1, 2 and 3."""
    await people_imported(settings, district)
    with roster_sync(settings) as sync:
        sync.apply_sections(sync.plan_sections(await sync.fetch_sections()))


async def test_history_lists_runs_and_undoes_the_latest(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await three_runs(demo_settings, district)
    with open_store(demo_settings) as store:
        assert len(store.sections()) > 0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await press_to(pilot, "h", screen=HistoryScreen)
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

        await press_to(pilot, "u", screen=ConfirmUndo)
        await pilot.click("#undo-yes")
        await settle(app, pilot)
        assert app.screen is screen
        result = str(screen.query_one("#undo-result", Static).content)
        assert "Undo of run 3" in result
        kinds = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert kinds[0] == "undo"
        await press_to(pilot, "escape", screen=NotificationsScreen)

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
        await click_to(pilot, "#go-history", screen=HistoryScreen)
        await click_to(pilot, "#undo-button", screen=ConfirmUndo)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
    with open_store(demo_settings) as store:
        assert len(store.runs()) == 3
        assert store.sections()
