"""Pilot tests of the Sections step on the demo sandbox: fetch, choose a course, import.

District, school, teachers and students are set up through the service (they have their
own tests); the Sections screen itself is walked with keys, as an administrator would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, OptionList, Select, Static

from cleverwizard.config import Settings
from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.ui.screens.notifications import NotificationsScreen
from cleverwizard.ui.widgets.section_row import NOT_IN_LIST, NOT_IN_LIST_LABEL, SectionRow
from cleverwizard.wiring import build_app
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    click_to,
    open_store,
    people_imported,
    school_id_named,
    sections_preview,
    settle,
    still,
)

SnapCompare = Callable[..., bool]


def school_sections(district: SandboxDistrict) -> list[str]:
    school = school_id_named(district, ELEMENTARY)
    return [sid for sid, section in district.sections.items() if section.get("school") == school]


async def test_arrow_keys_move_between_sections_and_never_change_a_course(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await sections_preview(app, pilot)
        selects = [row.select for row in screen.query(SectionRow)]
        before = [select.value for select in selects]
        selects[0].focus()
        await pilot.pause()
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert app.focused is selects[1] and not selects[1].expanded and app.screen is screen
        await settle(app, pilot)
        assert [select.value for select in selects] == before


async def test_import_sections_with_a_chosen_course(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await sections_preview(app, pilot)
        assert screen.stage == "preview"
        rows = list(screen.query(SectionRow))
        assert len(rows) == len(school_sections(district))
        summary = str(screen.query_one("#sections-summary", Static).content)
        assert f"{len(rows)} sections in Clever" in summary

        first = rows[0]
        select = first.query_one(Select)
        assert select.value == NOT_IN_LIST  # Pre-K homeroom: nothing similar in the catalogue
        select.focus()
        await pilot.pause()
        await pilot.press("enter")  # open the list, highlighted on "not in the list"
        await pilot.pause()
        await pilot.press("down", "enter")  # the next option: the first course of the catalogue
        await pilot.pause()
        chosen = select.value
        assert isinstance(chosen, int) and chosen != NOT_IN_LIST
        assert screen.choices[first.clever_id] == chosen
        assert "Chosen by you" in str(first.query_one(".course-note", Static).content)

        await pilot.click("#apply-button")
        await pilot.press("y")  # Yes on the question Import asks
        await settle(app, pilot)
        assert screen.stage == "done"
        assert "Sections imported" in str(screen.query_one("#sections-result", Static).content)
        await click_to(pilot, "#sections-back", screen=NotificationsScreen)

    with open_store(demo_settings) as store:
        saved = {s.clever_id: s for s in store.sections()}
        assert set(saved) == set(school_sections(district))
        assert saved[first.clever_id].course_id == chosen
        assert saved[first.clever_id].course_method == "chosen"


async def test_fetch_failure_shows_the_message_and_try_again(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, faults: Faults
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        faults.server_error_next = 50
        screen = await sections_preview(app, pilot)
        assert screen.stage == "failed"
        assert str(screen.query_one("#sections-error", Static).content)
        assert screen.query_one("#retry-button", Button).display
        faults.clear()
        await pilot.click("#retry-button")
        await settle(app, pilot)
        assert screen.stage == "preview"
    with open_store(demo_settings) as store:
        assert store.sections() == []


def highlighted_prompt(overlay: OptionList) -> str:
    """The plain text of the highlighted option (prompts are Rich ``Text``)."""
    assert overlay.highlighted is not None
    return str(overlay.get_option_at_index(overlay.highlighted).prompt)


async def open_first_dropdown(app: CleverWizardApp, pilot: Pilot[Any]) -> Select[int]:
    """The Sections preview with the first section's course list open."""
    screen = await sections_preview(app, pilot)
    assert screen.stage == "preview"
    select = screen.query(SectionRow).first().query_one(Select)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert select.expanded
    return select


async def test_typing_in_the_open_list_jumps_to_a_course(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, sandbox: SandboxAPI
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        select = await open_first_dropdown(app, pilot)
        overlay = select.query_one(OptionList)
        assert highlighted_prompt(overlay) == NOT_IN_LIST_LABEL
        await pilot.press("k", "i", "n")
        await pilot.pause()
        prompt = highlighted_prompt(overlay)
        assert prompt.lower().startswith("kin"), prompt
        await pilot.press("enter")
        await pilot.pause()
        assert not select.expanded
        assert select.value != NOT_IN_LIST


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_course_list_open(
    snap_compare: SnapCompare,
    demo_settings: Settings,
    district: SandboxDistrict,
    sandbox: SandboxAPI,
    frozen_time: datetime,
    size: tuple[int, int],
) -> None:
    asyncio.run(people_imported(demo_settings, district))

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, CleverWizardApp)
        await open_first_dropdown(app, pilot)
        await still(pilot)

    assert snap_compare(build_app(demo_settings), terminal_size=size, run_before=run_before)
