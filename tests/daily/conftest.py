"""A school folder wired to a sandbox district of the test's own, so tests may change it.

The demo folder's district is cached and shared by every test in the process; a sync test
adds, renames and deletes people, so it gets its own small district and its own
``SandboxAPI`` (whose request counters prove how much a run asked Clever for).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.store import RosterStore

Run = Callable[..., Result]
SEED = 4242


@pytest.fixture
def district() -> SandboxDistrict:
    return SandboxDistrict.generate(seed=SEED, schools=2, teachers=12, students=60)


@pytest.fixture
def link(api: SandboxAPI) -> CleverLink:
    """How every command and service of a test reaches Clever (a test may swap the transport)."""
    return CleverLink(transport=api.transport())


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
def cw(data_dir: Path, link: CleverLink) -> Run:
    """Run ``cleverwizard ARGS --data-dir <folder>`` on the test's link; return click's result."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs: Any) -> Result:
        return runner.invoke(cli, [*args, "--data-dir", str(data_dir)], obj=link, catch_exceptions=False, **kwargs)

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


Service = Callable[..., AbstractContextManager[RosterSync]]
Daily = Callable[..., SyncReport]


@pytest.fixture
def service(link: CleverLink) -> Service:
    """``with service(data_dir) as sync``: the service on its own store and the test's link."""

    @contextmanager
    def open_service(data_dir: Path, started_by: str = "cli") -> Iterator[RosterSync]:
        with opened(data_dir) as store:
            yield RosterSync(config.resolve(data_dir), store, link=link, started_by=started_by)

    return open_service


@pytest.fixture
def daily(service: Service) -> Daily:
    """``daily(data_dir, **options)``: one daily sync, as ``cleverwizard sync`` runs it."""

    def run_daily(data_dir: Path, **options: Any) -> SyncReport:
        with service(data_dir) as sync:
            return asyncio.run(sync.daily_sync(**options))

    return run_daily


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def students_at(district: SandboxDistrict, school: str) -> list[dict[str, Any]]:
    return district.users_at_school(school, "student")


def teachers_at(district: SandboxDistrict, school: str) -> list[dict[str, Any]]:
    return district.users_at_school(school, "teacher")
