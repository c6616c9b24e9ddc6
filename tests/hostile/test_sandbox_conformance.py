"""The sandbox answers as Clever's official v3.0 spec says (``shared/clever-api/``, Swagger 2.0).

Every GET path of ``v3.0.yml`` (and ``/events`` of ``v3.0-events.yml``) is asked of the sandbox
with real ids from its district; each answer it serves is validated against the response
schema the spec gives for that status, with ``jsonschema``. Swagger's ``x-nullable`` becomes a
JSON Schema ``null`` type and an event's ``discriminator`` picks the definition named by its
``type``. (schemathesis was the alternative: it generates requests with hypothesis, which costs
minutes of CPU on a shared 2-core machine for ~45 read-only paths whose only inputs are ids.)
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from cleverwizard.sandbox import SandboxAPI, SandboxDistrict

SPEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "clever-api"
if not SPEC_DIR.is_dir():  # the worktree layout: /work/wt/NAME beside /work/shared
    SPEC_DIR = Path("/work/shared/clever-api")
BASE = "https://sandbox.invalid/v3.0"
SERVED_AT_LEAST = {
    "/districts",
    "/districts/{id}",
    "/schools",
    "/schools/{id}",
    "/schools/{id}/users",
    "/schools/{id}/sections",
    "/schools/{id}/courses",
    "/schools/{id}/terms",
    "/sections/{id}",
    "/users/{id}",
}
"""What the client reads: the sandbox must serve these, and serve them as the spec says."""


def _nullable(node: Any) -> Any:
    """Swagger 2.0's ``x-nullable`` as JSON Schema: ``null`` joins the type (and the enum)."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items() if key != "discriminator"}
    if node.get("x-nullable"):
        if "$ref" in out:
            return {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}]}
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


@cache
def _spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPEC_DIR / name).read_text(encoding="utf-8"))
    return loaded


@cache
def _definitions(name: str) -> dict[str, Any]:
    converted: dict[str, Any] = _nullable(copy.deepcopy(_spec(name)["definitions"]))
    return converted


def _response_schema(name: str, path: str, status: int) -> dict[str, Any] | None:
    responses = _spec(name)["paths"][path]["get"]["responses"]
    entry = responses.get(str(status))
    if entry is None:
        return None
    if "$ref" in entry:  # '#/responses/NotFound'
        entry = _spec(name)["responses"][entry["$ref"].rsplit("/", 1)[-1]]
    schema = entry.get("schema")
    return None if schema is None else dict(schema)


def _validate(name: str, schema: dict[str, Any], payload: Any) -> None:
    document = {"definitions": _definitions(name), **_nullable(schema)}
    jsonschema.Draft4Validator(document).validate(payload)


@pytest.fixture(scope="module")
def district() -> SandboxDistrict:
    district = SandboxDistrict.generate(seed=31, schools=2, teachers=6, students=30)
    student = next(iter(district.users_at_school(next(iter(district.schools)), "student")))
    district.update_user(student["id"], first="Renamed", grade="4")
    district.delete_user(district.users_at_school(next(iter(district.schools)), "teacher")[-1]["id"])
    return district


def _get(api: SandboxAPI, district: SandboxDistrict, url: str) -> httpx.Response:
    request = httpx.Request("GET", url, headers={"Authorization": f"Bearer {district.token}"})
    return api.respond(request)


def _ids(district: SandboxDistrict) -> dict[str, str]:
    school = next(iter(district.schools))
    teacher = district.users_at_school(school, "teacher")[0]["id"]
    return {
        "courses": next(iter(district.courses)),
        "districts": district.district_id,
        "schools": school,
        "sections": next(iter(district.sections)),
        "terms": next(iter(district.terms)),
        "users": teacher,
        "resources": "no-such-resource",
    }


def _paths(name: str) -> list[str]:
    return [path for path, item in _spec(name)["paths"].items() if "get" in item]


def test_every_get_path_the_sandbox_serves_matches_the_spec(district: SandboxDistrict) -> None:
    api, ids = SandboxAPI(district), _ids(district)
    served: set[str] = set()
    not_served: set[str] = set()
    for path in _paths("v3.0.yml"):
        url = BASE + path.replace("{id}", ids[path.strip("/").split("/")[0]])
        if "{id}" not in path:
            url += "?limit=5"
        response = _get(api, district, url)
        schema = _response_schema("v3.0.yml", path, response.status_code)
        if schema is None and response.status_code == 404:  # a path the sandbox does not serve
            not_served.add(path)
            schema = {"$ref": "#/definitions/NotFound"}
        assert schema is not None, f"{path}: status {response.status_code} is not one the spec allows"
        _validate("v3.0.yml", schema, response.json())
        if response.status_code == 200:
            served.add(path)
    assert served >= SERVED_AT_LEAST, SERVED_AT_LEAST - served
    assert all("resources" in path for path in not_served), not_served  # no LMS resources in a roster sandbox


def test_a_followed_next_page_matches_the_spec_too(district: SandboxDistrict) -> None:
    api = SandboxAPI(district)
    path = "/schools/{id}/users"
    url: str | None = BASE + path.replace("{id}", next(iter(district.schools))) + "?limit=7"
    schema = _response_schema("v3.0.yml", path, 200)
    assert schema is not None
    pages = 0
    while url and pages < 20:
        payload = _get(api, district, url).json()
        _validate("v3.0.yml", schema, payload)
        pages += 1
        nxt = [link["uri"] for link in payload["links"] if link["rel"] == "next"]
        url = "https://sandbox.invalid" + nxt[0] if nxt else None
    assert pages > 1


def test_events_match_the_events_spec_by_their_type(district: SandboxDistrict) -> None:
    api = SandboxAPI(district)
    response = _get(api, district, BASE + "/events?limit=50")
    assert response.status_code == 200
    payload = response.json()
    schema = _response_schema("v3.0-events.yml", "/events", 200)
    assert schema is not None
    _validate("v3.0-events.yml", schema, payload)
    events = [item["data"] for item in payload["data"]]
    assert events, "the district's change made no event"
    for event in events:
        assert event["type"] in _definitions("v3.0-events.yml"), event["type"]
        _validate("v3.0-events.yml", {"$ref": f"#/definitions/{event['type']}"}, event)
        one = _get(api, district, BASE + f"/events/{event['id']}")
        _validate(
            "v3.0-events.yml", _response_schema("v3.0-events.yml", "/events/{id}", one.status_code) or {}, one.json()
        )


def test_the_conversion_really_checks_types() -> None:
    """A guard on the guard: a wrong type fails validation, a spec'd null passes."""
    schema = {"$ref": "#/definitions/UserResponse"}
    _validate("v3.0.yml", schema, {"data": {"id": "u1", "email": None}})
    with pytest.raises(jsonschema.ValidationError):
        _validate("v3.0.yml", schema, {"data": {"id": "u1", "email": 7}})
    assert json.dumps(_definitions("v3.0.yml"))  # the converted spec is plain JSON
