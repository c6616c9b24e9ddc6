"""A sync with nothing new is no history entry, but it still saves when it ran and where it read to.

``history`` and undo see only runs that changed something (or found problems the last sync
had not recorded); ``status`` and the checklist's "Last sync" still move with every run, and
the event position moves with the events read, in one atomic write.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store import Problem, Run
from cleverwizard.store.models import RunCounts
from tests.daily.conftest import Daily, Service, opened, students_at
from tests.daily.conftest import Run as Cli
from tests.daily.test_district_state import clever_time

LONG_AGO = "2026-01-05T08:00:00Z"


def _as_if_last_synced_long_ago(data_dir: Path) -> None:
    """Today's run would otherwise stamp the same second as the one before it."""
    with opened(data_dir) as store, store.transaction() as tx:
        tx.meta.last_sync_at = LONG_AGO


def test_nothing_new_adds_no_history_entry_but_saves_when_the_sync_ran(
    cw: Cli, synced: str, data_dir: Path, service: Service
) -> None:
    with opened(data_dir) as store:
        runs = [run.id for run in store.runs(journal=False)]
    _as_if_last_synced_long_ago(data_dir)
    with service(data_dir) as sync:
        report = asyncio.run(sync.daily_sync(full=True))
        assert sync.store.write_count == 1  # the sync time and position: one atomic write
    assert report.nothing_new and report.run_id is None
    assert report.as_dict()["nothing_new"] is True and report.as_dict()["run_id"] is None
    assert report.lines()[0].endswith("Not added to the history.")
    assert f"(`cleverwizard history {runs[0]}`)" in report.lines()[0]  # where the known problems are
    with opened(data_dir) as store:
        assert [run.id for run in store.runs(journal=False)] == runs
        assert store.meta().last_sync_at not in (None, LONG_AGO)
        last_sync = store.meta().last_sync_at
    status = cw("status")
    assert f"Last sync: {last_sync}" in status.output
    history = cw("history", "--json")
    assert history.exit_code == 0 and len(json.loads(history.output)) == len(runs)


def test_an_event_that_changes_nothing_here_moves_the_position_without_a_run(
    daily: Daily, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    pupil = students_at(district, synced)[3]
    district.update_user(pupil["id"], grade="7")  # an events run that changes something
    changed = daily(data_dir)
    assert changed.mode == "events" and changed.run_id is not None
    district.update_user(pupil["id"], middle="Quentin")  # the platform keeps no middle names
    with opened(data_dir) as store:
        before = (store.meta().last_event_id, [run.id for run in store.runs(journal=False)])
    quiet = daily(data_dir)
    assert quiet.mode == "events" and quiet.events_read == 1 and quiet.nothing_new
    with opened(data_dir) as store:
        assert store.meta().last_event_id == quiet.position != before[0]
        assert [run.id for run in store.runs(journal=False)] == before[1]
    again = daily(data_dir)
    assert again.events_read == 0 and again.nothing_new  # the event is not read twice


def test_problems_the_last_sync_did_not_record_make_a_history_entry(daily: Daily, synced: str, data_dir: Path) -> None:
    """No record changed, but the problems differ from what history holds: that is news."""
    with opened(data_dir) as store, store.transaction() as tx:
        stale = Problem(kind="student", clever_id="gone", name="Old One", issue="No email", fix="Add it")
        tx.add_run(Run(id=tx.next_run_id(), kind="sync", started_by="t", counts=RunCounts(flagged=1), problems=[stale]))
    report = daily(data_dir, full=True)
    assert report.changes == 0 and not report.nothing_new and report.run_id is not None
    with opened(data_dir) as store:
        recorded = store.run(report.run_id)
    assert recorded is not None and recorded.problems == report.problems


def test_undo_still_reverts_the_last_recorded_run_after_quiet_days(
    cw: Cli, synced: str, district: SandboxDistrict, data_dir: Path, daily: Daily
) -> None:
    pupil = students_at(district, synced)[2]
    district.update_user(pupil["id"], grade="9")
    changed = daily(data_dir)
    assert changed.run_id is not None
    for _ in range(2):
        assert daily(data_dir).nothing_new
    result = cw("undo", str(changed.run_id))
    assert result.exit_code == 0, result.output
    with opened(data_dir) as store:
        account = next(s for s in store.students() if s.clever_id == pupil["id"])
    assert account.grade != "9"


def test_a_pause_of_clevers_sync_is_recorded_once_then_quiet_days_still_say_it(
    cw: Cli, synced: str, district: SandboxDistrict, data_dir: Path
) -> None:
    now = datetime.now(UTC)
    district.set_sync_state(
        "paused", pause_start=clever_time(now - timedelta(days=1)), pause_end=clever_time(now + timedelta(days=9))
    )
    first = cw("sync")
    assert first.exit_code == 0 and "Saved as run" in first.output  # news: the pause began
    with opened(data_dir) as store:
        runs = [run.id for run in store.runs(journal=False)]
    again = cw("sync")
    assert again.exit_code == 0 and "nothing new, nothing changed" in again.output
    assert "Clever is paused for this district" in again.output  # still said, not recorded again
    with opened(data_dir) as store:
        assert [run.id for run in store.runs(journal=False)] == runs
