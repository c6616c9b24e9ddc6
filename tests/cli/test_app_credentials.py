"""Connecting as a real Clever app, over loopback HTTP: the app's client id and secret in the
environment, the district token fetched from ``/oauth/tokens``, kept in memory only, and
fetched again when it rotates."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleverwizard.cli.daily
import cleverwizard.cli.people
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard.cli.main import cli
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, SandboxServer
from cleverwizard.store import RosterStore

Run = Callable[..., Result]


@pytest.fixture
def district() -> SandboxDistrict:
    return SandboxDistrict.generate(seed=77, schools=2, teachers=6, students=30)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "school"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, district: SandboxDistrict) -> None:
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVER_OAUTH_URL", "CLEVERWIZARD_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLEVER_CLIENT_ID", district.client_id)
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", district.client_secret)


@pytest.fixture
def cw(server: SandboxServer, folder: Path, app_env: None) -> Run:
    """``cleverwizard ARGS`` on the loopback sandbox, over the real network stack."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, [*args, "--data-dir", str(folder), "--clever-url", server.base_url])

    return invoke


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_connect_import_and_sync_never_write_the_token(
    cw: Run, folder: Path, district: SandboxDistrict, api: SandboxAPI
) -> None:
    school = next(iter(district.schools))
    connected = cw("connect", district.district_id, "--school", school)
    assert connected.exit_code == 0, connected.output
    assert f"Connected to {district.district['name']} ({district.district_id})" in connected.output
    assert cw("import", "teachers").exit_code == 0
    synced = cw("sync")
    assert synced.exit_code == 0, synced.output
    assert api.path_counts["/oauth/tokens"] >= 3  # each command asked Clever, none read a file
    written = files_in(folder)
    assert "roster.json" in written and "clever-token" not in written
    for name, content in written.items():
        assert district.token.encode() not in content, name
        assert district.client_secret.encode() not in content, name


def test_districts_lists_the_app_s_districts(cw: Run, district: SandboxDistrict, folder: Path) -> None:
    result = cw("districts")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "NAME"]
    assert lines[1].split(maxsplit=1) == [district.district_id, district.district["name"]]
    assert not folder.exists() or "clever-token" not in files_in(folder)


def test_a_wrong_secret_fails_in_one_line_and_saves_nothing(
    cw: Run, folder: Path, district: SandboxDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    RosterStore.open(folder).close()  # an installed site, not connected yet
    before = files_in(folder)
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", "not-the-secret")
    for args in (("connect", district.district_id), ("districts",)):
        result = cw(*args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("cleverwizard: Clever refused the app's client id or secret: ")
        assert len(result.output.strip().splitlines()) == 1
        assert "not-the-secret" not in result.output
    assert files_in(folder) == before


def test_the_token_rotating_mid_sync_is_fetched_again_once(cw: Run, district: SandboxDistrict, api: SandboxAPI) -> None:
    school = next(iter(district.schools))
    assert cw("connect", district.district_id, "--school", school).exit_code == 0
    before = api.path_counts["/oauth/tokens"]
    old = district.token
    api.faults.rotate_token_after = 3
    synced = cw("sync")
    assert synced.exit_code == 0, synced.output
    assert district.token != old  # it did rotate, in the middle of the run
    assert api.path_counts["/oauth/tokens"] - before == 2  # the first fetch, and once after the 401


def test_clever_token_wins_over_the_app_credentials(
    cw: Run, district: SandboxDistrict, api: SandboxAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEVER_TOKEN", district.token)
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", "wrong, and never asked")
    assert cw("connect", district.district_id).exit_code == 0
    assert api.path_counts["/oauth/tokens"] == 0


def test_a_district_not_connected_to_the_app_is_named(cw: Run, folder: Path) -> None:
    result = cw("connect", "0123456789abcdef01234567")
    assert result.exit_code == 1
    assert "no district '0123456789abcdef01234567' connected to this app" in result.output
    assert "cleverwizard districts" in result.output


def test_sandbox_serve_prints_the_app_credentials_on_its_second_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = ["--seed", "31", "--schools", "1", "--teachers", "2", "--students", "5"]
    process = subprocess.Popen(
        [sys.executable, "-m", "cleverwizard", "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().split()
        second = process.stdout.readline().split()
    finally:
        process.terminate()
        process.wait(timeout=10)
    district = SandboxDistrict.generate(seed=31, schools=1, teachers=2, students=5)
    assert first[1:] == [district.district_id, district.token]
    assert second == [district.client_id, district.client_secret]
