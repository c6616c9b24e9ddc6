"""Start-up stays light: ``--help``, ``status`` and ``history`` import only what they use.

Speed itself is measured by ``bench/bench_startup.py``; these tests keep the imports that
made it slow from creeping back (no timing assertions).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from cleverwizard.cli.main import COMMANDS, SHORT_HELP

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("httpx", "rich", "pygments", "cleverwizard.service.roster_sync", "cleverwizard.clever", "asyncio")


def loaded_after(args: list[str], data_dir: Path) -> set[str]:
    code = (
        "import sys\n"
        "from cleverwizard.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='cleverwizard')\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules), file=sys.stderr)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "CLEVERWIZARD_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [["--help"], ["status"], ["status", "--json"], ["history"]])
def test_read_only_commands_do_not_import_the_service_or_httpx(args: list[str], tmp_path: Path) -> None:
    assert loaded_after(args, tmp_path / "data") == set()


def test_the_help_listing_matches_every_command_s_own_help() -> None:
    assert set(SHORT_HELP) == set(COMMANDS)
    for name, target in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.help.split("\n\n")[0].strip() == SHORT_HELP[name], name
