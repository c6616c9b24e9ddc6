"""Re-minted Clever ids: when Clever gives a person a new id, the account follows it.

Clever can mint a new id for the same person (back after 300+ days, or after an SIS id or
email change; CONTRACT.md §6). Archiving the old account and creating a new one would split
the person's history and leave the new account without its login email, so INTERFACE.md
decides: when an account's Clever id disappears and a new id of the same role and the same
SIS id appears in the same run, the account is relinked to the new id. An account linked by
a v1/v2 id follows the record whose ``legacy_id`` is that id. A match on email or name alone
is not proof: a sync flags it, never applies it; the wizard suggests it and a relink chosen
there is planned as one (``followed``), so the person keeps one account and its history. The
Teachers preview suggests it in the row's dropdown (``Candidate.replaces``: "same email, new
Clever id"); the Students preview lists each ``SamePerson`` to tick. A ``SamePerson`` is also
found after the fact: a sync archived the account and made a second one (its ``twin``) for
the new record; choosing it moves the old account to the new id and archives the twin.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cleverwizard.clever.decode import CleverUser as User
from cleverwizard.people.plan import AlikeBy, Plan, SamePerson
from cleverwizard.rules.names import fold, normalise_email
from cleverwizard.store.models import Account, PersonKind, Problem

SAME_SIS_ID = "Clever gave this person a new id; same SIS id"
LEGACY_ID = "linked by an older Clever id (v1/v2), which this record lists as its legacy id"


@dataclass
class Relinks:
    """New Clever id -> (platform account id, why), and the possible ones to check by hand."""

    accounts: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    possible: list[SamePerson] = field(default_factory=list)


def _role(kind: PersonKind, user: User) -> tuple[str | None, str | None]:
    held = user.roles.teacher if kind == "teacher" else user.roles.student
    return (held.sis_id, held.legacy_id) if held is not None else (None, None)


def find_relinks(
    kind: PersonKind,
    accounts: Sequence[Account],
    clever: Sequence[User],
    pairs: Mapping[str, int],
    gone: set[str],
    kept_apart: AbstractSet[int] = frozenset(),
) -> Relinks:
    """The accounts that follow a new Clever id in this run.

    ``pairs`` are the links already decided (Clever id -> account id); ``gone`` the Clever
    ids this run saw disappear (a full sync: every linked id Clever no longer lists; a daily
    sync: the ids deleted or moved away). Only records that would otherwise get a new
    account are considered, and each match must be the only one of its kind. ``kept_apart``
    are accounts the administrator said are nobody in Clever ("not in the list"): never moved.
    """
    found = Relinks()
    present = {user.id for user in clever}
    taken = {account_id for clever_id, account_id in pairs.items() if clever_id in present} | set(kept_apart)
    by_legacy = {a.clever_id: a for a in accounts if a.clever_id and a.id not in taken}
    orphans = [a for a in accounts if a.clever_id in gone and a.id not in taken]
    by_sis = _by_unique_sis_id(orphans)
    if not by_legacy and not orphans:
        return found  # a first import, or every linked account still listed: nobody to follow
    new = [user for user in clever if user.id not in pairs]
    new_sis = Counter(_role(kind, user)[0] for user in new)
    for user in new:
        sis_id, legacy_id = _role(kind, user)
        account = by_legacy.get(legacy_id) if legacy_id else None
        reason = LEGACY_ID
        if account is None and sis_id and new_sis[sis_id] == 1:
            account, reason = by_sis.get(sis_id), SAME_SIS_ID
        if account is not None and account.id not in taken:
            found.accounts[user.id] = (account.id, reason)
            taken.add(account.id)
    # A look-alike is only an account whose id went missing now (still active): an account
    # archived long ago shares its name or recycled email with newcomers, not with itself.
    left = [a for a in orphans if a.id not in taken]
    look_alike = _LookAlikes([a for a in left if a.status == "active"])
    offers: list[SamePerson] = []
    for user in new if left else ():
        account = look_alike.find(user) if user.id not in found.accounts else None
        if account is not None:
            same = _same_person(kind, user, account)
            offers.append(same)
            found.problems.append(_look_alike_problem(kind, same, account))
    offers += _twins(kind, accounts, clever, pairs, [a for a in left if a.status == "archived"])
    claims = Counter(same.account_id for same in offers)
    found.possible = [same for same in offers if claims[same.account_id] == 1]  # one record an account
    return found


def _by_unique_sis_id(accounts: Sequence[Account]) -> dict[str, Account]:
    """The accounts by SIS id, leaving out an id two of them share (it proves nothing)."""
    counts = Counter(a.sis_id for a in accounts if a.sis_id)
    return {a.sis_id: a for a in accounts if a.sis_id and counts[a.sis_id] == 1}


def _look_alike_problem(kind: PersonKind, same: SamePerson, account: Account) -> Problem:
    return Problem(
        kind=kind,
        clever_id=same.clever_id,
        name=same.clever_name,
        issue=(
            f"may be {account.full_name} (account {account.id}), whose Clever id "
            f"{account.clever_id} is gone: same {same.alike_by}, but not the same SIS id"
        ),
        fix=(
            "If it is the same person, give the record the account's SIS id in the SIS "
            f"(the next sync then relinks it), or say so in the wizard's {kind.title()}s step"
        ),
    )


def _same_person(
    kind: PersonKind, user: User, account: Account, twin_id: int | None = None, by_sis: bool = False
) -> SamePerson:
    email = normalise_email(user.email)
    alike = email and email in (normalise_email(account.clever_email), normalise_email(account.email))
    alike_by: AlikeBy = "SIS id" if by_sis else "email" if alike else "name"
    return SamePerson(
        clever_id=user.id,
        clever_name=user.name.full or user.id,
        account_id=account.id,
        account_name=account.full_name,
        old_clever_id=account.clever_id or "",
        alike_by=alike_by,
        twin_id=twin_id,
        archived_at=account.updated_at[:10] if account.status == "archived" else None,
    )


TWIN_WINDOW = timedelta(days=14)
"""How soon after an account was archived a second one made for its look-alike is a twin.
Clever re-mints within days (the old id deleted one day, the new one the next); a namesake
or a recycled email arrives a term or a year later, and is someone else."""


def _twins(
    kind: PersonKind,
    accounts: Sequence[Account],
    clever: Sequence[User],
    pairs: Mapping[str, int],
    archived: Sequence[Account],
) -> list[SamePerson]:
    """Records a sync already gave a second account: the archived look-alike is offered back.

    A twin is an account Clever made (``source == "clever"``, never one the school made by
    hand) within ``TWIN_WINDOW`` after the old one was archived, for a record with the old
    account's SIS id, else its email, else its name. Not flagged as a problem: the run that
    made the twin flagged it, and only the wizard can settle it.
    """
    if not archived:
        return []
    look_alike = _LookAlikes(archived)
    by_sis = _by_unique_sis_id(archived)
    by_id = {a.id: a for a in accounts}
    found = []
    for user in clever:
        twin = by_id.get(pairs.get(user.id, -1))
        if twin is None or twin.source != "clever" or twin.clever_id != user.id or twin.status != "active":
            continue
        sis_id = _role(kind, user)[0]
        account = by_sis.get(sis_id) if sis_id else None
        same_sis = account is not None
        account = account or look_alike.find(user)
        if account is not None and account.id != twin.id and _soon_after(account.updated_at, twin.created_at):
            found.append(_same_person(kind, user, account, twin_id=twin.id, by_sis=same_sis))
    return found


def _soon_after(archived_at: str, created_at: str) -> bool:
    try:
        gap = datetime.fromisoformat(created_at) - datetime.fromisoformat(archived_at)
    except ValueError:
        return False
    return timedelta(0) <= gap <= TWIN_WINDOW


class _LookAlikes:
    """The gone accounts by email and by full name, to find a record's one look-alike.

    Indexed once per run: a first import has no gone accounts and skips this entirely, and a
    full sync with a few gone accounts looks each new record up instead of scanning them all.
    """

    def __init__(self, accounts: Sequence[Account]) -> None:
        self.by_email: dict[str, list[Account]] = {}
        self.by_name: dict[str, list[Account]] = {}
        for account in accounts:
            for email in {normalise_email(account.clever_email), normalise_email(account.email)}:
                if email:
                    self.by_email.setdefault(email, []).append(account)
            self.by_name.setdefault(fold(account.full_name), []).append(account)

    def find(self, user: User) -> Account | None:
        """The one gone account with the record's email, else with its full name."""
        email = normalise_email(user.email)
        if email:
            same = self.by_email.get(email, [])
            if len(same) == 1:
                return same[0]
        name = fold(user.name.full)
        same = self.by_name.get(name, []) if name else []
        return same[0] if len(same) == 1 else None


def relinked_ids(plan: Plan) -> set[str]:
    """The old Clever ids the plan's relinks leave behind (they are not archived)."""
    return {
        str(diff.old) for change in plan.of("relink") for diff in change.diffs if diff.field == "clever_id" and diff.old
    }
