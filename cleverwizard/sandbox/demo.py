"""The demo's district: one generated district per seed, shared by the wizard and CLI."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from functools import lru_cache

from cleverwizard.sandbox.api import SandboxAPI
from cleverwizard.sandbox.district import SandboxDistrict

DEMO_SEED = 2026


@lru_cache(maxsize=4)
def demo_district(seed: int = DEMO_SEED) -> SandboxDistrict:
    """The same district for the same seed, generated once per process."""
    return SandboxDistrict.generate(seed=seed)


DEMO_STATES = ("success", "paused", "error", "running", "pending")
"""States the demo can show for Clever's own sync of the district (``cleverwizard demo --clever-state``)."""


def demo_api(seed: int = DEMO_SEED, *, clever_state: str | None = None, now: datetime | None = None) -> SandboxAPI:
    """The demo's Clever; with ``clever_state``, its district's own SIS sync in that state,
    dated around ``now``: synced two hours ago, paused from yesterday for two weeks, or
    failing with a message."""
    if clever_state not in DEMO_STATES or now is None:
        return SandboxAPI(demo_district(seed))
    district = copy.deepcopy(demo_district(seed))  # the cached one is shared by the process

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    synced = stamp(now - timedelta(hours=2))
    if clever_state == "paused":
        start, end = stamp(now - timedelta(days=1)), stamp(now + timedelta(days=14))
        district.set_sync_state("paused", last_sync=synced, pause_start=start, pause_end=end)
    elif clever_state == "error":
        message = "The SIS upload to Clever failed: the students file has no header row."
        district.set_sync_state("error", last_sync=synced, error=message)
    else:
        district.set_sync_state(clever_state, last_sync=synced)  # type: ignore[arg-type]
    return SandboxAPI(district)
