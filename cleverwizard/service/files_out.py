"""The roster leaving the platform: ``export sections|courses|enrollments`` and ``export oneroster``.

A mixin of ``RosterSync``. The rows come from the pure mappings in ``files.export`` and
``files.oneroster``; this module reads the store and writes the files. Every CSV cell goes
through ``text.spreadsheet_cell`` (no cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cleverwizard.files import export as rows_for
from cleverwizard.files.oneroster import Roster, bundle
from cleverwizard.store import RosterStore
from cleverwizard.text import spreadsheet_cell


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text (``\\r\\n`` line ends, as RFC 4180 and OneRoster's CSV binding ask)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


class FilesOut:
    """``RosterSync``'s exports; none needs a Clever connection."""

    store: RosterStore

    def export_rows(self, kind: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The columns and rows of ``export sections``, ``courses`` or ``enrollments``."""
        self.store.refresh()
        if kind == "courses":
            return rows_for.COURSE_COLUMNS, rows_for.course_rows(self.store.courses())
        sections = self.store.sections()
        if kind == "sections":
            return rows_for.SECTION_COLUMNS, rows_for.section_rows(sections)
        if kind == "enrollments":
            return rows_for.ENROLLMENT_COLUMNS, rows_for.enrollment_rows(sections)
        raise ValueError(f"nothing to export called {kind!r}")

    def oneroster_files(self, today: date | None = None) -> dict[str, str]:
        """File name -> CSV text of the OneRoster 1.1 bulk bundle of the roster as it is now."""
        self.store.refresh()
        roster = Roster(
            site=self.store.site(),
            teachers=self.store.teachers(),
            students=self.store.students(),
            sections=self.store.sections(),
            courses=self.store.courses(),
        )
        return {name: csv_text(rows) for name, rows in bundle(roster, today or date.today()).items()}

    def write_oneroster(self, directory: Path, *, as_zip: bool = False) -> Path:
        """Write the bundle into ``directory`` (made if missing), or as ``directory.zip``; the path written.

        Each file is written beside its final name and renamed over it, so a consumer never
        reads half a file.
        """
        files = self.oneroster_files()
        target = Path(directory).expanduser()
        if as_zip:
            zip_path = target.with_name(target.name.removesuffix(".zip") + ".zip")
            zip_path.parent.mkdir(parents=True, exist_ok=True)
            part = zip_path.with_name(f".{zip_path.name}.part")
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as bundle_zip:
                for name, text in files.items():
                    bundle_zip.writestr(name, text.encode("utf-8"))
            os.replace(part, zip_path)
            return zip_path
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            part = target / f".{name}.part"
            part.write_bytes(text.encode("utf-8"))
            os.replace(part, target / name)
        return target
