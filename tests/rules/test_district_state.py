"""Clever's own sync state for a district, in the one line status, Notifications and sync show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cleverwizard.rules.district_state import age_text, is_paused, status_line, summary, sync_notice
from cleverwizard.store.models import CleverDistrictState

NOW = datetime(2026, 12, 22, 10, 0, tzinfo=UTC)


def state(**values: object) -> CleverDistrictState:
    base: dict[str, object] = {"district_id": "d1", "state": "success", "read_at": "2026-12-22T09:55:00Z"}
    return CleverDistrictState.model_validate({**base, **values})


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (5, "just now"),
        (60, "1 minute ago"),
        (7200, "2 hours ago"),
        (3 * 86400, "3 days ago"),
        (65 * 86400, "2 months ago"),
    ],
)
def test_ages_read_as_words(seconds: int, said: str) -> None:
    assert age_text(datetime.fromtimestamp(NOW.timestamp() - seconds, UTC), NOW) == said


def test_a_synced_district_says_when_and_how_old_the_news_is() -> None:
    synced = state(last_sync="2026-12-22T08:00:00.000Z")
    assert summary(synced, NOW) == "Clever last synced the SIS 2 hours ago"
    assert status_line(synced, NOW) == "Clever last synced the SIS 2 hours ago (checked 5 minutes ago)"
    assert sync_notice(synced, NOW) is None
    assert not is_paused(synced, NOW)


def test_paused_by_state_or_inside_the_window() -> None:
    window = {"pause_start": "2026-12-20T00:00:00.000Z", "pause_end": "2027-01-05T00:00:00.000Z"}
    by_state = state(state="paused", **window)
    by_window = state(state="success", last_sync="2026-12-19T23:00:00.000Z", **window)
    for paused in (by_state, by_window):
        assert is_paused(paused, NOW)
        assert summary(paused, NOW) == "Clever's sync is paused until 5 Jan 2027"
        assert sync_notice(paused, NOW) == (
            "Clever is paused for this district from 20 Dec until 5 Jan 2027, "
            "so SIS changes made meanwhile arrive after the pause."
        )
    after = datetime(2027, 1, 6, tzinfo=UTC)
    assert not is_paused(by_window, after) and sync_notice(by_window, after) is None
    before = datetime(2026, 12, 1, tzinfo=UTC)
    assert not is_paused(by_window, before)
    assert summary(by_window, before).endswith("; a sync pause is planned from 20 Dec until 5 Jan 2027")
    assert sync_notice(state(state="paused"), NOW) == (
        "Clever is paused for this district, so SIS changes made meanwhile arrive after the pause."
    )


def test_an_error_is_one_line_whatever_clever_wrote() -> None:
    failing = state(state="error", error="SIS export failed\n[@click=app.quit]\x1b[2J")
    line = status_line(failing, NOW)
    assert line.startswith("Clever reports an error: SIS export failed") and "\n" not in line and "\x1b" not in line
    notice = sync_notice(failing, NOW)
    assert notice is not None and notice.startswith("Clever reports an error syncing this district's SIS: SIS export")
    assert notice.endswith("SIS changes may not have reached Clever.")
    assert summary(state(state="error"), NOW) == "Clever reports an error syncing the SIS"


def test_running_pending_and_unknown() -> None:
    assert summary(state(state="running"), NOW) == "Clever is syncing the SIS now"
    assert summary(state(state="pending"), NOW) == "Clever has not synced the SIS yet"
    assert summary(state(state="", last_sync=None), NOW) == "Clever has not said when it last synced"
    assert summary(state(last_sync="not a time"), NOW) == "Clever has not said when it last synced"
