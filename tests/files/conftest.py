"""A school folder on a small sandbox district of the test's own (the daily tests' fixtures),
and CSV files written the way schools' tools write them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.daily.conftest import connected, cw, data_dir, district, link, school, service  # noqa: F401

WriteCsv = Callable[..., Path]

GOOGLE_HEADER = (
    "First Name [Required]",
    "Last Name [Required]",
    "Email Address [Required]",
    "Password [Required]",
    "Org Unit Path [Required]",
    "Employee ID",
    "Recovery Email",
)


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """``write_csv(name, header, rows, bom=False)``: a CSV file in the test's folder."""

    def write(name: str, header: Sequence[str], rows: Sequence[Sequence[str]], *, bom: bool = False) -> Path:
        lines = [",".join(header), *(",".join(row) for row in rows)]
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
        return path

    return write
