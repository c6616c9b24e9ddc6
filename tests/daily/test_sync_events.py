"""The daily sync on a changing sandbox: a full first run, then runs from the event log."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.daily.events import LOG_START
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from tests.daily.conftest import Daily, Run, Service, opened, snapshot, students_at, teachers_at


def test_sync_before_a_school_is_connected_is_out_of_order(cw: Run, data_dir: Path) -> None:
    before = snapshot(data_dir)
    result = cw("sync")
    assert result.exit_code == 2
    assert "Not connected to a Clever district" in result.output
    assert snapshot(data_dir) == before


def test_first_sync_is_full_and_saves_the_event_position_first(
    cw: Run, connected: str, district: SandboxDistrict, data_dir: Path
) -> None:
    result = cw("sync")
    assert result.exit_code == 0, result.output
    assert "full comparison with Clever: the first sync after setup" in result.output
    with opened(data_dir) as store:
        students, teachers = store.students(), store.teachers()
        meta = store.meta()
        run = store.runs()[0]
    assert {s.clever_id for s in students} == {u["id"] for u in students_at(district, connected)}
    assert {t.clever_id for t in teachers} == {u["id"] for u in teachers_at(district, connected)}
    assert meta.last_event_id == LOG_START and meta.last_sync_at == run.at
    assert run.kind == "sync" and run.detail.startswith("full:")
    assert set(run.parts) == {"teachers", "students"} and run.counts.created == len(students) + len(teachers)


def test_first_sync_after_events_remembers_the_newest_event(
    cw: Run, connected: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.add_student(connected, "Early", "Bird", "2", "early.bird@example.org")
    assert cw("sync").exit_code == 0
    with opened(data_dir) as store:
        assert store.meta().last_event_id == district.latest_event_id()
        assert any(s.email == "early.bird@example.org" for s in store.students())


def _change_the_school(district: SandboxDistrict, school: str) -> dict[str, str]:
    new = district.add_student(school, "Zoë", "Núñez", "4", "zoe.nunez@example.org")
    teacher = teachers_at(district, school)[0]
    district.update_user(teacher["id"], last="Renamed-Smith")
    leaver = students_at(district, school)[0]
    district.delete_user(leaver["id"])
    return {"new": new["id"], "teacher": teacher["id"], "leaver": leaver["id"]}


def test_an_events_run_creates_updates_archives_and_keeps_edits(
    service: Service, cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    edited = students_at(district, synced)[3]
    with service(data_dir) as sync:
        account = next(s for s in sync.store.students() if s.clever_id == edited["id"])
        sync.set_login_email("student", account.id, "picked.in.wizard@example.org")
    district.update_user(edited["id"], email="from.the.sis@example.org", grade="9")
    ids = _change_the_school(district, synced)
    requests, paths = api.request_count, dict(api.path_counts)

    result = cw("sync", "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    asked = {path: n - paths.get(path, 0) for path, n in api.path_counts.items() if n != paths.get(path, 0)}
    # the event log, plus the one fixed request per run for Clever's own state of the district
    assert asked == {"/v3.0/events": 1, f"/v3.0/districts/{district.district_id}": 1}
    assert api.request_count - requests == 2
    assert summary["mode"] == "events" and summary["events_read"] == 4 and not summary["held"]
    assert summary["counts"]["students"]["created"] == 1 and summary["counts"]["students"]["archived"] == 1
    assert summary["counts"]["teachers"]["updated"] == 1
    kept = summary["kept_edits"]
    assert kept == [
        {
            "account_id": account.id,
            "name": f"{edited['name']['first']} {edited['name']['last']}",
            "field": "email",
            "kept": "picked.in.wizard@example.org",
            "clever_value": "from.the.sis@example.org",
            "edited": True,  # typed in the wizard, not a login kept from before Clever
        }
    ]
    with opened(data_dir) as store:
        by_clever = {a.clever_id: a for a in [*store.students(), *store.teachers()]}
        assert store.meta().last_event_id == district.latest_event_id()
    assert by_clever[ids["new"]].email == "zoe.nunez@example.org" and by_clever[ids["new"]].status == "active"
    assert by_clever[ids["teacher"]].last_name == "Renamed-Smith"
    assert by_clever[ids["leaver"]].status == "archived"  # archived, never deleted
    assert by_clever[edited["id"]].email == "picked.in.wizard@example.org"
    assert by_clever[edited["id"]].grade == "9" and by_clever[edited["id"]].clever_email == "from.the.sis@example.org"


def test_the_text_output_reports_kept_edits_and_problems_one_line_each(
    service: Service, cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    edited = students_at(district, synced)[5]
    with service(data_dir) as sync:
        account = next(s for s in sync.store.students() if s.clever_id == edited["id"])
        sync.set_login_email("student", account.id, "kept@example.org")
    district.update_user(edited["id"], email="sis@example.org")
    district.add_student(synced, None, "Nofirst", "3", None)
    result = cw("sync", "--verbose")  # every record; without it, one line per kind of problem
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Sync: changes from Clever's event log: 2 events since the last sync."
    assert "kept edited email for" in result.output and "kept@example.org (Clever has sis@example.org)" in result.output
    problems = [line for line in lines if line.startswith("problem: student")]
    assert any("No first name in Clever" in line and "(Clever id " in line for line in problems)
    assert lines[-1].startswith("Saved as run ")


def test_processing_the_same_events_again_changes_nothing(
    daily: Daily, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    with opened(data_dir) as store:
        position = store.meta().last_event_id
    _change_the_school(district, synced)
    first = daily(data_dir)
    assert first.mode == "events" and first.changes == 3
    with opened(data_dir) as store:
        accounts = (store.path.read_bytes(), store.teachers(), store.students(), store.matches())
        with store.transaction() as tx:
            tx.meta.last_event_id = position  # as if the run had not saved its position
    again = daily(data_dir)
    assert again.mode == "events" and again.events_read == first.events_read
    assert again.changes == 0 and all(plan.changes == [] for plan in again.plans.values())
    with opened(data_dir) as store:
        assert (store.teachers(), store.students(), store.matches()) == accounts[1:]
    nothing_new = daily(data_dir)
    assert nothing_new.mode == "events" and nothing_new.events_read == 0 and nothing_new.changes == 0


def test_a_person_moved_to_another_school_is_archived_and_restored_when_back(
    daily: Daily, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    other = [s for s in district.schools if s != synced][0]
    student = students_at(district, synced)[1]
    role = district.users[student["id"]]["roles"]["student"]
    role.update(school=other, schools=[other])
    district.update_user(student["id"], grade=role["grade"])  # logs the record as it is now
    moved = daily(data_dir)
    assert moved.plans["students"].counts.archived == 1
    role.update(school=synced, schools=[synced])
    district.update_user(student["id"], grade=role["grade"])
    back = daily(data_dir)
    assert back.plans["students"].counts.restored == 1
    with opened(data_dir) as store:
        assert next(s for s in store.students() if s.clever_id == student["id"]).status == "active"
