"""The guard: a run that would archive or update too much writes nothing and exits 3."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.daily.guard import MIN_AFFECTED, check_plan
from cleverwizard.people.plan import FieldChange, Plan, PlannedChange
from cleverwizard.sandbox import SandboxDistrict
from tests.daily.conftest import Run, opened, snapshot, students_at, teachers_at
from tests.sync.factories import student


def test_archiving_too_many_is_held_then_forced(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    leavers = students_at(district, synced)[:8]
    for leaver in leavers:
        district.delete_user(leaver["id"])
    before = snapshot(data_dir)

    held = cw("sync")

    assert held.exit_code == 3
    assert "Held: nothing was written because it would archive 8 of 61 linked students (13%" in held.output
    assert "--force" in held.output and "Traceback" not in held.output
    assert snapshot(data_dir) == before
    held_json = cw("sync", "--json")
    assert held_json.exit_code == 3 and snapshot(data_dir) == before
    summary = json.loads(held_json.stdout)
    assert summary["held"] and summary["run_id"] is None
    assert summary["guard"] == [
        {
            "kind": "student",
            "action": "archive",
            "count": 8,
            "base": 61,
            "limit": 0.1,
            "percent": 13.1,
            "limit_percent": 10.0,
        }
    ]

    forced = cw("sync", "--force")

    assert forced.exit_code == 0, forced.output
    assert "Applied with --force although it would archive 8 of 61" in forced.output
    with opened(data_dir) as store:
        archived = {s.clever_id for s in store.students() if s.status == "archived"}
    assert archived == {leaver["id"] for leaver in leavers}


def test_renaming_most_teachers_is_held(cw: Run, synced: str, district: SandboxDistrict, data_dir: Path) -> None:
    teachers = teachers_at(district, synced)
    for n, teacher in enumerate(teachers):
        district.update_user(teacher["id"], last=f"Renamed{n}")
    before = snapshot(data_dir)
    result = cw("sync")
    assert result.exit_code == 3
    assert (
        f"it would update {len(teachers)} of {len(teachers)} linked teachers (100%, the limit is 75%)" in result.output
    )
    assert snapshot(data_dir) == before


def _plan(archives: int) -> Plan:
    plan = Plan(kind="student", school_id="s", base_revision=0)
    plan.changes = [
        PlannedChange(action="archive", kind="student", account_id=i, diffs=[FieldChange(field="status")])
        for i in range(archives)
    ]
    return plan


def _linked(count: int) -> list:
    return [student(i, "Kid", str(i), clever_id=f"c{i}") for i in range(count)]


def test_small_schools_are_not_held_over_a_couple_of_people() -> None:
    assert MIN_AFFECTED == 3
    assert check_plan(_plan(1), _linked(5)) == []  # 20%, but one person
    assert check_plan(_plan(2), _linked(8)) == []  # 25%, but two people
    held = check_plan(_plan(3), _linked(20))  # 15% of 20
    assert [(f.action, f.count, f.base) for f in held] == [("archive", 3, 20)]
    assert check_plan(_plan(3), _linked(30)) == []  # exactly 10% is not more than 10%
    assert check_plan(_plan(3), []) == []  # nothing linked yet: nothing to measure against
