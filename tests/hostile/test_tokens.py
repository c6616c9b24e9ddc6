"""The app's tokens endpoint is read under the same deadline and size cap as the Data API.

``cleverwizard districts`` talks only to ``/oauth/tokens``; a tokens answer that trickles or
never ends must stop the command in one line, as a Data API answer does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleverwizard.cli.main import cli
from cleverwizard.service.roster_sync import CleverLink
from tests.hostile import server
from tests.hostile.server import HostileClever


@pytest.mark.parametrize(
    ("behaviour", "what", "detail"),
    [
        pytest.param(lambda: server.trickle_body, "Clever stopped answering", "within 1.5 seconds", id="trickle"),
        pytest.param(lambda: server.endless_body, "Clever sent more than asked", "262,144 bytes", id="endless"),
        pytest.param(lambda: server.deep_json, "cannot read", "nested too deeply", id="deep-json"),
    ],
)
def test_a_hostile_tokens_answer_stops_districts_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hostile: HostileClever,
    link: CleverLink,
    behaviour: Callable[[], server.Behaviour],
    what: str,
    detail: str,
) -> None:
    monkeypatch.delenv("CLEVER_TOKEN", raising=False)
    monkeypatch.setenv("CLEVER_CLIENT_ID", "app-id")
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", "app-secret")
    hostile.tokens = behaviour()
    oauth = hostile.base_url.removesuffix("/v3.0")
    folder = tmp_path / "school"
    started = time.monotonic()
    result = CliRunner().invoke(
        cli,
        ["districts", "--data-dir", str(folder), "--clever-url", hostile.base_url, "--clever-oauth-url", oauth],
        obj=link,
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and what in lines[0] and detail in lines[0], result.stderr
    assert "app-secret" not in result.output + result.stderr
    assert time.monotonic() - started < 30
    assert not folder.exists() or not any(folder.iterdir())
