"""Clever's and files' text reaches a terminal or a spreadsheet only as inert data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleverwizard.text import one_line, spreadsheet_cell


def test_escapes_become_visible_and_lines_stay_one() -> None:
    assert one_line("Ana\x1b[2J") == "Ana\\x1b[2J"
    assert one_line("x\x1b]52;c;aGk=\x07") == "x\\x1b]52;c;aGk=\\x07"
    assert one_line("Smith\nproblem: forged") == "Smith problem: forged"
    assert one_line("cod\u202eexe.jpg") == "cod\\u202eexe.jpg"
    assert one_line("nul\x00") == "nul\\x00"
    assert one_line(None) == ""
    assert one_line("Zoë O'Brien-Núñez") == "Zoë O'Brien-Núñez"


@given(st.text())
def test_one_line_never_lets_a_control_through(text: str) -> None:
    shown = one_line(text)
    assert "\n" not in shown and "\r" not in shown
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text())
def test_spreadsheet_cells_never_start_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert "\x00" not in cell
    assert not cell or cell[0] not in "=+-@" and ord(cell[0]) >= 0x20


def test_formula_cells_get_a_quote() -> None:
    assert spreadsheet_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_cell("plain") == "plain"


def test_spreadsheet_cells_are_one_printable_line() -> None:
    """A CSV export is also read in a terminal: a cell never breaks a row or runs an escape."""
    assert spreadsheet_cell("Bob\nFORGED,row") == "Bob FORGED,row"
    assert spreadsheet_cell("=1\x1b[2J") == "'=1\\x1b[2J"
    assert spreadsheet_cell("\x1b]0;t\x07x") == "'\\x1b]0;t\\x07x"
    assert spreadsheet_cell("Null\x00Byte") == "NullByte"
