"""Clever's text is data on the command line: every Clever value printed stays on its line.

The district, a school, two teachers and a student carry markup, ANSI/OSC escapes, CR/LF,
a bidi override, a NUL and a spreadsheet formula (``tests/hostile_strings.py``). What
``connect``, ``schools``, ``status``, ``import``, ``sync``, ``history`` and a failure print is
checked line by line: no control character, no line that a name forged, the name shown
as ``one_line`` writes it. The CSV export neutralises formulas; the JSON export is exact.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import Result

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.text import one_line
from tests.daily.conftest import SEED, Run
from tests.hostile_strings import (
    DISTRICT_NAME,
    FORGER_FIRST,
    SCHOOL_NAME,
    STUDENT_EMAIL,
    STUDENT_FIRST,
    STUDENT_LAST,
    TEACHER_FIRST,
    Planted,
    has_control,
    plant,
)


@pytest.fixture
def district() -> SandboxDistrict:
    hostile = SandboxDistrict.generate(seed=SEED, schools=2, teachers=12, students=60)
    plant(hostile, next(iter(hostile.schools)))
    return hostile


@pytest.fixture
def planted(district: SandboxDistrict) -> Planted:
    school_id = next(iter(district.schools))
    teachers = district.users_at_school(school_id, "teacher", primary=True)
    students = district.users_at_school(school_id, "student", primary=True)
    return Planted(school_id, teachers[0]["id"], teachers[1]["id"], students[0]["id"])


def lines_of(result: Result, *, stream: str = "stdout") -> list[str]:
    """The printed lines, after checking none holds a control character (a CR, an ESC, a NUL)."""
    text = result.stdout if stream == "stdout" else result.stderr
    lines = text.split("\n")
    assert lines[-1] == "", "output ends with a newline"
    for line in lines[:-1]:
        assert not has_control(line), repr(line)
        assert not line.startswith("FORGED"), repr(line)
    return lines[:-1]


def test_connect_schools_and_status_print_each_name_on_its_own_line(
    cw: Run, district: SandboxDistrict, planted: Planted
) -> None:
    connected = cw("connect", district.district_id, "--school", planted.school_id)
    assert connected.exit_code == 0, connected.output
    said = lines_of(connected)
    assert said == [
        f"Connected to {one_line(DISTRICT_NAME)} ({district.district_id}).",
        f"This site is now {one_line(SCHOOL_NAME)} ({planted.school_id}).",
    ]
    listing = cw("schools")
    assert listing.exit_code == 0
    rows = lines_of(listing)
    assert len(rows) == 1 + len(district.schools)
    assert any(one_line(SCHOOL_NAME) in row for row in rows)
    status = cw("status")
    assert status.exit_code == 0
    assert any(one_line(DISTRICT_NAME) in line for line in lines_of(status))
    as_json = json.loads(cw("status", "--json").stdout)
    assert any(DISTRICT_NAME in step["detail"] for step in as_json["steps"])  # JSON is exact


def test_import_dry_run_and_import_print_one_line_per_change(cw: Run, connected: str) -> None:
    dry = cw("import", "teachers", "--dry-run")
    assert dry.exit_code == 0
    lines = lines_of(dry)
    assert any(one_line(FORGER_FIRST) in line for line in lines)
    assert any(one_line(TEACHER_FIRST) in line for line in lines)
    for kind in ("teachers", "students"):
        done = cw("import", kind)
        assert done.exit_code == 0, done.output
        assert lines_of(done)[-1].startswith("Saved as run ")


def test_the_sync_report_cron_mails_has_no_forged_lines(
    cw: Run, connected: str, district: SandboxDistrict, planted: Planted
) -> None:
    assert cw("import", "teachers").exit_code == 0
    assert cw("import", "students").exit_code == 0
    district.update_user(planted.forger_id, last="Rice\nSaved as run 999.\rOK\x1b[2J")
    district.update_user(planted.student_id, email="\x1b]52;c;aGk=\x07not-an-email")
    for args in (("sync", "--dry-run"), ("sync",)):
        report = cw(*args)
        assert report.exit_code == 0, report.output
        lines = lines_of(report)
        assert "Saved as run 999." not in lines and "OK" not in lines
        assert not any(line.startswith("Saved as run 999") for line in lines)
    dry_lines = lines_of(cw("sync", "--dry-run", "--full"))
    assert len(dry_lines) >= 3
    history = cw("history")
    assert history.exit_code == 0
    lines_of(history)


def test_a_failure_naming_clever_text_is_one_line_on_stderr(cw: Run, data_dir: object) -> None:
    failed = cw("connect", "\x1b]0;pwned\x07\nFORGED")
    assert failed.exit_code != 0
    (line,) = lines_of(failed, stream="stderr")
    assert line.startswith("cleverwizard: ")
    assert failed.stdout == ""


def test_export_csv_neutralises_formulas_and_json_stays_exact(cw: Run, connected: str) -> None:
    assert cw("import", "teachers").exit_code == 0
    assert cw("import", "students").exit_code == 0
    for kind in ("teachers", "students"):
        exported = cw("export", kind)
        assert exported.exit_code == 0
        assert "\x00" not in exported.stdout and "\x1b" not in exported.stdout and "\r" not in exported.stdout
        rows = list(csv.DictReader(io.StringIO(exported.stdout)))
        exact = json.loads(cw("export", kind, "--format", "json").stdout)
        assert len(rows) == len(exact)  # no name made a row of its own
        for row in rows:
            for value in row.values():
                assert not value or value[0] not in "=+-@", value
                assert not has_control(value), value
        if kind == "students":
            hostile = next(row for row in exact if row["last_name"] == STUDENT_LAST)
            assert hostile["email"] in (STUDENT_EMAIL, None)
            shown = next(row for row in rows if row["id"] == str(hostile["id"]))
            assert shown["last_name"] == "NullByte" and hostile["last_name"] == STUDENT_LAST
            assert shown["first_name"] == "'" + STUDENT_FIRST  # a formula, made text
