"""Schema 3: a roster saved before ``Account.kept`` has its link-kept logins moved to ``kept``.

The file is written as schema 2 wrote it: the hand-made account's own login kept at link
was recorded as an edit, and the linking run's fingerprint is of that record. Opening it
tells the kept login apart from a real edit through the linking run's journal, and the run
can still be undone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_teachers
from cleverwizard.runs.undo import undo_run
from cleverwizard.store import SCHEMA_VERSION, RosterStore
from cleverwizard.store.fingerprints import doc_fingerprint
from cleverwizard.store.models import Teacher
from tests.sync.factories import SCHOOL, clever_teacher


def _view(store: RosterStore) -> PlatformView:
    return PlatformView(store.teachers(), store.students(), store.matches(), store.revision)


def _as_schema_2_wrote_it(path: Path, typed_since: dict[int, str]) -> dict[str, Any]:
    """Every ``kept`` login written as the edit schema 2 made of it (fingerprints too);
    ``typed_since``: account id -> an email typed in the wizard after the link."""
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = 2
    for key, doc in data["teachers"].items():
        old_print = doc_fingerprint(doc)
        if doc.pop("kept", None):
            doc["edited"] = sorted({*doc["edited"], "email"})
        for journal in data["journals"].values():
            left = journal["after"].get("teachers", {})
            if left.get(key) == old_print:
                left[key] = doc_fingerprint(doc)
        if int(key) in typed_since:  # after the run: its fingerprint no longer matches
            doc["email"], doc["edited"] = typed_since[int(key)], ["email"]
    path.write_text(json.dumps(data))
    return data


def test_a_link_kept_login_becomes_kept_and_its_run_can_still_be_undone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with RosterStore.open(data_dir) as store:
        with store.transaction() as tx:
            tx.put_teachers(
                [
                    Teacher(id=tx.next_account_id(), first_name="Ann", last_name="Lee", email="ann@home.net"),
                    Teacher(id=tx.next_account_id(), first_name="Bo", last_name="Ray", email="bo@home.net"),
                ]
            )
        ann, bo = store.teachers()
        clever = [
            clever_teacher("Ann", "Lee", "ann@school.org", id="t-ann"),
            clever_teacher("Bo", "Ray", "bo@school.org", id="t-bo"),
        ]
        run = apply_plan(
            store, plan_teachers(_view(store), clever, SCHOOL, {ann.id: "t-ann", bo.id: "t-bo"}), started_by="t"
        )
    path = data_dir / "roster.json"
    _as_schema_2_wrote_it(path, typed_since={bo.id: "typed@school.org"})
    saved = path.read_bytes()

    with RosterStore.open(data_dir) as store:
        migrated = {t.id: t for t in store.teachers()}
        assert (migrated[ann.id].kept, migrated[ann.id].edited) == (["email"], [])  # nobody edited it
        assert (migrated[bo.id].kept, migrated[bo.id].edited) == ([], ["email"])  # typed after the link
        assert path.read_bytes() == saved  # reading never rewrites the file
        report = undo_run(store, run.id, started_by="cli")
        reverted = {item.key for item in report.reverted if item.table == "teachers"}
        assert str(ann.id) in reverted  # its fingerprint moved with the migration
        assert {item.key for item in report.refused if item.table == "teachers"} == {str(bo.id)}  # edited since
        assert store.teacher(ann.id) == ann
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3


def test_an_edit_in_the_wizard_of_a_clever_account_stays_an_edit(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with RosterStore.open(data_dir) as store:
        apply_plan(
            store, plan_teachers(_view(store), [clever_teacher("Cy", "Fox", "cy@school.org")], SCHOOL), started_by="t"
        )
        with store.transaction() as tx:
            [cy] = tx.teachers()
            tx.put_teachers([cy.model_copy(update={"email": "cy.fox@school.org", "edited": ["email"]})])
    _as_schema_2_wrote_it(data_dir / "roster.json", typed_since={})
    with RosterStore.open(data_dir) as store:
        [cy] = store.teachers()
        assert (cy.edited, cy.kept) == (["email"], [])
