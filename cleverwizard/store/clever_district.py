"""The district's own sync state as Clever last gave it, in a small file beside the roster.

A separate file, not a roster table: refreshing it (every connect, import, sync, and when
the wizard's Notifications opens) must neither rewrite a school's roster nor bump the
revision a plan being reviewed was built on. It is information only, so a damaged or
foreign file reads as "not known yet" instead of stopping a command.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from cleverwizard.store.models import CleverDistrictState
from cleverwizard.store.storage import atomic_write_bytes, private_folder

FILE_NAME = "clever-district.json"


def read_district_state(data_dir: Path, district_id: str | None = None) -> CleverDistrictState | None:
    """The saved state (only if it is ``district_id``'s, when given), or ``None``."""
    try:
        loaded = json.loads((data_dir / FILE_NAME).read_bytes())
        state = CleverDistrictState.model_validate(loaded)
    except (OSError, ValueError, ValidationError):
        return None
    if district_id is not None and state.district_id != district_id:
        return None
    return state


def save_district_state(data_dir: Path, state: CleverDistrictState) -> None:
    """Replace the saved state at once (owner-only, like every file in the folder)."""
    private_folder(data_dir)
    atomic_write_bytes(data_dir / FILE_NAME, state.model_dump_json(indent=2).encode("utf-8"))
