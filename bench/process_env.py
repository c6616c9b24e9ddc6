"""The environment a bench's child processes run in: the project's code as an installed copy runs.

``pip install`` compiles every module to bytecode, so an administrator's ``cleverwizard`` never
compiles its own source; the floors (httpx, click, pydantic) are installed packages too. A
checkout has no bytecode, and a shell with ``PYTHONDONTWRITEBYTECODE=1`` (as some tools
set) never writes any: each run would compile ~70 modules from source, about 0.1 s that no
installed copy pays. So the children write and reuse bytecode in a folder of the bench's own
(``PYTHONPYCACHEPREFIX``, nothing is written into the checkout), and a bench makes one
untimed run of each command first to fill it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = ("PYTHONDONTWRITEBYTECODE", "CLEVER_TOKEN", "CLEVER_API_URL", "CLEVERWIZARD_DATA_DIR")


def process_env(scratch: Path, **extra: str) -> dict[str, str]:
    """This process's environment without what would change a child's run, the checkout first
    on ``PYTHONPATH``, bytecode cached under ``scratch``, and ``extra`` on top."""
    env = {key: value for key, value in os.environ.items() if key not in LEFT_OUT}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    env.update(extra)
    return env


def bytecode_in_process(scratch: Path) -> None:
    """The same for a bench that runs the wizard in its own process (``bench_ui_lag``): the
    screens are imported when first opened, on the event loop, and compiling them from source
    there is a stall no installed copy has. Bytecode goes under ``scratch``, compiled now.

    With a prefix Python looks for every module's bytecode there, installed packages' too
    (their own ``__pycache__`` is ignored), so the packages the screens import lazily are
    compiled into it as well: Textual's widgets, Rich.
    """
    import compileall
    import sys

    import rich
    import textual

    sys.pycache_prefix = str(scratch / "bytecode")
    sys.dont_write_bytecode = False
    for folder in (ROOT / "cleverwizard", Path(textual.__file__).parent, Path(rich.__file__).parent):
        compileall.compile_dir(folder, quiet=1)
