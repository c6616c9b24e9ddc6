"""Small builders of Clever users and platform accounts for sync tests."""

from __future__ import annotations

import itertools
from typing import Any

from cleverwizard.clever.models import User
from cleverwizard.store.models import Student, Teacher

_ids = itertools.count(1)
SCHOOL = "school-1"


def clever_teacher(
    first: str | None, last: str | None, email: str | None = None, sis_id: str | None = None, **extra: Any
) -> User:
    return User.model_validate(
        {
            "id": extra.pop("id", f"t{next(_ids):06d}"),
            "email": email,
            "name": {"first": first, "last": last},
            "roles": {
                "teacher": {"school": SCHOOL, "schools": [SCHOOL], "sis_id": sis_id, "title": extra.pop("title", None)}
            },
        }
    )


def clever_student(
    first: str | None, last: str | None, email: str | None = None, grade: str | None = "3", **extra: Any
) -> User:
    return User.model_validate(
        {
            "id": extra.pop("id", f"s{next(_ids):06d}"),
            "email": email,
            "name": {"first": first, "last": last},
            "roles": {
                "student": {"school": SCHOOL, "schools": [SCHOOL], "grade": grade, "sis_id": extra.pop("sis_id", None)}
            },
        }
    )


def teacher(id: int, first: str, last: str, email: str | None = None, **extra: Any) -> Teacher:
    return Teacher(id=id, first_name=first, last_name=last, email=email, **extra)


def student(id: int, first: str, last: str, email: str | None = None, **extra: Any) -> Student:
    return Student(id=id, first_name=first, last_name=last, email=email, **extra)
