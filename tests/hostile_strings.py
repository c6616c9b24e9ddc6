"""Text a hostile Clever (or SIS export) can send, and how to plant it in a sandbox district.

Each value mixes the attacks ``cleverwizard.text`` and ``cleverwizard.ui.literal`` defend
against: Textual/Rich markup that runs an action when clicked or links a file, a malformed tag
that makes the markup parser raise, ANSI and OSC escapes (clear the screen, retitle the window,
write the clipboard), line breaks that forge report lines, a bidi override and a NUL byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleverwizard.sandbox import SandboxDistrict

CLICK_QUIT = "[@click=app.quit]Lakeview[/]"
DISTRICT_NAME = f"{CLICK_QUIT} \x1b]0;pwned\x07Unified"
SCHOOL_NAME = "Lincoln [/b] Elementary\x1b[2J\r\nFORGED: [link=file:///tmp/x]here"
TEACHER_FIRST = "Ada\x1b]52;c;aGVsbG8=\x07"
TEACHER_LAST = "[@click=app.quit]Lovelace"
FORGER_FIRST = "Bob\nFORGED: all 500 students deleted"
FORGER_LAST = "\u202eeciR\rOK"
STUDENT_FIRST = "=cmd|'/C calc'!A0 [bold"
STUDENT_LAST = "Null\x00Byte"
STUDENT_EMAIL = '=HYPERLINK("http://x")\x1b[2J@lincoln.example.org'
STUDENT_GRADE = "[@click=app.quit]4\x1b[2J"

CONTROL = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))) | {"\u202e", "\u2028", "\u2029"}
"""Characters that must never reach a terminal or a report line (tab aside, which one_line turns to a space)."""


def has_control(text: str) -> bool:
    return any(char in CONTROL for char in text)


@dataclass(frozen=True)
class Planted:
    """Where the payloads went: the ids a test needs to look them up again."""

    school_id: str
    teacher_id: str
    forger_id: str
    student_id: str


def plant(district: SandboxDistrict, school_id: str) -> Planted:
    """Rename the district and the school ``school_id``, and give one of its teachers, a second
    teacher and a student hostile names, email and grade (through the sandbox's own methods)."""
    district.district["name"] = DISTRICT_NAME
    district.schools[school_id]["name"] = SCHOOL_NAME
    district.version += 1
    teachers = district.users_at_school(school_id, "teacher", primary=True)
    students = district.users_at_school(school_id, "student", primary=True)
    teacher, forger, student = teachers[0]["id"], teachers[1]["id"], students[0]["id"]
    district.update_user(teacher, first=TEACHER_FIRST, last=TEACHER_LAST)
    district.update_user(forger, first=FORGER_FIRST, last=FORGER_LAST)
    district.update_user(student, first=STUDENT_FIRST, last=STUDENT_LAST, email=STUDENT_EMAIL, grade=STUDENT_GRADE)
    return Planted(school_id, teacher, forger, student)
