"""Fixtures every test folder may use: the sandbox Clever of the test's ``district``.

A test module (or folder) defines ``district``; ``api`` answers as that district's Clever,
in process, and ``server`` serves it over loopback HTTP for tests that go through the real
network stack. Folders with their own needs (faults, quick retries) override ``api``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cleverwizard.sandbox import SandboxAPI, SandboxDistrict, SandboxServer, serve


@pytest.fixture
def api(district: SandboxDistrict) -> SandboxAPI:
    return SandboxAPI(district)


@pytest.fixture
def server(api: SandboxAPI) -> Iterator[SandboxServer]:
    running, _ = serve(api, port=0)
    with running:
        yield running
