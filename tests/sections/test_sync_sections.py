"""Sections against a sandbox district: fetch, plan, apply, change in Clever, plan again."""

from __future__ import annotations

import asyncio

from cleverwizard.runs.journal import Journal
from cleverwizard.sections.apply import apply_section_plan
from cleverwizard.sections.build import plan_sections, view_in_transaction
from tests.sections.conftest import School
from tests.sections.factories import put_people


def _students_by_section(school: School) -> dict[str, list[int]]:
    return {s.clever_id or "": s.student_ids for s in school.store.sections()}


def test_fetch_plan_apply_fills_sections_with_their_people(school: School) -> None:
    school.import_people()
    data = asyncio.run(school.sync.fetch_sections())
    clever = school.district.sections_at_school(school.school_id)
    assert {s.id for s in data.sections} == {s["id"] for s in clever}
    assert data.courses and {t.name for t in data.terms} == {"Fall 2025", "Spring 2026"}
    plan = school.sync.plan_sections(data)
    assert plan.counts.created == len(clever) and plan.problems == []
    run = school.sync.apply_sections(plan)
    assert run.kind == "import sections" and run.counts.created == len(clever)
    students = {s.clever_id: s.id for s in school.store.students()}
    teachers = {t.clever_id: t.id for t in school.store.teachers()}
    for record in clever:
        section = next(s for s in school.store.sections() if s.clever_id == record["id"])
        assert section.student_ids == sorted(students[c] for c in record["students"])
        assert section.teacher_ids == [teachers[c] for c in dict.fromkeys([record["teacher"], *record["teachers"]])]
        assert section.term_name in ("Fall 2025", "Spring 2026")


def test_a_student_moved_in_the_sandbox_moves_here_after_re_planning(school: School) -> None:
    school.import_people()
    school.import_sections()
    here = school.district.sections_at_school(school.school_id)
    source = here[0]
    mover = source["students"][0]
    target = next(s for s in here if mover not in s["students"])
    school.district.move_student(mover, source["id"], target["id"])
    plan = school.sync.plan_sections(asyncio.run(school.sync.fetch_sections()))
    assert {c.clever_id for c in plan.changes} == {source["id"], target["id"]}
    assert all(c.action == "update" for c in plan.changes)
    school.sync.apply_sections(plan)
    account = next(s.id for s in school.store.students() if s.clever_id == mover)
    after = _students_by_section(school)
    assert account not in after[source["id"]] and account in after[target["id"]]
    assert sum(account in ids for ids in after.values()) == sum(
        mover in s["students"] for s in school.district.sections.values()
    )


def test_re_importing_makes_no_duplicates(school: School) -> None:
    school.import_people()
    school.import_sections()
    count = len(school.store.sections())
    plan = school.sync.plan_sections(asyncio.run(school.sync.fetch_sections()))
    assert plan.changes == [] and plan.unchanged == count
    school.sync.apply_sections(plan)
    assert len(school.store.sections()) == count
    assert len({s.clever_id for s in school.store.sections()}) == count


def test_a_teacher_hired_after_the_teacher_import_flags_the_section(school: School) -> None:
    school.import_people()
    section = school.district.sections_at_school(school.school_id)[0]
    school.district.add_teacher(school.school_id, "Nadia", "Okafor", sections=[section["id"]])
    plan = school.sync.plan_sections(asyncio.run(school.sync.fetch_sections()))
    [problem] = plan.problems
    assert problem.clever_id == section["id"] and problem.issue == "1 of 2 teachers not on the platform"
    school.sync.apply_sections(plan)
    stored = next(s for s in school.store.sections() if s.clever_id == section["id"])
    assert stored.flagged and len(stored.teacher_ids) == 1
    item = school.sync.checklist().item("sections")
    assert item.state == "needs review" and "1 flagged" in item.detail
    school.import_people()  # the new teacher is imported, then sections again
    school.import_sections()
    assert school.sync.checklist().item("sections").state == "done"


def test_the_daily_sync_can_apply_sections_inside_its_own_transaction(school: School) -> None:
    data = asyncio.run(school.sync.fetch_sections())
    teacher_plan = school.sync.plan("teacher", asyncio.run(school.sync.fetch("teacher")))
    student_plan = school.sync.plan("student", asyncio.run(school.sync.fetch("student")))
    writes = school.store.write_count
    journal = Journal()
    with school.store.transaction() as tx:
        put_people(tx, [teacher_plan, student_plan])
        plan = plan_sections(view_in_transaction(tx), data.sections, data.courses, data.terms, school.school_id)
        apply_section_plan(tx, plan, journal)
    assert school.store.write_count == writes + 1
    assert plan.problems == []  # people created earlier in the same transaction are enrolled
    assert set(journal["sections"].values()) == {None} and len(journal["sections"]) == len(data.sections)
    assert school.store.meta().sections_imported_at is not None
