"""``export sections|courses|enrollments`` and ``export oneroster``, read back the way a consumer would."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from cleverwizard.files.oneroster import GRADE_CODES, HEADERS, oneroster_grade
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store.models import Section
from tests.daily.conftest import Run, opened
from tests.files.conftest import WriteCsv

SPEC_HEADERS = {
    "manifest.csv": "propertyName,value",
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
    "courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
    "classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users.csv": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
}


@pytest.fixture
def roster(cw: Run, connected: str, district: SandboxDistrict, write_csv: WriteCsv) -> str:
    """Connected, one Clever course in the platform catalogue, everyone and every section imported."""
    course = next(iter(district.courses.values()))
    catalogue = write_csv("courses.csv", ["title", "course_code"], [[course["name"], course["number"]]])
    for args in (
        ("add", "courses", str(catalogue)),
        ("import", "teachers"),
        ("import", "students"),
        ("import", "sections"),
    ):
        result = cw(*args)
        assert result.exit_code == 0, result.output
    return connected


def _read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_sections_courses_and_enrollments_exported(cw: Run, roster: str, data_dir: Path) -> None:
    with opened(data_dir) as store:
        sections = store.sections()
        courses = store.courses()
    header, rows = _read(cw("export", "sections").stdout)
    assert header == ["id", "clever_id", "name", "course_id", "term", "status"]
    assert [(int(r["id"]), r["clever_id"], r["name"], r["term"]) for r in rows] == [
        (s.id, s.clever_id, s.name, s.term_name) for s in sections
    ]
    as_json = json.loads(cw("export", "sections", "--format", "json").stdout)
    assert [r["course_id"] for r in as_json] == [s.course_id for s in sections]
    assert any(r["course_id"] is not None for r in as_json) and any(r["course_id"] is None for r in as_json)
    header, rows = _read(cw("export", "courses").stdout)
    assert header == ["id", "name", "number", "subject", "status"]
    assert [(r["name"], r["status"]) for r in rows] == [(c.name, "active") for c in courses]
    header, rows = _read(cw("export", "enrollments").stdout)
    assert header == ["section_id", "account_id", "role"]
    expected = {(s.id, i, "teacher") for s in sections for i in s.teacher_ids}
    expected |= {(s.id, i, "student") for s in sections for i in s.student_ids}
    assert {(int(r["section_id"]), int(r["account_id"]), r["role"]) for r in rows} == expected
    assert json.loads(cw("export", "enrollments", "--format", "json").stdout)[0].keys() == {
        "section_id",
        "account_id",
        "role",
    }


def test_export_cells_are_never_spreadsheet_formulas(cw: Run, data_dir: Path) -> None:
    with opened(data_dir) as store, store.transaction() as tx:
        tx.put_sections([Section(id=1, name='=HYPERLINK("http://x")', term_name="@term")])
    _, rows = _read(cw("export", "sections").stdout)
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")' and rows[0]["term"] == "'@term"
    assert json.loads(cw("export", "sections", "--format", "json").stdout)[0]["name"] == '=HYPERLINK("http://x")'


def _bundle(folder: Path) -> dict[str, list[dict[str, str]]]:
    files = {}
    for name, header in SPEC_HEADERS.items():
        raw = (folder / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        assert text.splitlines()[0] == header, name  # the spec's columns, in the spec's order
        files[name] = _read(text)[1]
    return files


def test_oneroster_bundle_is_complete_and_every_reference_resolves(
    cw: Run, roster: str, data_dir: Path, tmp_path: Path
) -> None:
    result = cw("export", "oneroster", str(tmp_path / "bundle"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "bundle").iterdir()) == sorted(SPEC_HEADERS)
    files = _bundle(tmp_path / "bundle")

    manifest = {r["propertyName"]: r["value"] for r in files["manifest.csv"]}
    assert manifest["manifest.version"] == "1.0" and manifest["oneroster.version"] == "1.1"
    assert manifest["source.systemName"] == "cleverwizard"
    for name in ("orgs", "academicSessions", "courses", "classes", "users", "enrollments"):
        assert manifest[f"file.{name}"] == "bulk"
    assert all(v == "absent" for k, v in manifest.items() if k.startswith("file.") and k[5:] + ".csv" not in files)

    ids = {name: [r["sourcedId"] for r in rows] for name, rows in files.items() if name != "manifest.csv"}
    every = [i for found in ids.values() for i in found]
    assert len(every) == len(set(every)), "sourcedIds collide"
    for name, rows in files.items():
        if name != "manifest.csv":
            assert all(r["status"] == "" and r["dateLastModified"] == "" for r in rows), name

    orgs = {r["sourcedId"]: r for r in files["orgs.csv"]}
    assert sorted(r["type"] for r in orgs.values()) == ["district", "school"]
    school = next(i for i, r in orgs.items() if r["type"] == "school")
    assert orgs[school]["parentSourcedId"] in orgs and school == f"school-{roster}"
    sessions = set(ids["academicSessions.csv"])
    courses = set(ids["courses.csv"])
    classes = set(ids["classes.csv"])
    users = {r["sourcedId"]: r for r in files["users.csv"]}
    assert all(r["orgSourcedId"] in orgs for r in files["courses.csv"])
    for row in files["classes.csv"]:
        assert row["courseSourcedId"] in courses and row["schoolSourcedId"] in orgs
        assert row["termSourcedIds"] and set(row["termSourcedIds"].split(",")) <= sessions
    assert any(r["courseSourcedId"].startswith("course-") for r in files["classes.csv"])
    assert any(r["courseSourcedId"].startswith("clever-course-") for r in files["classes.csv"])
    for row in files["academicSessions.csv"]:
        assert len(row["startDate"]) == len(row["endDate"]) == 10 and row["startDate"] <= row["endDate"]
    for row in users.values():
        assert set(row["orgSourcedIds"].split(",")) <= set(orgs) and row["role"] in ("teacher", "student")
        assert row["enabledUser"] == "true" and row["username"]
    for row in files["enrollments.csv"]:
        assert row["classSourcedId"] in classes and row["userSourcedId"] in users
        assert row["schoolSourcedId"] in orgs and row["role"] == users[row["userSourcedId"]]["role"]
        assert row["primary"] in ("true", "false")
    grades = [
        g
        for name in ("users.csv", "classes.csv", "courses.csv")
        for r in files[name]
        for g in r["grades"].split(",")
        if g
    ]
    assert grades and set(grades) <= set(GRADE_CODES)

    with opened(data_dir) as store:
        active = [s for s in store.students() if s.status == "active"]
        assert sum(r["role"] == "student" for r in users.values()) == len(active)
        assert len(classes) == len([s for s in store.sections() if s.status == "active"])

    again = tmp_path / "again"
    cw("export", "oneroster", str(again))
    assert {n: (again / n).read_bytes() for n in SPEC_HEADERS} == {
        n: (tmp_path / "bundle" / n).read_bytes() for n in SPEC_HEADERS
    }, "sourcedIds and rows are stable from one export to the next"


def test_oneroster_zip_holds_the_same_files(cw: Run, roster: str, tmp_path: Path) -> None:
    assert cw("export", "oneroster", str(tmp_path / "folder")).exit_code == 0
    result = cw("export", "oneroster", str(tmp_path / "bundle"), "--zip")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "bundle").exists()
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        assert sorted(bundle.namelist()) == sorted(SPEC_HEADERS)
        for name in SPEC_HEADERS:
            assert bundle.read(name) == (tmp_path / "folder" / name).read_bytes()


def test_oneroster_before_connect_and_without_a_folder(cw: Run, tmp_path: Path, write_csv: WriteCsv) -> None:
    assert cw("export", "oneroster").exit_code == 2
    people = write_csv("t.csv", ["first_name", "last_name", "email"], [["Ada", "L", "ada@s.org"]])
    assert cw("add", "teachers", str(people)).exit_code == 0
    assert cw("export", "oneroster", str(tmp_path / "out")).exit_code == 0
    files = _bundle(tmp_path / "out")
    assert [(r["sourcedId"], r["type"]) for r in files["orgs.csv"]] == [("school-platform", "school")]
    assert [(r["sourcedId"], r["orgSourcedIds"], r["email"]) for r in files["users.csv"]] == [
        ("teacher-1", "school-platform", "ada@s.org")
    ]


@pytest.mark.parametrize(
    ("clever", "code"),
    [
        ("1", "01"), ("12", "12"), ("13", "13"), ("Kindergarten", "KG"), ("PreKindergarten", "PK"),
        ("Preschool", "PK"), ("TransitionalKindergarten", "KG"), ("InfantToddler", "Other"),
        ("PostGraduate", "PS"), ("Ungraded", "UG"), ("Other", "Other"), ("Grade 9", "Other"), ("", ""), (None, ""),
    ],
)  # fmt: skip
def test_grades_map_to_oneroster_codes(clever: str | None, code: str) -> None:
    assert oneroster_grade(clever) == code
    assert code == "" or code in GRADE_CODES


def test_headers_are_the_interface_columns() -> None:
    assert {name: ",".join(columns) for name, columns in HEADERS.items()} == SPEC_HEADERS
