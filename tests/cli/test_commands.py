"""The headless commands, on a demo folder wired to the in-process sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store import RosterStore
from tests.cli.conftest import Run, school_ids


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_import_before_connect_is_a_usage_error_and_writes_nothing(cw: Run, data_dir: Path) -> None:
    before = _snapshot(data_dir)
    result = cw("import", "teachers")
    assert result.exit_code == 2
    assert "Not connected to a Clever district" in result.output
    assert _snapshot(data_dir) == before


def test_connect_with_a_wrong_id_fails_in_one_line(cw: Run, data_dir: Path) -> None:
    before = _snapshot(data_dir)
    result = cw("connect", "000000000000000000000000")
    assert result.exit_code == 1
    assert "no district '000000000000000000000000'" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(data_dir) == before


def test_connect_schools_and_status(cw: Run, district: SandboxDistrict) -> None:
    school = school_ids(district)[1]
    assert cw("connect", district.district_id).exit_code == 0
    listing = cw("schools")
    assert listing.exit_code == 0 and all(s in listing.output for s in district.schools)
    result = cw("connect", district.district_id, "--school", school)
    assert result.exit_code == 0 and district.schools[school]["name"] in result.output
    status = json.loads(cw("status", "--json").output)
    assert [step["state"] for step in status["steps"]][:3] == ["done", "done", "not started"]


def test_import_teachers_twice_makes_no_duplicates(cw: Run, district: SandboxDistrict, data_dir: Path) -> None:
    school = school_ids(district)[0]
    cw("connect", district.district_id, "--school", school)
    dry = cw("import", "teachers", "--dry-run")
    assert dry.exit_code == 0 and dry.output.startswith("Dry run: nothing was written.")
    with RosterStore.open(data_dir) as store:
        assert store.meta().teachers_imported_at is None
        manual = len(store.teachers())
    first = cw("import", "teachers")
    assert first.exit_code == 0 and "Nothing is deleted" in first.output
    second = cw("import", "teachers")
    assert second.exit_code == 0
    assert "0 linked to Clever, 0 new accounts, 0 updated" in second.output
    clever_teachers = district.users_at_school(school, "teacher")
    with RosterStore.open(data_dir) as store:
        teachers = store.teachers()
        linked = [t.clever_id for t in teachers if t.clever_id]
    assert len(linked) == len(set(linked)) == len(clever_teachers)
    assert len(teachers) >= manual  # nothing deleted
    assert len(teachers) == manual + len(clever_teachers) - sum(
        1 for t in teachers if t.clever_id and t.source == "manual"
    )


def test_import_students_and_export(cw: Run, district: SandboxDistrict) -> None:
    school = school_ids(district)[0]
    cw("connect", district.district_id, "--school", school)
    assert cw("import", "students").exit_code == 0
    rows = json.loads(cw("export", "students", "--format", "json").output)
    clever_students = district.users_at_school(school, "student")
    assert len(rows) == len(clever_students)
    assert set(rows[0]) == {
        "id",
        "clever_id",
        "first_name",
        "last_name",
        "email",
        "source",
        "status",
        "grade",
        "school",
    }
    assert all(row["school"] == school and row["source"] == "clever" for row in rows)
    no_email = [u for u in clever_students if not u.get("email")]
    assert sum(1 for row in rows if row["email"] is None) >= len(no_email)
    csv_out = cw("export", "teachers").output.splitlines()
    assert csv_out[0] == "id,clever_id,first_name,last_name,email,source,status"


def test_a_revoked_token_fails_cleanly(cw: Run, district: SandboxDistrict, data_dir: Path, monkeypatch) -> None:
    cw("connect", district.district_id, "--school", school_ids(district)[0])
    monkeypatch.setenv("CLEVER_TOKEN", "not-the-token")
    before = _snapshot(data_dir)
    result = cw("import", "students")
    assert result.exit_code == 1
    assert "refused the token" in result.output and "not-the-token" not in result.output
    assert _snapshot(data_dir) == before


def test_help_works_on_every_command(cw: Run) -> None:
    for args in (
        ["--help"],
        ["connect", "--help"],
        ["import", "--help"],
        ["export", "--help"],
        ["sandbox", "serve", "--help"],
        ["demo", "--help"],
    ):
        result = cw(*args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_connect_to_another_school_after_imports_asks_for_yes_and_writes_nothing(
    cw: Run, district: SandboxDistrict, data_dir: Path
) -> None:
    first, other = school_ids(district)[0], school_ids(district)[1]
    assert cw("connect", district.district_id, "--school", first).exit_code == 0
    assert cw("import", "teachers").exit_code == 0
    before = _snapshot(data_dir)
    refused = cw("connect", district.district_id, "--school", other)
    assert refused.exit_code == 2
    assert "already has" in refused.output and "One school connects to one site" in refused.output
    assert "--yes" in refused.output and len(refused.output.strip().splitlines()) == 1
    assert _snapshot(data_dir) == before
    switched = cw("connect", district.district_id, "--school", other, "--yes")
    assert switched.exit_code == 0, switched.output
    with RosterStore.open(data_dir) as store:
        site = store.site()
        assert site is not None and site.school_id == other


def test_connect_to_the_same_school_again_needs_no_yes(cw: Run, district: SandboxDistrict) -> None:
    school = school_ids(district)[0]
    assert cw("connect", district.district_id, "--school", school).exit_code == 0
    assert cw("import", "students").exit_code == 0
    assert cw("connect", district.district_id, "--school", school).exit_code == 0
