"""``CleverClient`` itself against the hostile Clever: the right error, quickly, in bounded memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from cleverwizard.clever import (
    CleverClient,
    CleverDataError,
    CleverNetworkError,
    CleverStalled,
    CleverTooMuch,
    Limits,
)
from tests.hostile import server
from tests.hostile.conftest import LIMITS, QUICK
from tests.hostile.server import SCHOOL, TOKEN, HostileClever


@pytest.fixture
async def clever(hostile: HostileClever, limits: Limits) -> AsyncIterator[CleverClient]:
    async with CleverClient(TOKEN, hostile.base_url, retry=QUICK, limits=limits, page_limit=100) as client:
        yield client


@pytest.mark.parametrize(
    ("behaviour", "error", "words"),
    [
        (server.trickle_headers, CleverStalled, "no complete answer within 1.5 seconds"),
        (server.trickle_body, CleverStalled, "no complete answer within 1.5 seconds"),
        (server.silent, CleverStalled, "nothing sent for 0.5 seconds"),
        (server.endless_body, CleverTooMuch, "an answer of more than 262,144 bytes"),
        (server.deep_json, CleverDataError, "nested too deeply"),
        (server.bad_gzip, CleverDataError, "could not be unpacked"),
    ],
)
async def test_each_hostile_answer_is_its_own_error(
    clever: CleverClient, hostile: HostileClever, behaviour: server.Behaviour, error: type[Exception], words: str
) -> None:
    hostile.users = behaviour
    started = time.monotonic()
    with pytest.raises(error) as raised:
        await clever.school_students(SCHOOL)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)
    assert time.monotonic() - started < 30


async def test_a_stall_is_a_network_error_but_never_cannot_reach(clever: CleverClient, hostile: HostileClever) -> None:
    """Screens that treat network trouble alike still do; the words say what really happened."""
    hostile.users = server.silent
    with pytest.raises(CleverNetworkError) as raised:
        await clever.school_students(SCHOOL)
    assert isinstance(raised.value, CleverStalled)
    assert str(raised.value).startswith("Clever stopped answering")
    assert "cannot reach" not in str(raised.value)
    assert len([r for r in hostile.requests if r.path.endswith("/users")]) == QUICK.max_attempts


@pytest.mark.parametrize("limits", [replace(LIMITS, max_list_records=1000)])
async def test_fresh_next_links_stop_at_the_page_cap(
    clever: CleverClient, hostile: HostileClever, limits: Limits
) -> None:
    hostile.users = server.endless_next
    with pytest.raises(CleverTooMuch, match="still more pages after 10 pages of up to 100 records"):
        await clever.school_students(SCHOOL)
    assert len(hostile.requests) == limits.max_pages(100) == 10


async def test_a_next_link_cannot_raise_the_page_size(clever: CleverClient, hostile: HostileClever) -> None:
    hostile.users = server.greedy_next
    with pytest.raises(CleverTooMuch, match="page 2 of .*: 1,000 records on a page of at most 100"):
        await clever.school_students(SCHOOL)
    assert [r.param("limit") for r in hostile.requests] == ["100", "100"]


@pytest.mark.parametrize("limits", [replace(LIMITS, max_list_bytes=4000)])
async def test_a_list_past_its_bytes_is_refused(clever: CleverClient, hostile: HostileClever) -> None:
    hostile.users = server.endless_next
    with pytest.raises(CleverTooMuch, match="more than 4,000 bytes in one list"):
        await clever.school_students(SCHOOL)


async def test_an_endless_body_is_read_in_bounded_memory(clever: CleverClient, hostile: HostileClever) -> None:
    hostile.users = server.endless_body
    tracemalloc.start()
    try:
        with pytest.raises(CleverTooMuch):
            await clever.school_students(SCHOOL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # the cap is 256 KiB; without it the body grows without end


async def test_the_same_id_on_two_pages_is_one_record_the_later_copy(
    clever: CleverClient, hostile: HostileClever
) -> None:
    hostile.users = server.duplicate_ids
    seen: list[int] = []
    students = await clever.school_students(SCHOOL, on_progress=seen.append)
    assert [s.id for s in students] == ["u1", "u2", "u3"]
    ben = students[1]
    assert ben.roles.student is not None and ben.roles.student.grade == "4"
    assert ben.school_ids("student") == {SCHOOL, "s-other"}
    assert seen == [2, 3]
