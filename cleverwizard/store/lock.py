"""The write lock, so the wizard and a scheduled sync never save at the same time.

TinyDB has no multi-process safety of its own. A ``filelock`` lock file next to the
database serialises writers across processes; readers do not need it because every
write replaces the file atomically. The lock is held by the kernel (``flock``), so a
killed process never leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from cleverwizard.store.errors import StoreBusy, StoreError

LOCK_FILE_NAME = "roster.lock"


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
            yield
        finally:
            self._lock.release()
