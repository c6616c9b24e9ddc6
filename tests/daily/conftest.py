"""A school folder wired to a sandbox district of the test's own, so tests may change it.

The demo folder's district is cached and shared by every test in the process; a sync test
adds, renames and deletes people, so it gets its own small district and its own
``SandboxAPI`` (whose request counters prove how much a run asked Clever for).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import cleverwizard.cli.daily
import cleverwizard.cli.people
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard import config
from cleverwizard.cli.main import cli
from cleverwizard.daily.report import SyncReport
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.service.roster_sync import RosterSync
from cleverwizard.store import RosterStore

Run = Callable[..., Result]
SEED = 4242


@pytest.fixture
def district() -> SandboxDistrict:
    return SandboxDistrict.generate(seed=SEED, schools=2, teachers=12, students=60)


@pytest.fixture
def api(district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch) -> SandboxAPI:
    served = SandboxAPI(district)
    monkeypatch.setattr(config.Settings, "transport", lambda self: served.transport())
    return served


@pytest.fixture
def school(district: SandboxDistrict) -> str:
    return next(iter(district.schools))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, district: SandboxDistrict, api: SandboxAPI) -> Path:
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVERWIZARD_DATA_DIR", "CLEVERWIZARD_STARTED_BY"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "school"
    config.save_token(folder, district.token)
    config.save_settings(folder, sandbox_seed=district.seed, clever_url=config.SANDBOX_URL)
    RosterStore.open(folder).close()  # an installed site has its (empty) roster
    return folder


@pytest.fixture
def cw(data_dir: Path) -> Run:
    """Run ``cleverwizard ARGS --data-dir <folder>`` and return click's result."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs: Any) -> Result:
        return runner.invoke(cli, [*args, "--data-dir", str(data_dir)], catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture
def connected(cw: Run, district: SandboxDistrict, school: str) -> str:
    result = cw("connect", district.district_id, "--school", school)
    assert result.exit_code == 0, result.output
    return school


@pytest.fixture
def synced(cw: Run, connected: str) -> str:
    """Connected and through the first (full) sync."""
    result = cw("sync")
    assert result.exit_code == 0, result.output
    return connected


@contextmanager
def opened(data_dir: Path) -> Iterator[RosterStore]:
    with RosterStore.open(data_dir) as store:
        yield store


@contextmanager
def service(data_dir: Path, started_by: str = "cli") -> Iterator[RosterSync]:
    with opened(data_dir) as store:
        yield RosterSync(config.resolve(data_dir), store, started_by=started_by)


def daily(data_dir: Path, **options: Any) -> SyncReport:
    with service(data_dir) as sync:
        return asyncio.run(sync.daily_sync(**options))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def students_at(district: SandboxDistrict, school: str) -> list[dict[str, Any]]:
    return district.users_at_school(school, "student")


def teachers_at(district: SandboxDistrict, school: str) -> list[dict[str, Any]]:
    return district.users_at_school(school, "teacher")
