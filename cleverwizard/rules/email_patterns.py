"""Login emails built from a pattern, such as ``{first}.{last}@students.school.org``.

Names are lowercased, their accents removed and everything but a-z and 0-9 dropped, so
"José Núñez-O'Brien" gives ``jose`` and ``nunezobrien``: an address every mail system takes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

PLACEHOLDERS = ("first", "last", "first_initial", "sis_id")
_FIELD = re.compile(r"\{([^{}]*)\}")


class PatternRejected(ValueError):
    """The pattern cannot build emails (an unknown placeholder, or none at all)."""


def email_part(text: str | None) -> str:
    """``"Núñez-O'Brien"`` -> ``"nunezobrien"``: lowercase a-z and 0-9 only."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]", "", plain)


def check_pattern(pattern: str) -> str:
    """The pattern trimmed, or ``PatternRejected`` saying what is wrong with it."""
    cleaned = pattern.strip()
    names = _FIELD.findall(cleaned)
    unknown = [name for name in names if name not in PLACEHOLDERS]
    if unknown:
        raise PatternRejected(
            f"The pattern has {', '.join('{' + n + '}' for n in unknown)}; it can use "
            + ", ".join("{" + n + "}" for n in PLACEHOLDERS)
            + "."
        )
    if not names:
        raise PatternRejected("The pattern has no placeholder, so every account would get the same email.")
    if "@" not in cleaned:
        raise PatternRejected("The pattern has no @domain (e.g. {first}.{last}@students.school.org).")
    return cleaned


def build_email(pattern: str, first: str | None, last: str | None, sis_id: str | None) -> tuple[str | None, str]:
    """The email ``pattern`` gives one person, or ``None`` and why it can't be built."""
    parts: Mapping[str, str] = {
        "first": email_part(first),
        "last": email_part(last),
        "first_initial": email_part(first)[:1],
        "sis_id": email_part(sis_id),
    }
    needed = set(_FIELD.findall(pattern))
    empty = [name for name in PLACEHOLDERS if name in needed and not parts[name]]
    if empty:
        words = {"first": "first name", "last": "last name", "first_initial": "first name", "sis_id": "SIS id"}
        return None, "no " + " and no ".join(dict.fromkeys(words[name] for name in empty)) + " to build it from"
    return _FIELD.sub(lambda match: parts[match.group(1)], pattern), ""
