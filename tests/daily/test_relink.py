"""Re-minted Clever ids: the account follows the new id (same role, same SIS id, the old id
gone in the same run), reported and undoable; an email-only look-alike is flagged; an
account linked by a v1/v2 id follows ``legacy_id``; relinks never trip the guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store.models import Student
from tests.daily.conftest import Run, opened, students_at, teachers_at


def account_of(data_dir: Path, clever_id: str) -> Student | None:
    with opened(data_dir) as store:
        return next((s for s in store.students() if s.clever_id == clever_id), None)


def remint(district: SandboxDistrict, school: str, user: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Clever drops ``user`` and mints a new record for the same student."""
    district.delete_user(user["id"])
    role = user["roles"]["student"]
    values: dict[str, Any] = {"email": user.get("email"), "sis_id": role.get("sis_id"), **changes}
    return district.add_student(school, user["name"]["first"], user["name"]["last"], role.get("grade"), **values)


def test_a_reminted_student_is_relinked_reported_and_undoable(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    user = next(u for u in students_at(district, synced) if u["roles"]["student"].get("sis_id") and u.get("email"))
    before = account_of(data_dir, user["id"])
    assert before is not None
    with opened(data_dir) as store:
        total = len(store.students())
    new = remint(district, synced, user)
    result = cw("sync")
    assert result.exit_code == 0, result.output
    assert f"follow the new Clever id: {user['name']['first']}" in result.output
    assert f"was {user['id']}" in result.output
    after = account_of(data_dir, new["id"])
    assert after is not None and after.id == before.id and after.status == "active"
    assert after.email == before.email
    with opened(data_dir) as store:
        assert len(store.students()) == total  # no twin created, nobody archived
        assert not [s for s in store.students() if s.status == "archived"]
    run_id = json.loads(cw("history", "--json").output)[0]["id"]
    undone = cw("undo", str(run_id))
    assert undone.exit_code == 0, undone.output
    back = account_of(data_dir, user["id"])
    assert back is not None and back.id == before.id


def test_a_full_sync_relinks_a_teacher_and_many_relinks_are_not_held(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    students = [u for u in students_at(district, synced) if u["roles"]["student"].get("sis_id")]
    half = students[: len(students) // 2 + 1]
    new_ids = [remint(district, synced, user)["id"] for user in half]
    result = cw("sync", "--full")
    assert result.exit_code == 0, result.output  # more than the 10% archive limit, yet not held
    for new_id in new_ids:
        account = account_of(data_dir, new_id)
        assert account is not None and account.status == "active"
    with opened(data_dir) as store:
        assert not [s for s in store.students() if s.status == "archived"]
    teacher = next(u for u in teachers_at(district, synced) if u["roles"]["teacher"].get("sis_id"))
    with opened(data_dir) as store:
        old = next(t for t in store.teachers() if t.clever_id == teacher["id"])
    district.delete_user(teacher["id"])
    role = teacher["roles"]["teacher"]
    hired = district.add_teacher(
        synced, teacher["name"]["first"], teacher["name"]["last"], teacher.get("email"), sis_id=role["sis_id"]
    )
    assert cw("sync", "--full").exit_code == 0
    with opened(data_dir) as store:
        now = next(t for t in store.teachers() if t.id == old.id)
    assert now.clever_id == hired["id"] and now.status == "active"


def test_an_email_only_look_alike_is_flagged_not_relinked(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    user = next(u for u in students_at(district, synced) if u["roles"]["student"].get("sis_id") and u.get("email"))
    new = remint(district, synced, user, sis_id="CHANGED-1")
    result = cw("sync")
    assert result.exit_code == 0, result.output
    flagged = [line for line in result.output.splitlines() if "whose Clever id" in line]
    assert len(flagged) == 1 and "same email, but not the same SIS id" in flagged[0]
    old = account_of(data_dir, user["id"])
    assert old is not None and old.status == "archived"
    assert account_of(data_dir, new["id"]) is not None


def test_an_account_linked_by_a_legacy_id_follows_it(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    user = students_at(district, synced)[0]
    with opened(data_dir) as store, store.transaction() as tx:
        account = next(s for s in tx.students() if s.clever_id == user["id"])
        tx.put_students([account.model_copy(update={"clever_id": "v2-legacy-0001"})])
    district.users[user["id"]]["roles"]["student"]["legacy_id"] = "v2-legacy-0001"
    district.version += 1
    result = cw("sync", "--full")
    assert result.exit_code == 0, result.output
    assert "older Clever id" in result.output
    followed = account_of(data_dir, user["id"])
    assert followed is not None and followed.id == account.id and followed.status == "active"


def test_look_alikes_are_found_by_email_then_by_name_and_only_when_one_fits() -> None:
    """The gone accounts a new record may be: one with its email, else one with its name;
    two that fit as well are no hint at all."""
    from cleverwizard.clever.decode import RosterName, RosterUser
    from cleverwizard.people.relink import find_relinks

    def gone(account_id: int, first: str, last: str, email: str | None) -> Student:
        return Student(id=account_id, clever_id=f"old-{account_id}", first_name=first, last_name=last, email=email)

    accounts = [
        gone(1, "Ana", "Diaz", "ana@school.org"),
        gone(2, "José", "Núñez", None),
        gone(3, "Sam", "Lee", None),
        gone(4, "Sam", "Lee", None),
    ]
    clever = [
        RosterUser(id="new-a", email="ANA@school.org ", sent_name=RosterName(first="Anna", last="Diaz")),
        RosterUser(id="new-j", email=None, sent_name=RosterName(first="Jose", last="Nunez")),
        RosterUser(id="new-s", email=None, sent_name=RosterName(first="Sam", last="Lee")),
        RosterUser(id="new-x", email="x@school.org", sent_name=RosterName(first="Xi", last="Wu")),
    ]
    found = find_relinks("student", accounts, clever, {}, {a.clever_id for a in accounts if a.clever_id})
    assert found.accounts == {}
    flagged = {problem.clever_id: problem.issue for problem in found.problems}
    assert set(flagged) == {"new-a", "new-j"}
    assert "account 1" in flagged["new-a"] and "same email" in flagged["new-a"]
    assert "account 2" in flagged["new-j"] and "same name" in flagged["new-j"]
