"""Normalising names and emails so that matching compares people, not spellings.

Clever does not normalise emails and names arrive with accents, hyphens, apostrophes,
suffixes and nicknames. Everything here is pure and fast: it runs once per record per
import, and the teacher dropdown's search calls ``search_key`` on every keystroke.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_SEPARATORS = re.compile(r"[-_/,.]+")
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

NICKNAMES: dict[str, frozenset[str]] = {
    name: frozenset(group)
    for group in (
        {"robert", "bob", "rob", "bobby", "robbie"},
        {"william", "bill", "will", "billy", "liam"},
        {"katherine", "kate", "kathy", "katie", "kathryn", "catherine", "kat"},
        {"elizabeth", "liz", "beth", "betty", "eliza", "lizzie"},
        {"michael", "mike", "mikey", "mick"},
        {"jennifer", "jen", "jenny"},
        {"james", "jim", "jimmy", "jamie"},
        {"richard", "rick", "rich", "dick", "ricky"},
        {"margaret", "maggie", "meg", "peggy", "marge"},
        {"thomas", "tom", "tommy"},
        {"christopher", "chris", "kit"},
        {"christine", "chris", "tina", "christina"},
        {"daniel", "dan", "danny"},
        {"david", "dave", "davey"},
        {"joseph", "joe", "joey"},
        {"jose", "pepe"},
        {"patricia", "pat", "patty", "trish"},
        {"patrick", "pat", "paddy"},
        {"anthony", "tony"},
        {"alexander", "alex", "sasha"},
        {"alexandra", "alex", "sandra", "lexi"},
        {"samuel", "sam", "sammy"},
        {"samantha", "sam", "sammie"},
        {"benjamin", "ben", "benny"},
        {"matthew", "matt"},
        {"nicholas", "nick", "nico"},
        {"edward", "ed", "eddie", "ted", "ned"},
        {"susan", "sue", "suzy"},
        {"deborah", "deb", "debbie"},
        {"rebecca", "becky", "becca"},
        {"victoria", "vicky", "tori"},
        {"jonathan", "jon", "john", "johnny"},
        {"steven", "steve", "stephen"},
        {"andrew", "andy", "drew"},
        {"gregory", "greg"},
        {"timothy", "tim", "timmy"},
        {"kenneth", "ken", "kenny"},
        {"abigail", "abby", "gail"},
        {"zoe", "zoey"},
    )
    for name in group
}
"""First name -> the names it is often written as. A hit is a hint for ranking, never a link."""


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent-free, case-free, punctuation-light form of any text.

    "José Núñez-O'Brien" -> "jose nunez obrien": hyphens become spaces (two surnames are
    two words) and apostrophes vanish (O'Brien is written OBrien as often as O Brien).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().replace("'", "").replace("\u2019", "")
    plain = _SEPARATORS.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def name_words(first: str | None, last: str | None) -> tuple[str, ...]:
    """The folded words of a person's name without suffixes such as Jr or III."""
    words = fold(f"{first or ''} {last or ''}").split()
    return tuple(word for word in words if word not in _SUFFIXES)


def name_forms(
    first: str | None, last: str | None, preferred_first: str | None = None, preferred_last: str | None = None
) -> list[tuple[str | None, str | None]]:
    """The names a person is known by: the legal one, then (v3.1's ``preferred_name``) the one
    they go by, its missing parts taken from the legal name; a matcher tries each."""
    forms: list[tuple[str | None, str | None]] = [(first, last)]
    if preferred_first or preferred_last:
        preferred = (preferred_first or first, preferred_last or last)
        if name_words(*preferred) != name_words(first, last):
            forms.append(preferred)
    return forms


def first_name_variants(first: str | None) -> frozenset[str]:
    """The folded first name plus the names it is commonly shortened to or from."""
    words = fold(first or "").split()
    if not words:
        return frozenset()
    head = words[0]
    return NICKNAMES.get(head, frozenset()) | {head}


def normalise_email(email: str | None) -> str | None:
    """Trimmed, case-folded email, or ``None`` when there is nothing there."""
    if email is None:
        return None
    cleaned = email.strip().casefold()
    return cleaned or None


def is_valid_email(email: str | None) -> bool:
    """A usable login email: one '@', something before it, a dotted domain, no spaces."""
    if not email:
        return False
    return _EMAIL.match(email.strip()) is not None


def email_refusal(email: str) -> str | None:
    """Why ``email`` cannot be a login email, as a sentence to show; ``None`` when it can.

    An empty box is asked for ("enter an email"), not quoted back as ``''``.
    """
    typed = email.strip()
    if not typed:
        return "The email is empty: enter an email address (name@school.org)."
    if not is_valid_email(typed):
        return f"{typed!r} is not an email address (name@school.org)."
    return None


def search_key(*parts: str | None) -> str:
    """The text a typed search is compared with: every part folded and joined."""
    return fold(" ".join(part for part in parts if part))
