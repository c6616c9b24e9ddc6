"""The demo platform's hand-made teachers: every documented kind is there and is what it says."""

from __future__ import annotations

from collections import Counter

import pytest

from cleverwizard.sandbox import DEMO_ACCOUNT_KINDS, SandboxDistrict, demo_platform_teachers
from cleverwizard.sandbox.names import NICKNAMES, without_accents


def test_each_school_gets_every_kind(district: SandboxDistrict) -> None:
    for school_id in district.schools:
        accounts = demo_platform_teachers(district, school_id, with_kind=True)
        assert [a["kind"] for a in accounts] == list(DEMO_ACCOUNT_KINDS)
        assert 8 <= len(accounts) <= 12
        plain = demo_platform_teachers(district, school_id)
        assert plain == [{k: v for k, v in a.items() if k != "kind"} for a in accounts]
        assert len({a["email"].lower() for a in accounts}) == len(accounts)


def _near(typed: str, real: str) -> bool:
    """Two neighbouring letters swapped, or one letter dropped."""
    if typed == real:
        return False
    if len(typed) == len(real):
        return sorted(typed) == sorted(real)
    return any(real[:i] + real[i + 1 :] == typed for i in range(len(real)))


@pytest.mark.parametrize("seed", [2026, 1, 2, 3])
def test_kinds_relate_to_clever_teachers_as_documented(seed: int) -> None:
    district = SandboxDistrict.generate(seed=seed)
    for school_id in district.schools:
        _check_school(district, school_id)


def _check_school(district: SandboxDistrict, school_id: str) -> None:
    teachers = district.users_at_school(school_id, "teacher")
    by_email = {t["email"].lower(): t for t in teachers if t["email"]}
    by_sis = {t["roles"]["teacher"]["sis_id"]: t for t in teachers}
    names = {(t["name"]["first"], t["name"]["last"]) for t in teachers}
    firsts = {t["name"]["first"] for t in teachers}
    kinds = Counter()
    for account in demo_platform_teachers(district, school_id, with_kind=True):
        kind, email = account["kind"], account["email"]
        kinds[kind] += 1
        exact = by_email.get(email.lower())
        if kind == "exact_email":
            assert exact is not None and email != exact["email"]
            assert account["last_name"] == without_accents(exact["name"]["last"])
        else:
            assert exact is None, account
        if kind == "sis_id_only":
            teacher = by_sis[account["sis_id"]]
            assert (account["first_name"], account["last_name"]) != (teacher["name"]["first"], teacher["name"]["last"])
        else:
            assert account["sis_id"] is None
        if kind == "nickname":
            formal = next(f for f, nick in NICKNAMES.items() if nick == account["first_name"])
            assert (formal, account["last_name"]) in names
        if kind == "maiden_name":
            assert account["first_name"] in firsts and (account["first_name"], account["last_name"]) not in names
        if kind == "typo":
            assert any(f == account["first_name"] and _near(account["last_name"], last) for f, last in names)
        if kind == "other_domain":
            assert (account["first_name"], account["last_name"]) in names
            assert not email.endswith(district.domain)
        if kind == "not_in_clever":
            assert account["first_name"] not in firsts or (account["first_name"], account["last_name"]) not in names
    assert kinds == Counter(DEMO_ACCOUNT_KINDS)


def test_deterministic_per_seed() -> None:
    one, two = SandboxDistrict.generate(seed=11), SandboxDistrict.generate(seed=11)
    school = next(iter(one.schools))
    assert demo_platform_teachers(one, school) == demo_platform_teachers(two, school)
    other = SandboxDistrict.generate(seed=12)
    assert demo_platform_teachers(other, next(iter(other.schools))) != demo_platform_teachers(one, school)
