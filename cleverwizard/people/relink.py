"""Re-minted Clever ids: when Clever gives a person a new id, the account follows it.

Clever can mint a new id for the same person (back after 300+ days, or after an SIS id or
email change; CONTRACT.md §6). Archiving the old account and creating a new one would split
the person's history and leave the new account without its login email, so INTERFACE.md
decides: when an account's Clever id disappears and a new id of the same role and the same
SIS id appears in the same run, the account is relinked to the new id. An account linked by
a v1/v2 id follows the record whose ``legacy_id`` is that id. A match on email or name alone
is not proof: a sync flags it, never applies it; the wizard's Teachers preview suggests it
(``Candidate.replaces``: "same email, new Clever id") and a relink chosen there is planned
as one (``plan_teachers``'s ``followed``), so the person keeps one account and its history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cleverwizard.clever.decode import CleverUser as User
from cleverwizard.people.plan import Plan
from cleverwizard.rules.names import fold, normalise_email
from cleverwizard.store.models import Account, PersonKind, Problem

SAME_SIS_ID = "Clever gave this person a new id; same SIS id"
LEGACY_ID = "linked by an older Clever id (v1/v2), which this record lists as its legacy id"


@dataclass
class Relinks:
    """New Clever id -> (platform account id, why), and the possible ones to check by hand."""

    accounts: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _role(kind: PersonKind, user: User) -> tuple[str | None, str | None]:
    held = user.roles.teacher if kind == "teacher" else user.roles.student
    return (held.sis_id, held.legacy_id) if held is not None else (None, None)


def find_relinks(
    kind: PersonKind,
    accounts: Sequence[Account],
    clever: Sequence[User],
    pairs: Mapping[str, int],
    gone: set[str],
) -> Relinks:
    """The accounts that follow a new Clever id in this run.

    ``pairs`` are the links already decided (Clever id -> account id); ``gone`` the Clever
    ids this run saw disappear (a full sync: every linked id Clever no longer lists; a daily
    sync: the ids deleted or moved away). Only records that would otherwise get a new
    account are considered, and each match must be the only one of its kind.
    """
    found = Relinks()
    present = {user.id for user in clever}
    taken = {account_id for clever_id, account_id in pairs.items() if clever_id in present}
    by_legacy = {a.clever_id: a for a in accounts if a.clever_id and a.id not in taken}
    orphans = [a for a in accounts if a.clever_id in gone and a.id not in taken]
    sis_counts = Counter(a.sis_id for a in orphans if a.sis_id)
    by_sis = {a.sis_id: a for a in orphans if a.sis_id and sis_counts[a.sis_id] == 1}
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
    left = [a for a in orphans if a.id not in taken]
    look_alike = _LookAlikes(left)
    for user in new if left else ():
        if user.id in found.accounts:
            continue
        account = look_alike.find(user)
        if account is not None:
            found.problems.append(
                Problem(
                    kind=kind,
                    clever_id=user.id,
                    name=user.name.full or user.id,
                    issue=(
                        f"may be {account.full_name} (account {account.id}), whose Clever id "
                        f"{account.clever_id} is gone: same {_alike_by(user, account)}, but not the same SIS id"
                    ),
                    fix=(
                        "If it is the same person, give the record the account's SIS id in the SIS "
                        "(the next sync then relinks it), or link them in the wizard's Teachers step"
                    ),
                )
            )
    return found


def _alike_by(user: User, account: Account) -> str:
    email = normalise_email(user.email)
    if email and email in (normalise_email(account.clever_email), normalise_email(account.email)):
        return "email"
    return "name"


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
