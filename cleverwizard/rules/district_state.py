"""What Clever's own sync state for the district means for the school, in one line.

Clever syncs each district's SIS on its own schedule and says how that went on the District
record (``state``, ``last_sync``, ``pause_start``/``pause_end``, ``error``; CONTRACT.md §7).
A district may pause that sync (over the holidays, while its SIS is rebuilt): our own sync
still runs, but SIS changes made meanwhile only reach Clever, and so the platform, after
the pause. These rules turn a saved snapshot into the sentences ``status``, Notifications
and the daily sync show; the caller passes ``now`` so they stay pure and testable.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cleverwizard.store.models import CleverDistrictState
from cleverwizard.text import one_line


def moment(stamp: str | None) -> datetime | None:
    """Clever's or the store's timestamp as an aware datetime (``None`` when absent or odd)."""
    if not stamp:
        return None
    try:
        parsed = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def age_text(then: datetime, now: datetime) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "3 days ago", "4 months ago"."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"  # pragma: no cover - the loop always ends at minutes


def day_text(when: datetime, now: datetime) -> str:
    """ "5 Jan" this year, "5 Jan 2027" in another."""
    text = f"{when.day} {when:%b}"
    return text if when.year == now.year else f"{text} {when.year}"


def is_paused(state: CleverDistrictState, now: datetime) -> bool:
    """Clever says paused, or ``now`` is inside the pause window it gave."""
    if state.state == "paused":
        return True
    start, end = moment(state.pause_start), moment(state.pause_end)
    return start is not None and start <= now and (end is None or now < end)


def pause_window(state: CleverDistrictState, now: datetime) -> str:
    """ "from 20 Dec until 5 Jan 2027", "until 5 Jan", or "" when Clever gave no dates."""
    start, end = moment(state.pause_start), moment(state.pause_end)
    parts = []
    if start is not None:
        parts.append(f"from {day_text(start, now)}")
    if end is not None:
        parts.append(f"until {day_text(end, now)}")
    return " ".join(parts)


def _error(state: CleverDistrictState) -> str:
    return one_line(state.error or "").strip()


def summary(state: CleverDistrictState, now: datetime) -> str:
    """Clever's state in one line: "Clever last synced the SIS 2 hours ago", "Clever's sync is
    paused until 5 Jan", "Clever reports an error: …"."""
    if is_paused(state, now):
        end = moment(state.pause_end)
        return "Clever's sync is paused" + (f" until {day_text(end, now)}" if end is not None else "")
    if state.state == "error":
        error = _error(state)
        return f"Clever reports an error: {error}" if error else "Clever reports an error syncing the SIS"
    if state.state == "running":
        return "Clever is syncing the SIS now"
    last = moment(state.last_sync)
    if state.state == "pending" and last is None:
        return "Clever has not synced the SIS yet"
    text = f"Clever last synced the SIS {age_text(last, now)}" if last else "Clever has not said when it last synced"
    start = moment(state.pause_start)
    if start is not None and now < start:
        text += f"; a sync pause is planned {pause_window(state, now)}"
    return text


def status_line(state: CleverDistrictState, now: datetime) -> str:
    """``summary`` with how old it is, so a snapshot that could not be refreshed says so."""
    read = moment(state.read_at)
    checked = f" (checked {age_text(read, now)})" if read is not None else ""
    return one_line(summary(state, now) + checked)


def sync_notice(state: CleverDistrictState, now: datetime) -> str | None:
    """The one line a daily sync adds when Clever is paused or failing for the district."""
    if is_paused(state, now):
        window = pause_window(state, now)
        when = f" {window}" if window else ""
        return one_line(
            f"Clever is paused for this district{when}, so SIS changes made meanwhile arrive after the pause."
        )
    if state.state == "error":
        error = _error(state)
        said = f": {error}" if error else ""
        return one_line(
            f"Clever reports an error syncing this district's SIS{said}; SIS changes may not have reached Clever."
        )
    return None
