"""A re-minted student with another SIS id: the Students preview asks, and the tick decides.

Clever dropped an imported student's id and minted a new record with the same email and a
changed SIS id. The import can't prove it is the same person, so the preview lists the
record under *Possibly the same person*, ticked because the email is the same. Ticked, the
import moves the student's account to the new id (no second account); cleared, the record
gets a new account as usual. A name-only look-alike starts cleared.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from cleverwizard import config
from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict, demo_district
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.text import one_line
from cleverwizard.ui.screens.students import StudentsScreen
from cleverwizard.ui.widgets.same_people import SamePeople
from cleverwizard.ui.widgets.toggles import Tick
from tests.hostile_strings import CLICK_QUIT, FORGER_FIRST
from tests.ui.test_hostile_text import WIDE, assert_safe
from tests.ui.walk import (
    ELEMENTARY,
    SIZE,
    AppFactory,
    clever_students,
    import_preview,
    open_store,
    people_imported,
    school_id_named,
    settle,
)


@pytest.fixture
def district() -> SandboxDistrict:
    """A district of this test's own: it re-mints a student (the demo's is shared)."""
    return copy.deepcopy(demo_district(2026))


def remint(settings: Settings, district: SandboxDistrict, *, email: bool) -> dict[str, Any]:
    """Clever drops an imported student and mints a new record: same name, new SIS id."""
    school = school_id_named(district, ELEMENTARY)
    old = next(u for u in clever_students(district, school) if u.get("email"))
    with open_store(settings) as store:
        account = next(s for s in store.students() if s.clever_id == old["id"])
    district.delete_user(old["id"])
    role = old["roles"]["student"]
    new = district.add_student(
        school,
        old["name"]["first"],
        old["name"]["last"],
        role.get("grade"),
        old["email"] if email else None,
        sis_id="RE-MINTED-1",
    )
    return {"old": old["id"], "new": new["id"], "account": account.id}


def the_tick(screen: StudentsScreen) -> Tick:
    """The preview's one *Possibly the same person* tick (the panel shows only with one)."""
    panel = screen.query_one(SamePeople)
    assert panel.display
    return panel.query_one(Tick)


async def test_a_same_email_record_is_ticked_and_keeps_the_account(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    ids = remint(demo_settings, district, email=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        tick = the_tick(screen)
        assert tick.value, "same email: suggested"
        assert str(tick.label).startswith(f"Same email: account {ids['account']} (")
        plan = screen.plan
        assert plan is not None
        assert [(c.account_id, c.clever_id) for c in plan.of("relink")] == [(ids["account"], ids["new"])]
        assert "1 following a new Clever id" in plan.summary()

        tick.focus()
        await pilot.press("space")  # the administrator says: not the same person
        await settle(app, pilot)
        plan = screen.plan
        assert plan is not None and not plan.of("relink")
        assert [c.action for c in plan.changes if c.clever_id == ids["new"]] == ["create"]

        await pilot.press("space")  # ...then changes their mind back
        await settle(app, pilot)
        assert screen.plan is not None and screen.plan.of("relink")
        await pilot.press("i", "y")
        await settle(app, pilot)
        assert screen.stage == "done"

    with open_store(demo_settings) as store:
        followed = store.student(ids["account"])
        assert followed is not None and followed.clever_id == ids["new"]
        assert len([s for s in store.students() if s.clever_id == ids["new"]]) == 1  # no twin


async def test_a_name_only_look_alike_is_asked_but_not_ticked(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    ids = remint(demo_settings, district, email=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        tick = the_tick(screen)
        assert not tick.value and str(tick.label).startswith(f"Same name: account {ids['account']} (")
        assert screen.plan is not None and not screen.plan.of("relink")


async def test_no_panel_when_nobody_looks_like_a_gone_account(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        assert not screen.query_one(SamePeople).display
        assert screen.plan is not None and screen.plan.same_people == []


async def test_after_a_sync_made_a_second_account_the_tick_merges_them_back(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, link: CleverLink
) -> None:
    await people_imported(demo_settings, district)
    ids = remint(demo_settings, district, email=True)
    with open_store(demo_settings) as store:  # on this test's own district, as the app is
        sync = RosterSync(config.resolve(demo_settings.data_dir), store, link=link)
        await sync.daily_sync()  # archives the old account and makes a second one for the new id
    with open_store(demo_settings) as store:
        twin = next(s for s in store.students() if s.clever_id == ids["new"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        tick = the_tick(screen)
        assert not tick.value, "folding a second account in is the administrator's call"
        assert str(tick.label).startswith(f"Same email; archives account {twin.id}, made by a sync: account ")
        tick.focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert screen.plan is not None and screen.plan.merged_into == {twin.id: ids["account"]}
        await pilot.press("i", "y")
        await settle(app, pilot)
        assert screen.stage == "done"
    with open_store(demo_settings) as store:
        followed, second = store.student(ids["account"]), store.student(twin.id)
        assert followed is not None and followed.clever_id == ids["new"] and followed.status == "active"
        assert second is not None and second.status == "archived" and second.clever_id is None


def remint_two(district: SandboxDistrict) -> list[str]:
    """Clever re-mints two students with their emails and new SIS ids: two ticked offers."""
    school = school_id_named(district, ELEMENTARY)
    new_ids = []
    for n, old in enumerate([u for u in clever_students(district, school) if u.get("email")][:2]):
        district.delete_user(old["id"])
        first, last, grade = old["name"]["first"], old["name"]["last"], old["roles"]["student"].get("grade")
        new_ids.append(district.add_student(school, first, last, grade, old["email"], sis_id=f"RE-{n}")["id"])
    return new_ids


async def test_the_grade_lists_follow_the_latest_ticks_when_plans_finish_out_of_order(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two ticks cleared quickly: the first re-plan is slower and finishes last. What the
    grade lists say must be the plan Import will apply (the latest ticks'), not the slower one."""
    await people_imported(demo_settings, district)
    a, b = remint_two(district)
    real = StudentsScreen._plan

    def slow(screen: StudentsScreen, users: Any, ticked: dict[str, int], view: Any = None) -> Any:
        if set(ticked) == {b}:
            time.sleep(0.8)  # the earlier re-plan
        elif not ticked:
            time.sleep(0.3)
        return real(screen, users, ticked, view)

    monkeypatch.setattr(StudentsScreen, "_plan", slow)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        ticks = list(screen.query_one(SamePeople).query(Tick))
        assert len(ticks) == 2 and all(tick.value for tick in ticks)
        ticks[0].value = False  # planned for {b}: the slow plan
        await pilot.pause(0.1)
        ticks[1].value = False  # planned for {}: done first
        await pilot.pause(0.05)
        time.sleep(2.0)  # the loop busy while both plans finish
        await settle(app, pilot)
        await settle(app, pilot)
        assert screen.plan is not None and not screen.plan.of("relink")
        shown = {row.clever_id: row.action for _, rows in screen.groups for row in rows if row.clever_id in (a, b)}
        assert shown == {a: "new account", b: "new account"}


async def test_a_hostile_name_in_an_offer_is_shown_as_written_and_never_run(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict
) -> None:
    await people_imported(demo_settings, district)
    school = school_id_named(district, ELEMENTARY)
    old = next(u for u in clever_students(district, school) if u.get("email"))
    district.delete_user(old["id"])
    grade = old["roles"]["student"].get("grade")
    district.add_student(school, CLICK_QUIT, FORGER_FIRST, grade, old["email"], sis_id="RE-MINTED-1")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await import_preview(app, pilot, "4", StudentsScreen)
        tick = the_tick(screen)
        assert one_line(f"{CLICK_QUIT} {FORGER_FIRST}") in str(tick.label)
        assert_safe(app, CLICK_QUIT)
        await pilot.click(tick)  # a click on the label toggles it; the markup in it runs nothing
        await settle(app, pilot)
        assert app.is_running and not tick.value
