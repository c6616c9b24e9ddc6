"""Clever's own sync state for the connected district: read it while talking to Clever anyway.

``status`` must stay an offline read, so the District record is saved (with when it was read)
every time a command or the wizard already talks to Clever: connect (which reads it),
import (one request after the people arrive), sync (one fixed request per run, whatever
the school's size) and the wizard's Notifications (in a worker). What the state means is
in ``rules.district_state``.
"""

from __future__ import annotations

from pathlib import Path

from cleverwizard.clever import CleverClient, CleverDataError, CleverForbidden, CleverNotFound, District
from cleverwizard.rules.district_state import sync_notice
from cleverwizard.service.status import now
from cleverwizard.store.clever_district import read_district_state, save_district_state
from cleverwizard.store.models import CleverDistrictState

__all__ = ["district_state", "read_district", "read_district_state", "save_district_state", "sync_notes"]


def district_state(district: District) -> CleverDistrictState:
    """The parts of the District record that say how Clever's SIS sync stands."""
    return CleverDistrictState(
        district_id=district.id,
        state=district.state or "",
        last_sync=district.last_sync,
        pause_start=district.pause_start,
        pause_end=district.pause_end,
        error=district.error or None,
    )


async def read_district(clever: CleverClient, district_id: str) -> CleverDistrictState | None:
    """The district's state, or ``None`` when Clever will not show this record.

    It is information only: a district record the app may not see, or one Clever sends
    odd, never stops an import or a sync. Network failures are not swallowed: the run's
    own requests would meet them next, so they end it with the usual one line.
    """
    try:
        return district_state(await clever.get_district(district_id))
    except (CleverNotFound, CleverForbidden, CleverDataError):
        return None


def sync_notes(state: CleverDistrictState | None) -> list[str]:
    """The sentence a daily sync adds while Clever is paused or failing for the district."""
    notice = sync_notice(state, now()) if state is not None else None
    return [notice] if notice else []


def keep(data_dir: Path, state: CleverDistrictState | None) -> None:
    """Save what Clever just said (nothing when it said nothing)."""
    if state is not None:
        save_district_state(data_dir, state)
