"""The day-two command line: cron mail that can be read, a pipe that closes, a wrong school id.

A sync summarises its problems by kind (the records are under ``--verbose`` and in
``history RUN``), a day with nothing new is one line, ``export … | head`` ends with 0 and
says nothing, and ``connect --school`` with an id Clever does not have names it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cleverwizard.daily.sections import SECTIONS_NOT_IMPORTED
from cleverwizard.demo import prepare_demo
from cleverwizard.sandbox import SandboxDistrict
from tests.daily.conftest import Run, snapshot, students_at

ROOT = Path(__file__).resolve().parents[2]


def test_sync_summarises_problems_by_kind_and_lists_them_on_request(
    cw: Run, connected: str, district: SandboxDistrict
) -> None:
    no_email = sum(1 for user in students_at(district, connected) if not user.get("email"))
    assert no_email > 1
    result = cw("sync")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not any(line.startswith("problem: ") for line in lines)
    summary = f"{no_email} students have no email: fix in the SIS, or `cleverwizard emails fill`."
    assert summary in lines
    run_id = int(lines[-1].removeprefix("Saved as run ").rstrip("."))
    assert f"Each record: `cleverwizard history {run_id}`." in lines

    one = cw("history", str(run_id))
    assert one.exit_code == 0, one.output
    records = [line for line in one.output.splitlines() if line.startswith("problem: student")]
    assert len([line for line in records if "No email: they can't log in" in line]) == no_email

    verbose = cw("sync", "--full", "--verbose")
    assert verbose.exit_code == 0, verbose.output
    assert sum(1 for line in verbose.output.splitlines() if line.startswith("problem: student")) >= no_email


def test_a_sync_with_nothing_new_says_so_in_one_line(synced: str, cw: Run) -> None:
    result = cw("sync")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "nothing new, nothing changed." in lines[0]
    assert len(lines) == 1, result.output  # not even the standing reminder: the first sync said it
    assert SECTIONS_NOT_IMPORTED not in result.output
    assert "known problems still to fix in the SIS (`cleverwizard history " in lines[0]


def test_history_of_an_unknown_run_says_how_to_find_one(cw: Run, connected: str) -> None:
    result = cw("history", "99")
    assert result.exit_code == 2
    assert "there is no run 99: `cleverwizard history` lists the runs" in result.output


def test_connect_with_a_wrong_school_names_it_and_points_at_schools(cw: Run, district: SandboxDistrict) -> None:
    result = cw("connect", district.district_id, "--school", "not-a-school")
    assert result.exit_code != 0
    assert "no school 'not-a-school'" in result.output
    assert "`cleverwizard schools` lists the school ids" in result.output


def test_connect_with_a_wrong_school_leaves_the_folder_exactly_as_it_was(
    cw: Run, data_dir: Path, district: SandboxDistrict
) -> None:
    """The district is checked and the school too before anything is written."""
    before = snapshot(data_dir)
    result = cw("connect", district.district_id, "--school", "not-a-school")
    assert result.exit_code == 2, result.output
    assert snapshot(data_dir) == before
    assert len(result.output.strip().splitlines()) == 1


def test_connect_with_a_wrong_school_keeps_the_connected_school(
    cw: Run, data_dir: Path, connected: str, district: SandboxDistrict
) -> None:
    before = snapshot(data_dir)
    result = cw("connect", district.district_id, "--school", "not-a-school")
    assert result.exit_code == 2, result.output
    assert snapshot(data_dir) == before
    status = cw("status")
    assert district.schools[connected]["name"] in status.output


def test_export_into_a_closed_pipe_ends_quietly_with_0(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    prepare_demo(folder, seed=2026)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "cleverwizard", "--data-dir", str(folder), "export", "teachers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `| head -0`: the reader is gone before the first line
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert error == b""
