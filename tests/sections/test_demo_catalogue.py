"""The demo's course catalogue gives course matching every kind of work."""

from __future__ import annotations

from cleverwizard.rules.courses import course_key
from cleverwizard.sandbox import DEMO_COURSE_KINDS, SandboxDistrict, demo_district, demo_platform_courses


def test_each_kind_relates_to_the_sandbox_courses_as_it_says() -> None:
    district = demo_district(2026)
    clever_names = {course["name"] for course in district.courses.values()}
    clever_keys = {course_key(name) for name in clever_names}
    catalogue = demo_platform_courses(district, with_kind=True)
    assert {course["kind"] for course in catalogue} == set(DEMO_COURSE_KINDS)
    assert 10 <= len(catalogue) <= 15
    for course in catalogue:
        name, kind = course["name"], course["kind"]
        assert (name in clever_names) == (kind == "exact"), name
        assert (course_key(name) in clever_keys) == (kind in ("exact", "folded")), name
    assert demo_platform_courses(district) == [{k: v for k, v in c.items() if k != "kind"} for c in catalogue]


def test_a_small_district_keeps_only_courses_it_can_match_or_never_could() -> None:
    elementary_only = SandboxDistrict.generate(seed=3, schools=1, teachers=12, students=60)
    kinds = {course["kind"] for course in demo_platform_courses(elementary_only, with_kind=True)}
    names = {course["name"] for course in demo_platform_courses(elementary_only)}
    assert "Math 7" not in names and "Algebra I" in names and "not_in_clever" in kinds
