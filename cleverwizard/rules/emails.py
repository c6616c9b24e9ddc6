"""Login emails: who may have which, and what to tell the SIS team when nobody may.

A login email is unique on the platform. Clever does not check emails, so two Clever
people can share one, some have none and some are not addresses at all. We never guess:
such people get an account without a login email and are flagged with what to fix.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cleverwizard.clever.decode import CleverUser
from cleverwizard.rules.names import is_valid_email, normalise_email
from cleverwizard.store.models import Account, Login, PersonKind, Problem

SIS_FIX = "Update the data your SIS shares with Clever."
STUDENT_NO_EMAIL = "No email: they can't log in until an email is entered"


@dataclass
class EmailBook:
    """Every login email on the platform and every email in the Clever records at hand."""

    owners: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    accounts: dict[int, Account | Login] = field(default_factory=dict)
    """Who holds each login, for the rare "already the login of" message: names are joined
    only then, not for a school's worth of accounts on every plan."""
    clever_counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def build(
        cls, teachers: Iterable[Account | Login], students: Iterable[Account | Login], clever: Sequence[CleverUser]
    ) -> EmailBook:
        book = cls()
        for account in [*teachers, *students]:
            email = normalise_email(account.email)
            if email:
                book.owners[email].add(account.id)
                book.accounts[account.id] = account
        book.clever_counts.update(email for user in clever if (email := normalise_email(user.email)))
        return book

    def owner_name(self, account_id: int) -> str:
        account = self.accounts.get(account_id)
        return account.full_name if account is not None else "another account"

    def shared_in_clever(self, user: CleverUser) -> int:
        email = normalise_email(user.email)
        return self.clever_counts[email] if email else 0

    def taken_by(self, email: str, owner: int | None) -> set[int]:
        """Platform accounts other than ``owner`` whose login is ``email`` (a new set)."""
        owners = self.owners.get(email)  # ``get``: a lookup must not add empty entries
        if not owners:
            return set()
        return owners - {owner} if owner is not None else set(owners)

    def login_email(self, user: CleverUser, owner: int | None) -> str | None:
        """Clever's email as a login email, or ``None`` when giving it would be a guess."""
        email = normalise_email(user.email)
        if not email or not is_valid_email(email) or self.clever_counts[email] > 1:
            return None
        if self.taken_by(email, owner):
            return None
        return (user.email or "").strip()


def clever_problems(kind: PersonKind, user: CleverUser, book: EmailBook, *, has_login_email: bool) -> list[Problem]:
    """What is wrong with one Clever record, in words an administrator can act on."""
    if has_login_email and user.name.first and user.name.last:
        return []  # the usual case, answered without building anything
    name = user.name.full or "(no name)"
    problems: list[Problem] = []

    def flag(issue: str, fix: str = SIS_FIX) -> None:
        problems.append(Problem(kind=kind, clever_id=user.id, name=name, issue=issue, fix=fix))

    if not user.name.first or not user.name.last:
        missing = "first name" if not user.name.first else "last name"
        flag(f"No {missing} in Clever")
    email = normalise_email(user.email)
    if has_login_email:
        return problems
    if not email:
        if kind == "student":
            flag(STUDENT_NO_EMAIL, "Enter an email in the wizard, or add one in your SIS.")
        else:
            flag("No email in Clever, so no login email")
    elif not is_valid_email(email):
        flag(f"Email {user.email!r} is not a valid address")
    elif (shared := book.shared_in_clever(user)) > 1:
        others = "1 other person" if shared == 2 else f"{shared - 1} other people"
        flag(f"Shares the email {user.email} with {others} in Clever")
    elif taken := book.taken_by(email, None):
        who = ", ".join(sorted(book.owner_name(i) for i in taken))
        flag(f"Email {user.email} is already the login of {who}")
    return problems
