"""The demo platform's own records from before the school connected Clever.

Teacher accounts made by hand and a course catalogue exist so the wizard's matching has
real work in the demo and in tests: a few accounts match a Clever teacher exactly, most
are the same person under another spelling or email, and two are people Clever has never
heard of; some courses carry Clever's names, some other wordings, some are not in Clever.
"""

from __future__ import annotations

from typing import Any

from cleverwizard.sandbox.district import SandboxDistrict
from cleverwizard.sandbox.names import (
    LAST_NAMES,
    NICKNAMES,
    PERSONAL_DOMAINS,
    ascii_slug,
    username,
    without_accents,
)

DEMO_ACCOUNT_KINDS: tuple[str, ...] = (
    "exact_email",
    "exact_email",
    "nickname",
    "sis_id_only",
    "exact_email",
    "maiden_name",
    "typo",
    "other_domain",
    "not_in_clever",
    "not_in_clever",
)
"""The kind of each account ``demo_platform_teachers`` returns, in the same order."""

_STRANGERS: tuple[tuple[str, str], ...] = (
    ("Harold", "Finch"),
    ("Greta", "Lindqvist"),
    ("Walter", "Okonjo"),
    ("Ingrid", "Bauer"),
)


def _typo(name: str) -> str:
    """Swap two neighbouring letters, or drop one when they are the same ("Garcia" → "Gracia")."""
    i = max(1, len(name) // 2 - 1)
    if name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def _other_last(last: str) -> str:
    """A deterministic different surname for a maiden name."""
    start = sum(map(ord, last)) % len(LAST_NAMES)
    for offset in range(len(LAST_NAMES)):
        candidate = LAST_NAMES[(start + offset) % len(LAST_NAMES)]
        if candidate != last:
            return candidate
    return "Maiden"


def demo_platform_teachers(
    district: SandboxDistrict, school_id: str, *, with_kind: bool = False
) -> list[dict[str, Any]]:
    """Hand-made accounts (``first_name``, ``last_name``, ``email``, ``sis_id``) for one school.

    Built from the school's own Clever teachers (primary school, a unique email with '@',
    both names present), taken in id order, so a seed always gives the same accounts. In
    order, as ``DEMO_ACCOUNT_KINDS`` lists them:

    1, 2, 5. ``exact_email``: a Clever teacher's email with different letter case
       (``Maria.Garcia@...``), names typed without accents.
    3. ``nickname``: the teacher with a formal first name (Robert) under the nickname (Bob),
       same last name, email ``bob.last@`` the district domain.
    4. ``sis_id_only``: the teacher's SIS id, first name shortened to an initial ("M."), and
       an old ``legacy.`` address: only the SIS id matches exactly.
    6. ``maiden_name``: same first name, another last name, an email built from that name.
    7. ``typo``: two letters of the last name swapped, email built from the misspelt name.
    8. ``other_domain``: exact names with a personal address (gmail.com and the like).
    9, 10. ``not_in_clever``: people Clever does not list at all.

    ``sis_id`` is None except for the ``sis_id_only`` account. With fewer than about eight
    eligible teachers some kinds are left out; ``with_kind=True`` adds a ``kind`` key so
    callers never have to rely on positions.
    """
    if school_id not in district.schools:
        raise KeyError(school_id)
    counts: dict[str, int] = {}
    for user in district.users.values():
        if user.get("email"):
            counts[user["email"]] = counts.get(user["email"], 0) + 1
    eligible = [
        user
        for user in district.users_at_school(school_id, "teacher", primary=True)
        if user.get("email")
        and "@" in user["email"]
        and counts[user["email"]] == 1
        and user["name"].get("first")
        and user["name"].get("last")
    ]
    taken = {email.lower() for email in counts}
    domain = district.domain
    accounts: list[dict[str, Any]] = []

    def fresh(stem: str, host: str) -> str:
        email, n = f"{stem}@{host}", 1
        while email.lower() in taken:
            n += 1
            email = f"{stem}{n}@{host}"
        taken.add(email.lower())
        return email

    def add(kind: str, first: str, last: str, email: str, sis_id: str | None = None) -> None:
        account: dict[str, Any] = {"first_name": first, "last_name": last, "email": email, "sis_id": sis_id}
        if with_kind:
            account["kind"] = kind
        accounts.append(account)

    wants = {"nickname": lambda u: u["name"]["first"] in NICKNAMES, "typo": lambda u: len(u["name"]["last"]) >= 4}
    for kind in DEMO_ACCOUNT_KINDS:
        teacher = next((u for u in eligible if wants.get(kind, lambda _: True)(u)), None)
        if kind == "not_in_clever" or teacher is None:
            continue
        eligible.remove(teacher)
        first, last, email = teacher["name"]["first"], teacher["name"]["last"], teacher["email"]
        if kind == "exact_email":
            local, _, host = email.partition("@")
            cased = ".".join(part.capitalize() for part in local.split("."))
            add(kind, without_accents(first), without_accents(last), f"{cased}@{host.capitalize()}")
        elif kind == "nickname":
            nick = NICKNAMES[first]
            add(kind, nick, last, fresh(f"{ascii_slug(nick)}.{ascii_slug(last)}", domain))
        elif kind == "sis_id_only":
            sis_id = teacher["roles"]["teacher"].get("sis_id")
            legacy = fresh(username(first, last), f"legacy.{domain}")
            add(kind, f"{first[0]}.", last, legacy, sis_id)
        elif kind == "maiden_name":
            maiden = _other_last(last)
            add(kind, first, maiden, fresh(f"{ascii_slug(first)}.{ascii_slug(maiden)}", domain))
        elif kind == "typo":
            misspelt = _typo(last)
            add(kind, first, misspelt, fresh(f"{ascii_slug(first)}.{ascii_slug(misspelt)}", domain))
        elif kind == "other_domain":
            host = PERSONAL_DOMAINS[len(accounts) % len(PERSONAL_DOMAINS)]
            add(kind, first, last, fresh(f"{ascii_slug(first)}{ascii_slug(last)}{len(last) * 7 % 90 + 10}", host))
    known = {(u["name"].get("first"), u["name"].get("last")) for u in district.users_at_school(school_id, "teacher")}
    strangers = [pair for pair in _STRANGERS if pair not in known][:2]
    for first, last in strangers:
        add("not_in_clever", first, last, fresh(f"{ascii_slug(first)}.{ascii_slug(last)}", domain))
    return accounts


DEMO_COURSE_KINDS: tuple[str, ...] = ("exact", "folded", "reworded", "not_in_clever")
"""How a demo catalogue course relates to the sandbox's Clever courses."""

_DEMO_COURSES: tuple[tuple[str, str, tuple[str, ...], str | None, str, str | None], ...] = (
    # name, subject, grades, number, kind, the Clever course it stands for
    ("Kindergarten Homeroom", "homeroom/advisory", ("Kindergarten",), "HR-K", "exact", "Kindergarten Homeroom"),
    ("Grade 1 Homeroom", "homeroom/advisory", ("1",), "HR-1", "exact", "Grade 1 Homeroom"),
    ("Math 7", "math", ("7",), "MA-0700", "exact", "Math 7"),
    ("English 9", "english/language arts", ("9",), "EN-0900", "exact", "English 9"),
    ("Science 10", "science", ("10",), None, "exact", "Science 10"),
    ("Mathematics 6", "math", ("6",), "MA-0600", "folded", "Math 6"),
    ("Art and Music 11", "arts and music", ("11",), None, "folded", "Art & Music 11"),
    ("2nd Grade Homeroom", "homeroom/advisory", ("2",), None, "reworded", "Grade 2 Homeroom"),
    ("Physical Education 8", "PE and health", ("8",), "PE-0800", "reworded", "PE & Health 8"),
    ("Social Studies - Grade 8", "social studies", ("8",), None, "reworded", "Social Studies 8"),
    ("Algebra I", "math", ("9",), "MA-ALG1", "not_in_clever", None),
    ("AP Biology", "science", ("11", "12"), "SC-APBIO", "not_in_clever", None),
    ("Orchestra", "arts and music", (), None, "not_in_clever", None),
    ("Computer Science Principles", "technology and engineering", ("10", "11", "12"), None, "not_in_clever", None),
)


def demo_platform_courses(district: SandboxDistrict, *, with_kind: bool = False) -> list[dict[str, Any]]:
    """The demo platform's own course catalogue (``name``, ``subject``, ``grades``, ``number``).

    A school's catalogue predates Clever and is worded its own way, so matching has work:
    ``exact`` courses carry a Clever course's very name, ``folded`` ones the same name once
    spelling is unified ("Mathematics 6" for "Math 6", "&" for "and"), ``reworded`` ones are
    only similar ("Physical Education 8" for "PE & Health 8"), and ``not_in_clever`` ones
    ("Algebra I", "Orchestra") match no Clever course. A course whose Clever counterpart the
    district lacks (a smaller generated district) is left out; ``with_kind=True`` adds ``kind``.
    """
    clever_names = {course.get("name") for course in district.courses.values()}
    catalogue = []
    for name, subject, grades, number, kind, counterpart in _DEMO_COURSES:
        if counterpart is not None and counterpart not in clever_names:
            continue
        course: dict[str, Any] = {"name": name, "subject": subject, "grades": list(grades), "number": number}
        if with_kind:
            course["kind"] = kind
        catalogue.append(course)
    return catalogue
