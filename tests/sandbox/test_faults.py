"""Faults switch on and off at runtime and look the way Clever's failures look to a client."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from cleverwizard.sandbox import Faults, SandboxAPI

from .helpers import ORIGIN, link


async def test_rate_limit_next_then_normal(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.rate_limit_next = 2
    for _ in range(2):
        response = await client.get("/schools")
        assert response.status_code == 429
        reset = int(response.headers["X-RateLimit-Reset"])
        assert 1 <= reset - time.time() <= 2
        assert response.headers["X-RateLimit-Remaining"] == "0"
        assert response.headers["X-RateLimit-Limit"] == "1200"
        assert response.headers["X-RateLimit-Bucket"]
    assert (await client.get("/schools")).status_code == 200
    assert faults.rate_limit_next == 0


async def test_server_errors_for_the_next_n(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.server_error_next = 3
    statuses = [(await client.get("/schools")).status_code for _ in range(4)]
    assert statuses == [503, 503, 503, 200]
    faults.server_error_next, faults.server_error_status = 1, 502
    response = await client.get("/schools")
    assert response.status_code == 502 and "message" in response.json()


async def test_malformed_page_only_where_asked(client: httpx.AsyncClient, faults: Faults) -> None:
    first = (await client.get("/users", params={"limit": 50})).json()
    faults.malformed_page_at = "starting_after="
    broken = await client.get(ORIGIN + link(first, "next"))
    assert broken.status_code == 200
    assert broken.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.content)
    assert (await client.get("/users", params={"limit": 50})).json() == first
    faults.malformed_page_at = None
    assert (await client.get(ORIGIN + link(first, "next"))).json()["data"]


async def test_html_error_body(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.html_error_next = 1
    response = await client.get("/schools")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith("<html>")
    assert (await client.get("/schools")).status_code == 200


async def test_revoked_token_is_401_until_restored(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.revoked = True
    for path in ("/schools", "/districts", "/events"):
        response = await client.get(path)
        assert response.status_code == 401
        assert "revoked" in response.json()["message"]
    faults.revoked = False
    assert (await client.get("/schools")).status_code == 200


async def test_fail_after_pages(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.fail_after_pages = 2
    statuses = [(await client.get("/users", params={"limit": 10})).status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 503]
    faults.fail_after_pages = None
    assert (await client.get("/users")).status_code == 200


async def test_latency_is_applied(client: httpx.AsyncClient, faults: Faults) -> None:
    faults.latency = 0.05
    started = time.perf_counter()
    await client.get("/schools")
    assert time.perf_counter() - started >= 0.05
    faults.clear()
    assert faults == Faults()


async def test_faults_count_as_requests(client: httpx.AsyncClient, api: SandboxAPI, faults: Faults) -> None:
    faults.server_error_next = 1
    await client.get("/schools")
    await client.get("/schools")
    assert api.request_count == 2
