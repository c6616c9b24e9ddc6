"""A TinyDB storage that never leaves a half-written database behind.

TinyDB's own ``JSONStorage`` rewrites the file in place (seek, write, fsync, truncate),
so a full disk or a power cut mid-write leaves a torn file (see docs peers.md §3a).
``AtomicJSONStorage`` keeps TinyDB's file format but writes a temp file in the same
folder, fsyncs it, ``os.replace``s it over the database and fsyncs the folder. At
every instant the database path holds either the old or the new complete file.

The file stays an ordinary TinyDB JSON database: ``TinyDB(path)`` can open it.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import pydantic_core
from tinydb.storages import Storage

from cleverwizard.bulk import paused_gc
from cleverwizard.store.errors import FolderNotPrivate, StoreCorrupt

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """Temp files are hidden siblings (``.roster.json.<random>.tmp``) so they are easy to sweep."""
    return f".{path.name}."


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte to ``fd``; a separate function so tests can simulate a full disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (a no-op where folders cannot be fsynced)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:  # Windows: no directory handles to fsync
        return
    fd = os.open(directory, os.O_RDONLY | flags)
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on folders; the rename is done
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def private_folder(folder: Path) -> None:
    """Make ``folder`` owner-only (0700), creating it if missing; refuse one we cannot own.

    The folder holds student data and the Clever token. A folder that already exists with
    looser modes (made by hand, copied, unpacked) is tightened, and so is any file of ours
    directly in it; a folder another user owns is refused rather than trusted.
    """
    try:
        info = folder.stat()
    except FileNotFoundError:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
        return
    if not stat.S_ISDIR(info.st_mode):
        raise FolderNotPrivate(folder, "is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise FolderNotPrivate(folder, "belongs to another user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                if mode & 0o077:
                    with suppress(OSError):  # not ours to fix: reading it still works
                        os.chmod(entry.path, mode & 0o700)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once; on any failure ``path`` is untouched.

    The temp file is created by ``mkstemp``: a fresh random name, opened with
    ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600, so a file or symlink planted at any
    name is never written through. It sits in the same folder so the final ``os.replace``
    is a same-filesystem rename (which replaces a link at ``path``, never its target), and
    the result keeps 0600.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete temp files a killed writer left behind. Call only while holding the write lock."""
    removed: list[Path] = []
    for leftover in path.parent.glob(f"{temp_prefix(path)}*{TEMP_SUFFIX}"):
        with suppress(FileNotFoundError):
            leftover.unlink()
            removed.append(leftover)
    return removed


class AtomicJSONStorage(Storage):
    """TinyDB storage: JSON on disk, read whole, replaced whole and atomically on write.

    ``read`` never creates or changes the file; a missing file reads as ``None`` (TinyDB's
    "empty database"). A zero-length file or invalid JSON raises ``StoreCorrupt`` instead
    of being overwritten. Extra keyword arguments go to ``json.dumps`` as with
    TinyDB's ``JSONStorage``; without them the faster pydantic-core encoder is used. ``write_count`` counts physical writes (used by the store's
    tests and benchmarks to prove writes are batched).
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.path = Path(path)
        self.write_count = 0
        self._dump_kwargs = kwargs
        if create_dirs:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw:  # atomic writes never leave an empty file: this one was damaged
            raise StoreCorrupt(self.path, "the file is empty (0 bytes)")
        try:
            with paused_gc():  # one dict per stored record; see cleverwizard.bulk
                data = pydantic_core.from_json(raw)
        except ValueError as exc:  # invalid JSON or invalid UTF-8 (also NUL-filled files)
            raise StoreCorrupt(self.path, f"invalid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise StoreCorrupt(self.path, "the top level is not a JSON object of tables")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Serialise before touching the disk so an unserialisable value fails cleanly.
        # pydantic-core's encoder is ~3x faster than ``json.dumps`` on a big roster;
        # ASCII-only output keeps the file readable by TinyDB under any locale.
        if self._dump_kwargs:
            payload = json.dumps(data, **self._dump_kwargs).encode("utf-8")
        else:
            payload = pydantic_core.to_json(data, ensure_ascii=True)
        atomic_write_bytes(self.path, payload)
        self.write_count += 1

    def close(self) -> None:
        """Nothing to close: no handle is kept open between reads and writes."""
