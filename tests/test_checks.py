"""The code stays as docs/ARCHITECTURE.md says: typed, linted, formatted, and layered.

Each check is a test so that the README's one test command (``pytest``) is also the gate CI
runs; the tools are pinned in the ``test`` extra, so a missing one is a broken install, not
a reason to skip.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("mypy --strict", (sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"))),
        ("ruff lint", (sys.executable, "-m", "ruff", "check", "--no-cache", ".")),
        ("ruff format", (sys.executable, "-m", "ruff", "format", "--check", "--no-cache", ".")),
        ("import-linter layer contracts", (str(BIN / "lint-imports"), "--no-cache")),
    ],
)
def test_check_passes(name: str, command: tuple[str, ...]) -> None:
    result = _run(*command)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}{result.stderr}"
