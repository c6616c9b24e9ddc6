"""Text from Clever and from files is data: shown literally, on one line, with no terminal control.

Names, emails, school and district names, grades and Clever's own error messages can hold
anything a SIS export or a hostile server puts there: ANSI and OSC escapes (which clear the
screen, retitle the window or write the clipboard), carriage returns and newlines (which forge
lines in the sync report cron mails), bidi overrides (which make ``gpj.exe`` read as
``exe.jpg``) and NUL bytes. Every place that shows such a value to a person, on a terminal or in
a report line, passes it through ``one_line`` once, at the edge. Markup is a separate matter:
widgets that show these values render them as plain text (no markup parsing), which this
module cannot do for them.

``spreadsheet_cell`` is the CSV edge: a cell that a spreadsheet would run as a formula gets a
leading ``'`` (OWASP's advice), NUL bytes go, and the rest is made one line as above.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi embeddings,
# overrides and isolates, the left-to-right/right-to-left marks and a stray byte-order mark.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE_LIKE = frozenset("\t\n\v\f\r\x85\u2028\u2029")
_FORMULA_START = frozenset("=+-@\t\r\n") | {chr(c) for c in range(0x20)}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPACE_LIKE:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(value: object) -> str:
    """``value`` as one printable line: line breaks and tabs become spaces, every other control
    or direction-changing character is shown as an escape (``\\x1b``, ``\\u202e``).

    ``None`` is the empty string. Text that is already safe (nearly all of it) is returned as
    it is, after one regex search.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_visible, text)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 teacher``, ``2 teachers``, ``0 people`` (with ``plural="people"``): counts read as sentences."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def spreadsheet_cell(value: object) -> str:
    """A CSV cell that no spreadsheet will run and no terminal will obey: no NUL, one printable
    line (as ``one_line`` writes it: a CSV is also read with ``cat`` and ``less``), and a leading
    ``'`` before a formula start. The JSON exports are the exact copy."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text and text[0] in _FORMULA_START:
        return "'" + one_line(text)
    return one_line(text)
