"""The demo's district: one generated district per seed, shared by the wizard and CLI."""

from __future__ import annotations

from functools import lru_cache

from cleverwizard.sandbox.api import SandboxAPI
from cleverwizard.sandbox.district import SandboxDistrict

DEMO_SEED = 2026


@lru_cache(maxsize=4)
def demo_district(seed: int = DEMO_SEED) -> SandboxDistrict:
    """The same district for the same seed, generated once per process."""
    return SandboxDistrict.generate(seed=seed)


def demo_api(seed: int = DEMO_SEED) -> SandboxAPI:
    return SandboxAPI(demo_district(seed))
