"""A Clever link moved from one account to another is undone on both or on neither."""

from __future__ import annotations

from pathlib import Path

from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_teachers
from cleverwizard.runs.undo import undo_run
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Teacher
from tests.sync.factories import SCHOOL, clever_teacher


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)


def test_a_moved_link_stays_when_one_side_changed_since(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path / "data") as store:
        with store.transaction() as tx:
            tx.put_teachers(
                [
                    Teacher(id=tx.next_account_id(), first_name="Rob", last_name="Lee", email="rob@old.org"),
                    Teacher(id=tx.next_account_id(), first_name="Robert", last_name="Lee", email="robert@old.org"),
                ]
            )
        rob, robert = store.teachers()
        clever = clever_teacher("Robert", "Lee", "robert.lee@school.org", id="t-robert")
        apply_plan(store, plan_teachers(_view(store), [clever], SCHOOL, {rob.id: clever.id}), started_by="wizard")
        moved = apply_plan(
            store,
            plan_teachers(_view(store), [clever], SCHOOL, {rob.id: None, robert.id: clever.id}),
            started_by="wizard",
        )
        assert {t.id: t.clever_id for t in store.teachers()} == {rob.id: None, robert.id: "t-robert"}
        with store.transaction() as tx:  # someone edits Robert in the wizard afterwards
            edited = tx.teacher(robert.id)
            assert edited is not None
            tx.put_teachers([edited.model_copy(update={"email": "typed@school.org", "edited": ["email"]})])

        report = undo_run(store, moved.id, started_by="cli")

        reasons = {item.key: item.reason for item in report.refused if item.table == "teachers"}
        assert reasons[str(robert.id)] == "changed since (edited in the wizard)"
        assert reasons[str(rob.id)].startswith("it goes with Robert Lee")
        assert {t.id: t.clever_id for t in store.teachers()} == {rob.id: None, robert.id: "t-robert"}
        assert report.reverted == [] and report.undo_run_id is None  # the match decisions stay with them
        assert {(item.table, item.key) for item in report.refused} == {
            ("teachers", str(rob.id)),
            ("teachers", str(robert.id)),
            ("matches", str(rob.id)),
            ("matches", str(robert.id)),
        }
