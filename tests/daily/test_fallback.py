"""When the event log cannot be trusted, the sync compares everyone and says why."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from cleverwizard.daily.events import LOG_START
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.service.roster_sync import CleverLink
from tests.daily.conftest import Daily, Run, opened, students_at


def _users_requests(api: SandboxAPI, school: str) -> int:
    return api.path_counts[f"/v3.0/schools/{school}/users"]


def test_an_expired_event_position_falls_back_to_a_full_comparison(
    daily: Daily, cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    district.add_student(synced, "First", "Change", "1", "first.change@example.org")
    assert daily(data_dir).mode == "events"
    with opened(data_dir) as store:
        saved = store.meta().last_event_id
    assert saved not in (None, LOG_START)
    late = district.add_student(synced, "Late", "Comer", "2", "late.comer@example.org")
    district.update_user(late["id"], first="Later")
    district.expire_events_before(district.events[-1]["id"])  # the saved id is gone
    fetched = _users_requests(api, synced)

    result = cw("sync", "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["mode"] == "fallback" and summary["fell_back"]
    assert "no longer at Clever" in summary["reason"] and "30 days" in summary["reason"]
    assert summary["counts"]["students"]["created"] == 1
    assert _users_requests(api, synced) > fetched
    with opened(data_dir) as store:
        assert store.meta().last_event_id == district.latest_event_id()
        assert any(s.first_name == "Later" for s in store.students())
    assert daily(data_dir).mode == "events"  # and the next run is back on the event log


def test_events_switched_off_fall_back_every_run_and_say_so(
    daily: Daily, cw: Run, connected: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.events_enabled = False  # the sandbox then logs nothing, and /events stays empty
    assert cw("sync").exit_code == 0
    district.add_student(connected, "Silent", "Arrival", "5", "silent.arrival@example.org")
    result = cw("sync")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Sync: full comparison instead of the event log: Clever has logged no events")
    assert "Enable events" in first
    with opened(data_dir) as store:
        assert any(s.email == "silent.arrival@example.org" for s in store.students())
        assert store.meta().last_event_id == LOG_START
    assert daily(data_dir).mode == "fallback"


@pytest.fixture
def refusing(api: SandboxAPI, link: CleverLink) -> dict[str, bool]:
    """The sandbox, except that ``/events`` answers 403 while ``state["off"]`` is true."""
    state = {"off": False}

    async def handle(request: httpx.Request) -> httpx.Response:
        if state["off"] and request.url.path.endswith("/events"):
            return httpx.Response(403, json={"message": "Events are not enabled for this application"})
        return await api.handle(request)

    link.transport = httpx.MockTransport(handle)
    return state


def test_clever_refusing_the_event_log_falls_back(
    daily: Daily, cw: Run, connected: str, district: SandboxDistrict, data_dir: Path, refusing: dict[str, bool]
) -> None:
    district.add_student(connected, "Before", "Sync", "1", "before.sync@example.org")
    assert cw("sync").exit_code == 0
    refusing["off"] = True
    district.update_user(students_at(district, connected)[0]["id"], last="Changed")
    report = daily(data_dir)
    assert report.mode == "fallback" and "Clever refused the event log" in report.reason
    assert report.plans["students"].counts.updated == 1
    assert report.position is None  # nothing to resume from
    again = daily(data_dir)
    assert again.mode == "fallback" and "no event position was saved" in again.reason
    refusing["off"] = False
    assert daily(data_dir).mode == "fallback"  # the position is saved again by this one
    assert daily(data_dir).mode == "events"


def test_full_on_request_compares_everyone(cw: Run, synced: str, api: SandboxAPI) -> None:
    fetched = _users_requests(api, synced)
    result = cw("sync", "--full")
    assert result.exit_code == 0 and "full comparison with Clever: asked for with --full" in result.output
    assert _users_requests(api, synced) == fetched + 2  # one page of teachers, one of students


def test_choosing_another_school_makes_the_next_sync_full(
    daily: Daily, cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.add_student(synced, "Any", "Change", "1")
    assert daily(data_dir).mode == "events"
    assert cw("connect", district.district_id, "--school", synced).exit_code == 0
    assert daily(data_dir).mode == "events"  # the same school again: the position still holds
    other = [s for s in district.schools if s != synced][0]
    assert cw("connect", district.district_id, "--school", other, "--yes").exit_code == 0
    report = daily(data_dir, force=True)
    assert (report.mode, report.reason) == ("full", "another school was chosen since the last sync")
    here, there = ({u["id"] for u in students_at(district, s)} for s in (synced, other))
    assert report.plans["students"].counts.archived == len(here - there)  # both schools: kept, updated


def test_a_last_sync_older_than_clever_keeps_events_falls_back(
    daily: Daily, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.add_student(synced, "Any", "Change", "1")
    assert daily(data_dir).mode == "events"
    with opened(data_dir) as store, store.transaction() as tx:
        tx.meta.last_sync_at = "2020-01-01T00:00:00Z"  # back from a long holiday
    report = daily(data_dir)
    assert report.mode == "fallback" and "more than 29 days ago" in report.reason
