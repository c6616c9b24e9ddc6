"""``cleverwizard import students`` against a hostile Clever over real loopback HTTP.

Each hostile answer must end the command with exit 1 and exactly one line on stderr that says
what Clever did, quickly (the limits are the test's small ones), with the data folder exactly
as it was.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.hostile import server
from tests.hostile.conftest import LIMITS, Run, snapshot
from tests.hostile.server import HostileClever

GENEROUS = 30.0
"""Seconds a hostile run may take at most: far above the ~1.5 s the limits allow."""

CASES = [
    pytest.param(
        lambda: server.trickle_headers,
        "Clever stopped answering",
        "no complete answer within 1.5 seconds",
        id="trickle-headers",
    ),
    pytest.param(
        lambda: server.trickle_body,
        "Clever stopped answering",
        "no complete answer within 1.5 seconds",
        id="trickle-body",
    ),
    pytest.param(
        lambda: server.silent, "Clever stopped answering", "nothing sent for 0.5 seconds; 3 tries stalled", id="silent"
    ),
    pytest.param(
        lambda: server.endless_body,
        "Clever sent more than asked",
        "an answer of more than 262,144 bytes",
        id="endless-body",
    ),
    pytest.param(
        lambda: server.endless_next, "Clever sent more than asked", "still more pages after 20 pages", id="endless-next"
    ),
    pytest.param(
        lambda: server.deep_json, "Clever sent data this app cannot read", "nested too deeply", id="deep-json"
    ),
    pytest.param(
        lambda: server.invalid_json,
        "Clever sent data this app cannot read",
        "the answer was not JSON",
        id="invalid-json",
    ),
    pytest.param(
        lambda: server.bad_gzip, "Clever sent data this app cannot read", "could not be unpacked", id="bad-gzip"
    ),
    pytest.param(
        lambda: server.retrying_then(2, server.silent),
        "Clever stopped answering",
        "nothing sent for 0.5 seconds)",
        id="503-then-silent",
    ),
    pytest.param(
        lambda: server.retrying_then(2, server.bad_gzip), "cannot read", "could not be unpacked", id="503-then-bad-gzip"
    ),
    pytest.param(
        lambda: server.retrying_then(2, server.invalid_json), "cannot read", "not JSON", id="503-then-not-json"
    ),
    pytest.param(
        lambda: server.deep_json_in_a_record,
        "Clever sent data this app cannot read",
        "nested too deeply",
        id="deep-json-in-a-record",
    ),
]


def _fails_in_one_line(cw: Run, folder: Path, *words: str) -> str:
    before = snapshot(folder)
    started = time.monotonic()
    result = cw("import", "students")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    line = lines[0]
    assert line.startswith("cleverwizard: ")
    for word in words:
        assert word in line
    assert "Traceback" not in result.output
    assert "cannot reach Clever" not in line
    assert elapsed < GENEROUS
    assert snapshot(folder) == before
    return line


@pytest.mark.parametrize(("behaviour", "what", "detail"), CASES)
def test_a_hostile_answer_is_one_line_and_changes_nothing(
    cw: Run, connected: Path, hostile: HostileClever, behaviour: Callable[[], server.Behaviour], what: str, detail: str
) -> None:
    """Retry notices (the 503s) are progress, never extra lines beside the one error line."""
    hostile.users = behaviour()
    line = _fails_in_one_line(cw, connected, what, detail)
    assert f"/schools/{server.SCHOOL}/users" in line


@pytest.mark.parametrize("limits", [replace(LIMITS, max_response_bytes=16 * 1024 * 1024)])
def test_a_page_bigger_than_asked_is_refused(cw: Run, connected: Path, hostile: HostileClever) -> None:
    """200,000 records to a request for 1,000; the answer fits the size cap (tiny records), the
    page does not fit what was asked."""
    server.oversized_body()
    hostile.users = server.oversized_page
    _fails_in_one_line(cw, connected, "Clever sent more than asked", "200,000 records on a page of at most 1,000")
    assert hostile.requests[-1].param("limit") == "1000"


def test_a_closed_port_is_cannot_reach_not_a_stall(cw: Run, connected: Path, hostile: HostileClever) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = snapshot(connected)
    result = cw("import", "students", url=f"http://127.0.0.1:{port}/v3.0")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "cleverwizard: cannot reach Clever at 127.0.0.1: check the network connection, then try again."
    ]
    assert snapshot(connected) == before


def test_one_clever_id_on_two_pages_is_one_account(cw: Run, connected: Path, hostile: HostileClever) -> None:
    """Ben is on both pages, his grade changed between them: one account, the later copy."""
    hostile.users = server.duplicate_ids
    result = cw("import", "students")
    assert result.exit_code == 0, result.output + result.stderr
    exported = cw("export", "students", "--format", "json")
    accounts = json.loads(exported.stdout)
    assert sorted(a["clever_id"] for a in accounts) == ["u1", "u2", "u3"]
    ben = next(a for a in accounts if a["clever_id"] == "u2")
    assert ben["grade"] == "4"
    again = cw("import", "students")
    assert again.exit_code == 0
    assert len(json.loads(cw("export", "students", "--format", "json").stdout)) == 3


@pytest.mark.parametrize(
    "behaviour",
    [server.endless_body, server.trickle_body, server.oversized_page],
    ids=["endless", "trickle", "oversized"],
)
def test_the_daily_sync_fails_the_same_way(
    cw: Run, connected: Path, hostile: HostileClever, behaviour: server.Behaviour
) -> None:
    """``cleverwizard sync`` (what cron runs) reads the same lists through the same client.

    The first sync goes well (the server has no event log, so each sync reads every list);
    the next one meets the hostile answer and must leave the folder as the first left it."""
    server.oversized_body()
    first = cw("sync")
    assert first.exit_code == 0, first.output + first.stderr
    hostile.users = behaviour
    before = snapshot(connected)
    result = cw("sync")
    assert result.exit_code == 1, result.output + result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(
        ("cleverwizard: Clever sent more than asked", "cleverwizard: Clever stopped answering")
    )
    assert snapshot(connected) == before
