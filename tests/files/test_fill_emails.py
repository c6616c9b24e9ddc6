"""``cleverwizard emails fill``: login emails for the accounts without one, by pattern or from a file."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.sandbox import SandboxDistrict
from tests.daily.conftest import Run, opened, snapshot
from tests.files.conftest import WriteCsv

PATTERN = "{first}.{last}@students.school.org"


def _import_students(cw: Run, district: SandboxDistrict, school: str) -> None:
    """Two students with the same name and no email, one whose name is all accents, then import."""
    district.add_student(school, "Sam", "Lee", "4", None)
    district.add_student(school, "Sam", "Lee", "5", None)
    district.add_student(school, "Zoë", "Ñúñez-O'Brien", "5", None, sis_id="S-77")
    district.add_student(school, "", "Nameless", "5", None)
    assert cw("import", "students").exit_code == 0


def _missing(data_dir: Path) -> list[str]:
    with opened(data_dir) as store:
        return sorted(s.full_name for s in store.students() if not s.email)


def test_fill_by_pattern_sets_unique_emails_and_lists_collisions(
    cw: Run, data_dir: Path, district: SandboxDistrict, connected: str
) -> None:
    _import_students(cw, district, connected)
    before_names = _missing(data_dir)
    before = snapshot(data_dir)
    dry = cw("emails", "fill", "students", "--pattern", PATTERN, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert snapshot(data_dir) == before
    lines = dry.stdout.splitlines()
    assert lines[0] == "Dry run: nothing was written."
    sets = [line for line in lines if line.startswith("  set: ")]
    cant = [line for line in lines if line.startswith("  can't fill: ")]
    assert len(sets) + len(cant) == len(before_names)
    assert "  set: Zoë Ñúñez-O'Brien: zoe.nunezobrien@students.school.org" in sets
    assert "  can't fill: Sam Lee: sam.lee@students.school.org would also be the email of Sam Lee" in cant
    assert "  can't fill: Nameless: no first name to build it from" in cant

    result = cw("emails", "fill", "students", "--pattern", PATTERN)
    assert result.exit_code == 0, result.output
    left = _missing(data_dir)
    assert len(left) == len(cant) and {"Nameless", "Sam Lee"} <= set(left) and left.count("Sam Lee") == 2
    with opened(data_dir) as store:
        zoe = next(s for s in store.students() if s.last_name == "Ñúñez-O'Brien")
        assert zoe.email == "zoe.nunezobrien@students.school.org" and "email" in zoe.edited
        run = store.runs()[0]
        assert run.kind == "fill emails" and run.counts.updated == len(sets)
    again = cw("emails", "fill", "students", "--pattern", PATTERN)
    assert "0 would get one" in again.stdout and again.stdout.splitlines()[-1].startswith("Nothing to fill")


def test_a_filled_email_stays_through_a_sync_and_undo_puts_it_back(
    cw: Run, data_dir: Path, district: SandboxDistrict, connected: str
) -> None:
    _import_students(cw, district, connected)
    assert cw("emails", "fill", "students", "--pattern", PATTERN).exit_code == 0
    with opened(data_dir) as store:
        zoe = next(s for s in store.students() if s.last_name == "Ñúñez-O'Brien")
    district.update_user(zoe.clever_id, email="zoe.sis@school.org")
    assert cw("sync").exit_code == 0
    with opened(data_dir) as store:
        assert store.student(zoe.id).email == "zoe.nunezobrien@students.school.org"  # type: ignore[union-attr]
    fill_run = next(r for r in json.loads(cw("history", "--json").output) if r["kind"] == "fill emails")
    undone = cw("undo", str(fill_run["id"]))
    assert undone.exit_code == 0, undone.output
    with opened(data_dir) as store:
        others = [s for s in store.students() if s.id != zoe.id and "email" in s.edited]
        assert others == []  # every fill the sync did not build on is put back


def test_fill_from_a_file_matches_by_sis_id_then_by_a_name_only_one_account_has(
    cw: Run, data_dir: Path, district: SandboxDistrict, connected: str, write_csv: WriteCsv
) -> None:
    _import_students(cw, district, connected)
    with opened(data_dir) as store:
        taken = next(s.email for s in store.students() if s.email)
        other = sorted((s for s in store.students() if not s.email and s.first_name != "Sam"), key=lambda s: s.id)[1]
    path = write_csv(
        "google-users.csv",
        ["First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Employee ID"],
        [
            ["Zoe", "Nunez", "zoe@students.school.org", "S-77"],
            ["Sam", "Lee", "sam@students.school.org", ""],
            [other.first_name, other.last_name, taken, ""],
            ["Not", "Here", "not.here@students.school.org", ""],
        ],
    )
    dry = cw("emails", "fill", "students", "--from", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "  set: Zoë Ñúñez-O'Brien: zoe@students.school.org" in dry.stdout
    assert (
        "  can't fill: Sam Lee (line 3): the name fits 2 accounts; add their SIS ids (sis_id or Employee ID) to the file"
        in dry.stdout
    )
    assert f"  can't fill: {other.full_name}: {taken} is already the login of" in dry.stdout
    assert dry.stdout.count("  set: ") == 1
    assert cw("emails", "fill", "students", "--from", str(path)).exit_code == 0
    with opened(data_dir) as store:
        assert [s.email for s in store.students() if s.sis_id == "S-77"] == ["zoe@students.school.org"]


def test_fill_needs_exactly_one_source_and_a_usable_pattern(cw: Run, data_dir: Path) -> None:
    before = snapshot(data_dir)
    neither = cw("emails", "fill", "students")
    assert neither.exit_code == 2 and len(neither.stderr.splitlines()) == 1
    unknown = cw("emails", "fill", "teachers", "--pattern", "{firstname}@school.org")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("cleverwizard: The pattern has {firstname}; it can use {first}, {last}")
    assert cw("emails", "fill", "teachers", "--pattern", "{first}.{last}").exit_code == 2
    assert snapshot(data_dir) == before
