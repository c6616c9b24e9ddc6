"""``Limits``: their arithmetic, their checks, and the newest-event read that asks for one record."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cleverwizard.clever import CleverClient, CleverTooMuch, Limits

BASE = "http://127.0.0.1:8123/v3.0"


def test_the_defaults_are_far_above_a_real_school() -> None:
    limits = Limits()
    assert limits.request_deadline > limits.read_timeout
    assert limits.max_response_bytes >= 64 * 1024 * 1024  # a full 10,000-record page is ~10-20 MB
    assert limits.max_pages(1000) == 1000 and limits.max_pages(10_000) == 100
    assert limits.max_pages(3) == 333_334  # rounded up: never fewer pages than the records need


@pytest.mark.parametrize(
    "bad",
    [{"read_timeout": 0}, {"request_deadline": -1}, {"max_response_bytes": 0}, {"max_list_records": 0}],
)
def test_limits_that_would_stop_everything_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Limits(**bad)


async def test_the_newest_event_is_one_record_not_a_page() -> None:
    events = [{"data": {"id": f"e{n}", "type": "users.created"}} for n in range(2)]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"data": events}))
    async with CleverClient("tok", BASE, transport=transport) as client:
        with pytest.raises(CleverTooMuch, match="the newest event: 2 records on a page of at most 1"):
            await client.latest_event_id()
