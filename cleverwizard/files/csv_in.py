"""Reading the platform's own records from a CSV: header matching and row checks, nothing else.

A school's accounts made before Clever usually leave the platform (or Google Workspace) as a
CSV with headers such as ``First Name [Required]``. Column names are compared without case,
spaces, underscores or a trailing ``[Required]``, so such an export works as it is. Everything
here works on text already read: no file, no store, so the same checks serve the command line,
the wizard's preview and the tests.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cleverwizard.rules.names import is_valid_email, normalise_email

FileKind = Literal["teachers", "students", "courses"]

_REQUIRED_TAG = re.compile(r"\[\s*required\s*\]\s*$", re.IGNORECASE)

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname"),
    "last_name": ("lastname", "last", "familyname", "surname"),
    "email": ("email", "emailaddress"),
    "sis_id": ("sisid", "employeeid", "studentid"),
}
COURSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "title"),
    "number": ("number", "coursecode"),
    "subject": ("subject",),
}
REQUIRED: dict[FileKind, tuple[str, ...]] = {
    "teachers": ("first_name", "last_name", "email"),
    "students": ("first_name", "last_name", "email"),
    "courses": ("name",),
}
SHOWN_AS: dict[str, str] = {
    "first_name": "first_name (First Name)",
    "last_name": "last_name (Last Name)",
    "email": "email (Email Address)",
    "name": "name (title)",
}


class FileUnusable(ValueError):
    """The file as a whole cannot be read as this kind (no header, a required column missing)."""


def column_key(header: str) -> str:
    """``"First Name [Required]"`` -> ``"firstname"``: the form column names are compared in."""
    text = _REQUIRED_TAG.sub("", header.replace("\ufeff", "")).strip().casefold()
    return text.replace(" ", "").replace("_", "")


def columns_for(kind: FileKind, *, grade: bool = True) -> dict[str, tuple[str, ...]]:
    """Field -> the column keys that mean it, for one kind of file."""
    if kind == "courses":
        return COURSE_COLUMNS
    if kind == "students" and grade:
        return {**PERSON_COLUMNS, "grade": ("grade",)}
    return PERSON_COLUMNS


@dataclass(frozen=True)
class FileRow:
    """One good row: its line in the file and its values by field (blank values left out)."""

    line: int
    values: Mapping[str, str]

    def get(self, name: str) -> str | None:
        return self.values.get(name) or None


@dataclass(frozen=True)
class BadRow:
    line: int
    problem: str
    text: str = ""
    """What the row said, for the report (shown through ``one_line`` at the edge)."""

    def describe(self) -> str:
        return f"line {self.line}: {self.problem}" + (f" ({self.text})" if self.text else "")


@dataclass
class ParsedFile:
    """A file's good rows, its bad rows and the columns it had that we do not use."""

    kind: FileKind
    rows: list[FileRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.bad


def parse(text: str, kind: FileKind, *, columns: Mapping[str, tuple[str, ...]] | None = None) -> ParsedFile:
    """Check every row of ``text`` (a CSV with a header row) as records of ``kind``.

    Raises ``FileUnusable`` when the header is missing or lacks a required column. Bad rows
    (a required value missing, an email that is not one, the same email or course twice) are
    all collected with their line numbers, so one pass shows everything to fix.
    """
    wanted = columns or columns_for(kind)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FileUnusable(
            "The file is empty: it needs a header row (first_name,last_name,email) and a row per record."
        )
    positions, ignored = _match_header(header, wanted)
    missing = [name for name in REQUIRED[kind] if name not in positions]
    if missing:
        raise FileUnusable(
            "The file has no "
            + " or ".join(SHOWN_AS.get(name, name) for name in missing)
            + " column; its columns are: "
            + ", ".join(cell.strip() for cell in header if cell.strip())
        )
    parsed = ParsedFile(kind=kind, ignored=ignored)
    first_seen: dict[str, int] = {}
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        values = {name: cells[i].strip() for name, i in positions.items() if i < len(cells) and cells[i].strip()}
        if not values and not any(cell.strip() for cell in cells):
            continue
        problem = _problem(kind, values, first_seen, start)
        if problem:
            parsed.bad.append(BadRow(start, problem, _row_text(kind, values)))
        else:
            parsed.rows.append(FileRow(start, values))
    return parsed


def _match_header(header: list[str], wanted: Mapping[str, tuple[str, ...]]) -> tuple[dict[str, int], list[str]]:
    by_key = {key: name for name, keys in wanted.items() for key in keys}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        name = by_key.get(column_key(cell))
        if name is None:
            if cell.strip():
                ignored.append(cell.strip())
        elif name in positions:
            raise FileUnusable(f"Two columns mean {name}: {header[positions[name]].strip()} and {cell.strip()}.")
        else:
            positions[name] = index
    return positions, ignored


def _problem(kind: FileKind, values: Mapping[str, str], first_seen: dict[str, int], line: int) -> str:
    """What is wrong with one row ("" when nothing); remembers its email (or course) so a later
    row with the same one is caught, even when this row is bad for another reason."""
    problems = [f"no {name.replace('_', ' ')}" for name in REQUIRED[kind] if not values.get(name)]
    if kind == "courses":
        key = f"{values['name'].casefold()}\x00{(values.get('number') or '').casefold()}" if values.get("name") else ""
        what = "course"
    else:
        email = values.get("email", "")
        if email and not is_valid_email(email):
            problems.append(f"{email!r} is not an email address")
        key = normalise_email(email) or ""
        what = "email"
    if key and key in first_seen:
        problems.append(f"same {what} as line {first_seen[key]}")
    elif key:
        first_seen[key] = line
    return "; ".join(problems)


def _row_text(kind: FileKind, values: Mapping[str, str]) -> str:
    if kind == "courses":
        return " ".join(v for v in (values.get("name"), values.get("number")) if v)
    name = " ".join(v for v in (values.get("first_name"), values.get("last_name")) if v)
    return " ".join(v for v in (name, f"<{values['email']}>" if values.get("email") else "") if v)
