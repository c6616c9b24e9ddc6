"""The layers in the folder tree are real: only ``ui/`` may import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cleverwizard

PACKAGE = Path(cleverwizard.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_nothing_outside_ui_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        if any(name == "textual" or name.startswith("textual.") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_ui_uses_no_private_textual_modules() -> None:
    private = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / "ui").rglob("*.py")
        for name in _imports(path)
        if name.startswith("textual") and any(part.startswith("_") for part in name.split("."))
    ]
    assert private == []


def test_headless_commands_do_not_load_textual() -> None:
    code = (
        "import sys\n"
        "import cleverwizard.cli.main as m, cleverwizard.cli.people, cleverwizard.cli.setup, cleverwizard.cli.sandbox\n"
        "import cleverwizard.service.roster_sync, cleverwizard.sandbox, cleverwizard.store\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
