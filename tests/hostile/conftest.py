"""The hostile Clever on loopback, a school folder connected to it, and small limits.

The limits and the retry policy are handed in through ``CleverLink`` (as a test may, never by
patching), small enough that every hostile answer is stopped in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleverwizard.cli.people
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard.clever import Limits, RetryPolicy
from cleverwizard.cli.main import cli
from cleverwizard.service.roster_sync import CleverLink
from tests.hostile.server import DISTRICT, SCHOOL, TOKEN, HostileClever

Run = Callable[..., Result]

LIMITS = Limits(
    read_timeout=0.5,
    request_deadline=1.5,
    max_response_bytes=256 * 1024,
    max_list_records=20_000,  # 20 pages of the CLI's 1,000 records
    max_list_bytes=8 * 1024 * 1024,
)
QUICK = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002, max_rate_limit_wait=0.01)


@pytest.fixture
def hostile() -> Iterator[HostileClever]:
    server = HostileClever().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def limits() -> Limits:
    return LIMITS


@pytest.fixture
def link(limits: Limits) -> CleverLink:
    """The real network (loopback), with the test's quick retries and small limits."""
    return CleverLink(retry=QUICK, limits=limits)


@pytest.fixture
def cw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: HostileClever, link: CleverLink) -> Run:
    """``cleverwizard ARGS --data-dir <folder> --clever-url <hostile>`` in-process."""
    for name in ("CLEVER_API_URL", "CLEVERWIZARD_DATA_DIR", "CLEVER_CLIENT_ID", "CLEVER_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLEVER_TOKEN", TOKEN)
    runner = CliRunner()
    folder = tmp_path / "school"

    def invoke(*args: str, url: str | None = None) -> Result:
        options = ["--data-dir", str(folder), "--clever-url", url or hostile.base_url]
        return runner.invoke(cli, [*args, *options], obj=link, catch_exceptions=False)

    return invoke


@pytest.fixture
def connected(cw: Run, tmp_path: Path) -> Path:
    """A folder connected to the hostile district's school while it still behaves."""
    result = cw("connect", DISTRICT, "--school", SCHOOL)
    assert result.exit_code == 0, result.output + result.stderr
    return tmp_path / "school"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: a failed run must leave them all as they were."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
