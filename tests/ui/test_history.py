"""Pilot tests of History: runs newest first, a run's details, and *Undo this run*.

The runs are made through the service (teachers, students, then sections), so the test is
about the History screen: what it lists, and that an undo it starts really reverts the store.
"""

from __future__ import annotations

from textual.widgets import Button, DataTable, Static

from cleverwizard.config import Settings
from cleverwizard.runs.history import already_undone, undone_by
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store.models import Run
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
        assert "Undo of run 3 (import sections, " in result
        assert "UTC)" in result and "T00:" not in result and "record(s)" not in result
        kinds = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert kinds[:2] == ["undo", "import sections (undone by run 4)"]
        assert screen.selected is not None and screen.selected.id == 3  # still the run acted on
        assert "Undone by run 4" in str(screen.query_one("#run-details-text", Static).content)
        assert screen.query_one("#undo-button", Button).disabled

        await pilot.press("u")  # refused in plain words, no confirmation, nothing written
        await settle(app, pilot)
        assert app.screen is screen
        assert str(screen.query_one("#undo-result", Static).content) == "Run 3 was already undone by run 4."
        assert screen.query_one("#undo-result-box").display

        await pilot.press("down")  # another run: the result is about run 3, so it goes
        await pilot.pause()
        assert screen.selected is not None and screen.selected.id == 2
        assert not screen.query_one("#undo-result-box").display
        await press_to(pilot, "escape", screen=NotificationsScreen)

    with open_store(demo_settings) as store:
        assert store.sections() == []
        assert [run.kind for run in store.runs()][:2] == ["undo", "import sections"]
        assert len(store.runs()) == 4


def test_undone_by_follows_undos_and_redos() -> None:
    runs = [
        Run(id=5, kind="undo", started_by="wizard", detail="undo of run 4: 1 put back, 0 removed, 0 not reverted"),
        Run(id=4, kind="undo", started_by="wizard", detail="undo of run 3: 2 put back, 1 removed, 0 not reverted"),
        Run(id=3, kind="import sections", started_by="wizard"),
    ]
    assert undone_by(runs) == {4: 5}  # run 5 redid run 3, so run 3 is not undone any more
    assert undone_by(runs[1:]) == {3: 4}
    assert already_undone(3, 4) == "Run 3 was already undone by run 4."


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
