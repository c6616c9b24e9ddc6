"""The handler answers like Clever v3.0: envelope, links, paging, limits, auth and 404s."""

from __future__ import annotations

import httpx
import pytest

from cleverwizard.clever.models import Section, User
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict

from .helpers import BASE_URL, ORIGIN, link, walk


async def test_walks_all_users_without_duplicates(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    users, pages = await walk(client, "/users?limit=250")
    ids = [u["id"] for u in users]
    assert len(ids) == len(set(ids)) == len(district.users)
    assert ids == sorted(ids)
    assert pages == len(district.users) // 250 + 1
    assert all(User.model_validate(u) for u in users)


async def test_full_last_page_is_followed_by_an_empty_page(
    client: httpx.AsyncClient, district: SandboxDistrict
) -> None:
    school_id = next(iter(district.schools))
    response = await client.get(
        f"/schools/{school_id}/users", params={"role": "teacher", "primary": "true", "limit": 24}
    )
    body = response.json()
    assert len(body["data"]) == 24
    following = await client.get(ORIGIN + link(body, "next"))
    assert following.json()["data"] == []
    assert link(following.json(), "next") is None


async def test_envelope_and_links_carry_the_version(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    body = (await client.get("/users", params={"role": "student", "limit": 5})).json()
    assert set(body) == {"data", "links"}
    assert all(set(item) == {"data"} for item in body["data"])
    assert link(body, "self") == "/v3.0/users?role=student&limit=5"
    assert link(body, "prev") is None
    last_id = body["data"][-1]["data"]["id"]
    assert link(body, "next") == f"/v3.0/users?role=student&starting_after={last_id}&limit=5"
    second = (await client.get(ORIGIN + link(body, "next"))).json()
    assert link(second, "prev") == f"/v3.0/users?role=student&ending_before={second['data'][0]['data']['id']}&limit=5"
    back = (await client.get(ORIGIN + link(second, "prev"))).json()
    assert [i["data"]["id"] for i in back["data"]] == [i["data"]["id"] for i in body["data"]]


async def test_default_limit_is_100(client: httpx.AsyncClient) -> None:
    body = (await client.get("/users")).json()
    assert len(body["data"]) == 100
    assert link(body, "next").endswith("&limit=100")


@pytest.mark.parametrize(("limit", "status"), [("10001", 413), ("abc", 400), ("0", 400), ("10000", 200)])
async def test_limit_bounds(client: httpx.AsyncClient, limit: str, status: int) -> None:
    response = await client.get("/users", params={"limit": limit})
    assert response.status_code == status
    if status != 200:
        assert "limit" in response.json()["message"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc"])
async def test_bad_or_missing_token_is_401(api: SandboxAPI, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    async with httpx.AsyncClient(transport=api.transport(), base_url=BASE_URL, headers=headers) as http:
        response = await http.get("/schools")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert response.headers["X-RateLimit-Limit"] == "1200"


async def test_unknown_and_foreign_ids_are_404(client: httpx.AsyncClient) -> None:
    other = SandboxDistrict.generate(seed=99, schools=1, teachers=2, students=30)
    foreign_user = next(iter(other.users))
    for path in (
        f"/users/{foreign_user}",
        "/users/000000000000000000000000",
        f"/districts/{other.district_id}",
        f"/schools/{next(iter(other.schools))}/users",
        "/sections/nope",
        "/teachers",
        "/nothing/here",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"message": "Resource not found"}
    assert (await client.get(ORIGIN + "/v2.1/users")).status_code == 404


async def test_single_objects(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    district_body = (await client.get(f"/districts/{district.district_id}")).json()
    assert district_body["data"]["name"] == district.district["name"]
    listed = (await client.get("/districts")).json()
    assert [i["data"]["id"] for i in listed["data"]] == [district.district_id]
    section = next(iter(district.sections.values()))
    body = (await client.get(f"/sections/{section['id']}")).json()
    assert Section.model_validate(body["data"]).students == section["students"]
    term = (await client.get(f"/sections/{section['id']}/term")).json()["data"]
    assert term["id"] == section["term_id"]
    me = (await client.get("/me")).json()["data"]
    assert me == {"id": district.district_id, "district": district.district_id, "type": "district"}


async def test_rate_limit_headers_on_every_response(client: httpx.AsyncClient) -> None:
    for path in ("/schools", "/users/missing"):
        response = await client.get(path)
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Bucket"):
            assert response.headers.get(name), name
        assert int(response.headers["X-RateLimit-Remaining"]) < 1200


async def test_school_users_include_other_schools_people_unless_primary(
    client: httpx.AsyncClient, district: SandboxDistrict
) -> None:
    for school_id in district.schools:
        for role in ("teacher", "student"):
            everyone, _ = await walk(client, f"/schools/{school_id}/users?role={role}&limit=1000")
            primary, _ = await walk(client, f"/schools/{school_id}/users?role={role}&primary=true&limit=1000")
            assert {u["id"] for u in everyone} == {u["id"] for u in district.users_at_school(school_id, role)}
            assert len(everyone) == len(primary) + 1
            assert all(role in u["roles"] for u in everyone)
    bad = await client.get(f"/schools/{school_id}/users", params={"role": "principal"})
    assert bad.status_code == 400


async def test_admin_never_listed_as_teacher(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    admin = district.users_with_role("district_admin")[0]
    teachers, _ = await walk(client, "/users?role=teacher&limit=10000")
    assert admin["id"] not in {u["id"] for u in teachers}
    admins, _ = await walk(client, "/users?role=district_admin")
    assert [u["id"] for u in admins] == [admin["id"]]


async def test_school_sections_courses_terms_and_section_users(
    client: httpx.AsyncClient, district: SandboxDistrict
) -> None:
    school_id = list(district.schools)[1]
    sections, _ = await walk(client, f"/schools/{school_id}/sections?limit=1000")
    assert {s["id"] for s in sections} == {s["id"] for s in district.sections_at_school(school_id)}
    courses, _ = await walk(client, f"/schools/{school_id}/courses")
    assert {c["id"] for c in courses} == {s["course"] for s in sections}
    terms, _ = await walk(client, f"/schools/{school_id}/terms")
    assert len(terms) == 2
    section = sections[0]
    students, _ = await walk(client, f"/sections/{section['id']}/users?role=student")
    teachers, _ = await walk(client, f"/sections/{section['id']}/users?role=teacher")
    assert sorted(u["id"] for u in students) == sorted(section["students"])
    assert {u["id"] for u in teachers} == set(section["teachers"])
    mine, _ = await walk(client, f"/users/{section['teacher']}/sections")
    assert section["id"] in {s["id"] for s in mine}


async def test_request_counters(client: httpx.AsyncClient, api: SandboxAPI) -> None:
    await client.get("/schools")
    await client.get("/schools")
    await client.get("/users/missing")
    assert api.request_count == 3
    assert api.path_counts["/v3.0/schools"] == 2
    assert api.path_counts["/v3.0/users/missing"] == 1


async def test_mutation_is_visible_to_the_next_request(client: httpx.AsyncClient, district: SandboxDistrict) -> None:
    student = district.users_with_role("student")[0]
    before = (await client.get(f"/users/{student['id']}")).json()["data"]
    district.update_user(student["id"], email="changed@example.org")
    after = (await client.get(f"/users/{student['id']}")).json()["data"]
    assert before["email"] != after["email"] == "changed@example.org"
    listed = (await client.get("/users", params={"role": "student", "limit": 1})).json()["data"][0]["data"]
    assert listed["email"] == "changed@example.org"


def test_transport_also_serves_a_sync_client(api: SandboxAPI, district: SandboxDistrict) -> None:
    with httpx.Client(
        transport=api.transport(), base_url=BASE_URL, headers={"Authorization": f"Bearer {district.token}"}
    ) as http:
        response = http.get("/schools")
    assert response.status_code == 200
    assert [i["data"]["id"] for i in response.json()["data"]] == list(district.schools)
