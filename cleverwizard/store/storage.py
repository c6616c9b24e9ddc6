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
from bisect import bisect_right
from contextlib import suppress
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import msgspec
import pydantic_core
from tinydb.storages import Storage

from cleverwizard.bulk import paused_gc
from cleverwizard.store.ascii_json import ascii_json
from cleverwizard.store.errors import FolderNotPrivate, StoreCorrupt

TEMP_SUFFIX = ".tmp"
ENCODE_BUDGET = 30_000
"""About how many values (fields, list items) one encoder call may take in: 2,000 students'
worth, a few milliseconds. Each call holds the interpreter lock for all of its time."""
_LOOKED_INTO = 16
"""Containers with at most this many entries are looked into when weighing a value: a journal
document (before, after) holds whole tables of records under two small levels."""


def temp_prefix(path: Path) -> str:
    """Temp files are hidden siblings (``.roster.json.<random>.tmp``) so they are easy to sweep."""
    return f".{path.name}."


def _write_all(fd: int, data: bytes | bytearray) -> None:
    """Write every byte to ``fd``; a separate function so tests can simulate a full disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def encode_json(data: Any, budget: int = ENCODE_BUDGET) -> bytearray:
    """``pydantic_core.to_json(data, ensure_ascii=True)``, byte for byte, in many short calls.

    Each piece is orjson's text with its non-ASCII characters escaped (``ascii_json``),
    ten times faster than pydantic-core's ASCII mode on a roster; pydantic-core writes what
    orjson can't vouch for. They differ only on NaN and Infinity, which orjson writes as
    ``null``: no stored model has a float field, and a test keeps it so.

    One call for a 20,000-student roster holds the interpreter lock for tens of milliseconds:
    saved from a worker thread, that freezes the wizard's event loop as long. A container
    that weighs more than ``budget`` is written piece by piece (its entries a group at a
    time, a heavy entry opened in turn), so the lock is free between pieces. Compact JSON
    is the concatenation of its entries' encodings, so the bytes are the same.
    """
    out = bytearray()  # grown in place: the pieces are never all held at once beside the whole
    _encode(data, budget, out)
    return out


def _weight(value: Any) -> int:
    """About how many values ``value`` holds. A large container is weighed as its entry count
    times its first entry's weight (a table's records are alike), so weighing a table costs
    one look, never one per record."""
    kind = type(value)
    if kind is dict:
        entries: Any = value.values()
    elif kind is list:
        entries = value
    else:
        return 1
    if len(entries) > _LOOKED_INTO:
        return len(entries) * _weight(next(iter(entries)))
    return 1 + sum(_weight(entry) for entry in entries)


def _entry_weights(entries: list[Any]) -> list[int]:
    """The weight of each entry of one container, cheaply: its entries are alike (a table's
    records, a list's items), so the first says how to weigh them all. Flat records weigh
    their field count (one C call for the lot); nested ones (journals) are weighed each."""
    first = entries[0]
    if type(first) not in (dict, list):
        return [1] * len(entries)
    if _weight(first) <= 2 * len(first) + 1:
        try:
            return list(map(len, entries))
        except TypeError:  # not all containers after all
            pass
    return [_weight(entry) for entry in entries]


def _encode(value: Any, budget: int, out: bytearray) -> None:
    """Append ``value``'s encoding to ``out``: in one call when it is light, else its entries
    a run at a time, each run one call of at most about ``budget`` values."""
    kind = type(value)
    if (kind is not dict and kind is not list) or not value or _weight(value) <= budget:
        out += _to_json(value)
        return
    weights = _entry_weights(list(value.values()) if kind is dict else value)
    out += b"{" if kind is dict else b"["
    pieces: list[tuple[int, int]] = []
    """Runs of entries encoded in one call; a run of one heavy entry is opened instead."""
    if max(weights) <= budget:  # the common case (a table of records): cut by running total
        totals = list(accumulate(weights))
        start = 0
        while start < len(totals):
            end = max(bisect_right(totals, (totals[start - 1] if start else 0) + budget), start + 1)
            pieces.append((start, end))
            start = end
    else:
        start = held = 0
        for index, weight in enumerate(weights):
            if weight > budget or held + weight > budget:
                if start < index:
                    pieces.append((start, index))
                start, held = index, weight
            else:
                held += weight
        pieces.append((start, len(weights)))
    entries = iter(value.items() if kind is dict else value)
    for number, (start, end) in enumerate(pieces):
        if number:
            out += b","
        if end - start == 1 and weights[start] > budget:
            entry = next(entries)
            if kind is dict:  # the key exactly as the encoder writes it in an object, colon included
                out += _to_json({entry[0]: None})[1:-5]
                entry = entry[1]
            _encode(entry, budget, out)
        else:
            run = dict(islice(entries, end - start)) if kind is dict else list(islice(entries, end - start))
            out += memoryview(_to_json(run))[1:-1]
    out += b"}" if kind is dict else b"]"


def _to_json(value: Any) -> bytes:
    """One piece: orjson's ASCII-escaped text, else pydantic-core's (which also raises the
    error a value that is not JSON gives)."""
    fast = ascii_json(value)
    return fast if fast is not None else pydantic_core.to_json(value, ensure_ascii=True)


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


def atomic_write_bytes(path: Path, data: bytes | bytearray) -> None:
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


_TABLES = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])
_RECORD = msgspec.json.Decoder()


def decode_roster(raw: bytes) -> Any:
    """The roster's JSON as plain dicts and lists: msgspec, one record at a time.

    A parse is one C call that holds the interpreter lock throughout, so while the wizard
    reads the roster in a thread its screen cannot draw: pydantic-core took 92 ms over a
    20,000-student roster in one call. Here msgspec first splits the file into tables of
    still-encoded records (8 ms), then decodes each record on its own (46 ms in all), and the
    screen gets the lock between them. pydantic-core still reads what msgspec refuses (a
    file that is not tables of records, ``NaN`` and ``Infinity`` as ``json.dumps`` writes
    them) and words the error for a file that is not JSON at all.
    """
    try:
        tables = _TABLES.decode(raw)
        return {name: {key: _RECORD.decode(doc) for key, doc in docs.items()} for name, docs in tables.items()}
    except msgspec.DecodeError:  # msgspec.ValidationError too
        return pydantic_core.from_json(raw)


class AtomicJSONStorage(Storage):
    """TinyDB storage: JSON on disk, read whole, replaced whole and atomically on write.

        ``read`` never creates or changes the file; a missing file reads as ``None`` (TinyDB's
        "empty database"). A zero-length file or invalid JSON raises ``StoreCorrupt`` instead
        of being overwritten. Extra keyword arguments go to ``json.dumps`` as with
        TinyDB's ``JSONStorage``; without them orjson's faster encoder is used, a piece at
    a time (``encode_json``). ``write_count`` counts physical writes (used by the store's
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
                data = decode_roster(raw)
        except ValueError as exc:  # invalid JSON or invalid UTF-8 (also NUL-filled files)
            raise StoreCorrupt(self.path, f"invalid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise StoreCorrupt(self.path, "the top level is not a JSON object of tables")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Serialise before touching the disk so an unserialisable value fails cleanly.
        # ``encode_json`` is ~20x faster than ``json.dumps`` on a big roster;
        # ASCII-only output keeps the file readable by TinyDB under any locale.
        payload: bytes | bytearray
        if self._dump_kwargs:
            payload = json.dumps(data, **self._dump_kwargs).encode("utf-8")
        else:
            payload = encode_json(data)
        atomic_write_bytes(self.path, payload)
        self.write_count += 1

    def close(self) -> None:
        """Nothing to close: no handle is kept open between reads and writes."""
