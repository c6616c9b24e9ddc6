"""Fixtures for the wizard's pilot and snapshot tests: a demo folder, the app, faults, time.

Every test gets its own demo data folder (``prepare_demo``) wired to the in-process
sandbox district, so nothing touches the network or the user's real data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

import cleverwizard.store.models as store_models
from cleverwizard.clever.retry import RetryPolicy
from cleverwizard.config import Settings
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict, demo_district
from cleverwizard.service.roster_sync import CleverLink
from cleverwizard.store import RosterStore
from cleverwizard.ui.app import CleverWizardApp
from cleverwizard.wiring import build_app
from tests.ui.walk import settle

SEED = 2026
FROZEN = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def district() -> SandboxDistrict:
    return demo_district(SEED)


@pytest.fixture
def demo_settings(tmp_path: Path) -> Settings:
    """A fresh demo folder: settings, token, and the hand-made platform teachers."""
    return prepare_demo(tmp_path / "demo", seed=SEED)


@pytest.fixture
def sandbox(district: SandboxDistrict) -> SandboxAPI:
    """The app's in-process Clever, with switchable ``sandbox.faults``."""
    return SandboxAPI(district, Faults())


@pytest.fixture
def link(sandbox: SandboxAPI) -> CleverLink:
    """How the app under test reaches Clever: the test's sandbox, with quick retries."""
    quick = RetryPolicy(base_delay=0.001, max_delay=0.002, max_rate_limit_wait=0.01)
    return CleverLink(transport=sandbox.transport(), retry=quick)


@pytest.fixture
def make_app(demo_settings: Settings, link: CleverLink) -> Callable[..., CleverWizardApp]:
    """Build the wizard on the demo folder (or on other settings), on the test's sandbox."""

    def factory(settings: Settings | None = None, store: RosterStore | None = None) -> CleverWizardApp:
        return build_app(settings or demo_settings, link=link, store=store)

    return factory


@pytest.fixture
def faults(sandbox: SandboxAPI) -> Faults:
    return sandbox.faults


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every timestamp the store writes is FROZEN, so snapshots do not change by the minute."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return FROZEN

    monkeypatch.setattr(store_models, "datetime", Frozen)
    return FROZEN


@pytest.fixture
def wait_for_workers() -> Callable[[CleverWizardApp, Pilot[None]], Awaitable[None]]:
    """``await wait_for_workers(app, pilot)``: every worker done and its messages handled."""
    return settle
