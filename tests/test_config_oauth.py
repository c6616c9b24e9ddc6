"""Where the app credentials and the tokens endpoint come from (INTERFACE.md's option table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleverwizard import config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVER_OAUTH_URL", "CLEVER_CLIENT_ID", "CLEVER_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_the_oauth_url_defaults_to_clever_or_the_api_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.resolve(tmp_path).oauth_url == "https://clever.com"
    assert config.resolve(tmp_path, "https://api.clever.com/v3.1").oauth_url == "https://clever.com"
    assert config.resolve(tmp_path, "http://127.0.0.1:8123/v3.0").oauth_url == "http://127.0.0.1:8123"
    monkeypatch.setenv("CLEVER_OAUTH_URL", "https://proxy.example/")
    assert config.resolve(tmp_path, "http://127.0.0.1:8123/v3.0").oauth_url == "https://proxy.example"
    assert config.resolve(tmp_path, None, "https://flag.example").oauth_url == "https://flag.example"


def test_app_credentials_come_from_the_environment_and_hide_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.save_token(tmp_path, "old-saved-token")
    assert config.resolve(tmp_path).token == "old-saved-token"  # no app credentials: the saved token
    monkeypatch.setenv("CLEVER_CLIENT_ID", "app-id")
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", "app-secret")
    settings = config.resolve(tmp_path)
    assert settings.app == config.AppCredentials("app-id", "app-secret")
    assert settings.token is None and settings.uses_app_credentials  # the app credentials come first
    assert "app-secret" not in repr(settings) + repr(settings.app)
    monkeypatch.setenv("CLEVER_TOKEN", "env-token")
    assert config.resolve(tmp_path).token == "env-token"  # CLEVER_TOKEN wins
    assert not config.resolve(tmp_path).uses_app_credentials


def test_only_a_demo_folder_reads_saved_app_credentials(tmp_path: Path) -> None:
    config.save_settings(tmp_path / "real", sandbox_client_id="id", sandbox_client_secret="secret")
    assert config.resolve(tmp_path / "real").app is None
    config.save_settings(tmp_path / "demo", sandbox_seed=1, sandbox_client_id="id", sandbox_client_secret="secret")
    assert config.resolve(tmp_path / "demo").app == config.AppCredentials("id", "secret")
