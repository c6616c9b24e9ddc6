"""The write lock: a second writer waits a little, then gets a clear StoreBusy message."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from cleverwizard.store import RosterStore, StoreBusy
from tests.store.conftest import make_student, start_python

HOLDER = """
import sys, time
from pathlib import Path
from cleverwizard.store import RosterStore

store = RosterStore.open(Path(sys.argv[1]))
with store.transaction() as tx:
    tx.meta.last_event_id = "from the other process"
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("saved", flush=True)
"""


def test_a_second_writer_gets_store_busy_within_the_timeout(data_dir: Path) -> None:
    store = RosterStore.open(data_dir, lock_timeout=0.3)
    holder = start_python(HOLDER, str(data_dir), "60")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StoreBusy) as raised, store.transaction() as tx:
            tx.put_student(make_student(1))
        waited = time.monotonic() - started
    finally:
        holder.send_signal(signal.SIGKILL)  # a killed holder must not leave a stale lock
        holder.communicate(timeout=30)

    assert str(raised.value) == (
        f"Another cleverwizard is saving to {data_dir} right now "
        "(the wizard or a scheduled sync). Try again in a minute."
    )
    assert raised.value.data_dir == data_dir
    assert 0.25 <= waited < 3.0
    assert store.revision == 0 and store.students() == []

    with store.transaction() as tx:  # the lock died with the killed process
        tx.put_student(make_student(1))
    assert store.revision == 1
    assert store.meta().last_event_id is None  # the killed holder saved nothing
    store.close()


def test_a_writer_waits_for_a_short_save_to_finish(data_dir: Path) -> None:
    store = RosterStore.open(data_dir, lock_timeout=20)
    holder = start_python(HOLDER, str(data_dir), "0.5")
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with store.transaction() as tx:
        tx.put_student(make_student(1))
    out, _ = holder.communicate(timeout=30)
    assert out.strip() == "saved" and holder.returncode == 0
    assert store.revision == 2  # the other process's save (revision 1) was reloaded, not overwritten
    assert store.meta().last_event_id == "from the other process"
    store.close()


def test_two_stores_in_one_process_also_exclude_each_other(data_dir: Path) -> None:
    first = RosterStore.open(data_dir)
    second = RosterStore.open(data_dir, lock_timeout=0.2)
    with first.transaction(), pytest.raises(StoreBusy), second.transaction():
        pass
    assert first.revision == 1 and second.revision == 0
    first.close()
    second.close()


def test_default_lock_timeout_is_a_few_seconds(store: RosterStore, data_dir: Path) -> None:
    assert RosterStore.open(data_dir).lock_timeout == 5.0
    assert store.lock_timeout == 2.0
