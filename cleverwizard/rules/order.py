"""The one order people are listed in, wherever an administrator reads a list of them.

By last name, then first name, ignoring case and accents ("Núñez" with "Nunez", "de la
Cruz" with "De La Cruz"), the way a school's class lists read. People with the same name
follow their Clever id, then their platform id, so the order never changes between looks
and a Clever person in the import preview sits exactly where their account will sit in View
Imported Teachers/Students. Both the wizard's previews and its imported lists sort with
these keys (students inside each grade too), so the two always agree.
"""

from __future__ import annotations

from cleverwizard.clever.decode import CleverUser
from cleverwizard.rules.names import fold
from cleverwizard.store.models import Account

PersonOrder = tuple[str, str, str, int]
"""(last name, first name, Clever id, platform id), names folded."""


def person_order(last: str | None, first: str | None, clever_id: str | None = None, account_id: int = 0) -> PersonOrder:
    """The sort key of one person, from whatever record holds their names."""
    return fold(last or ""), fold(first or ""), clever_id or "", account_id


def account_order(account: Account) -> PersonOrder:
    """A platform account's place in a list."""
    return person_order(account.last_name, account.first_name, account.clever_id, account.id)


def clever_user_order(user: CleverUser) -> PersonOrder:
    """A Clever person's place in a preview: where their account will be listed."""
    return person_order(user.name.last, user.name.first, user.id)
