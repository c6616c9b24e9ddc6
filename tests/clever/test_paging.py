"""Paging: following Clever's relative ``next`` links safely and completely."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cleverwizard.clever import CleverClient, CleverDataError, RetryPolicy, RosterUser, School, User

BASE = "http://127.0.0.1:8123/v3.0"
TOKEN = "tok-paging-secret"


async def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"paging tests must not sleep (asked for {seconds}s)")


def _page(records: list[dict[str, Any]], next_uri: str | None = None) -> dict[str, Any]:
    links = [{"rel": "self", "uri": "/v3.0/whatever"}]
    if next_uri is not None:
        links.append({"rel": "next", "uri": next_uri})
    return {"data": [{"data": record} for record in records], "links": links}


def _user(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "name": {"first": "A", "last": user_id}, "roles": {"teacher": {}}}


Handler = Callable[[httpx.Request], httpx.Response]


def _always(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def _client(handler: Handler, seen: list[httpx.Request], base: str | None = BASE, **kwargs: Any) -> CleverClient:
    """A client on a mock transport that records every request; ``base=None`` = default."""

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    kwargs.setdefault("retry", RetryPolicy(sleep=_no_sleep))
    if base is not None:
        kwargs["base_url"] = base
    return CleverClient(TOKEN, transport=httpx.MockTransport(record), **kwargs)


async def test_follows_relative_next_links_against_a_base_url_with_a_path() -> None:
    pages = {
        None: _page(
            [_user("u1"), _user("u2")],
            "/v3.0/schools/s1/users?role=teacher&limit=2&starting_after=u2",
        ),
        "u2": _page(
            [_user("u3"), _user("u4")],
            "/v3.0/schools/s1/users?role=teacher&limit=2&starting_after=u4",
        ),
        "u4": _page([_user("u5")]),
    }
    seen: list[httpx.Request] = []
    progress: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("starting_after")])

    async with _client(handler, seen, page_limit=2) as client:
        teachers = await client.school_teachers("s1", on_progress=progress.append)

    assert [t.id for t in teachers] == ["u1", "u2", "u3", "u4", "u5"]
    assert all(isinstance(t, RosterUser) for t in teachers)  # decoded fast, as students are
    assert progress == [2, 4, 5]
    assert [str(r.url) for r in seen] == [
        f"{BASE}/schools/s1/users?role=teacher&limit=2",
        f"{BASE}/schools/s1/users?role=teacher&limit=2&starting_after=u2",
        f"{BASE}/schools/s1/users?role=teacher&limit=2&starting_after=u4",
    ]


async def test_default_base_url_resolves_links_on_api_clever_com() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            return httpx.Response(200, json=_page([{"id": "sch2"}]))
        return httpx.Response(200, json=_page([{"id": "sch1"}], "/v3.0/schools?starting_after=sch1&limit=1000"))

    async with _client(handler, seen, base=None) as client:
        schools = await client.schools()
    assert [s.id for s in schools] == ["sch1", "sch2"]
    assert str(seen[1].url) == "https://api.clever.com/v3.0/schools?starting_after=sch1&limit=1000"
    assert all(isinstance(s, School) for s in schools)


async def test_stops_on_empty_page_even_with_a_next_link() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            return httpx.Response(200, json=_page([], "/v3.0/sections?starting_after=zzz"))
        return httpx.Response(200, json=_page([{"id": "sec1"}], "/v3.0/sections?starting_after=sec1"))

    async with _client(handler, seen) as client:
        sections = await client.school_sections("s1")
    assert [s.id for s in sections] == ["sec1"]
    assert len(seen) == 2


async def test_stops_when_there_is_no_next_link() -> None:
    seen: list[httpx.Request] = []
    handler = _always({"data": [{"data": {"id": "t1"}}]})
    async with _client(handler, seen) as client:
        terms = await client.school_terms("s1")
    assert [t.id for t in terms] == ["t1"]
    assert len(seen) == 1


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.example/v3.0/users?starting_after=u1",
        "//evil.example/v3.0/users?starting_after=u1",
        "https://127.0.0.1:8123/v3.0/users?starting_after=u1",
        "http://127.0.0.1:9999/v3.0/users?starting_after=u1",
    ],
)
async def test_refuses_a_next_link_that_leaves_the_api(uri: str) -> None:
    seen: list[httpx.Request] = []
    handler = _always(_page([_user("u1")], uri))
    async with _client(handler, seen) as client:
        with pytest.raises(CleverDataError, match="outside Clever's API"):
            await client.school_students("s1")
    assert len(seen) == 1
    assert all(r.url.host == "127.0.0.1" for r in seen)


async def test_refuses_a_next_link_that_repeats_an_earlier_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            return httpx.Response(200, json=_page([_user("u2")], "/v3.0/schools/s1/users?role=student&limit=1000"))
        return httpx.Response(200, json=_page([_user("u1")], "/v3.0/schools/s1/users?starting_after=u1&limit=1000"))

    async with _client(handler, seen) as client:
        with pytest.raises(CleverDataError, match="repeats an earlier page") as caught:
            await client.school_students("s1")
    assert len(seen) == 2
    assert "page 2 of /schools/s1/users" in caught.value.message


async def test_refuses_a_next_link_pointing_at_its_own_page() -> None:
    seen: list[httpx.Request] = []
    handler = _always(_page([_user("u1")], "/v3.0/courses?limit=1000"))
    async with _client(handler, seen) as client:
        with pytest.raises(CleverDataError):
            [page async for page in client.iter_pages("/courses", None, User)]
    assert len(seen) == 1


@pytest.mark.parametrize("limit", [0, -1, 10_001, 1_000_000])
def test_page_limit_outside_1_to_10000_is_refused(limit: int) -> None:
    with pytest.raises(ValueError, match="page_limit"):
        CleverClient(TOKEN, page_limit=limit)


@pytest.mark.parametrize("limit", [1, 10_000])
async def test_page_limit_bounds_are_accepted_and_sent(limit: int) -> None:
    seen: list[httpx.Request] = []
    handler = _always(_page([{"id": "c1"}]))
    async with _client(handler, seen, page_limit=limit) as client:
        courses = await client.school_courses("s1")
    assert [c.id for c in courses] == ["c1"]
    assert seen[0].url.params["limit"] == str(limit)


async def test_default_limit_is_sent_and_kept_on_links_without_one() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            return httpx.Response(200, json=_page([{"id": "sch2"}]))
        return httpx.Response(200, json=_page([{"id": "sch1"}], "/v3.0/schools?starting_after=sch1"))

    async with _client(handler, seen) as client:
        await client.schools()
    assert [r.url.params.get("limit") for r in seen] == ["1000", "1000"]


async def test_iter_pages_yields_each_page_as_validated_records() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            return httpx.Response(200, json=_page([{"id": "sch3"}]))
        return httpx.Response(200, json=_page([{"id": "sch1"}, {"id": "sch2"}], "/v3.0/schools?starting_after=sch2"))

    async with _client(handler, seen) as client:
        pages = [page async for page in client.iter_pages("/schools", {}, School)]
    assert [[s.id for s in page] for page in pages] == [["sch1", "sch2"], ["sch3"]]


async def test_events_sends_repeated_record_type_and_filters() -> None:
    seen: list[httpx.Request] = []
    event = {"id": "ev2", "type": "users.created", "data": {"object": {"id": "u1"}}}
    handler = _always(_page([event]))
    async with _client(handler, seen) as client:
        events = await client.events("ev1", school="s1", record_types=["users", "sections"])
    params = seen[0].url.params
    assert params.get_list("record_type") == ["users", "sections"]
    assert params["starting_after"] == "ev1"
    assert params["school"] == "s1"
    assert [e.id for e in events] == ["ev2"]
    assert events[0].record_type == "users"


async def test_events_without_a_cursor_sends_no_starting_after() -> None:
    seen: list[httpx.Request] = []
    handler = _always(_page([]))
    async with _client(handler, seen) as client:
        assert await client.events() == []
    assert "starting_after" not in seen[0].url.params
    assert "record_type" not in seen[0].url.params


async def test_latest_event_id_asks_for_the_newest_single_event() -> None:
    seen: list[httpx.Request] = []
    event = {"id": "ev99", "type": "sections.updated", "data": {"object": {"id": "sec1"}}}
    handler = _always(_page([event], "/v3.0/events?starting_after=ev99"))
    async with _client(handler, seen) as client:
        assert await client.latest_event_id() == "ev99"
    assert len(seen) == 1
    assert seen[0].url.path == "/v3.0/events"
    assert dict(seen[0].url.params) == {"ending_before": "last", "limit": "1"}


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json={"data": [], "links": []}),
        httpx.Response(404, json={"message": "no events"}),
    ],
)
async def test_latest_event_id_is_none_without_events(response: httpx.Response) -> None:
    seen: list[httpx.Request] = []
    async with _client(lambda request: response, seen) as client:
        assert await client.latest_event_id() is None
    assert len(seen) == 1


async def test_district_reads_the_tokens_own_district() -> None:
    seen: list[httpx.Request] = []
    body = _page([{"id": "d1", "name": "Springfield", "state": "success", "login_methods": ["clever"]}])
    async with _client(_always(body), seen) as client:
        district = await client.district()
    assert (district.id, district.name) == ("d1", "Springfield")
    assert seen[0].url.path == "/v3.0/districts"


async def test_single_objects_ignore_links_and_quote_ids() -> None:
    seen: list[httpx.Request] = []
    body = {
        "data": {"id": "a/b", "name": "North High", "low_grade": "9", "high_grade": "12"},
        "links": [{"rel": "self", "uri": "/v3.0/schools/a%2Fb"}],
    }
    async with _client(_always(body), seen) as client:
        school = await client.get_school("a/b")
    assert school.name == "North High"
    assert school.grade_span == "9–12"
    assert seen[0].url.raw_path == b"/v3.0/schools/a%2Fb"
