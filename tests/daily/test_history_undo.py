"""History lists every applied run; undo reverts one where nothing later depends on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store.models import Section
from tests.daily.conftest import Daily, Run, Service, opened, snapshot, students_at, teachers_at


def test_history_lists_runs_newest_first_with_who_started_them(
    cw: Run, connected: str, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cw("history").output.strip() == "No imports or syncs yet."
    assert cw("import", "teachers").exit_code == 0
    monkeypatch.setenv("CLEVERWIZARD_STARTED_BY", "schedule")
    assert cw("sync").exit_code == 0
    district.add_student(connected, "New", "Kid", "3", "new.kid@example.org")
    assert cw("sync", "--started-by", "cli").exit_code == 0
    rows = json.loads(cw("history", "--json").output)
    assert [(r["id"], r["kind"], r["started_by"]) for r in rows] == [
        (3, "sync", "cli"),
        (2, "sync", "schedule"),
        (1, "import teachers", "cli"),
    ]
    assert rows[0]["counts"]["created"] == 1 and rows[0]["parts"]["students"]["created"] == 1
    assert rows[0]["detail"] == "events: 1 event since the last sync"
    assert rows[1]["counts"]["flagged"] == len(rows[1]["problems"]) > 0
    assert set(rows[0]) == {"id", "at", "started_by", "kind", "detail", "counts", "parts", "problems"}
    text = cw("history").output.splitlines()
    assert text[0].split()[:4] == ["RUN", "WHEN", "STARTED", "BY"]
    assert text[1].split()[0] == "3" and text[1].split()[2:4] == ["cli", "sync"]


def test_undo_reverts_a_sync_and_is_itself_a_run(
    daily: Daily, cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    with opened(data_dir) as store:
        accounts = (store.teachers(), store.students())
    teacher = teachers_at(district, synced)[0]
    district.update_user(teacher["id"], last="Renamed")
    district.delete_user(students_at(district, synced)[0]["id"])
    district.add_student(synced, "New", "Kid", "3", "new.kid@example.org")
    synced_run = daily(data_dir).run_id
    assert synced_run is not None

    result = cw("undo", str(synced_run))

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Undo of run {synced_run} (sync, ")
    assert "put back 2 records, removed 1 it created, left 0 as they are" in result.output
    assert "removed: student New Kid" in result.output
    with opened(data_dir) as store:
        assert (store.teachers(), store.students()) == accounts
        undo = store.runs()[0]
    assert undo.kind == "undo" and undo.detail.startswith(f"undo of run {synced_run}:")
    again = cw("undo", str(synced_run))
    assert again.exit_code == 1 and f"changed again by run {undo.id}" in again.output
    assert "nothing was reverted" in again.output
    redo = cw("undo", str(undo.id))  # an undo can be undone
    assert redo.exit_code == 0
    with opened(data_dir) as store:
        assert any(s.email == "new.kid@example.org" for s in store.students())


def test_undo_leaves_what_a_later_run_or_the_wizard_changed(
    daily: Daily, service: Service, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    teacher = teachers_at(district, synced)[0]
    pupil = students_at(district, synced)[2]
    district.update_user(teacher["id"], last="First-Rename")
    district.update_user(pupil["id"], grade="7")
    newcomer = district.add_student(synced, "New", "Kid", "3", "new.kid@example.org")
    first = daily(data_dir).run_id
    district.update_user(teacher["id"], last="Second-Rename")
    later = daily(data_dir).run_id
    with service(data_dir) as sync:
        account = next(s for s in sync.store.students() if s.clever_id == pupil["id"])
        sync.set_login_email("student", account.id, "typed.in.wizard@example.org")
        report = sync.undo(first)
    reasons = {item.name.split(" (#")[0]: item.reason for item in report.refused}
    assert reasons == {
        f"{teacher['name']['first']} Second-Rename": f"changed again by run {later}",
        f"{pupil['name']['first']} {pupil['name']['last']}": "changed since (edited in the wizard)",
    }
    assert [(item.action, item.name.split(" (#")[0]) for item in report.reverted] == [("removed", "New Kid")]
    with opened(data_dir) as store:
        assert newcomer["id"] not in {s.clever_id for s in store.students()}
        assert next(t for t in store.teachers() if t.clever_id == teacher["id"]).last_name == "Second-Rename"


def test_undo_keeps_an_account_a_section_lists_and_refuses_a_taken_email(
    daily: Daily, service: Service, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    pupil, other = students_at(district, synced)[6], students_at(district, synced)[7]
    district.update_user(pupil["id"], email="old.address@example.org")
    daily(data_dir)
    newcomer = district.add_student(synced, "New", "Kid", "3", "new.kid@example.org")
    district.update_user(pupil["id"], email="new.address@example.org")
    run_id = daily(data_dir).run_id
    with service(data_dir) as sync:
        people = {s.clever_id: s for s in sync.store.students()}
        with sync.store.transaction() as tx:
            tx.put_sections([Section(id=tx.next_section_id(), name="Math 3", student_ids=[people[newcomer["id"]].id])])
        sync.set_login_email("student", people[other["id"]].id, "old.address@example.org")
        before = sync.store.path.read_bytes()
        report = sync.undo(run_id)
    assert {item.reason for item in report.refused} == {
        "it is in section Math 3",
        "its login email old.address@example.org now belongs to another account",
    }
    assert report.reverted == [] and report.undo_run_id is None
    with opened(data_dir) as store:
        assert store.path.read_bytes() == before


def test_undo_of_an_import_removes_its_accounts(cw: Run, connected: str, data_dir: Path) -> None:
    assert cw("import", "students").exit_code == 0
    with opened(data_dir) as store:
        assert store.students()
    result = cw("undo", "1", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["undo_run_id"] == 2 and summary["not_reverted"] == []
    assert {item["action"] for item in summary["reverted"]} == {"removed"}
    with opened(data_dir) as store:
        assert store.students() == []


def test_undo_of_an_unknown_run_is_a_usage_error(cw: Run, synced: str, data_dir: Path) -> None:
    before = snapshot(data_dir)
    result = cw("undo", "99")
    assert result.exit_code == 2 and "There is no run 99" in result.output
    assert snapshot(data_dir) == before


def test_undoing_the_later_run_first_lets_the_earlier_one_be_undone(
    daily: Daily, service: Service, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    with opened(data_dir) as store:
        accounts = (store.teachers(), store.students())
    teacher = teachers_at(district, synced)[0]
    district.update_user(teacher["id"], last="First-Rename")
    newcomer = district.add_student(synced, "New", "Kid", "3", "new.kid@example.org")
    first = daily(data_dir).run_id
    district.update_user(teacher["id"], last="Second-Rename")
    district.update_user(newcomer["id"], grade="4")
    second = daily(data_dir).run_id
    assert first is not None and second is not None
    with service(data_dir) as sync:
        too_early = sync.undo(first)
        assert too_early.reverted == [] and {i.reason for i in too_early.refused} == {f"changed again by run {second}"}
        assert sync.undo(second).refused == []  # both records are back exactly as run `first` left them

        report = sync.undo(first)

    assert report.refused == [] and report.undo_run_id is not None
    assert sorted((item.action, item.name.split(" (#")[0]) for item in report.reverted) == [
        ("put back", f"{teacher['name']['first']} First-Rename"),
        ("removed", "New Kid"),
    ]
    with opened(data_dir) as store:
        assert (store.teachers(), store.students()) == accounts


def test_a_record_edited_after_the_later_run_was_undone_still_stays(
    daily: Daily, service: Service, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    pupil, other = students_at(district, synced)[2], students_at(district, synced)[3]
    with opened(data_dir) as store:
        original = next(s for s in store.students() if s.clever_id == other["id"])
    district.update_user(pupil["id"], grade="7")
    district.update_user(other["id"], grade="7")
    first = daily(data_dir).run_id
    district.update_user(pupil["id"], grade="8")
    district.update_user(other["id"], grade="8")
    second = daily(data_dir).run_id
    assert first is not None and second is not None
    with service(data_dir) as sync:
        assert sync.undo(second).refused == []
        account = next(s for s in sync.store.students() if s.clever_id == pupil["id"])
        sync.set_login_email("student", account.id, "typed.after.the.undo@example.org")
        report = sync.undo(first)
    assert [(item.name.split(" (#")[0], item.reason) for item in report.refused] == [
        (f"{pupil['name']['first']} {pupil['name']['last']}", "changed since (edited in the wizard)")
    ]
    assert [item.name.split(" (#")[0] for item in report.reverted] == [
        f"{other['name']['first']} {other['name']['last']}"
    ]
    with opened(data_dir) as store:
        now = {s.clever_id: s for s in store.students()}
    assert (now[pupil["id"]].grade, now[pupil["id"]].email) == ("7", "typed.after.the.undo@example.org")
    assert now[other["id"]] == original
