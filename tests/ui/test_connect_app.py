"""Connect your District with the platform's Clever app credentials: the app's districts to
pick from (one key for a one-district app), no token field, and a refused secret explained."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from cleverwizard.config import AppCredentials, Settings
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.ui.screens.connect import ConnectScreen
from tests.ui.walk import SIZE, AppFactory, connect_district, open_store, press_to, settle


def text_of(screen: ConnectScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


async def test_a_one_district_app_connects_with_one_key(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    assert demo_settings.uses_app_credentials and demo_settings.token is None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_to(pilot, "1", screen=ConnectScreen)
        await settle(app, pilot)
        picker = screen.query_one("#district-list", OptionList)
        assert picker.display and picker.option_count == 1
        assert district.district["name"] in str(picker.get_option_at_index(0).prompt)
        assert app.focused is picker and picker.highlighted == 0
        assert not screen.query_one("#token-field").display
        await pilot.press("enter")
        await settle(app, pilot)
        assert text_of(screen, "#connect-message").startswith(f"Connected to {district.district['name']}")
    assert sandbox.path_counts["/oauth/tokens"] >= 1
    with open_store(demo_settings) as store:
        site = store.site()
    assert site is not None and site.district_id == district.district_id
    for name, content in every_file(demo_settings.data_dir).items():
        assert district.token.encode() not in content, name


async def test_a_typed_id_still_connects_with_app_credentials(make_app: AppFactory, district: SandboxDistrict) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await connect_district(app, pilot, district.district_id)
        assert text_of(screen, "#connect-message").startswith("Connected to ")


async def test_a_refused_app_secret_is_explained_and_nothing_is_saved(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    wrong = dataclasses.replace(demo_settings, app=AppCredentials(district.client_id, "not-the-secret"))
    app = make_app(wrong)
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_to(pilot, "1", screen=ConnectScreen)
        await settle(app, pilot)
        listed = text_of(screen, "#districts-message")
        assert listed.startswith("Clever refused the app's client id or secret: ")
        assert "not-the-secret" not in listed
        assert not screen.query_one("#district-list").display
        screen = await connect_district(app, pilot, district.district_id)
        assert text_of(screen, "#connect-message").startswith("Clever refused the app's client id or secret")
        assert not screen.query_one("#token-field").display
        assert app.focused is screen.query_one("#district-id", Input)
    with open_store(demo_settings) as store:
        assert store.site() is None
    assert not (demo_settings.data_dir / "clever-token").exists()
