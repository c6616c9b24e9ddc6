from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleverwizard.cli.people
import cleverwizard.cli.sandbox
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard.cli.main import cli
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import SandboxDistrict, demo_district

Run = Callable[..., Result]


@pytest.fixture
def district() -> SandboxDistrict:
    return demo_district(2026)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CLEVER_TOKEN", raising=False)
    monkeypatch.delenv("CLEVER_API_URL", raising=False)
    monkeypatch.delenv("CLEVERWIZARD_DATA_DIR", raising=False)
    folder = tmp_path / "demo"
    prepare_demo(folder, seed=2026)
    return folder


@pytest.fixture
def cw(data_dir: Path) -> Run:
    """Run ``cleverwizard ARGS --data-dir <demo folder>`` and return click's result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, [*args, "--data-dir", str(data_dir)], catch_exceptions=False)

    return invoke


def school_ids(district: SandboxDistrict) -> list[str]:
    return list(district.schools)
