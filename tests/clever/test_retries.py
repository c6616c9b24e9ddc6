"""Waiting out rate limits and retrying Clever failures, with a fake clock and sleep."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import formatdate
from typing import Any

import httpx
import pytest

from cleverwizard.clever import (
    CleverClient,
    CleverError,
    CleverNetworkError,
    CleverRateLimited,
    CleverUnavailable,
    District,
    RetryPolicy,
)
from cleverwizard.clever.retry import rate_limit_wait, retry_after_waits

BASE = "http://127.0.0.1:8123/v3.0"
NOW = 1_700_000_000.0
OK = {"data": {"id": "d1", "name": "Springfield"}}


class FakeSleep:
    """Records every wait the client asks for, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _policy(sleep: FakeSleep, **kwargs: Any) -> RetryPolicy:
    kwargs.setdefault("clock", lambda: NOW)
    kwargs.setdefault("rng", lambda: 0.0)
    return RetryPolicy(sleep=sleep, **kwargs)


Step = httpx.Response | Exception


def _scripted(steps: list[Step], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Answer requests with ``steps`` in order, repeating the last one forever."""
    queue: Iterator[Step] = iter(steps)
    last: list[Step] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        step = next(queue, None)
        if step is None:
            step = last[0]
        last[:] = [step]
        if isinstance(step, Exception):
            raise step
        return step

    return httpx.MockTransport(handler)


def _client(steps: list[Step], sleep: FakeSleep, seen: list[httpx.Request], **policy: Any) -> CleverClient:
    return CleverClient("tok", BASE, transport=_scripted(steps, seen), retry=_policy(sleep, **policy))


async def _get_district(steps: list[Step], sleep: FakeSleep, **policy: Any) -> tuple[District, int]:
    """Fetch one district through ``steps``; returns it and how many requests were made."""
    seen: list[httpx.Request] = []
    async with _client(steps, sleep, seen, **policy) as client:
        return await client.get_district("d1"), len(seen)


async def _failing(
    error: type[CleverError], steps: list[Step], sleep: FakeSleep, **policy: Any
) -> tuple[CleverError, int]:
    """Fetch one district expecting ``error``; returns it and how many requests were made."""
    seen: list[httpx.Request] = []
    async with _client(steps, sleep, seen, **policy) as client:
        with pytest.raises(error) as caught:
            await client.get_district("d1")
    return caught.value, len(seen)


def _limited(**headers: str) -> httpx.Response:
    return httpx.Response(429, headers={k.replace("_", "-"): v for k, v in headers.items()})


async def test_429_waits_until_x_ratelimit_reset_from_the_injected_clock() -> None:
    sleep = FakeSleep()
    district, requests = await _get_district(
        [_limited(X_RateLimit_Reset=str(int(NOW) + 30)), httpx.Response(200, json=OK)], sleep
    )
    assert district.id == "d1"
    assert requests == 2
    assert sleep.waits == [30.0]


async def test_429_waits_retry_after_seconds() -> None:
    sleep = FakeSleep()
    _, requests = await _get_district([_limited(Retry_After="7"), httpx.Response(200, json=OK)], sleep)
    assert (sleep.waits, requests) == ([7.0], 2)


async def test_429_reads_a_lower_case_retry_after_header() -> None:
    sleep = FakeSleep()
    response = httpx.Response(429, headers=[(b"retry-after", b"4")])
    await _get_district([response, httpx.Response(200, json=OK)], sleep)
    assert sleep.waits == [4.0]


@pytest.mark.parametrize(
    ("retry_after", "reset"),
    [
        ("retry-after", "x-ratelimit-reset"),
        ("RETRY-AFTER", "X-RATELIMIT-RESET"),
        ("rEtRy-AfTeR", "X-Ratelimit-Reset"),
    ],
)
def test_header_names_match_in_any_case_even_in_a_plain_dict(retry_after: str, reset: str) -> None:
    assert rate_limit_wait({retry_after: "9"}, NOW) == 9.0
    assert rate_limit_wait({reset: str(NOW + 3)}, NOW) == 3.0


async def test_comma_list_of_resets_waits_for_the_latest_future_one() -> None:
    sleep = FakeSleep()
    header = f"{int(NOW) - 10}, {int(NOW) + 10}, {int(NOW) + 45}"
    await _get_district([_limited(X_RateLimit_Reset=header), httpx.Response(200, json=OK)], sleep)
    assert sleep.waits == [45.0]


def test_comma_lists_and_both_headers_take_the_largest_future_wait() -> None:
    assert rate_limit_wait({"Retry-After": "5, 12"}, NOW) == 12.0
    headers = {"Retry-After": "20", "X-RateLimit-Reset": f"{int(NOW) + 60}, {int(NOW) + 2}"}
    assert rate_limit_wait(headers, NOW) == 60.0


def test_retry_after_may_be_an_http_date_or_a_list_of_them() -> None:
    one = formatdate(NOW + 20, usegmt=True)
    two = formatdate(NOW + 50, usegmt=True)
    assert rate_limit_wait({"Retry-After": one}, NOW) == 20.0
    assert sorted(retry_after_waits(f"{one}, {two}", NOW)) == [20.0, 50.0]


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-RateLimit-Reset": str(int(NOW) - 5)}, {"Retry-After": "soon"}, {"Retry-After": "0"}],
)
def test_unusable_headers_give_no_header_wait(headers: dict[str, str]) -> None:
    assert rate_limit_wait(headers, NOW) is None


async def test_429_without_usable_headers_backs_off_exponentially() -> None:
    sleep = FakeSleep()
    _, requests = await _get_district(
        [
            _limited(),
            _limited(X_RateLimit_Reset="garbage"),
            _limited(),
            httpx.Response(200, json=OK),
        ],
        sleep,
    )
    assert sleep.waits == [0.5, 1.0, 2.0]
    assert requests == 4


async def test_429_gives_up_once_the_wait_budget_would_be_exceeded() -> None:
    sleep = FakeSleep()
    error, requests = await _failing(CleverRateLimited, [_limited(Retry_After="50")], sleep, max_rate_limit_wait=120)
    assert sleep.waits == [50.0, 50.0]
    assert requests == 3
    assert isinstance(error, CleverRateLimited) and error.waited == 100.0
    assert error.status == 429
    assert "100 seconds" in error.message


async def test_429_asking_for_longer_than_the_budget_fails_without_waiting() -> None:
    sleep = FakeSleep()
    error, requests = await _failing(CleverRateLimited, [_limited(X_RateLimit_Reset=str(int(NOW) + 600))], sleep)
    assert sleep.waits == []
    assert requests == 1
    assert "longer than it is allowed to wait" in error.message


async def test_rate_limit_waits_do_not_use_up_server_error_attempts() -> None:
    sleep = FakeSleep()
    steps: list[Step] = [
        httpx.Response(503),
        _limited(Retry_After="3"),
        _limited(Retry_After="3"),
        _limited(Retry_After="3"),
        httpx.Response(200, json=OK),
    ]
    district, requests = await _get_district(steps, sleep, max_attempts=2)
    assert district.id == "d1"
    assert requests == 5
    assert sleep.waits == [0.5, 3.0, 3.0, 3.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_error_then_success_retries_once(status: int) -> None:
    sleep = FakeSleep()
    district, requests = await _get_district([httpx.Response(status), httpx.Response(200, json=OK)], sleep)
    assert district.name == "Springfield"
    assert (requests, sleep.waits) == (2, [0.5])


async def test_503_forever_stops_after_max_attempts() -> None:
    sleep = FakeSleep()
    steps: list[Step] = [httpx.Response(503, json={"message": "maintenance"})]
    error, requests = await _failing(CleverUnavailable, steps, sleep, max_attempts=4)
    assert requests == 4
    assert sleep.waits == [0.5, 1.0, 2.0]
    assert error.status == 503
    assert "tried 4 times" in error.message
    assert "maintenance" in error.message


async def test_backoff_is_capped_at_max_delay() -> None:
    sleep = FakeSleep()
    _, requests = await _failing(CleverUnavailable, [httpx.Response(500)], sleep, max_attempts=6, max_delay=1.5)
    assert requests == 6
    assert sleep.waits == [0.5, 1.0, 1.5, 1.5, 1.5]


def test_jitter_only_shortens_the_wait_and_stays_within_bounds() -> None:
    full = RetryPolicy(jitter=0.5, rng=lambda: 1.0)
    none = RetryPolicy(jitter=0.5, rng=lambda: 0.0)
    assert full.backoff_delay(3) == 1.0
    assert none.backoff_delay(3) == 2.0
    real = RetryPolicy(jitter=0.5, max_delay=4.0)
    assert all(2.0 <= real.backoff_delay(10) <= 4.0 for _ in range(200))


async def test_timeout_then_success() -> None:
    sleep = FakeSleep()
    district, requests = await _get_district([httpx.ReadTimeout("slow"), httpx.Response(200, json=OK)], sleep)
    assert district.id == "d1"
    assert (requests, sleep.waits) == (2, [0.5])


async def test_connection_failures_forever_raise_a_network_error_naming_the_host() -> None:
    sleep = FakeSleep()
    error, requests = await _failing(CleverNetworkError, [httpx.ConnectError("refused")], sleep, max_attempts=3)
    assert requests == 3
    assert sleep.waits == [0.5, 1.0]
    assert "cannot reach Clever at 127.0.0.1: check the network" in error.message
    assert error.status is None


async def test_a_failed_page_is_retried_at_the_same_address() -> None:
    sleep = FakeSleep()
    seen: list[httpx.Request] = []
    page2 = f"{BASE}/schools?starting_after=s1&limit=1000"
    answers: dict[str, list[httpx.Response]] = {
        f"{BASE}/schools?limit=1000": [
            httpx.Response(
                200,
                json={
                    "data": [{"data": {"id": "s1"}}],
                    "links": [{"rel": "next", "uri": "/v3.0/schools?starting_after=s1&limit=1000"}],
                },
            )
        ],
        page2: [httpx.Response(502), httpx.Response(200, json={"data": [{"data": {"id": "s2"}}]})],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[str(request.url)].pop(0)

    transport = httpx.MockTransport(handler)
    async with CleverClient("tok", BASE, transport=transport, retry=_policy(sleep)) as client:
        schools = await client.schools()
    assert [s.id for s in schools] == ["s1", "s2"]
    assert [str(r.url) for r in seen][1:] == [page2, page2]
    assert sleep.waits == [0.5]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"base_delay": 0},
        {"base_delay": 5, "max_delay": 1},
        {"jitter": 1.0},
        {"jitter": -0.1},
        {"max_rate_limit_wait": -1},
    ],
)
def test_retry_policy_rejects_settings_that_could_loop_or_never_wait(
    kwargs: dict[str, Any],
) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_default_policy_matches_the_documented_budget() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.max_rate_limit_wait) == (5, 120.0)
    assert "sleep" not in repr(policy)
