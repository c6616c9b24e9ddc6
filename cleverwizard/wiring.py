"""The composition root: what a command or the wizard runs on, built in one place.

A data folder made by ``cleverwizard demo`` talks to the in-process sandbox district; every
other folder talks to Clever over the network. That choice is made here, once, and handed
down as a ``CleverLink``, so neither the service nor the wizard knows a sandbox exists, and a
test hands in its own link (a sandbox with faults, a hostile server, quick retries) instead of
patching anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from cleverwizard.config import Settings
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.store import RosterStore

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp


def default_link(settings: Settings) -> CleverLink:
    """The in-process sandbox for a demo folder, the real network otherwise."""
    if settings.sandbox_seed is None:
        return CleverLink()
    from cleverwizard.rules.district_state import moment
    from cleverwizard.sandbox import demo_api
    from cleverwizard.store.models import now_iso

    api = demo_api(settings.sandbox_seed, clever_state=settings.demo_clever_state, now=moment(now_iso()))
    return CleverLink(transport=api.transport())


@contextmanager
def open_sync(settings: Settings, *, started_by: str, link: CleverLink | None = None) -> Iterator[RosterSync]:
    """The store of ``settings``'s folder, opened for one command, and the service on it."""
    store = RosterStore.open(settings.data_dir)
    try:
        yield RosterSync(settings, store, link=link or default_link(settings), started_by=started_by)
    finally:
        store.close()


def build_app(
    settings: Settings, *, link: CleverLink | None = None, store: RosterStore | None = None
) -> CleverWizardApp:
    """The wizard on ``settings``'s folder, reaching Clever through ``link``; a ``store``
    handed in (a test's, a benchmark's) stays its owner's to close."""
    from cleverwizard.ui.app import CleverWizardApp

    return CleverWizardApp(settings, link=link or default_link(settings), store=store)


def run_wizard(settings: Settings, *, link: CleverLink | None = None) -> None:
    """Run the wizard until the user quits; the store is closed on the way out."""
    app = build_app(settings, link=link)
    try:
        app.run()
    finally:
        app.close_store()
