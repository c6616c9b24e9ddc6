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
