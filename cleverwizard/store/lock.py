"""The write lock, so the wizard and a scheduled sync never save at the same time.

TinyDB has no multi-process safety of its own. A ``filelock`` lock file next to the
database serialises writers across processes; readers do not need it because every
write replaces the file atomically. The lock is held by the kernel (``flock``), so a
killed process never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from cleverwizard.store.errors import StoreBusy, StoreError

LOCK_FILE_NAME = "roster.lock"
RUN_LOCK_FILE_NAME = "sync.lock"
"""The daily sync's run lock (daily/run.py). It is made with the store's own lock, at the
first write, so a sync that fails before writing leaves the data folder as it found it."""


class StoreLock:
    """One process-wide lock per data folder, waited on for at most ``timeout`` seconds."""

    def __init__(self, data_dir: Path, timeout: float) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE_NAME
        self.timeout = timeout
        # thread_local (the default) gives each thread its own descriptor, so two
        # threads of one process also exclude each other instead of sharing the hold.
        self._lock = FileLock(self.path, timeout=timeout, mode=0o600)

    @property
    def is_locked(self) -> bool:
        return self._lock.is_locked

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the body; raise ``StoreBusy`` if it stays taken too long.

        A symlink at the lock's name is refused: opening it would truncate its target."""
        if self.path.is_symlink():
            raise StoreError(f"{self.path} is a link, not cleverwizard's lock file: remove it, then try again.")
        try:
            self._lock.acquire(timeout=self.timeout)
        except Timeout:
            raise StoreBusy(self.data_dir) from None
        try:
            _make_run_lock(self.data_dir / RUN_LOCK_FILE_NAME)
            yield
        finally:
            self._lock.release()


def _make_run_lock(path: Path) -> None:
    """Create the run lock's empty file, owner-only, unless it is there (never through a link)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    os.close(fd)
