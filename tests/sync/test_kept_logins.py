"""A hand-made account's own login, kept when it is linked to Clever, is "kept", not "edited".

Nobody edited it, so it is reported once (on the run that linked it), while a login edited in the wizard is reported on every run. The
stored form of an account with nothing kept is the form saved before ``Account.kept``
existed, so fingerprints of old runs still match and those runs can still be undone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_teachers
from cleverwizard.runs.journal import Journal, fingerprint
from cleverwizard.runs.undo import undo_run
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Teacher
from tests.sync.factories import SCHOOL, clever_teacher, teacher

OLD_FORM_KEYS = {
    "id", "clever_id", "first_name", "last_name", "email", "source", "status", "sis_id",
    "clever_email", "edited", "schools", "created_at", "updated_at", "title",
}  # fmt: skip
"""A teacher's stored keys before ``kept`` was added (schema 2 as first released)."""


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)


def test_linking_a_hand_made_account_keeps_its_login_as_kept_not_edited() -> None:
    ann = clever_teacher("Ann", "Lee", "ann.lee@school.org", sis_id="T1", id="t-ann")
    plan = plan_teachers(PlatformView(teachers=[teacher(1, "Ann", "Lee", "ann@home.net")]), [ann], SCHOOL, {1: ann.id})
    [link] = plan.changes
    assert link.action == "link" and link.values["email"] == "ann@home.net"
    assert link.values["kept"] == ["email"] and "edited" not in link.values
    [kept] = plan.kept_edits
    assert not kept.edited
    assert (
        kept.describe()
        == "kept login email from before Clever for Ann Lee: ann@home.net (Clever has ann.lee@school.org)"
    )
    assert "kept login email from before Clever for Ann Lee" in "\n".join(plan.lines())


def test_a_kept_login_is_reported_on_the_run_that_linked_it_only() -> None:
    linked = teacher(
        1, "Ann", "Lee", "ann@home.net", clever_id="t-ann", clever_email="ann.lee@school.org",
        kept=["email"], schools=[SCHOOL], sis_id="T1",
    )  # fmt: skip
    for email in ("ann.lee@school.org", "a.lee@school.org"):  # even when Clever's email moves on
        clever = clever_teacher("Ann", "Lee", email, sis_id="T1", id="t-ann")
        plan = plan_teachers(PlatformView(teachers=[linked]), [clever], SCHOOL)
        assert plan.kept_edits == [] and plan.changes == [] and plan.unchanged == 1


def test_an_edited_login_is_still_reported_on_every_run() -> None:
    edited = teacher(
        1, "Ann", "Lee", "typed@school.org", clever_id="t-ann", clever_email="ann.lee@school.org",
        edited=["email"], schools=[SCHOOL], sis_id="T1",
    )  # fmt: skip
    same = clever_teacher("Ann", "Lee", "ann.lee@school.org", sis_id="T1", id="t-ann")
    for _ in range(2):
        [kept] = plan_teachers(PlatformView(teachers=[edited]), [same], SCHOOL).kept_edits
        assert kept.edited and kept.describe().startswith("kept edited email for Ann Lee: typed@school.org")


def test_an_account_with_nothing_kept_is_stored_and_fingerprinted_as_before() -> None:
    ann = Teacher(id=3, first_name="Ann", last_name="Lee", email="ann@home.net", created_at="x", updated_at="x")
    stored = ann.model_dump(mode="json")
    assert stored.keys() == OLD_FORM_KEYS
    old_text = json.dumps(stored, sort_keys=True, separators=(",", ":"), default=str)
    assert fingerprint(ann) == hashlib.sha256(old_text.encode()).hexdigest()[:20]
    kept = ann.model_copy(update={"kept": ["email"]})
    assert kept.model_dump(mode="json")["kept"] == ["email"] and fingerprint(kept) != fingerprint(ann)


def test_undo_of_a_run_written_in_the_old_form_still_works(tmp_path: Path) -> None:
    """A roster saved before ``kept`` existed: the records and the run's fingerprints are
    written as that version wrote them (no ``kept`` key), then the run is undone."""
    data_dir = tmp_path / "data"
    with RosterStore.open(data_dir) as store:
        clever = clever_teacher("Ann", "Lee", "ann@school.org", id="t-ann")
        run = apply_plan(store, plan_teachers(_view(store), [clever], SCHOOL), started_by="wizard")
    path = data_dir / "roster.json"
    data = json.loads(path.read_text())
    [doc] = data["teachers"].values()
    assert "kept" not in doc and doc.keys() == OLD_FORM_KEYS
    old_print = hashlib.sha256(
        json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()[:20]
    assert data["journals"][str(run.id)]["after"]["teachers"] == {str(doc["id"]): old_print}
    with RosterStore.open(data_dir) as store:
        report = undo_run(store, run.id, started_by="cli")
        assert report.refused == [] and [item.action for item in report.reverted] == ["removed"]
        assert store.teachers() == []


def test_a_run_that_links_a_kept_login_can_be_undone(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path / "data") as store:
        with store.transaction() as tx:
            tx.put_teachers([Teacher(id=tx.next_account_id(), first_name="Ann", last_name="Lee", email="ann@home.net")])
        [hand_made] = store.teachers()
        clever = clever_teacher("Ann", "Lee", "ann.lee@school.org", id="t-ann")
        run = apply_plan(
            store, plan_teachers(_view(store), [clever], SCHOOL, {hand_made.id: clever.id}), started_by="wizard"
        )
        [linked] = store.teachers()
        assert (linked.kept, linked.edited, linked.email) == (["email"], [], "ann@home.net")
        with store.transaction() as tx:  # the fingerprint taken from the stored document is the model's
            assert Journal().fingerprints(tx) == {}
            assert run.after["teachers"][str(linked.id)] == fingerprint(tx.teacher(linked.id))
        report = undo_run(store, run.id, started_by="cli")
        assert report.refused == []
        [back] = store.teachers()
        assert back == hand_made
