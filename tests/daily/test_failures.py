"""A sync that fails, overlaps another or races the wizard leaves the store consistent."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from cleverwizard.daily import run as daily_module
from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.sandbox.api import SandboxAPI
from cleverwizard.store import StoreTransaction
from cleverwizard.store.lock import RUN_LOCK_FILE_NAME
from tests.daily.conftest import Daily, Run, Service, opened, snapshot, students_at, teachers_at


def test_a_sync_killed_halfway_leaves_the_store_as_it_was(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    district.update_user(teachers_at(district, synced)[0]["id"], last="Renamed")
    district.add_student(synced, "New", "Kid", "3", "new.kid@example.org")
    before = snapshot(data_dir)
    written: list[str] = []
    real_put_teachers = StoreTransaction.put_teachers

    def put_teachers(self: StoreTransaction, teachers: Any) -> None:
        real_put_teachers(self, teachers)
        written.append("teachers")

    def put_students(self: StoreTransaction, students: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(StoreTransaction, "put_teachers", put_teachers)
        patch.setattr(StoreTransaction, "put_students", put_students)
        result = cw("sync")

    assert written == ["teachers"]  # the teachers' step had run when the students' step failed
    assert result.exit_code == 1 and result.output.strip() == "cleverwizard: No space left on device"
    assert snapshot(data_dir) == before
    assert cw("sync").exit_code == 0  # and the next run does it all, from the same events
    with opened(data_dir) as store:
        assert any(t.last_name == "Renamed" for t in store.teachers())
        assert any(s.email == "new.kid@example.org" for s in store.students())


def test_the_first_sync_failing_leaves_the_folder_as_connect_left_it(
    cw: Run, connected: str, api: SandboxAPI, data_dir: Path
) -> None:
    before = snapshot(data_dir)
    assert RUN_LOCK_FILE_NAME in before  # made with the store's first write, not by a sync
    api.faults.revoked = True
    result = cw("sync")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert snapshot(data_dir) == before


def test_a_planted_link_at_the_run_lock_is_refused_not_followed(
    cw: Run, connected: str, data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (data_dir / RUN_LOCK_FILE_NAME).unlink()
    (data_dir / RUN_LOCK_FILE_NAME).symlink_to(target)
    result = cw("sync")
    assert result.exit_code == 1 and "is a link, not cleverwizard's lock file" in result.output
    assert target.read_text() == "keep me"


def test_a_dry_run_writes_nothing(cw: Run, synced: str, district: SandboxDistrict, data_dir: Path) -> None:
    for leaver in students_at(district, synced)[:8]:
        district.delete_user(leaver["id"])
    before = snapshot(data_dir)
    result = cw("sync", "--dry-run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Dry run: nothing was written." and lines[1].startswith("Sync: changes from Clever's event log")
    assert sum(1 for line in lines if line.startswith("  archive (gone from Clever): ")) == 8
    assert lines[-1].startswith("Would be held: it would archive 8 of 61 linked students")
    assert snapshot(data_dir) == before


def test_an_overlapping_run_waits_then_gives_up_in_one_line(cw: Run, synced: str, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with FileLock(data_dir / RUN_LOCK_FILE_NAME):
        started = time.monotonic()
        result = cw("sync", "--wait", "0.3")
        waited = time.monotonic() - started
        assert cw("sync", "--dry-run").exit_code == 0  # looking needs no lock
    assert result.exit_code == 1 and 0.3 <= waited < 5
    assert result.output.startswith("cleverwizard: Another cleverwizard sync is running on ")
    assert "this run did nothing" in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(data_dir) == before


def test_an_overlapping_run_goes_ahead_once_the_first_finishes(
    cw: Run, synced: str, data_dir: Path, district: SandboxDistrict
) -> None:
    district.update_user(students_at(district, synced)[0]["id"], grade="8")  # something to save
    lock = FileLock(data_dir / RUN_LOCK_FILE_NAME, thread_local=False)
    lock.acquire()
    releaser = threading.Timer(0.3, lock.release)
    releaser.start()
    try:
        result = cw("sync", "--wait", "10")
    finally:
        releaser.join()
    assert result.exit_code == 0, result.output
    assert "Saved as run" in result.output


def test_a_save_in_the_wizard_during_the_sync_is_planned_again_not_lost(
    daily: Daily,
    service: Service,
    synced: str,
    district: SandboxDistrict,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pupil = students_at(district, synced)[4]
    district.update_user(pupil["id"], grade="8")
    real_apply = daily_module.apply_steps_unless_quiet
    calls: list[int] = []

    def apply_after_a_wizard_edit(store: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            with service(data_dir, started_by="wizard") as wizard:
                account = next(s for s in wizard.store.students() if s.clever_id == pupil["id"])
                wizard.set_login_email("student", account.id, "typed.meanwhile@example.org")
        return real_apply(store, *args, **kwargs)

    monkeypatch.setattr(daily_module, "apply_steps_unless_quiet", apply_after_a_wizard_edit)
    report = daily(data_dir)
    assert len(calls) == 2 and report.run_id is not None
    with opened(data_dir) as store:
        saved = next(s for s in store.students() if s.clever_id == pupil["id"])
    assert (saved.grade, saved.email, saved.edited) == ("8", "typed.meanwhile@example.org", ["email"])
