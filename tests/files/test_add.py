"""``cleverwizard add``: the platform's own accounts and courses from a CSV, before or after connect."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.sandbox import SandboxDistrict
from tests.daily.conftest import Run, opened, snapshot, teachers_at
from tests.files.conftest import GOOGLE_HEADER, WriteCsv


def google_row(first: str, last: str, email: str, employee_id: str = "") -> list[str]:
    return [first, last, email, "****", "/Staff/Teachers", employee_id, "someone@gmail.com"]


def test_a_google_workspace_export_with_a_bom_adds_teachers_before_connect(
    cw: Run, data_dir: Path, write_csv: WriteCsv
) -> None:
    path = write_csv(
        "google-users.csv",
        GOOGLE_HEADER,
        [google_row("Ada", "Lovelace", "ada@school.org", "E7"), google_row("José", "Núñez", "jose@school.org")],
        bom=True,
    )
    dry = cw("add", "teachers", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[:2] == [
        "Dry run: nothing was written.",
        "google-users.csv: 2 new teachers, 0 already there. Nothing is deleted.",
    ]
    assert "columns not used: Password [Required], Org Unit Path [Required], Recovery Email" in dry.stdout
    with opened(data_dir) as store:
        assert store.teachers() == [] and store.runs() == []

    result = cw("add", "teachers", str(path))
    assert result.exit_code == 0, result.output
    assert "  new teacher: José Núñez <jose@school.org>" in result.stdout
    with opened(data_dir) as store:
        teachers = store.teachers()
        assert [(t.first_name, t.last_name, t.email, t.sis_id, t.source, t.clever_id) for t in teachers] == [
            ("Ada", "Lovelace", "ada@school.org", "E7", "manual", None),
            ("José", "Núñez", "jose@school.org", None, "manual", None),
        ]
        assert store.site() is None
    history = json.loads(cw("history", "--json").output)
    assert [(r["kind"], r["counts"]["created"]) for r in history] == [("add teachers", 2)]
    assert history[0]["detail"] == "2 added from google-users.csv, 0 already there"


def test_a_bad_file_lists_every_bad_row_and_writes_nothing(cw: Run, data_dir: Path, write_csv: WriteCsv) -> None:
    cw("add", "teachers", str(write_csv("first.csv", ["email", "first_name", "last_name"], [["x@s.org", "X", "Y"]])))
    before = snapshot(data_dir)
    path = write_csv(
        "staff.csv",
        ["First_Name", "LAST NAME", "email address"],
        [
            ["Ada", "Lovelace", "ada@school.org"],
            ["", "Hopper", "grace@school.org"],
            ["Alan", "Turing", "alan at school"],
            [],
            ["Ada", "King", "ADA@School.org"],
        ],
    )
    result = cw("add", "teachers", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "staff.csv: 3 bad rows; nothing is added until every row is good.",
        "  bad row: line 3: no first name (Hopper <grace@school.org>)",
        "  bad row: line 4: 'alan at school' is not an email address (Alan Turing <alan at school>)",
        "  bad row: line 6: same email as line 2 (Ada King <ADA@School.org>)",
    ]
    assert result.stderr.splitlines() == [
        "cleverwizard: staff.csv has 3 bad rows (listed above); fix them and try again. Nothing was written."
    ]
    assert snapshot(data_dir) == before


def test_a_file_without_a_needed_column_or_not_utf8_fails_in_one_line(
    cw: Run, data_dir: Path, write_csv: WriteCsv, tmp_path: Path
) -> None:
    before = snapshot(data_dir)
    no_email = cw("add", "students", str(write_csv("s.csv", ["First Name", "Last Name", "Grade"], [["A", "B", "3"]])))
    assert no_email.exit_code == 1
    assert no_email.stderr == (
        "cleverwizard: The file has no email (Email Address) column; its columns are: First Name, Last Name, Grade\n"
    )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("first_name,last_name,email\nJos\xe9,N,j@s.org\n".encode("latin-1"))
    not_utf8 = cw("add", "students", str(latin1))
    assert not_utf8.exit_code == 1 and len(not_utf8.stderr.splitlines()) == 1
    assert "is not UTF-8 text; save it as CSV UTF-8" in not_utf8.stderr
    missing = cw("add", "students", str(tmp_path / "nowhere.csv"))
    assert missing.exit_code == 1 and "There is no file" in missing.stderr
    assert snapshot(data_dir) == before


def test_adding_twice_adds_nothing_and_an_existing_login_in_any_case_is_already_there(
    cw: Run, data_dir: Path, write_csv: WriteCsv
) -> None:
    path = write_csv(
        "students.csv",
        ["first_name", "last_name", "email", "sis_id", "grade"],
        [["Mia", "Wong", "mia@students.org", "S1", "3"], ["Leo", "Diaz", "leo@students.org", "", "Kindergarten"]],
    )
    assert cw("add", "students", str(path)).exit_code == 0
    before = snapshot(data_dir)
    again = cw("add", "students", str(path))
    assert again.exit_code == 0
    assert "students.csv: 0 new students, 2 already there." in again.stdout
    assert "already there: line 2: Mia Wong <mia@students.org> (already the login of Mia Wong)" in again.stdout
    assert again.stdout.splitlines()[-1] == "Nothing to add: every row is already there."
    assert snapshot(data_dir) == before
    upper = write_csv("upper.csv", ["first_name", "last_name", "email"], [["Mia", "Wong", "MIA@Students.ORG"]])
    assert "0 new students, 1 already there" in cw("add", "students", str(upper)).stdout
    with opened(data_dir) as store:
        assert [(s.grade, s.sis_id) for s in store.students()] == [("3", "S1"), ("Kindergarten", None)]
        assert len(store.runs()) == 1


def test_undo_removes_the_added_accounts(cw: Run, data_dir: Path, write_csv: WriteCsv) -> None:
    path = write_csv("t.csv", ["first_name", "last_name", "email"], [["A", "B", "a@s.org"], ["C", "D", "c@s.org"]])
    assert cw("add", "teachers", str(path)).exit_code == 0
    result = cw("undo", "1")
    assert result.exit_code == 0, result.output
    assert "removed 2 it created" in result.stdout and "Clever itself" not in result.stdout
    with opened(data_dir) as store:
        assert store.teachers() == []
    assert cw("add", "teachers", str(path)).exit_code == 0  # and the file can be added again
    with opened(data_dir) as store:
        assert [t.id for t in store.teachers()] == [3, 4]  # ids are never reused


def test_courses_from_a_file_with_title_and_course_code(cw: Run, data_dir: Path, write_csv: WriteCsv) -> None:
    path = write_csv(
        "catalogue.csv",
        ["Title", "Course Code", "Subject", "Credits"],
        [["Algebra I", "MA1", "math", "1"], ["Art", "", "", ""]],
    )
    result = cw("add", "courses", str(path))
    assert result.exit_code == 0, result.output
    assert "new course: Algebra I (MA1)" in result.stdout and "columns not used: Credits" in result.stdout
    assert "0 new courses, 2 already there" in cw("add", "courses", str(path)).stdout
    with opened(data_dir) as store:
        assert [(c.name, c.number, c.subject) for c in store.courses()] == [
            ("Algebra I", "MA1", "math"),
            ("Art", None, None),
        ]
    bad = write_csv("bad.csv", ["name", "number"], [["", "X1"], ["Art", ""], ["art", ""]])
    failed = cw("add", "courses", str(bad))
    assert failed.exit_code == 1
    assert failed.stdout.splitlines()[1:] == [
        "  bad row: line 2: no name (X1)",
        "  bad row: line 4: same course as line 3 (art)",
    ]


def test_file_text_is_printed_as_data_on_one_line(cw: Run, write_csv: WriteCsv) -> None:
    path = write_csv("t.csv", ["first_name", "last_name", "email"], [["\x1b[31mEve", "B\u202eC", "eve@s.org"]])
    result = cw("add", "teachers", str(path), "--dry-run")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "new teacher: \\x1b[31mEve B\\u202eC <eve@s.org>" in result.stdout


def test_accounts_added_from_a_file_are_what_import_teachers_links(
    cw: Run, data_dir: Path, write_csv: WriteCsv, district: SandboxDistrict, school: str, connected: str
) -> None:
    clever = [t for t in teachers_at(district, school) if t.get("email")][:3]
    rows = [google_row(t["name"]["first"] + "x", t["name"]["last"], t["email"].upper()) for t in clever]
    assert cw("add", "teachers", str(write_csv("staff.csv", GOOGLE_HEADER, rows))).exit_code == 0
    result = cw("import", "teachers")
    assert result.exit_code == 0, result.output
    with opened(data_dir) as store:
        teachers = store.teachers()
        added = [t for t in teachers if t.id <= 3]
        assert {t.clever_id for t in added} == {t["id"] for t in clever}
        assert all(t.source == "manual" and t.email == t.clever_email.upper() for t in added if t.clever_email)
        assert len(teachers) == len(teachers_at(district, school))  # linked, not a second account
        assert len({t.clever_id for t in teachers}) == len(teachers)
