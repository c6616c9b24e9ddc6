"""Start-up stays light: ``--help``, ``status`` and ``history`` import only what they use, and
an import from Clever loads none of the daily sync, sections, undo, files or name matching.

Speed itself is measured by ``bench/bench_startup.py``; these tests keep the imports that
made it slow from creeping back (no timing assertions).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from cleverwizard.cli.main import COMMANDS
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import demo_district
from cleverwizard.store import RosterStore

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("httpx", "rich", "pygments", "cleverwizard.service.roster_sync", "cleverwizard.clever", "asyncio")
NOT_FOR_AN_IMPORT = (
    "rapidfuzz",
    "cleverwizard.daily.run",
    "cleverwizard.sections.build",
    "cleverwizard.rules.courses",
    "cleverwizard.runs.undo",
    "cleverwizard.files.csv_in",
    "cleverwizard.platform.add",
)


def loaded_after(args: list[str], data_dir: Path, names: tuple[str, ...] = HEAVY) -> set[str]:
    code = (
        "import sys\n"
        "from cleverwizard.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='cleverwizard')\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        f"print(' '.join(name for name in {names!r} if name in sys.modules), file=sys.stderr)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "CLEVERWIZARD_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [["--help"], ["status"], ["status", "--json"], ["history"]])
def test_read_only_commands_do_not_import_the_service_or_httpx(args: list[str], tmp_path: Path) -> None:
    assert loaded_after(args, tmp_path / "data") == set()


def test_the_help_listing_matches_every_command_s_own_help() -> None:
    for name, listed in COMMANDS.items():
        module, _, attribute = listed.where.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name and not command.hidden
        assert command.help.split("\n\n")[0].strip() == listed.summary, name


def cleverwizard(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A whole ``cleverwizard`` process on ``folder``, as cron runs it."""
    command = [sys.executable, "-m", "cleverwizard", *args, "--data-dir", str(folder)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def connected_demo(tmp_path: Path) -> Path:
    """A demo data folder connected to its district and first school."""
    folder = tmp_path / "demo"
    prepare_demo(folder, seed=2026)
    district = demo_district(2026)
    connected = cleverwizard(folder, "connect", district.district_id, "--school", next(iter(district.schools)))
    assert connected.returncode == 0, connected.stderr
    return folder


def test_a_batch_command_ending_without_teardown_still_prints_and_saves_everything(tmp_path: Path) -> None:
    """``import`` ends its process with ``os._exit`` once saved: the output and the file are complete."""
    folder = connected_demo(tmp_path)
    result = cleverwizard(folder, "import", "students")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.splitlines()[-1].startswith("Saved as run ")
    with RosterStore.open(folder) as store:
        assert store.runs()[0].kind == "import students" and len(store.students()) > 0
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []  # no temp file left
    again = cleverwizard(folder, "import", "students", "--dry-run")
    assert again.returncode == 0 and again.stdout.startswith("Dry run: nothing was written.")


def test_an_import_from_clever_loads_only_what_it_runs(tmp_path: Path) -> None:
    """``import students`` from cron pays for fetching, planning and saving people, not for the
    other steps' code (``bench/bench_import_process.py`` measures the whole process)."""
    folder = connected_demo(tmp_path)
    assert loaded_after(["import", "students"], folder, NOT_FOR_AN_IMPORT) == set()


def test_no_pydantic_plugin_sees_the_records(tmp_path: Path) -> None:
    """A pydantic plugin installed beside the wizard would see every record validated (and
    finding plugins scans every installed package): the command never looks for them,
    unless ``PYDANTIC_DISABLE_PLUGINS`` is set otherwise."""
    folder = connected_demo(tmp_path)
    code = (
        "import importlib.metadata, sys\n"
        "real = importlib.metadata.entry_points\n"
        "def spy(**kw):\n"
        "    print('looked for entry points:', kw.get('group'), file=sys.stderr)\n"
        "    return real(**kw)\n"
        "importlib.metadata.entry_points = spy\n"
        f"sys.argv = ['cleverwizard', 'import', 'students', '--dry-run', '--data-dir', {str(folder)!r}]\n"
        "from cleverwizard.cli.main import main\n"
        "main()\n"
    )

    def looked_up(**env: str) -> str:
        env |= {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0 and result.stdout.startswith("Dry run: nothing was written."), result.stderr
        return result.stderr

    assert "looked for entry points: pydantic" not in looked_up()
    assert "looked for entry points: pydantic" in looked_up(PYDANTIC_DISABLE_PLUGINS="")
