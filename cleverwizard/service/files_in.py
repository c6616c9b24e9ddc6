"""The platform's records from files or typed in: ``add``, *Add a teacher*, ``emails fill``.

A mixin of ``RosterSync`` (the one API both front ends call), kept in its own file so the
service stays readable. Files are read here (the only I/O); parsing is ``files.csv_in``,
planning ``platform.add`` and ``platform.fill_emails``, applying ``platform.apply``.
None of it needs a Clever connection: a school not on Clever yet adds its people this way.
Those modules are imported by the methods that use them: an import from Clever (which has
this mixin too) never loads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cleverwizard.rules.names import email_refusal
from cleverwizard.store import RosterStore
from cleverwizard.store.models import PersonKind, Run, Site

if TYPE_CHECKING:
    from cleverwizard.files.csv_in import FileKind
    from cleverwizard.people.build import PlatformView
    from cleverwizard.platform.add import AddPlan
    from cleverwizard.platform.fill_emails import FillPlan


class EntryRejected(ValueError):
    """An account typed in the wizard cannot be added; the message says why."""


def read_csv_text(path: Path) -> str:
    """A CSV file's text, UTF-8 with or without a byte-order mark; ``FileUnusable`` otherwise."""
    from cleverwizard.files.csv_in import FileUnusable

    try:
        raw = Path(path).expanduser().read_bytes()
    except IsADirectoryError as error:
        raise FileUnusable(f"{path} is a folder; give the path of a .csv file.") from error
    except FileNotFoundError as error:
        raise FileUnusable(f"There is no file {path}; check the path.") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileUnusable(
            f"{path} is not UTF-8 text; save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8) and try again."
        ) from error


class FilesIn:
    """``RosterSync``'s steps that bring the platform's own records in."""

    store: RosterStore
    started_by: str

    def view(self) -> PlatformView:
        """The platform as it is on disk now; ``RosterSync.view`` provides it."""
        raise NotImplementedError

    def _school_id(self) -> str | None:
        site: Site | None = self.store.site()
        return site.school_id if site is not None else None

    def plan_add(self, kind: FileKind, path: Path) -> AddPlan:
        """What adding the file at ``path`` would do: new records, ones already there, bad rows."""
        from cleverwizard.files.csv_in import parse
        from cleverwizard.platform.add import plan_add

        parsed = parse(read_csv_text(path), kind)
        return plan_add(self.view(), parsed, Path(path).name, self._school_id())

    def plan_add_person(
        self,
        kind: PersonKind,
        first_name: str,
        last_name: str,
        email: str,
        *,
        sis_id: str | None = None,
        grade: str | None = None,
    ) -> AddPlan:
        """One account typed in (for a school not on Clever), checked like an email edit."""
        from cleverwizard.files.csv_in import FileRow, ParsedFile
        from cleverwizard.platform.add import plan_add

        values = {"first_name": first_name.strip(), "last_name": last_name.strip(), "email": email.strip()}
        values |= {"sis_id": (sis_id or "").strip(), "grade": (grade or "").strip()}
        for field, words in (("first_name", "a first name"), ("last_name", "a last name")):
            if not values[field]:
                raise EntryRejected(f"Enter {words}.")
        if (refusal := email_refusal(values["email"])) is not None:
            raise EntryRejected(refusal)
        file_kind: FileKind = "teachers" if kind == "teacher" else "students"
        parsed = ParsedFile(kind=file_kind, rows=[FileRow(0, {k: v for k, v in values.items() if v})])
        plan = plan_add(self.view(), parsed, "by hand", self._school_id())
        if plan.already:
            raise EntryRejected(f"{values['email']} is {plan.already[0].why}.")
        return plan

    def apply_add(self, plan: AddPlan) -> Run:
        from cleverwizard.platform.apply import apply_add

        return apply_add(self.store, plan, started_by=self.started_by)

    def plan_fill_emails(self, kind: PersonKind, *, pattern: str | None = None, path: Path | None = None) -> FillPlan:
        """The emails a pattern (``{first}.{last}@school.org``) or a file would give the
        accounts without one; ``PatternRejected`` for a pattern that cannot build emails."""
        from cleverwizard.files.csv_in import columns_for, parse
        from cleverwizard.platform.fill_emails import plan_fill_file, plan_fill_pattern
        from cleverwizard.rules.email_patterns import check_pattern

        if (pattern is None) == (path is None):
            raise ValueError("give a pattern or a file, not both")
        if pattern is not None:
            return plan_fill_pattern(self.view(), kind, check_pattern(pattern))
        assert path is not None
        file_kind: FileKind = "teachers" if kind == "teacher" else "students"
        parsed = parse(read_csv_text(path), file_kind, columns=columns_for(file_kind, grade=False))
        return plan_fill_file(self.view(), kind, parsed, Path(path).name)

    def apply_fill(self, plan: FillPlan) -> Run:
        from cleverwizard.platform.apply import apply_fill

        return apply_fill(self.store, plan, started_by=self.started_by)
