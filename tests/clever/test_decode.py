"""The fast students decoder reads what the models read, keeps nothing else, and steps aside
for any page it cannot vouch for (the fully checked reading then names the problem)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from cleverwizard.clever import RosterUser, User
from cleverwizard.clever.decode import decode_users_page, roster_user
from tests.clever.test_models import CONTACT, STUDENT, TEACHER

ODD: list[dict[str, Any]] = [
    {"id": "u3", "name": None, "email": "no-at-sign", "roles": None},
    {"id": "u4", "name": {"first": None, "last": None}, "roles": {"student": None, "teacher": None}},
    {"id": "u5", "roles": {"teacher": {"school": "s9", "schools": None}}},
    {"id": "u6", "roles": {"student": {"school": None, "schools": ["s3"], "grade": ""}}},
    {"id": "u7", "roles": {"student": {"school": "s1", "grade": "13"}}, "future_field": {"x": 1}},
]
RECORDS = [TEACHER, STUDENT, CONTACT, *ODD]


def page(records: list[dict[str, Any]], links: Any = None) -> bytes:
    body: dict[str, Any] = {"data": [{"data": record, "uri": "/v3.0/users/x"} for record in records]}
    if links is not None:
        body["links"] = links
    return json.dumps(body).encode()


def what_planning_reads(user: User | RosterUser) -> tuple[Any, ...]:
    teacher, student = user.roles.teacher, user.roles.student
    return (
        user.id,
        user.email,
        user.name.first,
        user.name.last,
        user.name.full,
        user.school_ids("teacher"),
        user.school_ids("student"),
        (teacher.school, teacher.schools, teacher.sis_id, teacher.title) if teacher else None,
        (student.school, student.schools, student.sis_id, student.grade) if student else None,
    )


def test_every_field_planning_reads_is_what_the_models_read() -> None:
    decoded = decode_users_page(page(RECORDS, [{"rel": "next", "uri": "/v3.0/next"}]))
    assert decoded is not None
    users, rest = decoded
    validated = [User.model_validate(record) for record in RECORDS]
    assert [what_planning_reads(u) for u in users] == [what_planning_reads(u) for u in validated]
    assert [what_planning_reads(roster_user(u)) for u in validated] == [what_planning_reads(u) for u in validated]
    assert rest == {"links": [{"rel": "next", "uri": "/v3.0/next"}]}


def test_nothing_the_platform_does_not_use_is_kept() -> None:
    decoded = decode_users_page(page([STUDENT]))
    assert decoded is not None
    [user] = decoded[0]
    kept = msgspec.to_builtins(user)
    assert kept == {
        "id": "u1",
        "email": None,
        "name": {"first": "Bart", "last": "Simpson"},
        "roles": {
            "teacher": None,
            # legacy_id: an account linked by a v1/v2 id follows it; preferred_name: v3.1 (issue 9)
            "student": {
                "school": "s1",
                "schools": ["s1"],
                "sis_id": "S-1",
                "legacy_id": "legacy-u1",
                "preferred_name": None,
                "grade": "4",
            },
        },
    }
    assert "1001" not in repr(user) and "4/1/2014" not in repr(user)  # student number, birth date


@pytest.mark.parametrize(
    "content",
    [
        page([{"id": "u-bad", "roles": {"student": {"grade": 7}}}]),
        page([{"name": "no id"}]),
        json.dumps({"data": [{"id": "u1"}]}).encode(),
        json.dumps({"links": []}).encode(),
        page([{"id": "u1"}], links={"next": "/v3.0/x"}),
        b"<html>Sign in</html>",
        b"[]",
    ],
)
def test_a_page_it_cannot_vouch_for_goes_to_the_checked_reading(content: bytes) -> None:
    assert decode_users_page(content) is None


def test_a_teacher_keeps_only_what_the_platform_uses_too() -> None:
    """Teachers take the same fast path: name, email, the teacher role's schools, SIS id,
    legacy id and title; not the staff role, credentials, ``ext`` or the stamps."""
    decoded = decode_users_page(page([TEACHER]))
    assert decoded is not None
    [user] = decoded[0]
    assert msgspec.to_builtins(user) == {
        "id": "t1",
        "email": "mrs.krabappel@springfield.k12.us",
        "name": {"first": "Edna", "last": "Krabappel"},
        "roles": {
            "teacher": {
                "school": "s1",
                "schools": ["s1", "s2"],
                "sis_id": "T-100",
                "legacy_id": "legacy-t1",
                "preferred_name": None,
                "title": "Ms.",
            },
            "student": None,
        },
    }
    assert "ekrabappel" not in repr(user) and "4B" not in repr(user)
