"""A worker's data is handed over once and not kept by the box (cleverwizard/ui/handoff.py)."""

from __future__ import annotations

import weakref

import pytest

from cleverwizard.ui.handoff import Handoff


class Preview:
    """Stands for a plan: something weakly referable."""


def test_the_box_lets_go_of_what_was_taken() -> None:
    preview = Preview()
    box = Handoff(preview)
    seen = weakref.ref(preview)
    assert box.take() is preview
    del preview
    assert seen() is None, "the box still holds the preview after the worker took it"


def test_taking_twice_is_refused() -> None:
    box = Handoff([1, 2])
    box.take()
    with pytest.raises(RuntimeError):
        box.take()


def test_none_is_handed_over_as_a_value() -> None:
    box: Handoff[int | None] = Handoff(None)
    assert box.take() is None
