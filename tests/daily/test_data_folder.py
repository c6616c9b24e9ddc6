"""The data folder on the command line: damage is one line and left as it is; a command that
fails before it writes leaves no roster behind; the sandbox server's bad port is a usage error."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleverwizard.cli.main import cli
from cleverwizard.sandbox import SandboxDistrict
from tests.daily.conftest import Run

EVERY_COMMAND = [
    ("status",),
    ("schools",),
    ("history",),
    ("import", "teachers", "--dry-run"),
    ("import", "students"),
    ("export", "teachers"),
    ("export", "students", "--format", "json"),
    ("sync", "--dry-run"),
    ("sync",),
    ("undo", "1"),
]


def one_line_failure(result: object, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)  # type: ignore[attr-defined]
    assert result.stdout == "" or code == 2, result.stdout  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("cleverwizard: "), lines
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return str(lines[0])


@pytest.fixture
def imported(cw: Run, connected: str, data_dir: Path) -> Path:
    for kind in ("teachers", "students"):
        assert cw("import", kind).exit_code == 0
    return data_dir / "roster.json"


@pytest.mark.parametrize(
    "damage",
    [
        lambda db: db["teachers"][min(db["teachers"])].update(first_name=5),
        lambda db: db["teachers"][min(db["teachers"])].update(id="abc"),  # used to crash the sort
        lambda db: db["students"][min(db["students"])].update(schools=7),
        lambda db: db["site"]["1"].update(district_name=["x"]),
        lambda db: db["runs"][min(db["runs"])].update(counts="many"),
        lambda db: db["meta"]["1"].update(teachers_imported_at=5),
    ],
    ids=["name-is-a-number", "id-is-text", "schools-is-a-number", "district-is-a-list", "counts", "meta"],
)
def test_a_wrong_typed_field_is_one_line_naming_the_file_in_every_command(
    cw: Run, imported: Path, damage: object
) -> None:
    db = json.loads(imported.read_text())
    damage(db)  # type: ignore[operator]
    imported.write_text(json.dumps(db))
    before = imported.read_bytes()
    for args in EVERY_COMMAND:
        line = one_line_failure(cw(*args))
        assert str(imported) in line and "damaged" in line, (args, line)
        assert imported.read_bytes() == before, args


def test_a_zero_byte_roster_is_damage_reported_and_left_as_it_is(
    cw: Run, imported: Path, district: SandboxDistrict
) -> None:
    imported.write_bytes(b"")
    for args in [*EVERY_COMMAND, ("connect", district.district_id)]:
        line = one_line_failure(cw(*args))
        assert str(imported) in line and "empty" in line, (args, line)
        assert imported.read_bytes() == b"", args


def test_a_failed_connect_leaves_no_roster_behind(cw: Run, data_dir: Path) -> None:
    assert not (data_dir / "roster.json").exists()
    before = sorted(p.name for p in data_dir.iterdir())
    one_line_failure(cw("connect", "000000000000000000000000"))
    assert sorted(p.name for p in data_dir.iterdir()) == before


def test_an_import_before_connect_leaves_no_roster_behind(cw: Run, data_dir: Path) -> None:
    before = sorted(p.name for p in data_dir.iterdir())
    for kind in ("teachers", "students", "sections"):
        one_line_failure(cw("import", kind), code=2)
    one_line_failure(cw("sync"), code=2)
    assert sorted(p.name for p in data_dir.iterdir()) == before and "roster.json" not in before


def test_a_command_on_a_loose_data_folder_makes_it_private(cw: Run, data_dir: Path) -> None:
    data_dir.chmod(0o755)
    (data_dir / "clever-token").chmod(0o644)
    assert cw("status").exit_code == 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "clever-token").stat().st_mode) == 0o600


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_that_is_not_one_is_a_usage_error(port: str) -> None:
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", port, "--students", "5", "--teachers", "2"])
    line = one_line_failure(result, code=2)
    assert port in line and "--port" in line


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", port, "--students", "5", "--teachers", "2"])
    line = one_line_failure(result, code=2)
    assert f"127.0.0.1:{port}" in line and "another --port" in line
