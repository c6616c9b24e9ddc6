"""A re-minted student in an import: the same SIS id relinks, a look-alike is asked about.

``import students`` and the wizard read every student of the school, so an account whose
Clever id Clever no longer lists, beside a new record with its SIS id, follows that record
(as a sync does) instead of staying behind while a twin is created. A record that is only
alike (same email, or same name) is offered to the wizard (``Plan.same_people``); ticking it
relinks. After a sync already archived the old account and made a twin, the same offer moves
the old account to the new id and archives the twin; one run, undoable.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from cleverwizard.people.plan import Plan
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store.models import Student
from tests.daily.conftest import Run, Service, opened, students_at
from tests.daily.test_relink import account_of, remint


def plan_students(service: Service, data_dir: Path, same_people: dict[str, int] | None = None) -> Plan:
    with service(data_dir) as sync:
        return sync.plan("student", asyncio.run(sync.fetch("student")), same_people=same_people)


def look_alike(
    district: SandboxDistrict, school: str, data_dir: Path
) -> tuple[dict[str, Any], Student, dict[str, Any]]:
    """Clever re-mints a linked student with the same email and a changed SIS id: the
    record, its account, and the new record."""
    user = next(u for u in students_at(district, school) if u["roles"]["student"].get("sis_id") and u.get("email"))
    before = account_of(data_dir, user["id"])
    assert before is not None
    return user, before, remint(district, school, user, sis_id="CHANGED-1")


def test_import_students_relinks_a_reminted_student_with_the_same_sis_id(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    user = next(u for u in students_at(district, synced) if u["roles"]["student"].get("sis_id"))
    before = account_of(data_dir, user["id"])
    assert before is not None
    new = remint(district, synced, user)
    result = cw("import", "students")
    assert result.exit_code == 0, result.output
    after = account_of(data_dir, new["id"])
    assert after is not None and after.id == before.id  # followed, no twin
    assert account_of(data_dir, user["id"]) is None


def test_an_email_look_alike_is_offered_and_ticking_it_relinks(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, service: Service
) -> None:
    user, before, new = look_alike(district, synced, data_dir)
    offered = plan_students(service, data_dir)
    [same] = offered.same_people
    assert (same.clever_id, same.account_id, same.alike_by, same.twin_id) == (new["id"], before.id, "email", None)
    assert same.suggested
    assert [c.action for c in offered.changes if c.clever_id == new["id"]] == ["create"]  # not without a tick
    chosen = plan_students(service, data_dir, {new["id"]: before.id})
    [relink] = chosen.of("relink")
    assert (relink.account_id, relink.clever_id) == (before.id, new["id"])
    assert "chosen in the wizard: same email" in relink.reason
    assert not [p for p in chosen.problems if p.clever_id == new["id"] and "whose Clever id" in p.issue]
    with service(data_dir) as sync:
        sync.apply(chosen)
    after = account_of(data_dir, new["id"])
    assert after is not None and after.id == before.id and after.email == before.email


def test_after_a_sync_made_a_twin_the_old_account_takes_the_new_id_back(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, service: Service
) -> None:
    user, before, new = look_alike(district, synced, data_dir)
    assert cw("sync").exit_code == 0  # archives the old account, makes a twin for the new record
    twin = account_of(data_dir, new["id"])
    assert twin is not None and twin.id != before.id
    with opened(data_dir) as store:
        total = len(store.students())
    [same] = plan_students(service, data_dir).same_people
    assert (same.account_id, same.twin_id) == (before.id, twin.id)
    chosen = plan_students(service, data_dir, {new["id"]: before.id})
    assert [(c.account_id, c.clever_id) for c in chosen.of("relink")] == [(before.id, new["id"])]
    [archived] = chosen.of("archive")
    assert archived.account_id == twin.id and f"a second account for {before.full_name}" in archived.reason
    with service(data_dir) as sync:
        run = sync.apply(chosen)
    followed = account_of(data_dir, new["id"])
    assert followed is not None and followed.id == before.id and followed.status == "active"
    with opened(data_dir) as store:
        left = store.student(twin.id)
        assert left is not None and left.status == "archived" and left.clever_id is None
        assert len(store.students()) == total  # nothing deleted
    assert plan_students(service, data_dir).same_people == []  # settled: not asked again
    with service(data_dir) as sync:
        assert sync.undo(run.id).reverted
    restored = account_of(data_dir, new["id"])
    assert restored is not None and restored.id == twin.id
    old = account_of(data_dir, user["id"])
    assert old is not None and old.id == before.id and old.status == "archived"


def test_folding_a_twin_in_moves_its_classes_to_the_person(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, service: Service
) -> None:
    assert cw("import", "sections").exit_code == 0
    sections = district.sections_at_school(synced)
    enrolled = {s for section in sections for s in section["students"]}
    user = next(
        u
        for u in students_at(district, synced)
        if u["id"] in enrolled and u.get("email") and u["roles"]["student"].get("sis_id")
    )
    theirs = [section["id"] for section in sections if user["id"] in section["students"]]
    before = account_of(data_dir, user["id"])
    assert before is not None
    new = remint(district, synced, user, sis_id="CHANGED-1")
    for section_id in theirs:  # Clever lists the new record in the same classes
        district.update_section(section_id, students=sorted([*district.sections[section_id]["students"], new["id"]]))
    assert cw("sync").exit_code == 0  # archives the old account, makes a twin, enrols the twin
    twin = account_of(data_dir, new["id"])
    assert twin is not None
    with service(data_dir) as sync:
        run = sync.apply(plan_students(service, data_dir, {new["id"]: before.id}))
    assert cw("sync").exit_code == 0  # nothing changed in Clever since
    with opened(data_dir) as store:
        classes = [s for s in store.sections() if s.clever_id in theirs]
        assert classes and all(before.id in s.student_ids and twin.id not in s.student_ids for s in classes)
    with service(data_dir) as sync:
        assert sync.undo(run.id).reverted
    with opened(data_dir) as store:  # undone with the run: back in the twin's name
        classes = [s for s in store.sections() if s.clever_id in theirs]
        assert all(twin.id in s.student_ids and before.id not in s.student_ids for s in classes)
