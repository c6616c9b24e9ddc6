"""Clever's own sync state for the district: kept while talking to Clever, shown by ``status``
(offline), and one line in a sync that runs while Clever is paused or failing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cleverwizard.rules.district_state import day_text
from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from cleverwizard.store.clever_district import FILE_NAME, read_district_state
from tests.daily.conftest import Run, opened, snapshot


def clever_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_status_shows_what_clever_said_at_connect_without_asking_again(
    cw: Run, connected: str, district: SandboxDistrict, data_dir: Path, api: SandboxAPI
) -> None:
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2, minutes=1)
    district.set_sync_state("success", last_sync=clever_time(two_hours_ago))
    assert cw("sync").exit_code == 0  # the sync reads the district again
    asked = api.request_count

    text = cw("status")
    as_json = json.loads(cw("status", "--json").output)

    assert api.request_count == asked  # status is a read of the data folder
    lines = text.output.splitlines()
    district_line = next(i for i, line in enumerate(lines) if "] Clever district:" in line)
    assert lines[district_line + 1] == "    Clever last synced the SIS 2 hours ago (checked just now)"
    clever = as_json["clever_district"]
    assert clever["state"] == "success" and clever["last_sync"] == clever_time(two_hours_ago)
    assert clever["paused"] is False and clever["error"] is None and clever["checked_at"]
    assert clever["summary"] == "Clever last synced the SIS 2 hours ago (checked just now)"
    assert {"steps", "last_sync"} <= set(as_json)  # the keys scripts already read stay


def test_status_before_clever_said_anything_has_no_clever_line(cw: Run, data_dir: Path) -> None:
    assert json.loads(cw("status", "--json").output)["clever_district"] is None
    assert "Clever last synced" not in cw("status").output


def test_a_sync_during_the_pause_runs_and_says_so_in_one_line(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    now = datetime.now(UTC)
    start, end = now - timedelta(days=2), now + timedelta(days=12)
    district.set_sync_state("paused", pause_start=clever_time(start), pause_end=clever_time(end))
    expected = (
        f"Clever is paused for this district from {day_text(start, now)} until {day_text(end, now)}, "
        "so SIS changes made meanwhile arrive after the pause."
    )

    result = cw("sync")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines().count(expected) == 1
    with opened(data_dir) as store:
        run = store.runs(journal=False)[0]
    assert run.kind == "sync" and run.detail.endswith(expected)
    assert expected in json.loads(cw("sync", "--json").output)["notes"]
    status = cw("status").output
    assert f"Clever's sync is paused until {day_text(end, now)}" in status
    assert json.loads(cw("status", "--json").output)["clever_district"]["paused"] is True


def test_a_sync_inside_the_pause_window_says_so_even_when_the_state_lags(
    cw: Run, synced: str, district: SandboxDistrict
) -> None:
    now = datetime.now(UTC)
    district.set_sync_state(
        "success", pause_start=clever_time(now - timedelta(hours=1)), pause_end=clever_time(now + timedelta(days=3))
    )
    result = cw("sync")
    assert result.exit_code == 0 and "Clever is paused for this district from " in result.output


def test_an_error_at_clever_is_one_line_in_the_sync_and_in_status(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.set_sync_state("error", error="SFTP upload from the SIS failed\n\x1b[2J[@click=app.quit]")
    result = cw("sync")
    assert result.exit_code == 0, result.output
    notice = [line for line in result.output.splitlines() if line.startswith("Clever reports an error")]
    assert len(notice) == 1 and "SFTP upload from the SIS failed" in notice[0] and "\x1b" not in notice[0]
    status = cw("status").output
    assert "    Clever reports an error: SFTP upload from the SIS failed" in status


def test_a_dry_run_says_so_but_writes_nothing(cw: Run, synced: str, district: SandboxDistrict, data_dir: Path) -> None:
    before = (data_dir / FILE_NAME).read_bytes()
    district.set_sync_state("paused")
    result = cw("sync", "--dry-run")
    assert result.exit_code == 0 and "Clever is paused for this district, so SIS changes" in result.output
    assert (data_dir / FILE_NAME).read_bytes() == before


def test_import_keeps_the_state_too(cw: Run, connected: str, district: SandboxDistrict, data_dir: Path) -> None:
    district.set_sync_state("running")
    assert cw("import", "teachers").exit_code == 0
    kept = read_district_state(data_dir, district.district_id)
    assert kept is not None and kept.state == "running"
    assert "Clever is syncing the SIS now" in cw("status").output


def test_a_damaged_state_file_is_just_not_known(cw: Run, connected: str, data_dir: Path) -> None:
    (data_dir / FILE_NAME).write_text("{not json", encoding="utf-8")
    result = cw("status")
    assert result.exit_code == 0 and "Clever last synced" not in result.output


def test_a_held_sync_keeps_even_a_newer_district_state_out_of_the_folder(
    cw: Run, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    for leaver in district.users_at_school(synced, "student")[:8]:
        district.delete_user(leaver["id"])
    district.set_sync_state("error", error="SIS credentials expired")
    before = snapshot(data_dir)
    assert cw("sync").exit_code == 3
    assert snapshot(data_dir) == before


def test_an_import_dry_run_leaves_the_folder_as_it_was(
    cw: Run, connected: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.set_sync_state("paused", pause_start=clever_time(datetime.now(UTC)))
    before = snapshot(data_dir)
    assert cw("import", "teachers", "--dry-run").exit_code == 0
    assert snapshot(data_dir) == before
    assert cw("import", "teachers").exit_code == 0
    saved = read_district_state(data_dir)
    assert saved is not None and saved.state == "paused"  # kept with the import it came with
