"""The data folder is private and never written through a link.

Someone who could write in the data folder before it was made private may have planted
symlinks there: at the fixed ``.NAME.tmp`` the settings and token writes used to reuse, or
at a temp name they guessed. Every write makes a fresh name with ``O_EXCL | O_NOFOLLOW`` and
renames it into place, so the token never lands in a file of their choosing. A folder with
loose modes is tightened to 0700 (its files to 0600); one owned by someone else is refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleverwizard import config
from cleverwizard.store import RosterStore, StoreError
from cleverwizard.store.errors import FolderNotPrivate
from cleverwizard.store.storage import atomic_write_bytes
from tests.store.conftest import make_student

TOKEN = "secret-district-token"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def bait(tmp_path: Path) -> Path:
    """A file outside the data folder that a planted link points at."""
    target = tmp_path / "elsewhere" / "attacker-can-read"
    target.parent.mkdir()
    target.write_text("untouched\n")
    target.chmod(0o644)
    return target


def assert_untouched(bait: Path) -> None:
    assert bait.read_text() == "untouched\n" and mode_of(bait) == 0o644


@pytest.mark.parametrize(
    ("write", "name", "expected"),
    [
        (lambda folder: config.save_token(folder, TOKEN), config.TOKEN_FILE, TOKEN + "\n"),
        (lambda folder: config.save_settings(folder, clever_url="https://x.invalid"), config.SETTINGS_FILE, None),
    ],
    ids=["token", "settings"],
)
def test_a_link_at_the_old_fixed_temp_name_is_not_followed(
    tmp_path: Path, bait: Path, write: object, name: str, expected: str | None
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / f".{name}.tmp").symlink_to(bait)
    write(folder)  # type: ignore[operator]
    assert_untouched(bait)
    written = folder / name
    assert not written.is_symlink() and written.is_file() and mode_of(written) == 0o600
    if expected is not None:
        assert written.read_text() == expected


def test_a_link_at_a_guessed_temp_name_is_not_followed(
    tmp_path: Path, bait: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker guessed the next random name: the exclusive create skips it."""
    guesses = iter(["guessed", "guessed", "fresh1", "fresh2", "fresh3"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: guesses)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    for name in (config.TOKEN_FILE, "roster.json"):
        (folder / f".{name}.guessed.tmp").symlink_to(bait)
    config.save_token(folder, TOKEN)
    assert_untouched(bait)
    assert (folder / config.TOKEN_FILE).read_text() == TOKEN + "\n"
    atomic_write_bytes(folder / "roster.json", b"{}")
    assert_untouched(bait)
    assert (folder / "roster.json").read_bytes() == b"{}" and mode_of(folder / "roster.json") == 0o600


def test_a_link_at_the_token_file_itself_is_replaced_not_written_through(tmp_path: Path, bait: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / config.TOKEN_FILE).symlink_to(bait)
    config.save_token(folder, TOKEN)
    assert_untouched(bait)
    assert not (folder / config.TOKEN_FILE).is_symlink()


def test_a_link_at_the_lock_file_is_refused_not_truncated(tmp_path: Path, bait: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / "roster.lock").symlink_to(bait)
    with RosterStore.open(folder) as store:
        with pytest.raises(StoreError, match="roster.lock is a link"), store.transaction() as tx:
            tx.put_student(make_student(1))
        assert not store.path.exists()
    assert_untouched(bait)


def test_a_loose_folder_and_its_files_are_tightened(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o777)
    (folder / config.TOKEN_FILE).write_text(TOKEN)
    (folder / config.TOKEN_FILE).chmod(0o644)
    (folder / config.SETTINGS_FILE).write_text("{}")
    (folder / config.SETTINGS_FILE).chmod(0o666)
    with RosterStore.open(folder) as store, store.transaction() as tx:
        tx.put_student(make_student(1))
    assert mode_of(folder) == 0o700
    assert {entry.name: mode_of(entry) for entry in folder.iterdir()} == {
        config.TOKEN_FILE: 0o600,
        config.SETTINGS_FILE: 0o600,
        "roster.json": 0o600,
        "roster.lock": 0o600,
        "sync.lock": 0o600,
    }


def test_saving_the_token_tightens_a_loose_folder(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)
    config.save_token(folder, TOKEN)
    assert mode_of(folder) == 0o700 and mode_of(folder / config.TOKEN_FILE) == 0o600


def test_a_new_folder_is_0700_and_every_file_written_is_0600(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "new" / "data"
    config.save_token(folder, TOKEN)
    config.save_settings(folder, sandbox_seed=1)
    with RosterStore.open(folder) as store, store.transaction() as tx:
        tx.put_student(make_student(1))
    assert mode_of(folder) == 0o700
    assert all(mode_of(entry) == 0o600 for entry in folder.iterdir()), {
        e.name: oct(mode_of(e)) for e in folder.iterdir()
    }


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give a folder away")
def test_a_folder_owned_by_someone_else_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o755)
    os.chown(folder, 65534, 65534)
    with pytest.raises(FolderNotPrivate) as raised:
        RosterStore.open(folder)
    message = str(raised.value)
    assert str(folder) in message and "another user" in message and "\n" not in message
    with pytest.raises(FolderNotPrivate):
        config.save_token(folder, TOKEN)
    assert list(folder.iterdir()) == [] and mode_of(folder) == 0o755


def test_a_data_folder_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("not a folder")
    with pytest.raises(FolderNotPrivate, match="is not a folder"):
        RosterStore.open(path)
