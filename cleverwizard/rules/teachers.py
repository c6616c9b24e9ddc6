"""Suggesting which Clever teacher each platform teacher is.

Only exact identifiers are confident: the saved Clever id, a unique exact email, an exact
SIS id. Names only rank suggestions, because two different people (Michael and Michelle
Brown) can score higher than one person under a nickname (Robert and Bob Johnson). The
wizard pre-selects our best suggestion and the administrator decides.

rapidfuzz is imported where names are compared, not with the module: a students import
plans with this module loaded (``people.build``) and never compares a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, TypeVar

from cleverwizard.clever.decode import CleverUser
from cleverwizard.rules.names import (
    first_name_variants,
    fold,
    is_valid_email,
    name_forms,
    name_words,
    normalise_email,
    search_key,
)
from cleverwizard.rules.order import account_order
from cleverwizard.store.models import MatchDecision, Teacher

Reason = Literal["saved match", "same email", "same SIS id", "similar name"]

SUGGEST_AT = 85
"""Name score from which the best candidate is pre-selected (still only a suggestion)."""
AMBIGUOUS_WITHIN = 5
"""Two name candidates this close are both shown, and neither is pre-selected."""
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Candidate:
    clever_id: str
    score: int
    reason: Reason
    replaces: str | None = None
    """The account's own Clever id when Clever no longer lists it: this record may be the
    same person under an id Clever re-minted (choosing it relinks the account)."""

    @property
    def confident(self) -> bool:
        return self.reason != "similar name"


@dataclass
class TeacherMatchRow:
    """One platform teacher, the Clever teachers they might be, and our suggestion."""

    account: Teacher
    candidates: list[Candidate] = field(default_factory=list)
    suggested: str | None = None
    """The Clever id pre-selected; ``None`` means "This teacher is not in the list"."""
    decided: bool = False
    """True when a saved decision (not our guess) made the suggestion."""

    @property
    def suggestion(self) -> Candidate | None:
        return next((c for c in self.candidates if c.clever_id == self.suggested), None)


def display_name(user: CleverUser) -> str:
    """The legal name, and beside it (v3.1) the name the person goes by."""
    legal = user.name.full or "(no name in Clever)"
    preferred = user.preferred_name
    return f"{legal} (goes by {preferred.full})" if preferred is not None else legal


def user_name_forms(user: CleverUser) -> list[tuple[str | None, str | None]]:
    """The Clever person's legal name and, when Clever gives one, preferred name."""
    preferred = user.preferred_name
    if preferred is None:
        return [(user.name.first, user.name.last)]
    return name_forms(user.name.first, user.name.last, preferred.first, preferred.last)


class NameIndex:
    """Clever teachers' names prepared once, so scoring a platform teacher is one C loop.

    ``rapidfuzz.process.extract`` compares one name with every Clever name in C; the
    nickname rule (same surname, first names that are variants of each other) then only
    looks at the Clever teachers sharing the surname.
    """

    def __init__(self, clever_teachers: Sequence[CleverUser], cutoff: int = 50) -> None:
        self.cutoff = cutoff
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.by_last: dict[str, list[tuple[CleverUser, str | None]]] = {}
        for user in clever_teachers:
            for first, last_name in user_name_forms(user):
                self.ids.append(user.id)
                self.texts.append(" ".join(name_words(first, last_name)))
                last = fold(last_name or "")
                if last:
                    self.by_last.setdefault(last, []).append((user, first))

    def scores(self, account: Teacher) -> dict[str, int]:
        """Clever id -> name score, for every Clever teacher scoring at least ``cutoff``."""
        from rapidfuzz import fuzz, process

        ours = " ".join(name_words(account.first_name, account.last_name))
        if not ours:
            return {}
        found = process.extract(ours, self.texts, scorer=fuzz.token_set_ratio, score_cutoff=self.cutoff, limit=None)
        result: dict[str, int] = {}
        for _, score, index in found:
            if self.texts[index]:
                clever_id = self.ids[index]
                result[clever_id] = max(result.get(clever_id, 0), int(score))
        our_firsts = first_name_variants(account.first_name)
        for user, first in self.by_last.get(fold(account.last_name), []):
            if our_firsts & first_name_variants(first):
                result[user.id] = max(result.get(user.id, 0), 92)
        return result


def name_score(account: Teacher, user: CleverUser) -> int:
    """0-100 likeness of two names, forgiving accents, order, middle names and nicknames;
    the Clever person's preferred name (v3.1) counts as much as the legal one."""
    return max(_form_score(account, first, last) for first, last in user_name_forms(user))


def _form_score(account: Teacher, first: str | None, last: str | None) -> int:
    theirs = name_words(first, last)
    ours = name_words(account.first_name, account.last_name)
    if not theirs or not ours:
        return 0
    from rapidfuzz import fuzz

    base = fuzz.token_set_ratio(" ".join(ours), " ".join(theirs))
    our_firsts = first_name_variants(account.first_name)
    their_firsts = first_name_variants(first)
    same_last = fold(account.last_name) == fold(last or "") != ""
    if same_last and our_firsts & their_firsts:
        return max(int(base), 92)
    return int(base)


class Ranked(Protocol):
    """A suggestion with a 0-100 score that may or may not rest on an exact identifier."""

    @property
    def score(self) -> int: ...

    @property
    def confident(self) -> bool: ...


R = TypeVar("R", bound=Ranked)


def unique_values(values: Iterable[str | None]) -> set[str]:
    """The values that occur exactly once: only those can identify a record exactly."""
    counts = Counter(value for value in values if value)
    return {value for value, n in counts.items() if n == 1}


def suggest_teacher_matches(
    accounts: Sequence[Teacher],
    clever_teachers: Sequence[CleverUser],
    decisions: Mapping[int, MatchDecision],
) -> list[TeacherMatchRow]:
    """A row per platform teacher, best guesses first, each Clever teacher suggested once.

    Saved decisions win, then unique exact emails, then exact SIS ids, then the best
    unclaimed name above ``SUGGEST_AT`` that is not ambiguous.
    """
    by_id = {user.id: user for user in clever_teachers}
    their_emails = unique_values(normalise_email(u.email) for u in clever_teachers if is_valid_email(u.email))
    our_emails = unique_values(normalise_email(a.email) for a in accounts)
    their_sis = unique_values(u.roles.teacher.sis_id for u in clever_teachers if u.roles.teacher)
    email_index = {normalise_email(u.email): u.id for u in clever_teachers}
    sis_index = {u.roles.teacher.sis_id: u.id for u in clever_teachers if u.roles.teacher}

    names = NameIndex(clever_teachers)
    rows = [TeacherMatchRow(account=account) for account in accounts if account.status == "active"]
    claimed: set[str] = set()

    for row in rows:
        account = row.account
        decision = decisions.get(account.id)
        linked = account.clever_id if account.clever_id in by_id else None
        exact: list[Candidate] = []
        if linked:
            exact.append(Candidate(linked, 100, "saved match"))
        email = normalise_email(account.email)
        if email in their_emails and email in our_emails:
            exact.append(Candidate(email_index[email], 100, "same email"))
        if account.sis_id and account.sis_id in their_sis:
            exact.append(Candidate(sis_index[account.sis_id], 100, "same SIS id"))
        named = sorted(
            (Candidate(cid, score, "similar name") for cid, score in names.scores(account).items()),
            key=lambda c: (-c.score, display_name(by_id[c.clever_id])),
        )
        seen: set[str] = set()
        gone = account.clever_id if account.clever_id and not linked else None  # Clever no longer lists it
        for candidate in [*exact, *named]:
            if candidate.clever_id not in seen:
                seen.add(candidate.clever_id)
                row.candidates.append(replace(candidate, replaces=gone) if gone else candidate)
        row.candidates = row.candidates[:MAX_CANDIDATES]
        if decision is not None and (decision.clever_id is None or decision.clever_id in by_id):
            row.suggested = decision.clever_id
            row.decided = True
            if decision.clever_id:
                claimed.add(decision.clever_id)

    for confident_pass in (True, False):
        for row in rows:
            if row.decided or row.suggested:
                continue
            pick = _pick(row.candidates, claimed, confident_pass)
            if pick:
                row.suggested = pick
                claimed.add(pick)
    return sorted(rows, key=lambda row: account_order(row.account))  # as View Imported Teachers lists them


def _pick(candidates: list[Candidate], claimed: set[str], confident: bool) -> str | None:
    free = [c for c in candidates if c.clever_id not in claimed]
    best = best_suggestion(free, confident_only=confident)
    return best.clever_id if best is not None else None


def best_suggestion(ranked: Sequence[R], *, confident_only: bool = False) -> R | None:
    """The candidate to pre-select from ``ranked`` (best first), or ``None`` if that is a guess.

    An exact identifier always wins; a likeness only when it scores ``SUGGEST_AT`` or more
    and the runner-up is not within ``AMBIGUOUS_WITHIN`` of it.
    """
    if not ranked:
        return None
    best = ranked[0]
    if best.confident:
        return best
    if confident_only or best.score < SUGGEST_AT:
        return None
    runner_up = ranked[1] if len(ranked) > 1 else None
    if runner_up and best.score - runner_up.score < AMBIGUOUS_WITHIN:
        return None
    return best


@dataclass(frozen=True)
class SearchOption:
    """A Clever teacher as the dropdown lists it: label plus a pre-folded search text."""

    clever_id: str
    label: str
    key: str


def search_options(clever_teachers: Sequence[CleverUser]) -> list[SearchOption]:
    """Prepare the dropdown once per import so each keystroke only compares strings."""
    options = []
    for user in clever_teachers:
        email = user.email or "no email"
        sis = user.roles.teacher.sis_id if user.roles.teacher else None
        label = f"{display_name(user)} · {email}"
        preferred = user.preferred_name
        also = (preferred.first, preferred.last) if preferred is not None else (None, None)
        options.append(
            SearchOption(user.id, label, search_key(user.name.first, user.name.last, *also, user.email, sis))
        )
    options.sort(key=lambda option: option.key)
    return options


def search(options: Sequence[SearchOption], query: str, limit: int = 50) -> list[SearchOption]:
    """Options whose name, email or SIS id contain every typed word, capped for speed."""
    words = fold(query).split()
    if not words:
        return list(options[:limit])
    found: list[SearchOption] = []
    for option in options:
        if all(word in option.key for word in words):
            found.append(option)
            if len(found) >= limit:
                break
    return found


WRONG_SCHOOL_SHARE = 0.5
"""More than this share of the platform's teachers unmatched suggests the wrong school."""
WRONG_SCHOOL_MIN = 4
"""Below this many platform teachers, a low match rate says nothing."""


def wrong_school_warning(rows: Sequence[TeacherMatchRow], school: str) -> str | None:
    """A warning when most platform teachers have no match in Clever's list for ``school``.

    Nine of ten platform teachers missing is what connecting the wrong Clever school looks
    like; a new school's staff is not, so the rule needs a few teachers before it speaks.
    """
    if len(rows) < WRONG_SCHOOL_MIN:
        return None
    unmatched = sum(1 for row in rows if row.suggested is None)
    if unmatched <= len(rows) * WRONG_SCHOOL_SHARE:
        return None
    return (
        f"{unmatched} of {len(rows)} platform teachers were not found among {school}'s teachers in Clever. "
        "Is this the right school? Check Select your School before importing."
    )
