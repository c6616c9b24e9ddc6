"""A re-minted Clever id with a changed SIS id: the Teachers preview suggests the relink.

Clever dropped a linked teacher's id and minted a new record for the same person, with
the same email but another SIS id. The CLI only flags that (no proof without the SIS id);
the wizard preselects the new record on the account's row ("same email, new Clever id"),
and choosing it moves the account to the new id (one account, its history kept, undoable)
instead of archiving it and creating a twin.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from textual.widgets import Static

from cleverwizard import config
from cleverwizard.config import Settings
from cleverwizard.sandbox import SandboxDistrict, demo_district
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.store import RosterStore
from cleverwizard.ui.screens.teachers import TeachersScreen
from cleverwizard.ui.widgets.match_select import MatchSelect
from cleverwizard.ui.widgets.same_people import SamePeople
from cleverwizard.ui.widgets.toggles import Tick
from tests.ui.walk import ELEMENTARY, SIZE, AppFactory, connect_school, school_id_named, settle, teachers_preview


@pytest.fixture
def district() -> SandboxDistrict:
    """A district of this test's own: it re-mints a teacher (the demo's is shared)."""
    return copy.deepcopy(demo_district(2026))


async def _imported_then_reminted(settings: Settings, district: SandboxDistrict, link: CleverLink) -> dict[str, Any]:
    """Connect and import teachers, then have Clever re-mint one linked teacher's id."""
    with RosterStore.open(settings.data_dir) as store:
        sync = RosterSync(config.resolve(settings.data_dir), store, link=link)
        await connect_school(sync, district)
        sync.apply(sync.plan("teacher", await sync.fetch("teacher")))
        school = school_id_named(district, ELEMENTARY)
        linked = {t.clever_id: t for t in store.teachers() if t.clever_id}
    old = next(u for u in district.users_at_school(school, "teacher") if u["id"] in linked and u.get("email"))
    district.delete_user(old["id"])
    new = district.add_teacher(school, old["name"]["first"], old["name"]["last"], old["email"], sis_id="RE-MINTED-1")
    return {"old": old["id"], "new": new["id"], "account": linked[old["id"]].id}


async def test_the_account_whose_id_vanished_is_offered_the_new_record_and_follows_it(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, link: CleverLink
) -> None:
    ids = await _imported_then_reminted(demo_settings, district, link)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        assert isinstance(screen, TeachersScreen)
        select = screen.query_one(f"#match-{ids['account']}", MatchSelect)
        assert select.value == ids["new"]  # suggested; the person decides
        note = str(screen.query_one(f"#teacher-row-{ids['account']} .match-note", Static).content)
        assert note == "Suggested: same email, new Clever id"
        plan = screen.plan
        assert plan is not None
        relink = [c for c in plan.changes if c.action == "relink"]
        assert [(c.account_id, c.clever_id) for c in relink] == [(ids["account"], ids["new"])]
        assert f"was {ids['old']}" in relink[0].reason
        assert not [c for c in plan.changes if c.action == "create" and c.clever_id == ids["new"]]
        await pilot.press("i")
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.stage == "done"

    with RosterStore.open(demo_settings.data_dir) as store:
        followed = store.teacher(ids["account"])
        assert followed is not None and followed.clever_id == ids["new"] and followed.status == "active"
        assert len([t for t in store.teachers() if t.clever_id == ids["new"]]) == 1  # no twin
        run = store.runs(journal=False)[0]
        sync = RosterSync(config.resolve(demo_settings.data_dir), store, link=link)
        undone = sync.undo(run.id)
        assert undone.reverted
        back = store.teacher(ids["account"])
        assert back is not None and back.clever_id == ids["old"]


async def test_the_command_line_still_only_flags_it(
    demo_settings: Settings, district: SandboxDistrict, link: CleverLink
) -> None:
    ids = await _imported_then_reminted(demo_settings, district, link)
    with RosterStore.open(demo_settings.data_dir) as store:
        sync = RosterSync(config.resolve(demo_settings.data_dir), store, link=link)
        imported = sync.plan("teacher", await sync.fetch("teacher"))  # no choices: as `import teachers`
        report = await sync.daily_sync(dry_run=True, full=True)
    assert not imported.of("relink") and not report.plans["teachers"].of("relink")  # type: ignore[union-attr]
    flagged = [p.issue for p in report.problems if p.clever_id == ids["new"]]
    assert sum("same email, but not the same SIS id" in issue for issue in flagged) == 1


async def test_after_a_sync_made_a_second_teacher_account_the_preview_offers_to_fold_it_in(
    make_app: AppFactory, demo_settings: Settings, district: SandboxDistrict, link: CleverLink
) -> None:
    """The daily sync archived the teacher and made a second account for the new record (same
    email, another SIS id). The archived teacher has no row, so the preview asks above the rows."""
    ids = await _imported_then_reminted(demo_settings, district, link)
    with RosterStore.open(demo_settings.data_dir) as store:
        sync = RosterSync(config.resolve(demo_settings.data_dir), store, link=link)
        await sync.daily_sync()
        twin = next(t for t in store.teachers() if t.clever_id == ids["new"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await teachers_preview(app, pilot)
        panel = screen.query_one(SamePeople)
        assert panel.display
        tick = panel.query_one(Tick)
        assert not tick.value and str(tick.label).startswith(f"Same email; archives account {twin.id}, made by a sync")
        tick.focus()
        await pilot.press("space")
        await settle(app, pilot)
        plan = screen.plan
        assert plan is not None and plan.merged_into == {twin.id: ids["account"]}
        assert not [d for d in plan.decisions if d.account_id == twin.id]
        await pilot.press("i", "y")
        await settle(app, pilot)
        assert screen.stage == "done"
    with RosterStore.open(demo_settings.data_dir) as store:
        kept, second = store.teacher(ids["account"]), store.teacher(twin.id)
        assert kept is not None and kept.clever_id == ids["new"] and kept.status == "active"
        assert second is not None and second.status == "archived" and second.clever_id is None
