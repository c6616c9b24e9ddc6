"""Errors the roster store raises, each worded so an administrator knows what to do next.

They all derive from ``StoreError`` so the CLI and the wizard can catch one type and
show ``str(error)`` as it is.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: anything that stops the roster store from reading or saving."""


class StoreBusy(StoreError):
    """Another process (the wizard or a scheduled sync) holds the write lock."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        super().__init__(
            f"Another cleverwizard is saving to {data_dir} right now "
            "(the wizard or a scheduled sync). Try again in a minute."
        )


class StoreCorrupt(StoreError):
    """The database file exists but cannot be read; it is never reset silently."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"The roster file {path} is damaged and cannot be read ({reason}). "
            "It has been left untouched. Restore it from a backup, or move it aside "
            "to start a new, empty roster."
        )


class FolderNotPrivate(StoreError):
    """The data folder cannot be made owner-only: it is another user's, or not a folder."""

    def __init__(self, folder: Path, reason: str) -> None:
        self.folder = folder
        super().__init__(
            f"The data folder {folder} {reason}, so it cannot be kept private: "
            "use a folder of your own (--data-dir or CLEVERWIZARD_DATA_DIR)."
        )


class StoreSchemaError(StoreError):
    """The file was written by a different (usually newer) version of cleverwizard."""

    def __init__(self, path: Path, found: object, expected: int) -> None:
        self.path = path
        self.found = found
        self.expected = expected
        if isinstance(found, int) and not isinstance(found, bool) and found > expected:
            detail = (
                f"it was saved by a newer cleverwizard (schema version {found}; this "
                f"version understands {expected}). Update cleverwizard to open it."
            )
        elif found is None:
            detail = "it has no schema version, so it is not a cleverwizard roster file"
        else:
            detail = (
                f"it has schema version {found!r}, which this cleverwizard does not understand (it expects {expected})"
            )
        super().__init__(f"Cannot open the roster file {path}: {detail}.")
