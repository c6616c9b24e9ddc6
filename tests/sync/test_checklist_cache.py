"""The checklist is built once per change of the store, and every change shows at once."""

from __future__ import annotations

from pathlib import Path

from cleverwizard.service.status import build_checklist
from cleverwizard.store import RosterStore, Site, Student


def test_the_checklist_follows_every_save_and_each_caller_gets_its_own(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path / "data") as store:
        first = build_checklist(store)
        assert first.item("district").state == "not started"
        first.items.clear()  # a caller changing its copy changes nobody else's
        assert build_checklist(store).item("district").state == "not started"
        with store.transaction() as tx:
            tx.site = Site(district_id="d1", district_name="Springfield", school_id="s1", school_name="Elm")
            tx.put_students([Student(id=tx.next_account_id(), first_name="Ana", clever_id="c1", email=None)])
            tx.meta.students_imported_at = "2025-01-01T00:00:00Z"
        after = build_checklist(store)
        assert after.item("district").state == "done" and after.item("school").state == "done"
        assert after.item("students").detail == "1 from Clever, 1 without a login email"
        with RosterStore.open(tmp_path / "data") as other, other.transaction() as tx:  # another process saves
            tx.put_students([Student(id=tx.next_account_id(), first_name="Bo", clever_id="c2", email="bo@x.org")])
        store.refresh()
        assert build_checklist(store).item("students").detail == "2 from Clever, 1 without a login email"
