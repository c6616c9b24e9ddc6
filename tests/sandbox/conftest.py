"""Shared fixtures: a fresh default district per test and a client talking to it in process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cleverwizard.sandbox import Faults, SandboxAPI, SandboxDistrict

from .helpers import BASE_URL


@pytest.fixture
def district() -> SandboxDistrict:
    return SandboxDistrict.generate()


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def api(district: SandboxDistrict, faults: Faults) -> SandboxAPI:
    return SandboxAPI(district, faults)


@pytest.fixture
async def client(api: SandboxAPI, district: SandboxDistrict) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=api.transport(), base_url=BASE_URL, headers={"Authorization": f"Bearer {district.token}"}
    ) as http:
        yield http
