"""Reading the event log: newest record wins, the school decides present or gone, errors say why."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cleverwizard.clever import CleverClient, Event
from cleverwizard.daily.events import (
    EVENTS_OFF,
    LOG_START,
    STILL_EMPTY,
    EventBatch,
    EventsUnavailable,
    current_position,
    read_events,
    section_changes,
    user_changes,
)

SCHOOL = "school-1"


def _user(uid: str, school: str, role: str = "student", **extra: Any) -> dict[str, Any]:
    return {
        "id": uid,
        "name": {"first": "A", "last": uid},
        "roles": {role: {"school": school, "schools": [school]}},
        **extra,
    }


def _event(n: int, kind: str, record: dict[str, Any]) -> Event:
    return Event.model_validate({"id": f"ev{n:03d}", "type": kind, "data": {"object": record}})


def test_the_newest_event_per_user_decides() -> None:
    batch = EventBatch(
        [
            _event(1, "users.created", _user("s1", SCHOOL)),
            _event(2, "users.updated", _user("s1", "elsewhere")),  # moved away: gone from this school
            _event(3, "users.created", _user("t1", SCHOOL, "teacher")),
            _event(4, "users.updated", _user("s2", "elsewhere")),
            _event(5, "users.updated", _user("s2", SCHOOL)),  # moved here: present
            _event(6, "users.deleted", _user("s3", SCHOOL)),
            _event(7, "sections.updated", {"id": "sec1", "school": SCHOOL}),
        ]
    )
    changes = user_changes(batch, SCHOOL)
    assert [u.id for u in changes.present["student"]] == ["s2"]
    assert [u.id for u in changes.present["teacher"]] == ["t1"]
    assert changes.gone["student"] == {"s1", "s3", "t1"} and changes.gone["teacher"] == {"s1", "s2", "s3"}
    assert changes.records == 4 and batch.newest_id == "ev007"
    assert set(batch.latest("sections")) == {"sec1"}


def test_an_unreadable_record_is_a_problem_not_a_stop() -> None:
    broken = {"id": "s9", "name": "not an object", "roles": {"student": {"school": SCHOOL}}}
    changes = user_changes(EventBatch([_event(1, "users.updated", broken)]), SCHOOL)
    assert changes.present["student"] == [] and changes.gone["student"] == set()
    [problem] = changes.problems
    assert (problem.kind, problem.clever_id) == ("student", "s9") and "cannot read" in problem.issue


def _client(answer: Any) -> CleverClient:
    async def handle(request: httpx.Request) -> httpx.Response:
        return answer(request)

    return CleverClient("token", "https://clever.test/v3.0", transport=httpx.MockTransport(handle))


def _page(*ids: str) -> httpx.Response:
    items = [{"data": {"id": i, "type": "users.updated", "data": {"object": {"id": "u"}}}} for i in ids]
    return httpx.Response(200, json={"data": items, "links": []})


@pytest.mark.parametrize(
    ("status", "position", "reason"),
    [
        (403, "ev001", EVENTS_OFF),
        (404, LOG_START, EVENTS_OFF),
        (404, "ev001", "the saved event position is no longer at Clever (events are kept 30 days"),
    ],
)
async def test_refusals_become_reasons(status: int, position: str, reason: str) -> None:
    async with _client(lambda r: httpx.Response(status, json={"message": "no"})) as client:
        with pytest.raises(EventsUnavailable) as raised:
            await read_events(client, position)
    assert raised.value.reason.startswith(reason)


async def test_an_empty_log_read_from_its_start_proves_nothing() -> None:
    async with _client(lambda r: _page()) as client:
        with pytest.raises(EventsUnavailable) as raised:
            await read_events(client, LOG_START)
        assert raised.value.reason == STILL_EMPTY
        assert await current_position(client) == LOG_START


async def test_reading_asks_for_user_events_after_the_position() -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return _page("ev002", "ev003")

    async with _client(answer) as client:
        batch = await read_events(client, "ev001")
    assert batch.newest_id == "ev003"
    assert seen[0].params["starting_after"] == "ev001" and seen[0].params.get_list("record_type") == ["users"]


async def test_the_position_before_a_full_sync() -> None:
    async with _client(lambda r: _page("ev042")) as client:
        assert await current_position(client) == "ev042"
    async with _client(lambda r: httpx.Response(403, json={"message": "no"})) as client:
        assert await current_position(client) is None


def _section(sid: str, school: str, students: list[str]) -> dict[str, Any]:
    return {
        "id": sid,
        "school": school,
        "name": f"Class {sid}",
        "teacher": "t1",
        "teachers": ["t1"],
        "students": students,
    }


def test_the_newest_event_per_section_decides_present_or_gone() -> None:
    batch = EventBatch(
        [
            _event(1, "sections.created", _section("sec1", SCHOOL, ["s1"])),
            _event(2, "sections.updated", _section("sec1", SCHOOL, ["s1", "s2"])),  # the newest list wins
            _event(3, "sections.updated", _section("sec2", "elsewhere", [])),  # another school's: gone from here
            _event(4, "sections.deleted", _section("sec3", SCHOOL, [])),
            _event(5, "sections.updated", {"id": "sec4", "school": SCHOOL, "name": "Broken", "students": "s1"}),
            _event(
                6, "sections.updated", {"id": "sec5", "school": "elsewhere", "students": "s1"}
            ),  # not ours to report
            _event(7, "users.updated", _user("s1", SCHOOL)),
        ]
    )
    changes = section_changes(batch, SCHOOL)
    assert [(s.id, s.students) for s in changes.present] == [("sec1", ["s1", "s2"])]
    assert changes.gone == {"sec2", "sec3"}
    [problem] = changes.problems
    assert (problem.kind, problem.clever_id, problem.name) == ("section", "sec4", "Broken")
    assert "cannot read" in problem.issue and "students" in problem.issue
