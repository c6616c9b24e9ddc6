"""Shared fixtures for the roster store tests: a fresh store, record factories, child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cleverwizard.store import RosterStore, Student, Teacher
from cleverwizard.store import storage as storage_module

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXED_TIME = "2025-01-01T00:00:00Z"
"""Factories use a fixed time so two calls build equal records even across a second boundary."""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "platform" / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[RosterStore]:
    opened = RosterStore.open(data_dir, lock_timeout=2.0)
    yield opened
    opened.close()


def make_student(id: int, **fields: object) -> Student:
    values: dict[str, object] = {
        "id": id,
        "clever_id": f"stu-{id}",
        "first_name": "Ana",
        "last_name": f"Lopez{id}",
        "email": f"ana{id}@school.example",
        "source": "clever",
        "grade": "5",
        "school": "sch-1",
        "schools": ["sch-1"],
        "created_at": FIXED_TIME,
        "updated_at": FIXED_TIME,
    }
    values.update(fields)
    return Student.model_validate(values)


def make_teacher(id: int, **fields: object) -> Teacher:
    values: dict[str, object] = {
        "id": id,
        "clever_id": f"tea-{id}",
        "first_name": "Rosa",
        "last_name": f"Parks{id}",
        "email": f"rosa{id}@school.example",
        "title": "Ms.",
        "created_at": FIXED_TIME,
        "updated_at": FIXED_TIME,
    }
    values.update(fields)
    return Teacher.model_validate(values)


def files_in(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def start_python(code: str, *args: str) -> subprocess.Popen[str]:
    """Run ``code`` in a fresh interpreter that can import cleverwizard; stdout is a pipe."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
    )


@pytest.fixture
def replace_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Spy on ``os.replace`` as the storage calls it: one call is one physical write."""
    calls: list[tuple[str, str]] = []
    real_replace: Callable[..., None] = os.replace

    def spy(src: str, dst: str) -> None:
        calls.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(storage_module.os, "replace", spy)
    return calls
