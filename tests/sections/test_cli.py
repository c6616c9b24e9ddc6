"""``cleverwizard import sections`` and the Sections step of ``status``, on a demo folder."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.sandbox import demo_district
from cleverwizard.store import RosterStore
from tests.cli.conftest import Run, school_ids

DISTRICT = demo_district(2026)


def _connect_and_import_people(cw: Run, index: int = 1) -> str:
    school = school_ids(DISTRICT)[index]
    assert cw("connect", DISTRICT.district_id, "--school", school).exit_code == 0
    assert cw("import", "teachers").exit_code == 0
    assert cw("import", "students").exit_code == 0
    return school


def _sections_step(cw: Run) -> dict[str, object]:
    status = json.loads(cw("status", "--json").output)
    return next(step for step in status["steps"] if step["key"] == "sections")


def test_the_demo_seeds_a_course_catalogue(demo_folder: Path) -> None:
    with RosterStore.open(demo_folder) as store:
        names = [course.name for course in store.courses()]
    assert len(names) == 14 and "Algebra I" in names and "Math 7" in names


def test_import_sections_before_people_is_a_usage_error(cw: Run, demo_folder: Path) -> None:
    cw("connect", DISTRICT.district_id, "--school", school_ids(DISTRICT)[1])
    assert _sections_step(cw)["state"] == "waiting"
    result = cw("import", "sections")
    assert result.exit_code == 2 and "Import teachers and students before sections" in result.output
    with RosterStore.open(demo_folder) as store:
        assert store.sections() == []


def test_dry_run_prints_the_plan_and_writes_nothing(cw: Run, demo_folder: Path) -> None:
    school = _connect_and_import_people(cw)
    assert _sections_step(cw)["state"] == "not started"
    before = (demo_folder / "roster.json").read_bytes()
    result = cw("import", "sections", "--dry-run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    total = len(DISTRICT.sections_at_school(school))
    assert lines[0] == "Dry run: nothing was written."
    assert lines[1].startswith(f"{total} sections in Clever: {total} new, 0 updated, 0 unchanged.")
    assert any(line.startswith("  new section: Math 7 - P") and "; Math 7, 1 teacher, " in line for line in lines)
    assert (demo_folder / "roster.json").read_bytes() == before


def test_import_applies_confident_courses_only_and_twice_makes_no_duplicates(cw: Run, demo_folder: Path) -> None:
    school = _connect_and_import_people(cw)
    first = cw("import", "sections")
    assert first.exit_code == 0 and "Saved as run 3." in first.output
    second = cw("import", "sections")
    total = len(DISTRICT.sections_at_school(school))
    assert f"{total} sections in Clever: 0 new, 0 updated, {total} unchanged." in second.output
    with RosterStore.open(demo_folder) as store:
        sections = store.sections()
        courses = {course.id: course.name for course in store.courses()}
    assert len(sections) == total and len({s.clever_id for s in sections}) == total
    chosen = {courses[s.course_id] for s in sections if s.course_id is not None}
    assert chosen == {"Mathematics 6", "Math 7"}  # "Physical Education 8" is only similar: left to the wizard
    step = _sections_step(cw)
    assert step["state"] == "done" and str(step["detail"]).startswith(f"{total} sections from Clever")
    assert step["action"] == "Go to Sections" and step["when"]
