"""Where the data lives, which Clever to talk to, and with what token.

Each setting is resolved as INTERFACE.md fixes it: flag, then environment, then the
setting saved in the data folder, then the default. The token is never a flag (it would
land in shell history) and never goes into the roster store or an export: it lives in its
own owner-only file beside the store.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

DEFAULT_CLEVER_URL = "https://api.clever.com/v3.0"
SANDBOX_URL = "https://sandbox.clever.invalid/v3.0"
SETTINGS_FILE = "settings.json"
TOKEN_FILE = "clever-token"


def default_data_dir() -> Path:
    return user_data_path("cleverwizard", appauthor=False)


@dataclass
class Settings:
    """Everything a command needs to reach Clever and the store."""

    data_dir: Path
    clever_url: str = DEFAULT_CLEVER_URL
    token: str | None = None
    sandbox_seed: int | None = None
    """Set in a demo folder: Clever is the built-in sandbox district, in this process."""
    demo_district_id: str | None = None
    """The sandbox district's id in a demo folder, for the hint on Notifications."""

    def __repr__(self) -> str:
        return f"Settings(data_dir={str(self.data_dir)!r}, clever_url={self.clever_url!r})"

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_seed is not None


def read_saved(data_dir: Path) -> dict[str, Any]:
    path = data_dir / SETTINGS_FILE
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise SettingsError(f"Cannot read {path}: {error}. Fix or remove the file.") from error
    return loaded if isinstance(loaded, dict) else {}


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def save_settings(data_dir: Path, **values: Any) -> None:
    saved = read_saved(data_dir)
    saved.update(values)
    write_private(data_dir / SETTINGS_FILE, json.dumps(saved, indent=2, sort_keys=True))


def save_token(data_dir: Path, token: str) -> None:
    write_private(data_dir / TOKEN_FILE, token.strip() + "\n")


def read_token(data_dir: Path) -> str | None:
    try:
        return (data_dir / TOKEN_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


class SettingsError(RuntimeError):
    """A saved setting cannot be read."""


def resolve(data_dir: str | Path | None = None, clever_url: str | None = None) -> Settings:
    """Settings from flags, then the environment, then the data folder, then defaults."""
    folder = Path(data_dir or os.environ.get("CLEVERWIZARD_DATA_DIR") or default_data_dir()).expanduser()
    saved = read_saved(folder)
    seed = saved.get("sandbox_seed")
    url = (
        clever_url
        or os.environ.get("CLEVER_API_URL")
        or saved.get("clever_url")
        or (SANDBOX_URL if seed is not None else DEFAULT_CLEVER_URL)
    )
    token = os.environ.get("CLEVER_TOKEN") or read_token(folder)
    return Settings(
        data_dir=folder,
        clever_url=url.rstrip("/"),
        token=token,
        sandbox_seed=seed,
        demo_district_id=saved.get("sandbox_district_id"),
    )
