"""Mutations change the data and append Clever v3.0 events that page like everything else."""

from __future__ import annotations

import httpx
import pytest

from cleverwizard.clever.models import Event, User
from cleverwizard.sandbox import SandboxDistrict

from .helpers import walk


def mutate(district: SandboxDistrict) -> dict[str, str]:
    school_id = next(iter(district.schools))
    student = district.add_student(school_id, "Zoë", "Núñez-Smith", "3")
    teacher = district.add_teacher(school_id, "Robert", "O'Brien", schools=[list(district.schools)[1]])
    district.update_user(student["id"], first="Zoe", grade="4", email="zoe@example.org")
    section_a, section_b = [s["id"] for s in district.sections_at_school(school_id)[:2]]
    mover = district.sections[section_a]["students"][0]
    district.move_student(mover, section_a, section_b)
    district.update_section(section_b, name="Renamed", period="7")
    district.delete_user(teacher["id"])
    return {"student": student["id"], "teacher": teacher["id"], "mover": mover, "a": section_a, "b": section_b}


def test_generation_logs_no_events(district: SandboxDistrict) -> None:
    assert district.events == [] and district.latest_event_id() is None


def test_mutations_change_data_and_log_events(district: SandboxDistrict) -> None:
    ids = mutate(district)
    types = [e["type"] for e in district.events]
    assert types[:3] == ["users.created", "users.created", "users.updated"]
    assert types[3:6] == ["sections.updated", "sections.updated", "sections.updated"]
    assert types[-1] == "users.deleted"
    assert [e["id"] for e in district.events] == sorted(e["id"] for e in district.events)
    assert all(Event.model_validate(e) for e in district.events)
    student = User.model_validate(district.users[ids["student"]])
    assert (student.name.first, student.roles.student.grade, student.email) == ("Zoe", "4", "zoe@example.org")
    update = district.events[2]
    assert update["data"]["previous_attributes"] == {
        "name": {"first": "Zoë"},
        "roles": {"student": {"grade": "3"}},
        "email": None,
    }
    assert update["data"]["object"]["name"]["first"] == "Zoe"
    assert district.events[0]["data"]["object"]["name"]["first"] == "Zoë"
    assert ids["mover"] not in district.sections[ids["a"]]["students"]
    assert ids["mover"] in district.sections[ids["b"]]["students"]
    assert ids["teacher"] not in district.users
    assert district.events[-1]["data"]["object"]["id"] == ids["teacher"]
    assert list(district.users) == sorted(district.users)


def test_update_user_rejects_unknown_fields(district: SandboxDistrict) -> None:
    user_id = next(iter(district.users))
    with pytest.raises(TypeError):
        district.update_user(user_id, favourite_colour="blue")
    with pytest.raises(ValueError):
        district.update_user(district.users_with_role("teacher")[0]["id"], grade="5")


def test_events_disabled_change_data_only(district: SandboxDistrict) -> None:
    district.events_enabled = False
    school_id = next(iter(district.schools))
    added = district.add_student(school_id, "Ana", "Lopez", "1")
    assert added["id"] in district.users and district.events == []


async def test_events_endpoint_pages_and_filters(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    mutate(district)
    events, _ = await walk(client, "/events?limit=2")
    assert [e["id"] for e in events] == [e["id"] for e in district.events]
    third = district.events[2]["id"]
    after, _ = await walk(client, f"/events?starting_after={third}")
    assert [e["id"] for e in after] == [e["id"] for e in district.events[3:]]
    users_only, _ = await walk(client, "/events?record_type=users")
    assert {e["type"].split(".")[0] for e in users_only} == {"users"} and len(users_only) == 4
    both, _ = await walk(client, "/events?record_type=users&record_type=sections")
    assert len(both) == len(district.events)
    newest = (await client.get("/events", params={"ending_before": "last", "limit": 1})).json()
    assert [i["data"]["id"] for i in newest["data"]] == [district.latest_event_id()]
    one = (await client.get(f"/events/{third}")).json()["data"]
    assert one["type"] == "users.updated"


async def test_events_school_filter(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    first, second, third = district.schools
    district.add_student(first, "Ana", "Lopez", "1")
    district.add_student(third, "Luis", "Diaz", "9")
    district.add_teacher(second, "Mei", "Chen", schools=[third])
    at_third, _ = await walk(client, f"/events?school={third}")
    names = [e["data"]["object"]["name"]["first"] for e in at_third]
    assert names == ["Luis", "Mei"]


async def test_expired_event_cursor_is_404(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    mutate(district)
    saved = district.events[1]["id"]
    assert (await client.get("/events", params={"starting_after": saved})).status_code == 200
    dropped = district.expire_events_before(district.events[3]["id"])
    assert dropped == 3
    response = await client.get("/events", params={"starting_after": saved})
    assert response.status_code == 404
    assert "expired" in response.json()["message"]
    assert (await client.get(f"/events/{saved}")).status_code == 404
    remaining, _ = await walk(client, "/events")
    assert [e["id"] for e in remaining] == [e["id"] for e in district.events]
    assert (await client.get("/events", params={"starting_after": "0" * 24})).status_code == 404


def test_new_people_can_join_sections(district: SandboxDistrict) -> None:
    school_id = next(iter(district.schools))
    section_id = district.sections_at_school(school_id)[0]["id"]
    student = district.add_student(school_id, "Ana", "Lopez", "1", sections=[section_id])
    teacher = district.add_teacher(school_id, "Mei", "Chen", sections=[section_id])
    section = district.sections[section_id]
    assert student["id"] in section["students"] and teacher["id"] in section["teachers"]
    assert [e["type"] for e in district.events] == ["users.created", "sections.updated"] * 2
    assert teacher["email"].startswith("mei.chen") and teacher["email"].endswith("@" + district.domain)
    before = len(district.users)
    with pytest.raises(KeyError):
        district.add_student(school_id, "No", "Body", "1", sections=["missing"])
    assert len(district.users) == before
