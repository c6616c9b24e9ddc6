"""Typed errors: the right class at once, readable messages, and the token kept secret."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cleverwizard.clever import (
    CleverAuthError,
    CleverBadRequest,
    CleverClient,
    CleverDataError,
    CleverError,
    CleverForbidden,
    CleverLimitTooLarge,
    CleverNetworkError,
    CleverNotFound,
    CleverUnavailable,
    CleverUnsupported,
    RetryPolicy,
)
from cleverwizard.clever.errors import error_for_status

BASE = "http://127.0.0.1:8123/v3.0"
TOKEN = "s3cr3t-district-token-4f9a"
HTML = b"<!DOCTYPE html><html><body><h1>Oops</h1>\n<p>Something broke</p></body></html>"

Handler = Callable[[httpx.Request], httpx.Response]


class NoSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _client(handler: Handler, seen: list[httpx.Request], sleep: NoSleep | None = None) -> CleverClient:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    policy = RetryPolicy(sleep=sleep or NoSleep(), max_attempts=2, rng=lambda: 0.0)
    return CleverClient(TOKEN, BASE, transport=httpx.MockTransport(record), retry=policy)


def _always(status: int, **kwargs: Any) -> Handler:
    return lambda request: httpx.Response(status, **kwargs)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, CleverBadRequest),
        (401, CleverAuthError),
        (403, CleverForbidden),
        (404, CleverNotFound),
        (413, CleverLimitTooLarge),
        (501, CleverUnsupported),
    ],
)
async def test_final_statuses_raise_their_typed_error_after_one_request(status: int, error: type[CleverError]) -> None:
    seen: list[httpx.Request] = []
    sleep = NoSleep()
    async with _client(_always(status, json={"message": "nope"}), seen, sleep) as client:
        with pytest.raises(error) as caught:
            await client.schools()
    assert len(seen) == 1
    assert sleep.waits == []
    assert caught.value.status == status
    assert "\n" not in caught.value.message
    assert caught.value.message.endswith("(Clever said: nope)")


async def test_401_tells_the_administrator_how_to_get_a_new_token() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(401, content=HTML, headers={"content-type": "text/html"}), seen) as client:
        with pytest.raises(CleverAuthError) as caught:
            await client.district()
    assert caught.value.message == (
        "Clever refused the token: it was revoked or is wrong. Get a new district token from "
        "the Clever dashboard and set CLEVER_TOKEN or connect again."
    )
    assert caught.value.detail is None


async def test_403_not_in_scopes_explains_the_missing_secure_sync() -> None:
    seen: list[httpx.Request] = []
    handler = _always(403, json={"message": "Resource not in token's scopes"})
    async with _client(handler, seen) as client:
        with pytest.raises(CleverForbidden) as caught:
            await client.school_sections("s1")
    assert "Secure Sync" in caught.value.message
    assert caught.value.status == 403


def test_404_message_names_the_likely_causes() -> None:
    message = error_for_status(404, b'{"message": "Not Found"}').message
    assert all(word in message for word in ("unshared", "deleted", "district"))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 500, 501, 418])
def test_html_error_bodies_never_crash_or_leak_markup(status: int) -> None:
    error = error_for_status(status, HTML)
    assert isinstance(error, CleverError)
    assert error.status == status
    assert "<" not in error.message and "\n" not in error.message
    assert error.detail is None


def test_long_or_multiline_clever_messages_are_trimmed_to_one_line() -> None:
    body = '{"message": "line one\\nline two ' + "x" * 500 + '"}'
    error = error_for_status(400, body)
    assert error.detail is not None and len(error.detail) <= 200
    assert "\n" not in error.message
    assert "line one line two" in error.message


def test_unexpected_status_is_a_plain_clever_error_with_the_status() -> None:
    error = error_for_status(418, b'{"error": "teapot"}')
    assert type(error) is CleverError
    assert error.status == 418
    assert "418" in error.message and "teapot" in error.message


async def test_html_on_server_errors_still_ends_as_clever_unavailable() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(502, content=HTML), seen) as client:
        with pytest.raises(CleverUnavailable) as caught:
            await client.schools()
    assert len(seen) == 2
    assert "<" not in caught.value.message


async def test_html_page_with_status_200_is_a_data_error() -> None:
    seen: list[httpx.Request] = []
    handler = _always(200, content=HTML, headers={"content-type": "text/html"})
    async with _client(handler, seen) as client:
        with pytest.raises(CleverDataError, match="web page") as caught:
            await client.school_teachers("s1")
    assert "page 1 of /schools/s1/users" in caught.value.message


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"links": []}, "no 'data'"),
        ({"data": {"id": "u1"}}, "'data' is not a list"),
        ({"data": [{"id": "u1"}]}, "item 1 is not a wrapped record"),
        ({"data": [{"data": {"id": "u1"}}], "links": {"next": "/v3.0/x"}}, "'links' is not a list"),
        ({"data": [{"data": {"id": "u1"}}], "links": [{"rel": "next"}]}, "no address"),
        ([{"data": {"id": "u1"}}], "not a JSON object"),
    ],
)
async def test_malformed_pages_are_data_errors_that_say_what_is_wrong(body: Any, problem: str) -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(200, json=body), seen) as client:
        with pytest.raises(CleverDataError) as caught:
            await client.school_students("s1")
    assert problem in caught.value.message
    assert caught.value.status is None


async def test_a_record_that_fails_validation_names_its_id_and_page() -> None:
    seen: list[httpx.Request] = []
    body = {
        "data": [
            {"data": {"id": "u-ok"}},
            {"data": {"id": "u-bad", "roles": {"student": {"grade": 7}}}},
        ]
    }
    async with _client(_always(200, json=body), seen) as client:
        with pytest.raises(CleverDataError) as caught:
            await client.school_students("s1")
    message = caught.value.message
    assert "User record u-bad" in message
    assert "roles.student.grade" in message
    assert "page 1 of /schools/s1/users" in message


async def test_a_record_without_id_is_still_reported_not_dropped() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(200, json={"data": [{"data": {"name": "Anon"}}]}), seen) as client:
        with pytest.raises(CleverDataError, match="School a record, field 'id'"):
            await client.schools()


async def test_single_object_without_data_is_a_data_error() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(200, json={"links": []}), seen) as client:
        with pytest.raises(CleverDataError, match="/schools/s1"):
            await client.get_school("s1")


async def test_district_list_without_any_district_is_not_found() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(200, json={"data": []}), seen) as client:
        with pytest.raises(CleverNotFound, match="no district"):
            await client.district()


async def test_token_is_sent_only_as_a_bearer_header() -> None:
    seen: list[httpx.Request] = []
    async with _client(_always(200, json={"data": {"id": "d1"}}), seen) as client:
        await client.get_district("d1")
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(seen[0].url)


async def test_token_never_appears_in_repr_str_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[httpx.Request] = []
    echo = {"message": f"bad credentials Bearer {TOKEN} (token {TOKEN})"}
    client = _client(_always(401, json=echo), seen)
    texts = [repr(client), str(client), repr(vars(client)), repr(client.retry)]
    async with client:
        with pytest.raises(CleverAuthError) as auth:
            await client.schools()
    texts += [str(auth.value), repr(auth.value), auth.value.message, repr(auth.value.args)]
    assert "bad credentials" in auth.value.message

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"failed with Authorization: Bearer {TOKEN}")

    async with _client(refuse, seen) as network_client:
        with pytest.raises(CleverNetworkError) as network:
            await network_client.schools()
    texts += [str(network.value), repr(network.value)]

    logging.getLogger("cleverwizard.clever.client").warning("sent Bearer %s", TOKEN)
    texts.append(caplog.text)
    assert "Bearer ***" in caplog.text
    assert repr(client) == f"CleverClient(base_url={BASE!r})"
    for text in texts:
        assert TOKEN not in text
