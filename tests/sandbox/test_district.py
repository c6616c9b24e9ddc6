"""The generated district: deterministic, in Clever's shapes, and carrying the real-world quirks."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cleverwizard.clever.models import GRADES, SUBJECTS, Course, District, School, Section, Term, User
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.sandbox.names import is_accented

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
DOB = re.compile(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$")


def snapshot(d: SandboxDistrict) -> tuple[object, ...]:
    return (d.district_id, d.token, d.district, d.schools, d.users, d.sections, d.courses, d.terms)


def test_same_seed_gives_identical_district() -> None:
    assert snapshot(SandboxDistrict.generate(seed=7)) == snapshot(SandboxDistrict.generate(seed=7))


def test_different_seed_gives_different_district() -> None:
    one, two = SandboxDistrict.generate(seed=7), SandboxDistrict.generate(seed=8)
    assert one.district_id != two.district_id
    assert one.token != two.token
    assert [u["name"] for u in one.users.values()] != [u["name"] for u in two.users.values()]
    assert not set(one.users) & set(two.users)


def test_ids_are_object_ids_ascending_in_creation_order(district: SandboxDistrict) -> None:
    for store in (district.schools, district.users, district.sections, district.courses, district.terms):
        ids = list(store)
        assert ids == sorted(ids)
        assert all(OBJECT_ID.match(i) for i in ids)
    every = [
        district.district_id,
        *district.schools,
        *district.users,
        *district.sections,
        *district.courses,
        *district.terms,
    ]
    assert len(every) == len(set(every))
    assert district.token.startswith("sandbox-")


def test_every_record_parses_with_the_client_models(district: SandboxDistrict) -> None:
    assert District.model_validate(district.district).id == district.district_id
    schools = [School.model_validate(s) for s in district.schools.values()]
    users = [User.model_validate(u) for u in district.users.values()]
    sections = [Section.model_validate(s) for s in district.sections.values()]
    courses = [Course.model_validate(c) for c in district.courses.values()]
    terms = [Term.model_validate(t) for t in district.terms.values()]
    assert len(schools) == 3 and len(terms) == 2 and courses
    assert all(u.district == district.district_id for u in users)
    assert all(s.subject in SUBJECTS and s.grade in GRADES for s in sections)
    assert {t.name for t in terms} == {"Fall 2025", "Spring 2026"}


def test_schools_cover_elementary_middle_and_high(district: SandboxDistrict) -> None:
    spans = [(s["low_grade"], s["high_grade"]) for s in district.schools.values()]
    assert spans == [("PreKindergarten", "5"), ("6", "8"), ("9", "12")]
    names = [s["name"] for s in district.schools.values()]
    assert [n.rsplit(" ", 2)[-2] for n in names] == ["Elementary", "Middle", "High"]


def test_counts_per_school_and_roles(district: SandboxDistrict) -> None:
    for school_id in district.schools:
        teachers = [u for u in district.users.values() if (u["roles"].get("teacher") or {}).get("school") == school_id]
        students = [u for u in district.users.values() if (u["roles"].get("student") or {}).get("school") == school_id]
        assert (len(teachers), len(students)) == (24, 450)
    admins = district.users_with_role("district_admin")
    assert len(admins) == 1 and "teacher" not in admins[0]["roles"]
    staff_only = [u for u in district.users_with_role("staff") if "teacher" not in u["roles"]]
    assert len(staff_only) == 6
    assert all(User.model_validate(u).roles.teacher is None for u in staff_only + admins)


def test_student_fields_are_clever_shaped(district: SandboxDistrict) -> None:
    spans = {sid: (s["low_grade"], s["high_grade"]) for sid, s in district.schools.items()}
    in_span = 0
    for user in district.users_with_role("student"):
        role = user["roles"]["student"]
        assert DOB.match(role["dob"])
        assert role["gender"] in ("M", "F", "X", "")
        assert role["grade"] in GRADES or role["grade"] is None
        assert role["sis_id"] and role["student_number"]
        low, high = spans[role["school"]]
        order = list(GRADES)
        if role["grade"] and order.index(low) <= order.index(role["grade"]) <= order.index(high):
            in_span += 1
    assert in_span >= 3 * 450 - 3 * 4


def test_quirks_are_present_in_countable_numbers(district: SandboxDistrict) -> None:
    users = list(district.users.values())
    students = district.users_with_role("student")
    teachers = district.users_with_role("teacher")
    grades = Counter(u["roles"]["student"]["grade"] for u in students)
    assert grades["Ungraded"] == 3 and grades[""] == 3 and grades[None] == 3 and grades["13"] == 1
    young = [u for u in students if u["roles"]["student"]["grade"] in ("PreKindergarten", "Kindergarten", "1", "2")]
    assert sum(u["email"] is None for u in young) > len(young) / 2
    assert sum(1 for u in users if u["email"] and "@" not in u["email"]) == 6
    emails = Counter(u["email"] for u in users if u["email"])
    shared = {e for e, n in emails.items() if n > 1}
    for school_id in district.schools:
        for role in ("teacher", "student"):
            mine = [u for u in district.users_with_role(role) if u["roles"][role]["school"] == school_id]
            assert any(u["email"] in shared for u in mine), (school_id, role)
    assert sum(1 for u in users if u["name"]["first"] is None or u["name"]["last"] is None) == 3
    assert sum(1 for u in users if u["name"]["middle"] is None) > len(users) / 2
    assert sum(1 for u in users if is_accented(u["name"]["first"]) or is_accented(u["name"]["last"])) >= 6
    assert sum(1 for u in users if "-" in (u["name"]["last"] or "")) >= 6
    assert sum(1 for u in users if "'" in (u["name"]["last"] or "")) >= 6
    assert sum(1 for u in teachers if u["email"] is None) == 3


def test_people_at_two_schools(district: SandboxDistrict) -> None:
    teachers = [u for u in district.users_with_role("teacher") if len(u["roles"]["teacher"]["schools"]) == 2]
    assert len(teachers) == 3
    visitors = [u for u in district.users_with_role("student") if len(u["roles"]["student"]["schools"]) == 2]
    assert len(visitors) == 3
    for person, role in [(u, "teacher") for u in teachers] + [(u, "student") for u in visitors]:
        home = person["roles"][role]["school"]
        other = next(s for s in person["roles"][role]["schools"] if s != home)
        at_other = district.users_at_school(other, role)
        assert person in at_other
        assert person not in district.users_at_school(other, role, primary=True)
        member = "teachers" if role == "teacher" else "students"
        assert any(person["id"] in s[member] for s in district.sections_at_school(other))


def test_sections_reference_real_records(district: SandboxDistrict) -> None:
    enrolled: set[str] = set()
    for section in district.sections.values():
        assert section["school"] in district.schools
        assert section["course"] in district.courses and section["term_id"] in district.terms
        assert section["teacher"] in section["teachers"]
        assert all("teacher" in district.users[t]["roles"] for t in section["teachers"])
        assert all("student" in district.users[s]["roles"] for s in section["students"])
        assert section["period"]
        enrolled.update(section["students"])
    assert enrolled == {u["id"] for u in district.users_with_role("student")}


def test_nickname_teachers_exist_at_every_school(district: SandboxDistrict) -> None:
    from cleverwizard.sandbox.names import NICKNAMES

    for school_id in district.schools:
        teachers = district.users_at_school(school_id, "teacher", primary=True)
        assert sum(1 for t in teachers if t["name"]["first"] in NICKNAMES) >= 2


def test_small_district_without_quirk_slots_still_generates() -> None:
    tiny = SandboxDistrict.generate(seed=1, schools=1, teachers=2, students=5)
    assert len(tiny.users_with_role("student")) == 5 and len(tiny.users_with_role("teacher")) == 2
    assert all(User.model_validate(u) for u in tiny.users.values())
    empty = SandboxDistrict.generate(seed=1, schools=2, teachers=0, students=0)
    assert len(empty.schools) == 2 and not empty.sections
    with pytest.raises(ValueError):
        SandboxDistrict.generate(students=-1)


def test_fifty_thousand_students() -> None:
    big = SandboxDistrict.generate(seed=3, schools=10, teachers=24, students=5000)
    assert len(big.schools) == 10
    assert len(big.users_with_role("student")) == 50_000
    assert len(big.users_with_role("teacher")) == 240
    assert list(big.users) == sorted(big.users)
    levels = Counter(s["low_grade"] for s in big.schools.values())
    assert levels == {"PreKindergarten": 4, "6": 3, "9": 3}
