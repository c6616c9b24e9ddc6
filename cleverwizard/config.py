"""Where the data lives, which Clever to talk to, and with what token.

Each setting is resolved as INTERFACE.md fixes it: flag, then environment, then the
setting saved in the data folder, then the default. The token is never a flag (it would
land in shell history) and never goes into the roster store or an export.

Where the token comes from, in order: ``CLEVER_TOKEN``; else the platform's app credentials
(``CLEVER_CLIENT_ID``/``CLEVER_CLIENT_SECRET``, environment only, never written by us), with
which each command asks Clever for the district's token and keeps it in memory; else a
token saved in its own owner-only file by an earlier version or typed in the wizard. A demo
folder alone keeps the sandbox's own app credentials in its settings, so the demo walks the
production path without environment variables.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CLEVER_URL = "https://api.clever.com/v3.0"
DEFAULT_OAUTH_URL = "https://clever.com"
SANDBOX_URL = "https://sandbox.clever.invalid/v3.0"
SETTINGS_FILE = "settings.json"
TOKEN_FILE = "clever-token"


def default_data_dir() -> Path:
    """The per-user data folder, when neither ``--data-dir`` nor the environment names one.

    platformdirs is imported here, not at the top: it brings tempfile, shutil, bz2, lzma and
    random with it, a third of ``--help``'s own imports, for a path ``--help`` never needs.
    """
    from platformdirs import user_data_path

    return user_data_path("cleverwizard", appauthor=False)


@dataclass(frozen=True)
class AppCredentials:
    """The platform's Clever app: its client id and secret (the secret never printed).

    Plain data here, so reading settings costs no HTTP import (``status`` starts fast);
    ``clever.oauth.AppTokens`` uses them.
    """

    client_id: str
    client_secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"AppCredentials(client_id={self.client_id!r})"


@dataclass
class Settings:
    """Everything a command needs to reach Clever and the store."""

    data_dir: Path
    clever_url: str = DEFAULT_CLEVER_URL
    token: str | None = None
    """``CLEVER_TOKEN``, or (without app credentials) the token saved in the data folder."""
    app: AppCredentials | None = None
    """The platform's Clever app credentials, when set: the district token is fetched with them."""
    oauth_url: str = DEFAULT_OAUTH_URL
    """Where Clever's ``/oauth/tokens`` lives (``--clever-oauth-url``/``CLEVER_OAUTH_URL``)."""
    sandbox_seed: int | None = None
    """Set in a demo folder: Clever is the built-in sandbox district, in this process."""
    demo_district_id: str | None = None
    """The sandbox district's id in a demo folder, for the hint on Notifications."""
    demo_school_id: str | None = None
    """The school the demo's platform teachers come from: Select your School starts on it."""
    demo_clever_state: str | None = None
    """The state a demo shows for Clever's own sync of its district (``demo --clever-state``)."""

    def __repr__(self) -> str:
        return f"Settings(data_dir={str(self.data_dir)!r}, clever_url={self.clever_url!r})"

    @property
    def uses_app_credentials(self) -> bool:
        """True when the district token comes from the app credentials (no fixed token)."""
        return self.app is not None and not self.token

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
    """Write a file only its owner can read (0600, in a 0700 folder), replacing it atomically.

    The store's atomic write makes a fresh temp name with ``O_EXCL | O_NOFOLLOW``: a symlink
    planted in the folder (at the old fixed ``.NAME.tmp`` or any other name) is never
    followed, so the token cannot be written into a file of someone else's choosing.
    """
    from cleverwizard.store.storage import atomic_write_bytes, private_folder  # not at start-up: --help stays light

    private_folder(path.parent)
    atomic_write_bytes(path, text.encode("utf-8"))


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


def default_oauth_url(clever_url: str) -> str:
    """``https://clever.com`` for Clever's own API (any version), else the API URL's origin
    (a sandbox, a proxy), where ``/oauth/tokens`` is then looked for."""
    scheme, _, rest = clever_url.partition("://")
    host = rest.split("/", 1)[0]
    if not rest or host.lower() == "api.clever.com":
        return DEFAULT_OAUTH_URL
    return f"{scheme}://{host}"


def app_credentials(saved: dict[str, Any]) -> AppCredentials | None:
    """The app credentials: a demo folder's saved sandbox ones, else the environment's."""
    if saved.get("sandbox_seed") is not None:
        client_id, secret = saved.get("sandbox_client_id"), saved.get("sandbox_client_secret")
        if isinstance(client_id, str) and isinstance(secret, str) and client_id and secret:
            return AppCredentials(client_id, secret)
    client_id = os.environ.get("CLEVER_CLIENT_ID", "").strip()
    secret = os.environ.get("CLEVER_CLIENT_SECRET", "").strip()
    return AppCredentials(client_id, secret) if client_id and secret else None


def resolve(
    data_dir: str | Path | None = None, clever_url: str | None = None, oauth_url: str | None = None
) -> Settings:
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
    app = app_credentials(saved)
    token = os.environ.get("CLEVER_TOKEN", "").strip() or (None if app else read_token(folder))
    oauth = oauth_url or os.environ.get("CLEVER_OAUTH_URL") or saved.get("clever_oauth_url") or default_oauth_url(url)
    return Settings(
        data_dir=folder,
        clever_url=url.rstrip("/"),
        token=token,
        app=app,
        oauth_url=oauth.rstrip("/"),
        sandbox_seed=seed,
        demo_district_id=saved.get("sandbox_district_id"),
        demo_school_id=saved.get("sandbox_school_id"),
        demo_clever_state=saved.get("sandbox_clever_state"),
    )
