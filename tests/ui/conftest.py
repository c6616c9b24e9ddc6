"""Fixtures for the wizard's pilot and snapshot tests: a demo folder, the app, faults, time.

Every test gets its own demo data folder (``prepare_demo``) wired to the in-process
sandbox district, so nothing touches the network or the user's real data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import cleverwizard.clever.client as client_module
import cleverwizard.store.models as store_models
from cleverwizard.clever.retry import RetryPolicy
from cleverwizard.config import Settings
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict, demo_district
from cleverwizard.ui.app import CleverWizardApp
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
def make_app(demo_settings: Settings) -> Callable[..., CleverWizardApp]:
    """Build the wizard on the demo folder (or on other settings)."""

    def factory(settings: Settings | None = None) -> CleverWizardApp:
        return CleverWizardApp(settings or demo_settings)

    return factory


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, district: SandboxDistrict) -> SandboxAPI:
    """The app's in-process Clever, with switchable ``sandbox.faults`` and quick retries.

    ``Settings.transport`` is what every ``RosterSync`` client uses, so replacing it here
    reaches the app without any hook in the product code.
    """
    api = SandboxAPI(district, Faults())
    monkeypatch.setattr(Settings, "transport", lambda self: api.transport())
    quick = RetryPolicy(base_delay=0.001, max_delay=0.002, max_rate_limit_wait=0.01)
    original = client_module.CleverClient.__init__

    def fast_init(self: client_module.CleverClient, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("retry", quick)
        original(self, *args, **kwargs)

    monkeypatch.setattr(client_module.CleverClient, "__init__", fast_init)
    return api


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
