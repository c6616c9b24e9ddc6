"""Clever v3.1 works fully beside v3.0: the sandbox serves both, ``next`` links keep the
version, ``preferred_name`` is read (shown beside the legal name, used by the teacher
matcher) and v3.1's sensitive student fields are dropped at the client, never stored."""

from __future__ import annotations

import asyncio
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

import cleverwizard.cli.daily
import cleverwizard.cli.people
import cleverwizard.cli.setup  # noqa: F401
from cleverwizard.clever import CleverClient, User
from cleverwizard.cli.main import cli
from cleverwizard.rules.teachers import display_name, name_score, search_options
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, SandboxServer
from cleverwizard.store.models import Teacher

SENSITIVE = ("disability", "gifted_status", "section_504_status", "frl_status", "home_language")


@pytest.fixture
def district() -> SandboxDistrict:
    district = SandboxDistrict.generate(seed=91, schools=1, teachers=6, students=40)
    student = next(u for u in district.users.values() if u["roles"].get("student"))
    district.preferred_names[student["id"]] = {"first": "Sunny", "middle": None, "last": None}
    return district


def v31(server: SandboxServer) -> str:
    return server.base_url.removesuffix("/v3.0") + "/v3.1"


async def test_the_sandbox_serves_v31_with_its_fields_and_links(
    server: SandboxServer, district: SandboxDistrict
) -> None:
    async with CleverClient(district.token, v31(server), page_limit=7) as clever:
        school = next(iter(district.schools))
        students = await clever.school_students(school)
    assert len(students) == len(district.users_at_school(school, "student"))  # every page, v3.1 links
    sunny = next(u for u in students if u.id in district.preferred_names)
    assert sunny.preferred_name is not None and sunny.preferred_name.first == "Sunny"
    assert display_name(sunny) == f"{sunny.name.full} (goes by Sunny {sunny.name.last})"
    for user in students:
        role = user.roles.student
        assert role is not None
        kept = msgspec.to_builtins(role) if isinstance(role, msgspec.Struct) else role.model_dump()
        assert not set(SENSITIVE) & set(kept)
    async with CleverClient(district.token, server.base_url) as clever:
        plain = await clever.get_district(district.district_id)
    assert plain.id == district.district_id


def test_a_v31_sync_stores_no_sensitive_field(
    server: SandboxServer, api: SandboxAPI, district: SandboxDistrict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CLEVER_TOKEN", "CLEVER_API_URL", "CLEVER_OAUTH_URL", "CLEVERWIZARD_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLEVER_CLIENT_ID", district.client_id)
    monkeypatch.setenv("CLEVER_CLIENT_SECRET", district.client_secret)
    folder = tmp_path / "school"
    runner = CliRunner()

    def cw(*args: str) -> None:
        result = runner.invoke(cli, [*args, "--data-dir", str(folder), "--clever-url", v31(server)])
        assert result.exit_code == 0, result.output

    cw("connect", district.district_id, "--school", next(iter(district.schools)))
    cw("import", "students")
    cw("sync")
    data_paths = [path for path in api.path_counts if path != "/oauth/tokens"]
    assert data_paths and all(path.startswith("/v3.1/") for path in data_paths)
    roster = (folder / "roster.json").read_text(encoding="utf-8")
    assert '"students"' in roster
    for field in (*SENSITIVE, "home_language_code", "disability_status", "Reduced"):
        assert field not in roster, field


def test_the_teacher_matcher_uses_the_preferred_name() -> None:
    clever = User.model_validate(
        {
            "id": "t1",
            "name": {"first": "Margarethe", "last": "Okonkwo-Vance"},
            "roles": {"teacher": {"school": "s1", "preferred_name": {"first": "Greta", "last": "Vance"}}},
        }
    )
    ours = Teacher(id=1, first_name="Greta", last_name="Vance")
    legal_only = User.model_validate({**clever.model_dump(), "roles": {"teacher": {"school": "s1"}}})
    assert name_score(ours, clever) >= 90 > name_score(ours, legal_only)
    option = search_options([clever])[0]
    assert "greta" in option.key and "(goes by Greta Vance)" in option.label


def test_v30_answers_carry_no_v31_fields(api: SandboxAPI, district: SandboxDistrict) -> None:
    async def fetch() -> list[User]:
        async with CleverClient(district.token, "https://sandbox.clever.invalid/v3.0", transport=api.transport()) as c:
            return await c.school_students(next(iter(district.schools)))

    students = asyncio.run(fetch())
    assert all(u.preferred_name is None for u in students)
