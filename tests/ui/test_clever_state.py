"""Notifications shows Clever's own sync state for the district, refreshed in a worker.

The District row says what Clever last said ("Clever's sync is paused until …", "Clever
reports an error: …") with how old that is; when the saved word is old, opening
Notifications asks Clever again in a worker, and a failure leaves the saved word, aged.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from cleverwizard.config import Settings
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store.clever_district import read_district_state, save_district_state
from cleverwizard.store.models import CleverDistrictState
from cleverwizard.ui.screens.notifications import NotificationsScreen, demo_hint
from cleverwizard.wiring import build_app
from tests.ui.walk import SIZE, AppFactory, connected, roster_sync, settle

SEED = 2026


def clever_row(home: NotificationsScreen) -> str:
    line = home.query_one("#step-district .step-clever", Static)
    return str(line.content) if line.display else ""


async def test_a_paused_demo_district_says_so_on_the_district_row(tmp_path: Path, district: SandboxDistrict) -> None:
    settings = prepare_demo(tmp_path / "demo", seed=SEED, clever_state="paused")
    app = build_app(settings)  # the demo's own in-process sandbox, paused for two weeks
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        row = clever_row(home)
        assert row.startswith("Clever's sync is paused until ") and row.endswith("(checked just now)")
    with roster_sync(settings) as sync:
        report = await sync.daily_sync()
    assert any(note.startswith("Clever is paused for this district from ") for note in report.notes)
    app.close_store()


async def test_an_error_demo_district_shows_clever_s_message(tmp_path: Path, district: SandboxDistrict) -> None:
    settings = prepare_demo(tmp_path / "demo", seed=SEED, clever_state="error")
    app = build_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot, district)
        assert isinstance(app.screen, NotificationsScreen)
        assert clever_row(app.screen).startswith("Clever reports an error: The SIS upload to Clever failed")
    app.close_store()


def _old_word(settings: Settings, district: SandboxDistrict) -> None:
    three_days_ago = (datetime.now(UTC) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = CleverDistrictState(district_id=district.district_id, state="paused", read_at=three_days_ago)
    save_district_state(settings.data_dir, old)


async def test_an_old_word_is_refreshed_in_a_worker_when_notifications_opens(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    with roster_sync(demo_settings) as sync:
        await sync.connect(district.district_id)
    _old_word(demo_settings, district)
    path = f"/v3.0/districts/{district.district_id}"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, NotificationsScreen)
        assert sandbox.path_counts[path] == 1  # asked once, by the worker
        row = clever_row(home)
        assert row.startswith("Clever last synced the SIS ") and row.endswith("(checked just now)")
        saved = read_district_state(demo_settings.data_dir, district.district_id)
        assert saved is not None and saved.state == "success"
        home.on_screen_resume()  # back from a step within the minute: the fresh word is kept
        await settle(app, pilot)
        assert sandbox.path_counts[path] == 1


async def test_a_failed_refresh_keeps_the_saved_word_with_its_age(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    with roster_sync(demo_settings) as sync:
        await sync.connect(district.district_id)
    _old_word(demo_settings, district)
    sandbox.faults.revoked = True  # Clever refuses every request
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, NotificationsScreen) and app.is_running
        assert clever_row(home) == "Clever's sync is paused (checked 3 days ago)"
        assert not home.query_one("#home-problem").display  # silent: the checklist is all there
        assert app.focused is not None and app.focused.id == "go-school"  # the next step, as ever


def test_the_demo_hint_says_what_the_picker_offers() -> None:
    hint = demo_hint("abc123")
    assert "type" not in hint and "abc123" in hint and "pick it" in hint
