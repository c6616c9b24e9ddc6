"""Rows for ``export sections|courses|enrollments``: the columns INTERFACE.md fixes, in order.

Values are kept as stored (``None`` stays ``None`` for JSON); the CSV edge turns each cell
into text through ``text.spreadsheet_cell``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleverwizard.store.models import Course, Section

SECTION_COLUMNS = ["id", "clever_id", "name", "course_id", "term", "status"]
COURSE_COLUMNS = ["id", "name", "number", "subject", "status"]
ENROLLMENT_COLUMNS = ["section_id", "account_id", "role"]
COLUMNS: dict[str, list[str]] = {
    "sections": SECTION_COLUMNS,
    "courses": COURSE_COLUMNS,
    "enrollments": ENROLLMENT_COLUMNS,
}


def section_rows(sections: Sequence[Section]) -> list[dict[str, Any]]:
    """Every platform section, archived ones too (``status`` says which)."""
    return [
        {
            "id": s.id,
            "clever_id": s.clever_id,
            "name": s.name,
            "course_id": s.course_id,
            "term": s.term_name,
            "status": s.status,
        }
        for s in sections
    ]


def course_rows(courses: Sequence[Course]) -> list[dict[str, Any]]:
    """The course catalogue; a catalogue course is never archived, so ``status`` is "active"."""
    return [{"id": c.id, "name": c.name, "number": c.number, "subject": c.subject, "status": "active"} for c in courses]


def enrollment_rows(sections: Sequence[Section]) -> list[dict[str, Any]]:
    """Who is in which section: the teachers (primary first), then the students, per section."""
    rows: list[dict[str, Any]] = []
    for section in sections:
        rows += [{"section_id": section.id, "account_id": i, "role": "teacher"} for i in section.teacher_ids]
        rows += [{"section_id": section.id, "account_id": i, "role": "student"} for i in section.student_ids]
    return rows
