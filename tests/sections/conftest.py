"""A fresh sandbox district per test, reached in process by a ``RosterSync`` on a temp store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleverwizard.cli.people
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard.cli.main import cli
from cleverwizard.config import SANDBOX_URL, Settings
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, demo_platform_courses
from cleverwizard.service.roster_sync import CleverLink, RosterSync
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Course, PersonKind


@dataclass
class School:
    district: SandboxDistrict
    school_id: str
    sync: RosterSync
    store: RosterStore

    def import_people(self) -> None:
        kinds: tuple[PersonKind, ...] = ("teacher", "student")
        for kind in kinds:
            people = asyncio.run(self.sync.fetch(kind))
            self.sync.apply(self.sync.plan(kind, people))

    def import_sections(self) -> None:
        self.sync.apply_sections(self.sync.plan_sections(asyncio.run(self.sync.fetch_sections())))


@pytest.fixture
def school(tmp_path: Path) -> Iterator[School]:
    """The middle school of a small generated district, connected, with a course catalogue."""
    district = SandboxDistrict.generate(seed=5, schools=2, teachers=12, students=90)
    api = SandboxAPI(district)
    settings = Settings(data_dir=tmp_path / "data", clever_url=SANDBOX_URL, token=district.token)
    store = RosterStore.open(settings.data_dir)
    with store.transaction() as tx:
        tx.put_courses([Course(id=tx.next_course_id(), **c) for c in demo_platform_courses(district)])
    sync = RosterSync(settings, store, link=CleverLink(transport=api.transport()), started_by="test")
    school_id = list(district.schools)[1]
    asyncio.run(sync.connect(district.district_id))
    asyncio.run(sync.select_school(school_id))
    yield School(district, school_id, sync, store)
    store.close()


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo data folder on the shared demo district (which these tests never change)."""
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVERWIZARD_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "demo"
    prepare_demo(folder, seed=2026)
    return folder


@pytest.fixture
def cw(demo_folder: Path) -> Callable[..., Result]:
    """Run ``cleverwizard ARGS --data-dir <demo folder>`` and return click's result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, [*args, "--data-dir", str(demo_folder)], catch_exceptions=False)

    return invoke
