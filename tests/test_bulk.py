"""``paused_gc`` switches the collector off only for its body and always back on."""

from __future__ import annotations

import gc

import pytest

from cleverwizard.bulk import paused_gc


@pytest.fixture(autouse=True)
def _collector_on() -> None:
    gc.enable()


def test_pauses_for_the_body_only() -> None:
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_nested_pause_leaves_it_to_the_outer_one() -> None:
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_never_turns_on_a_collector_someone_else_turned_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_works_as_a_decorator() -> None:
    @paused_gc()
    def build() -> bool:
        return gc.isenabled()

    assert build() is False
    assert gc.isenabled()


def test_a_one_shot_batch_job_leaves_the_collector_off_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a one-shot command keeps its results until exit, nothing turns the collector on
    again (its first pass would walk everything the job built); elsewhere it comes back on."""
    from cleverwizard import bulk

    monkeypatch.setattr(bulk, "_KEPT", [])
    with paused_gc():
        bulk.keep_until_exit(["records"])
    assert gc.isenabled()  # not a one-shot process (a test's): back on as always
    monkeypatch.setattr(bulk, "_ONE_SHOT", True)
    try:
        with paused_gc():
            bulk.keep_until_exit(["records"])
        assert not gc.isenabled()
        gc.enable()
        monkeypatch.setattr(bulk, "_KEPT", [])
        with paused_gc():
            pass
        assert gc.isenabled()  # nothing kept: back on
    finally:
        gc.enable()
